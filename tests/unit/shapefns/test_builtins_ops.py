"""Python builtins feeding shapes: len, int, float, min/max, sum, abs, round, list/tuple of a
tensor, zip, enumerate, range."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

CASES: list[Any] = [
    ("tf.zeros((len(x), 4))", {"x": "f32[3,2]"}, "f32[3,4]"),
    ("np.zeros((len(x),))", {"x": "np.f64[5,2]"}, "np.f64[5]"),
    ("tf.range(len(x))", {"x": "f32[3,2]"}, "i32[3]"),
    ("tf.zeros([len([1, 2, 3])])", {}, "f32[3]"),
    ("tf.zeros((len('abcd'),))", {}, "f32[4]"),
    ("tf.reshape(x, (int(x.shape[0] / 2), -1))", {"x": "f32[4,3]"}, "f32[2,6]"),
    ("tf.zeros((int(2.7), 2))", {}, "f32[2,2]"),
    ("tf.zeros([int(tf.shape(x)[0])])", {"x": "f32[3,2]"}, "f32[3]"),
    ("tf.zeros([int(tf.size(x))])", {"x": "f32[3,2]"}, "f32[6]"),
    ("tf.fill([2], float(3))", {}, "f32[2]"),
    ("tf.zeros([max(2, 3), min(4, 5)])", {}, "f32[3,4]"),
    ("tf.zeros([max([1, 7, 3])])", {}, "f32[7]"),
    ("tf.zeros([sum([1, 2, 3])])", {}, "f32[6]"),
    ("tf.zeros([abs(-2)])", {}, "f32[2]"),
    ("tf.zeros([round(2.6)])", {}, "f32[3]"),
    ("tf.zeros([x.shape[0] * 2, x.shape[1] // 2])", {"x": "f32[3,4]"}, "f32[6,2]"),
    ("abs(x)", {"x": "f64[2,2]"}, "tf.f64[2,2]"),
    ("abs(x)", {"x": "np.i32[3]"}, "np.i32[3]"),
    ("tf.stack(list(x))", {"x": "f32[3,2]"}, "f32[3,2]"),
    ("tf.stack(list(x), axis=1)", {"x": "f32[3,2]"}, "f32[2,3]"),
    ("tf.concat(list(x), 0)", {"x": "f32[3,2,4]"}, "f32[6,4]"),
    ("tf.stack(tuple(x))", {"x": "i32[2,5]"}, "i32[2,5]"),
    ("tf.stack([x[i] for i in range(3)])", {"x": "f32[3,2]"}, "f32[3,2]"),
    ("tf.concat([x for x in [a, b]], axis=1)", {"a": "f32[2,3]", "b": "f32[2,1]"},
     "f32[2,4]"),
    ("tf.stack([a + b for a, b in zip([x, x], [y, y])])", {"x": "f32[2]", "y": "f32[2]"},
     "f32[2,2]"),
    ("tf.stack([t * i for i, t in enumerate([x, x, x])])", {"x": "i32[4]"}, "i32[3,4]"),
    ("tf.zeros([len(list(range(5)))])", {}, "f32[5]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_builtins(case: Any) -> None:
    check(case)
