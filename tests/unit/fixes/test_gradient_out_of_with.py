"""gradient-out-of-with (SL310, unsafe): move ``tape.gradient`` after the ``with`` block."""

from __future__ import annotations

from .helpers import assert_fix, assert_no_fix, dedent, finding, fixed

HEAD = """\
import tensorflow as tf
w = tf.Variable([1.0, 2.0])
"""


def test_the_statement_moves_after_the_block() -> None:
    assert_fix(HEAD + """
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w * w)
    # the gradient, for the update
    grad = tape.gradient(loss, w)  # SL310
    other = tf.reduce_sum(w)
w.assign_sub(0.1 * grad)
""", HEAD + """
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w * w)
    other = tf.reduce_sum(w)
# the gradient, for the update
grad = tape.gradient(loss, w)  # SL310
w.assign_sub(0.1 * grad)
""", "gradient-out-of-with", safe=False)


def test_last_statement_of_a_nested_block() -> None:
    assert_fix(HEAD + """
def step():
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
            grad = tape.gradient(loss, w)
        w.assign_sub(0.1 * grad)

step()
""", HEAD + """
def step():
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
        grad = tape.gradient(loss, w)
        w.assign_sub(0.1 * grad)

step()
""", "gradient-out-of-with")


def test_result_used_later_in_the_block() -> None:
    assert_no_fix(HEAD + """
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w * w)
    grad_norm = tf.norm(tape.gradient(loss, w))
    print("gradient norm", float(grad_norm))
grad = tape.gradient(loss, w)
""", "gradient-out-of-with")


def _at(source: str, line: int) -> str:
    return fixed(source, finding("gradient-out-of-with", line, 4, code="SL310", safe=False,
                                 with_line=3, tape="tape"))


def test_not_applicable() -> None:
    cases = [
        # a later statement rebinds what the call reads
        """
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
            grad = tape.gradient(loss, w)
            loss = loss + 1.0
        """,
        # a later statement uses the tape
        """
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
            grad = tape.gradient(loss, w)
            again = tape.gradient(loss, w)
        """,
        # the call is under an if inside the block
        """
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
            if loss:
                grad = tape.gradient(loss, w)
        """,
        # two statements on the line
        """
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
            grad = tape.gradient(loss, w); x = 1
        """,
    ]
    for case in cases:
        source = HEAD + dedent(case)
        assert _at(source, 5) == source, case
    only = HEAD + dedent("""
        with tf.GradientTape() as tape:
            grad = tape.gradient(loss, w)
        """)
    assert _at(only, 4) == only  # the block would be empty
    one_line = HEAD + "with tf.GradientTape() as tape: grad = tape.gradient(loss, w)\n"
    assert _at(one_line, 3) == one_line
