"""build-model (SL314, unsafe): call the model on its batch before reading its weights."""

from __future__ import annotations

from .helpers import assert_fix, assert_no_fix, dedent

BEFORE = """
import tensorflow as tf
import keras
model = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1)])
x = tf.ones((4, 3))
opt = keras.optimizers.SGD(0.1)
# the weights to train
params = model.trainable_variables
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(model(x[:2]))
grads = tape.gradient(loss, params)
opt.apply_gradients(zip(grads, params))
"""


def test_call_on_the_batch_goes_before_the_read() -> None:
    after = BEFORE.replace("# the weights to train\n",
                           "# the weights to train\nmodel(x[:2])\n")
    assert_fix(BEFORE, after, "build-model", safe=False)


def test_declines_when_the_batch_is_made_after_the_read() -> None:
    source = BEFORE.replace("x = tf.ones((4, 3))\n", "")
    source = source.replace("with tf.GradientTape", "x = tf.ones((4, 3))\nwith tf.GradientTape")
    assert_no_fix(source, "build-model")


def test_declines_when_the_model_is_never_called() -> None:
    source = dedent("""
        import tensorflow as tf
        import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        params = model.trainable_variables
        for v in params:
            v.assign_sub(tf.zeros_like(v))
        """)
    assert_no_fix(source, "build-model")
