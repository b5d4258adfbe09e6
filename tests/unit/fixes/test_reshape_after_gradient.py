"""reshape-after-gradient (SL304): differentiate w.r.t. the variable, reshape the gradient."""

from __future__ import annotations

import pytest

from .helpers import assert_fix, assert_no_fix, dedent, finding, fixed

HEAD = """\
import tensorflow as tf
w = tf.Variable(tf.ones((2, 3)))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w * w)
"""


def test_reshape_moves_onto_the_gradient() -> None:
    assert_fix(HEAD + "g = tape.gradient(loss, tf.reshape(w, [-1]))  # flat\n",
               HEAD + "g = tf.reshape(tape.gradient(loss, w), [-1])  # flat\n",
               "reshape-after-gradient", safe=True)


@pytest.mark.parametrize(("source", "result"), [
    ("tf.transpose(w)", "tf.transpose(tape.gradient(loss, w))"),
    ("tf.transpose(w, perm=[1, 0])", "tf.transpose(tape.gradient(loss, w), perm=[1, 0])"),
    ("tf.expand_dims(w, 0)", "tf.expand_dims(tape.gradient(loss, w), 0)"),
    ("tf.squeeze(w)", "tf.squeeze(tape.gradient(loss, w))"),
    ("tf.cast(w, tf.float64)", "tf.cast(tape.gradient(loss, w), tf.float64)"),
    ("tf.identity(w)", "tf.identity(tape.gradient(loss, w))"),
])
def test_other_invertible_ops(source: str, result: str) -> None:
    before = HEAD + f"g = tape.gradient(loss, {source})\n"
    item = finding("reshape-after-gradient", 5, 4, code="SL304", source=source)
    assert fixed(before, item) == HEAD + f"g = {result}\n"


def test_keywords_and_multiline_calls_are_kept() -> None:
    before = HEAD + dedent("""
        g = tape.gradient(
            loss,
            tf.reshape(w, (6,)),  # flatten
            unconnected_gradients=tf.UnconnectedGradients.ZERO,
        )
        """)
    after = HEAD + dedent("""
        g = tf.reshape(tape.gradient(
            loss,
            w,  # flatten
            unconnected_gradients=tf.UnconnectedGradients.ZERO,
        ), (6,))
        """)
    item = finding("reshape-after-gradient", 5, 4, code="SL304", source="tf.reshape(w, (6,))")
    assert fixed(before, item) == after


def test_one_of_several_unpacked_sources() -> None:
    assert_fix(HEAD + "g_w, g_flat = tape.gradient(loss, [w, tf.reshape(w, [-1])])\nprint(1)\n",
               HEAD + "g_w, g_flat = tape.gradient(loss, [w, w])\n"
               "g_flat = tf.reshape(g_flat, [-1])\nprint(1)\n",
               "reshape-after-gradient")


def test_the_call_is_an_expression_anywhere() -> None:
    before = HEAD + "print(tape.gradient(loss, tf.reshape(w, [-1])).shape)\n"
    item = finding("reshape-after-gradient", 5, 6, code="SL304", source="tf.reshape(w, [-1])")
    assert fixed(before, item) == HEAD + "print(tf.reshape(tape.gradient(loss, w), [-1]).shape)\n"


@pytest.mark.parametrize(("line", "source"), [
    ("g = tape.gradient(loss, tf.cast(w, tf.int32))", "tf.cast(w, tf.int32)"),
    ("g = tape.gradient(loss, tf.gather(w, [0]))", "tf.gather(w, [0])"),
    ("g = tape.jacobian(loss, tf.reshape(w, [-1]))", "tf.reshape(w, [-1])"),
    ("g = tape.gradient(loss, {'a': tf.reshape(w, [-1])})", "tf.reshape(w, [-1])"),
    ("g = tape.gradient(loss, [w, tf.reshape(w, [-1])])", "tf.reshape(w, [-1])"),  # not unpacked
    ("a, b = tape.gradient(loss, [w, tf.reshape(w, [-1]), w])", "tf.reshape(w, [-1])"),
    ("g = tape.gradient(loss, tf.reshape(w, [-1]))", "tf.reshape(w, [3, -1])"),  # stale
])
def test_not_applicable(line: str, source: str) -> None:
    before = HEAD + line + "\n"
    col = line.index("tape.")
    assert fixed(before, finding("reshape-after-gradient", 5, col, code="SL304",
                                 source=source)) == before


def test_wrong_position_or_unparsable_text() -> None:
    before = HEAD + "g = tape.gradient(loss, tf.reshape(w, [-1]))\n"
    assert fixed(before, finding("reshape-after-gradient", 5, 0, source="tf.reshape(w, [-1])")) \
        == before
    assert fixed(before, finding("reshape-after-gradient", 5, 4, source="tf.reshape(")) == before
    assert_no_fix("g = tape.gradient(loss, tf.reshape(w, [-1])\n", "reshape-after-gradient")
