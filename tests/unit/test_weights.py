"""SL314 (``core/keras/weights.py``): reported where an unbuilt model's trainable_variables are
read, only when the model is proven unbuilt there and the empty list reaches training."""

from __future__ import annotations

import textwrap

import pytest

from shapelens.core import analyze

HEAD = """\
import tensorflow as tf
import keras
model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
x = tf.ones((8, 3))
opt = keras.optimizers.SGD(0.1)
"""


def _sl314(body: str) -> list[int]:
    source = HEAD + textwrap.dedent(body)
    return [f.span.line for f in analyze(source, "t.py").findings if f.code == "SL314"]


@pytest.mark.parametrize("body", [
    # the list reaches tape.gradient
    """\
    params = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, params)
    """,
    # apply_gradients(zip(grads, params)), the gradients taken on the built model
    """\
    params = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, params))
    """,
    # a loop of assign_sub over it
    """\
    params = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    for g, v in zip(grads, params):
        v.assign_sub(0.1 * g)
    """,
])
def test_the_empty_list_reaching_training_is_reported_where_it_was_read(body: str) -> None:
    assert _sl314(body) == [6]


@pytest.mark.parametrize("body", [
    # only printed, as the TF tutorials do before the first call
    "print([v.name for v in model.trainable_variables])\n",
    # built by a call on an input the analyzer cannot read
    """\
    model(unknown_batch())
    params = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, params)
    """,
    # built explicitly
    """\
    model.build((None, 3))
    params = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, params)
    """,
    # inside a function nobody calls: its point of execution is unknown
    """\
    def step(batch):
        params = model.trainable_variables
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(batch))
        return tape.gradient(loss, params)
    """,
])
def test_no_finding_without_proof(body: str) -> None:
    assert _sl314(body) == []


def test_modules_and_layers_with_their_own_weights_are_never_unbuilt() -> None:
    source = textwrap.dedent("""\
        import tensorflow as tf
        import keras

        class Module(tf.Module):
            def __init__(self):
                self.dense = keras.layers.Dense(3)

        class Scaled(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.gain = self.add_weight(shape=(3,))

        for owner in (Module(), Scaled()):
            params = owner.trainable_variables
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.ones((2, 3)))
            grads = tape.gradient(loss, params)
        """)
    assert [f.code for f in analyze(source, "t.py").findings if f.code == "SL314"] == []


def test_a_layer_built_on_an_unreadable_input_is_not_built_again_later() -> None:
    """Keras built the layer at its first call, for a width the analyzer cannot read: which
    of the later calls fails (if any) is unknown, so neither is reported."""
    source = textwrap.dedent("""\
        import tensorflow as tf
        import keras
        dense = keras.layers.Dense(3)
        a = dense(unknown_batch())
        b = dense(tf.ones((2, 5)))
        c = dense(tf.ones((2, 6)))
        """)
    assert [f.code for f in analyze(source, "t.py").findings] == []
