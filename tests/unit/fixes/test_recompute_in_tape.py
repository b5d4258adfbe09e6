"""recompute-in-tape (SL303's alternative, unsafe): a forward pass hoisted out of the loop is
copied into the tape."""

from __future__ import annotations

from .helpers import assert_no_fix, dedent, findings, fixed

HOISTED = """
import tensorflow as tf
w = tf.Variable(0.5)
x = tf.constant([1.0, 2.0])
pred = w * x  # the forward pass
print(pred)
for step in range(2):
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(pred ** 2)
    g = tape.gradient(loss, w)
"""


def test_the_forward_pass_is_copied_after_the_leading_watch() -> None:
    source = dedent(HOISTED)
    (item,) = findings(source, "recompute-in-tape")
    assert item.fix is not None and item.fix.safe is False
    assert fixed(source, item) == source.replace(
        "        tape.watch(x)\n", "        tape.watch(x)\n        pred = w * x\n")


def test_not_offered_where_moving_applies() -> None:
    assert_no_fix("""
        import tensorflow as tf
        w = tf.Variable(0.5)
        pred = w * 3.0
        with tf.GradientTape() as tape:
            loss = pred * pred
        g = tape.gradient(loss, w)
        """, "recompute-in-tape")


def test_not_offered_when_nothing_before_reads_the_source() -> None:
    source = dedent(HOISTED).replace("pred = w * x", "pred = 2.0 * x")
    for item in findings(source, "recompute-in-tape"):
        assert fixed(source, item) == source
