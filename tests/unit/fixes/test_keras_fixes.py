"""The Keras fixes: input-layer (SL211, safe), matching-loss and insert-flatten (SL207,
unsafe)."""

from __future__ import annotations

import pytest

from .helpers import assert_fix, assert_no_fix, finding, fixed

KERAS = "import numpy as np\nfrom tensorflow import keras\n"


def test_input_shape_becomes_an_input_in_a_multiline_list() -> None:
    before = KERAS + ("model = keras.Sequential([\n"
                      "    keras.layers.Dense(4, activation='relu', input_shape=(3,)),\n"
                      "    keras.layers.Dense(1),\n"
                      "])\n")
    after = KERAS + ("model = keras.Sequential([\n"
                     "    keras.Input(shape=(3,)),\n"
                     "    keras.layers.Dense(4, activation='relu'),\n"
                     "    keras.layers.Dense(1),\n"
                     "])\n")
    assert_fix(before, after, "input-layer", safe=True)


@pytest.mark.parametrize(("before", "after"), [
    ("m = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])",
     "m = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4)])"),
    ("m = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,), name='d')])",
     "m = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(4, name='d')])"),
    ("m = keras.Sequential([layers.Dense(4, input_shape=(3,))])",
     "m = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4)])"),
])
def test_input_layer_spellings(before: str, after: str) -> None:
    head = "import tensorflow as tf\nfrom tensorflow import keras\nfrom keras import layers\n"
    item = finding("input-layer", 4, before.index("[") + 1, code="SL211")
    assert fixed(head + before + "\n", item) == head + after + "\n"


def test_input_layer_with_model_add() -> None:
    before = KERAS + ("model = keras.Sequential()\n"
                      "model.add(keras.layers.Dense(4, input_shape=(3,)))\n")
    after = KERAS + ("model = keras.Sequential()\n"
                     "model.add(keras.Input(shape=(3,)))\n"
                     "model.add(keras.layers.Dense(4))\n")
    assert_fix(before, after, "input-layer", safe=True)


FIT = """
x = np.zeros((8, 4), "float32")
y = {targets}
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])
model.compile(optimizer="sgd", loss={loss}, metrics={metrics})
model.fit(x, y, epochs=1)
"""


@pytest.mark.parametrize(("targets", "loss", "metrics", "new_loss", "new_metrics"), [
    ("keras.utils.to_categorical(np.zeros((8,)), 3)", '"sparse_categorical_crossentropy"',
     '["sparse_categorical_accuracy"]', '"categorical_crossentropy"',
     '["categorical_accuracy"]'),
    ('np.zeros((8,), "int64")', "keras.losses.CategoricalCrossentropy(from_logits=True)",
     '["accuracy"]', "keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
     '["accuracy"]'),
])
def test_matching_loss(targets: str, loss: str, metrics: str, new_loss: str,
                       new_metrics: str) -> None:
    before = KERAS + FIT.format(targets=targets, loss=loss, metrics=metrics)
    after = KERAS + FIT.format(targets=targets, loss=new_loss, metrics=new_metrics)
    assert_fix(before, after, "matching-loss", safe=False)


def test_no_matching_loss_when_no_loss_would_fit() -> None:
    source = KERAS + FIT.format(targets='np.zeros((8, 5), "float32")',
                                loss='"categorical_crossentropy"', metrics="[]")
    assert_no_fix(source, "matching-loss")


CONV = """
x = np.zeros((8, 6, 6, 1), "float32")
y = np.zeros((8,), "int64")
model = keras.Sequential([
    keras.Input(shape=(6, 6, 1)),
    keras.layers.Conv2D(2, 3),{between}
    keras.layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1)
"""


def test_flatten_goes_before_the_first_dense() -> None:
    assert_fix(KERAS + CONV.format(between=""),
               KERAS + CONV.format(between="\n    keras.layers.Flatten(),"),
               "insert-flatten", safe=False)


def test_flatten_declines_after_a_flattening_layer() -> None:
    source = KERAS + CONV.format(between="\n    keras.layers.Reshape((4, 4, 2)),")
    item = finding("insert-flatten", 14, code="SL207", safe=False, model="model")
    assert fixed(source, item) == source


FUNCTIONAL = """
import numpy as np
import keras
from keras import layers
inputs = keras.Input(shape=(6, 6, 1))
x = layers.Conv2D(2, 3)(inputs)
outputs = layers.Dense(4, activation="softmax")({x})
model = keras.Model(inputs, outputs)
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
model.fit(np.zeros((8, 6, 6, 1), "float32"), np.zeros((8,), "int64"), epochs=1)
"""


def test_flatten_in_a_functional_model_wraps_the_output_dense_input() -> None:
    assert_fix(FUNCTIONAL.format(x="x"), FUNCTIONAL.format(x="layers.Flatten()(x)"),
               "insert-flatten", safe=False)
