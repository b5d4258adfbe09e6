"""Keras layers on dims that are unknown to the analyzer (``?``) versus proven None in TF's
static shape (``None``, written ``DYNAMIC`` in the engine): a dynamic size flows through the
layers as Keras' ``compute_output_shape`` does, and SL208 fires only on a proven None."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

UNKNOWN_WIDTH = "keras.Input(shape=(int(np.random.randint(3, 6)),))"
SEQ = "keras.Input(shape=(None, 8))"

CASES: list[Any] = [
    # creation: a literal None is dynamic, an expression the engine cannot evaluate is unknown
    ("keras.Input(shape=(None, 8))", {}, "f32[batch,None,8]"),
    ("keras.Input(batch_shape=(None, None, 3))", {}, "f32[batch,None,3]"),
    ("keras.Input(batch_shape=(4, 5))", {}, "f32[4,5]"),
    ("x", {"x": UNKNOWN_WIDTH}, "f32[batch,?]"),
    ("keras.Input(shape=(x.shape[-1], 2))", {"x": SEQ}, "f32[batch,8,2]"),
    ("keras.Input(shape=(x.shape[1], 2))", {"x": SEQ}, "f32[batch,None,2]"),
    ("keras.Input(shape=(x.shape[1],))", {"x": UNKNOWN_WIDTH}, "f32[batch,?]"),
    # Dense: SL208 only on a proven None, never on ignorance
    ("keras.layers.Dense(4)(x)", {"x": UNKNOWN_WIDTH}, "f32[batch,4]"),
    ("keras.layers.Dense(4)(keras.layers.Dense(n)(x))",
     {"n": "int(np.random.randint(3, 6))", "x": "keras.Input(shape=(3,))"}, "f32[batch,4]"),
    ("keras.layers.Dense(4)(x)", {"x": "keras.Input(shape=(None,))"}, "SL208"),
    ("keras.layers.Dense(4)(x)", {"x": "keras.Input(batch_shape=(2, None))"}, "SL208"),
    ("keras.layers.Dense(4)(x)", {"x": SEQ}, "f32[batch,None,4]"),
    ("keras.layers.Dense(4)(keras.layers.Flatten()(x))", {"x": SEQ}, "SL208"),
    ("keras.layers.Flatten()(x)", {"x": SEQ}, "f32[batch,None]"),
    ("keras.layers.Flatten()(x)", {"w": "int(np.random.randint(3, 6))",
                                   "x": "keras.Input(shape=(w, 8))"}, "f32[batch,?]"),
    # layers that keep a dynamic axis dynamic (Keras maps None to None)
    ("keras.layers.Conv1D(4, 3)(x)", {"x": SEQ}, "f32[batch,None,4]"),
    ("keras.layers.MaxPooling1D(2)(x)", {"x": SEQ}, "f32[batch,None,8]"),
    ("keras.layers.UpSampling1D(2)(x)", {"x": SEQ}, "f32[batch,None,8]"),
    ("keras.layers.ZeroPadding1D(1)(x)", {"x": SEQ}, "f32[batch,None,8]"),
    ("keras.layers.Reshape((-1, 4))(x)", {"x": SEQ}, "f32[batch,None,4]"),
    ("keras.layers.Concatenate(axis=1)([x, x])", {"x": SEQ}, "f32[batch,None,8]"),
    ("keras.layers.LSTM(5, return_sequences=True)(x)", {"x": SEQ}, "f32[batch,None,5]"),
    ("keras.layers.Embedding(10, 4)(x)", {"x": "keras.Input(shape=(None,))"},
     "f32[batch,None,4]"),
    # keras.layers.InputLayer declares a Sequential's input like keras.Input
    ("keras.Sequential([keras.layers.InputLayer(shape=(None, 8)), keras.layers.Flatten(), "
     "keras.layers.Dense(3)])", {}, "SL208"),
    ("m(np.zeros((2, 5), 'float32'))",
     {"m": "keras.Sequential([keras.layers.InputLayer(batch_shape=(2, 5)), "
           "keras.layers.Dense(3)])"}, "[2,3]"),
    # a model called on data: its sizes are concrete, no static None is claimed
    ("m(np.zeros((2, 5), 'float32'))",
     {"i": "keras.Input(shape=(None,))", "m": "keras.Model(i, keras.layers.Embedding(9, 3)(i))"},
     "[2,?,3]"),
    # shape arithmetic reads a dynamic dim as unknown
    ("tf.zeros((2, 3)) + tf.zeros((2, 3))", {}, "f32[2,3]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_keras_dims(case: tuple[str, dict[str, str], str]) -> None:
    check(case)
