"""tf.keras.backend (legacy K.*) functions as their TF ops with the backend's defaults."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

K = {"K": "tf.keras.backend"}

CASES: list[Any] = [
    ("K.expand_dims(x)", {**K, "x": "f32[2,3]"}, "tf.f32[2,3,1]"),
    ("K.expand_dims(x, 0)", {**K, "x": "f32[2,3]"}, "f32[1,2,3]"),
    ("K.cast(x, 'float32')", {**K, "x": "i32[4]"}, "f32[4]"),
    ("K.shape(x)", {**K, "x": "f32[2,3]"}, "i32[2]"),
    ("K.reshape(x, (3, 2))", {**K, "x": "f32[2,3]"}, "f32[3,2]"),
    ("K.tile(x, (2, 1))", {**K, "x": "f32[2,3]"}, "f32[4,3]"),
    ("K.concatenate([x, x])", {**K, "x": "f32[2,3]"}, "f32[2,6]"),
    ("K.concatenate([x, x], axis=0)", {**K, "x": "f32[2,3]"}, "f32[4,3]"),
    ("K.sum(x, axis=1)", {**K, "x": "f32[2,3]"}, "f32[2]"),
    ("K.mean(x, 1, True)", {**K, "x": "f32[2,3]"}, "f32[2,1]"),
    ("K.max(x)", {**K, "x": "f32[2,3]"}, "f32[]"),
    ("K.transpose(x)", {**K, "x": "f32[2,3]"}, "f32[3,2]"),
    ("K.square(x)", {**K, "x": "f32[2,3]"}, "f32[2,3]"),
    ("K.reshape(x, (4, 2))", {**K, "x": "f32[2,3]"}, "SL101"),
    ("K.concatenate([x, y])", {**K, "x": "f32[2,3]", "y": "f32[3,3]"}, "SL104"),
    ("tf.zeros(K.int_shape(x)[1:])", {**K, "x": "f32[2,3]"}, "f32[3]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_backend(case: Any) -> None:
    check(case)
