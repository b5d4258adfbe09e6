"""persistent-tape (SL309): ``persistent=True`` on the tape, ``del tape`` after its last use."""

from __future__ import annotations

import pytest

from .helpers import assert_fix, dedent, finding, fixed

HEAD = """\
import tensorflow as tf
w = tf.Variable([1.0, 2.0])
"""


def test_persistent_and_del() -> None:
    assert_fix(HEAD + """
with tf.GradientTape() as tape:
    a = tf.reduce_sum(w * w)
    b = tf.reduce_sum(w)
ga = tape.gradient(a, w)
gb = tape.gradient(b, w)  # second call

print(ga, gb)
""", HEAD + """
with tf.GradientTape(persistent=True) as tape:
    a = tf.reduce_sum(w * w)
    b = tf.reduce_sum(w)
ga = tape.gradient(a, w)
gb = tape.gradient(b, w)  # second call
del tape

print(ga, gb)
""", "persistent-tape", safe=True)


def test_in_a_function_that_returns_the_gradients() -> None:
    """The last use is a ``return``: ``del`` after it would never run, so none is added."""
    assert_fix(HEAD + """
def step():
    with tf.GradientTape(watch_accessed_variables=True) as tape:
        a = tf.reduce_sum(w * w)
    ga = tape.gradient(a, w)
    return ga, tape.gradient(a, w)

step()
""", HEAD + """
def step():
    with tf.GradientTape(persistent=True, watch_accessed_variables=True) as tape:
        a = tf.reduce_sum(w * w)
    ga = tape.gradient(a, w)
    return ga, tape.gradient(a, w)

step()
""", "persistent-tape")


@pytest.mark.parametrize(("before", "after"), [
    ("tf.GradientTape()", "tf.GradientTape(persistent=True)"),
    ("tf.GradientTape(persistent=False)", "tf.GradientTape(persistent=True)"),
    ("tf.GradientTape(False)", "tf.GradientTape(True)"),
    ("tf.GradientTape(False, False)", "tf.GradientTape(True, False)"),
    ("GradientTape(watch_accessed_variables=False)",
     "GradientTape(persistent=True, watch_accessed_variables=False)"),
    ("tf.GradientTape(\n    watch_accessed_variables=False,\n)",
     "tf.GradientTape(\n    persistent=True,\n    watch_accessed_variables=False,\n)"),
])
def test_call_rewrites(before: str, after: str) -> None:
    source = f"with {before} as tape:\n    pass\n"
    item = finding("persistent-tape", 9, 0, with_line=1, tape="tape")
    assert fixed(source, item) == f"with {after} as tape:\n    pass\n"


def test_del_only_where_every_use_is_before_it() -> None:
    source = dedent("""
        import tensorflow as tf
        with tf.GradientTape() as tape:
            y = 1.0
        if y:
            g = tape.gradient(y, w)
        h = tape.gradient(y, w)
        def later():
            return tape
        """)
    out = fixed(source, finding("persistent-tape", 5, 0, with_line=2, tape="tape"))
    assert "persistent=True" in out and "del tape" not in out  # a nested function uses it


def test_del_after_a_compound_last_use_is_not_added() -> None:
    source = dedent("""
        import tensorflow as tf
        with tf.GradientTape() as tape:
            y = 1.0
        g = tape.gradient(y, w)
        if y:
            h = tape.gradient(y, w)
        """)
    out = fixed(source, finding("persistent-tape", 6, 0, with_line=2, tape="tape"))
    assert "persistent=True" in out and "del tape" not in out


def test_loop_body_gets_del_at_its_end() -> None:
    source = dedent("""
        import tensorflow as tf
        for i in range(3):
            with tf.GradientTape() as tape:
                y = 1.0
            g = tape.gradient(y, w)
            h = tape.gradient(y, w)
            print(g, h)
        """)
    out = fixed(source, finding("persistent-tape", 6, 4, with_line=3, tape="tape"))
    assert out == source.replace("tf.GradientTape()", "tf.GradientTape(persistent=True)") \
        .replace("h = tape.gradient(y, w)\n", "h = tape.gradient(y, w)\n    del tape\n")


@pytest.mark.parametrize("call", [
    "tf.GradientTape(persistent=True)",  # already persistent
    "tf.GradientTape(persistent=flag)",  # decided at run time: leave it to the user
    "tf.GradientTape(True)",
])
def test_not_applicable(call: str) -> None:
    source = f"with {call} as tape:\n    pass\n"
    assert fixed(source, finding("persistent-tape", 9, 0, with_line=1, tape="tape")) == source


def test_stale_arguments() -> None:
    source = "tape = tf.GradientTape()\nwith tape:\n    pass\n"
    assert fixed(source, finding("persistent-tape", 9, 0, with_line=2, tape="tape")) == source
    source = "with tf.GradientTape() as tape:\n    pass\n"
    assert fixed(source, finding("persistent-tape", 9, 0, with_line=2, tape="tape")) == source
    assert fixed(source, finding("persistent-tape", 9, 0, with_line=1, tape="t")) == source
    assert fixed(source, finding("persistent-tape", 9, 0, with_line="1", tape="tape")) == source
