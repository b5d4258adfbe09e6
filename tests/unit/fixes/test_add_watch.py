"""add-watch (SL301): ``tape.watch(x)`` as the first statement of the tape's block."""

from __future__ import annotations

from .helpers import assert_fix, assert_no_fix, dedent, finding, findings, fixed

PRELUDE = """\
import numpy as np
import tensorflow as tf
"""


def test_watch_goes_first_in_the_block() -> None:
    assert_fix(PRELUDE + """
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as tape:
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", PRELUDE + """
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", "add-watch", safe=True)


def test_comments_and_formatting_are_kept() -> None:
    assert_fix(PRELUDE + """
x = tf.constant([1.0, 2.0])
for step in range(2):
    with tf.GradientTape() as t:   # the tape
        # square it
        y = tf.reduce_sum(x*x)  # odd spacing stays
    g = t.gradient(y, x)
""", PRELUDE + """
x = tf.constant([1.0, 2.0])
for step in range(2):
    with tf.GradientTape() as t:   # the tape
        t.watch(x)
        # square it
        y = tf.reduce_sum(x*x)  # odd spacing stays
    g = t.gradient(y, x)
""", "add-watch")


def test_inside_a_function_with_a_converted_input() -> None:
    assert_fix(PRELUDE + """
def saliency(model, pixels):
    images = tf.convert_to_tensor(pixels)
    with tf.GradientTape() as tape:
        score = tf.reduce_sum(model(images))
    return tape.gradient(score, images)

pixels = np.ones((2, 3), np.float32)
saliency(lambda v: v * 2.0, pixels)
""", PRELUDE + """
def saliency(model, pixels):
    images = tf.convert_to_tensor(pixels)
    with tf.GradientTape() as tape:
        tape.watch(images)
        score = tf.reduce_sum(model(images))
    return tape.gradient(score, images)

pixels = np.ones((2, 3), np.float32)
saliency(lambda v: v * 2.0, pixels)
""", "add-watch")


def test_watch_follows_the_statement_that_binds_the_source() -> None:
    assert_fix(PRELUDE + """
with tf.GradientTape() as tape:
    x = tf.constant(3.0)
    y = x * x
g = tape.gradient(y, x)
""", PRELUDE + """
with tf.GradientTape() as tape:
    x = tf.constant(3.0)
    tape.watch(x)
    y = x * x
g = tape.gradient(y, x)
""", "add-watch")


def test_one_line_block() -> None:
    assert_fix(PRELUDE + """
x = tf.constant(3.0)
with tf.GradientTape() as tape: y = x * x
g = tape.gradient(y, x)
""", PRELUDE + """
x = tf.constant(3.0)
with tf.GradientTape() as tape: tape.watch(x); y = x * x
g = tape.gradient(y, x)
""", "add-watch")


def test_the_right_tape_of_two() -> None:
    source = dedent("""
        import tensorflow as tf
        x = tf.constant(3.0)
        with tf.GradientTape() as outer, tf.GradientTape() as inner:
            y = x * x
        g = inner.gradient(y, x)
        """)
    item = finding("add-watch", 5, 4, name="x", tape="inner", with_line=3)
    assert "    inner.watch(x)\n    y = x * x" in fixed(source, item)


def test_integer_and_numpy_sources_get_no_fix() -> None:
    """Watching an int tensor still gives None, and tape.watch(ndarray) raises (TF 2.21)."""
    assert not findings(PRELUDE + dedent("""
        x = tf.constant([1, 2])
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(x * x)
        g = tape.gradient(y, x)
        """), "add-watch")
    assert not findings(PRELUDE + dedent("""
        x = np.ones(3, np.float32)
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(x * x)
        g = tape.gradient(y, x)
        """), "add-watch")


def test_not_applicable() -> None:
    source = dedent("""
        import tensorflow as tf
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        x = tf.constant(4.0)
        g = tape.gradient(y, x)
        """)
    # rebound between the block and the call: watching the old x would not help
    assert fixed(source, finding("add-watch", 6, 4, name="x", tape="tape", with_line=3)) == \
        source
    # stale arguments: no with statement there, another tape name, a non-name source
    assert fixed(source, finding("add-watch", 6, 4, name="x", tape="tape", with_line=2)) == \
        source
    assert fixed(source, finding("add-watch", 6, 4, name="x", tape="t2", with_line=3)) == \
        source
    assert fixed(source, finding("add-watch", 6, 4, name="x[0]", tape="tape",
                                 with_line=3)) == source
    twice = dedent("""
        import tensorflow as tf
        with tf.GradientTape() as tape:
            x = tf.constant(3.0)
            x = x + 1.0
            y = x * x
        g = tape.gradient(y, x)
        """)
    assert fixed(twice, finding("add-watch", 6, 4, name="x", tape="tape", with_line=2)) == twice
    watched = dedent("""
        import tensorflow as tf
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        g = tape.gradient(y, x)
        """)
    assert fixed(watched, finding("add-watch", 6, 4, name="x", tape="tape", with_line=3)) == \
        watched
    assert_no_fix("x = (\n", "add-watch")
    broken = "with tf.GradientTape() as tape:\n    y = x *\n"
    assert fixed(broken, finding("add-watch", 2, 0, name="x", tape="tape", with_line=1)) == \
        broken
