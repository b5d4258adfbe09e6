"""variable-to-tensor (SL308, unsafe): a variable made from the source inside the tape
becomes the tensor it was made from."""

from __future__ import annotations

from .helpers import assert_fix, finding, fixed

BEFORE = """
import tensorflow as tf
factor = tf.Variable([[1.0, 2.0]])
with tf.GradientTape() as tape:
    scaled = tf.Variable(0.5 * factor, trainable=True)
    loss = tf.reduce_sum(scaled * scaled)
g = tape.gradient(loss, factor)
"""


def test_variable_becomes_its_initial_value() -> None:
    assert_fix(BEFORE, BEFORE.replace("tf.Variable(0.5 * factor, trainable=True)",
                                      "0.5 * factor"), "variable-to-tensor", safe=False)


def test_declines_with_dtype_or_a_later_assign() -> None:
    item = finding("variable-to-tensor", 7, code="SL308", safe=False, source="factor",
                   with_line=4)
    typed = BEFORE.replace("trainable=True", "dtype=tf.float64")
    assert fixed(typed, item) == typed
    assigned = BEFORE + "scaled.assign(factor)\n"
    assert fixed(assigned, item) == assigned


def test_only_variables_made_from_the_source() -> None:
    source = BEFORE.replace("0.5 * factor", "tf.zeros((1, 2))")
    item = finding("variable-to-tensor", 7, code="SL308", safe=False, source="factor",
                   with_line=4)
    assert fixed(source, item) == source
