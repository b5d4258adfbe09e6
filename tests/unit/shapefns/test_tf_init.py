"""Initializer objects: their call with a shape makes a float32 tensor of that shape (or the
given dtype)."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

CASES: list[Any] = [
    ("tf.random_normal_initializer()(shape=(2, 3))", {}, "tf.f32[2,3]"),
    ("tf.random_normal_initializer(0.0, 1.0)((2, 3), tf.float64)", {}, "f64[2,3]"),
    ("tf.random_uniform_initializer(-1.0, 1.0)(shape=[4])", {}, "f32[4]"),
    ("tf.zeros_initializer()([2], tf.int32)", {}, "i32[2]"),
    ("tf.ones_initializer()(shape=(3,))", {}, "f32[3]"),
    ("tf.constant_initializer(1.0)([2])", {}, "f32[2]"),
    ("keras.initializers.GlorotUniform()((3, 4))", {}, "f32[3,4]"),
    ("keras.initializers.get('glorot_uniform')((2, 2))", {}, "f32[2,2]"),
    ("tf.keras.initializers.RandomNormal(stddev=0.1)(shape=(2,))", {}, "f32[2]"),
    ("keras.initializers.Zeros()((2,), dtype='int32')", {}, "i32[2]"),
    ("keras.initializers.HeNormal(seed=1)(shape=(2, 5))", {}, "f32[2,5]"),
    ("tf.Variable(init(shape=(4, 3), dtype='float32'))",
     {"init": "tf.random_normal_initializer()"}, "var.f32[4,3]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_initializers(case: Any) -> None:
    check(case)
