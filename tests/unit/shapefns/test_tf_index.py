"""Indexing and selection: ``x[...]`` (ints, slices with clamping, None/tf.newaxis,
Ellipsis, out-of-range ints), tf.slice, gather/np.take, gather_nd, boolean_mask, where."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

CASES: list[Any] = [
    # integer indices
    ("x[0]", {"x": "f32[3,4]"}, "tf.f32[4]"),
    ("x[-1]", {"x": "f32[3,4]"}, "f32[4]"),
    ("x[1, 2]", {"x": "f32[3,4]"}, "f32[]"),
    ("x[2][3]", {"x": "i32[3,4]"}, "i32[]"),
    ("x[:, 0]", {"x": "f32[3,4]"}, "f32[3]"),
    ("x[0]", {"x": "var.f32[3,4]"}, "tf.f32[4]"),
    ("x[0]", {"x": "np.f64[3,4]"}, "np.f64[4]"),
    ("x[1, -4]", {"x": "np.f64[3,4]"}, "np.f64[]"),
    ("x[3]", {"x": "f32[3,4]"}, "SL108"),
    ("x[-4]", {"x": "f32[3,4]"}, "SL108"),
    ("x[:, 7]", {"x": "f32[3,4]"}, "SL108"),
    ("x[1, 2, 3]", {"x": "f32[3,4]"}, "SL108"),
    ("x[0]", {"x": "f32[]"}, "SL108"),
    ("x[5]", {"x": "np.f64[3,4]"}, "SL108"),
    ("x[0, 0, 0]", {"x": "np.f64[3,4]"}, "SL108"),
    # slices, with clamping like Python
    ("x[1:]", {"x": "f32[3,4]"}, "f32[2,4]"),
    ("x[:2, 1:3]", {"x": "f32[3,4]"}, "f32[2,2]"),
    ("x[::-1]", {"x": "f32[3,4]"}, "f32[3,4]"),
    ("x[::2]", {"x": "f32[5]"}, "f32[3]"),
    ("x[1:100:2]", {"x": "f32[4]"}, "f32[2]"),
    ("x[-2:]", {"x": "f32[5,2]"}, "f32[2,2]"),
    ("x[:-1]", {"x": "f32[5,2]"}, "f32[4,2]"),
    ("x[10:]", {"x": "f32[5]"}, "f32[0]"),
    ("x[3:1]", {"x": "f32[5]"}, "f32[0]"),
    ("x[-100:2]", {"x": "f32[5]"}, "f32[2]"),
    ("x[4:0:-2]", {"x": "f32[6]"}, "f32[2]"),
    ("x[:, ::-1, 1:]", {"x": "f32[2,3,4]"}, "f32[2,3,3]"),
    ("x[1:, 0]", {"x": "np.f64[3,4]"}, "np.f64[2]"),
    ("x[7:9]", {"x": "np.f64[5]"}, "np.f64[0]"),
    ("x[:, 2:] ", {"x": "np.i64[2,3]"}, "np.i64[2,1]"),
    # None / tf.newaxis / np.newaxis and Ellipsis
    ("x[None]", {"x": "f32[3,4]"}, "f32[1,3,4]"),
    ("x[tf.newaxis]", {"x": "f32[3,4]"}, "f32[1,3,4]"),
    ("x[:, tf.newaxis]", {"x": "f32[3,4]"}, "f32[3,1,4]"),
    ("x[:, :, None]", {"x": "f32[3,4]"}, "f32[3,4,1]"),
    ("x[None, :, None, 0]", {"x": "f32[3,4]"}, "f32[1,3,1]"),
    ("x[np.newaxis, 1]", {"x": "np.f64[3,4]"}, "np.f64[1,4]"),
    ("x[...]", {"x": "f32[3,4]"}, "f32[3,4]"),
    ("x[..., 0]", {"x": "f32[2,3,4]"}, "f32[2,3]"),
    ("x[0, ...]", {"x": "f32[2,3,4]"}, "f32[3,4]"),
    ("x[..., None]", {"x": "f32[2,3]"}, "f32[2,3,1]"),
    ("x[..., None, 1]", {"x": "f32[3,4]"}, "f32[3,1]"),
    ("x[1, ..., 1:]", {"x": "f32[2,3,4]"}, "f32[3,3]"),
    ("x[..., 5]", {"x": "f32[2,3,4]"}, "SL108"),
    ("x[..., :2]", {"x": "np.f64[2,3,4]"}, "np.f64[2,3,2]"),
    ("tf.shape(x)[-1]", {"x": "f32[2,3]"}, "i32[]"),
    # tf.slice
    ("tf.slice(x, [1, 0], [2, 3])", {"x": "f32[3,4]"}, "f32[2,3]"),
    ("tf.slice(x, [1, 1], [-1, -1])", {"x": "f32[3,4]"}, "f32[2,3]"),
    ("tf.slice(x, [0, 2], [1, -1])", {"x": "i32[3,4]"}, "i32[1,2]"),
    ("tf.slice(x, [1, 0], [3, 2])", {"x": "f32[3,4]"}, "SL108"),
    ("tf.slice(x, [4, 0], [-1, 2])", {"x": "f32[3,4]"}, "SL108"),
    # gather / np.take
    ("tf.gather(x, [0, 2])", {"x": "f32[3,4]"}, "f32[2,4]"),
    ("tf.gather(x, idx)", {"x": "f32[3,4]", "idx": "i32[5]"}, "f32[5,4]"),
    ("tf.gather(x, idx)", {"x": "f32[3,4]", "idx": "i32[2,2]"}, "f32[2,2,4]"),
    ("tf.gather(x, 1)", {"x": "f32[3,4]"}, "f32[4]"),
    ("tf.gather(x, [0, 1, 1], axis=1)", {"x": "f32[3,4]"}, "f32[3,3]"),
    ("tf.gather(x, idx, axis=-1)", {"x": "f32[3,4]", "idx": "i64[2,5]"}, "f32[3,2,5]"),
    ("tf.gather(x, idx, axis=1, batch_dims=1)", {"x": "f32[3,4,5]", "idx": "i32[3,2]"},
     "f32[3,2,5]"),
    ("tf.gather(x, idx, batch_dims=1)", {"x": "f32[3,4,5]", "idx": "i32[3,2]"}, "f32[3,2,5]"),
    ("tf.gather(x, idx, axis=2, batch_dims=-1)", {"x": "f32[3,4,5]", "idx": "i32[3,2]"},
     "f32[3,4,2]"),
    ("tf.gather(x, [0], 1)", {"x": "f32[3,4]"}, "f32[1,4]"),  # 3rd arg: validate_indices
    ("tf.gather(x, [0, 5])", {"x": "f32[3,4]"}, "SL108"),
    ("tf.gather(x, tf.fill([2], 3))", {"x": "f32[3,4]"}, "SL108"),
    ("tf.gather(t, tf.concat([ids, tf.fill((3, 1), 20)], axis=1))",
     {"t": "var.f32[20,8]", "ids": "tf.constant([[1, 2], [3, 4], [5, 6]])"}, "SL108"),
    ("tf.gather(t, tf.concat([ids, tf.fill((3, 1), 19)], axis=1))",
     {"t": "var.f32[20,8]", "ids": "tf.constant([[1, 2], [3, 4], [5, 6]])"}, "f32[3,3,8]"),
    ("tf.gather(x, [0, 1], axis=2)", {"x": "f32[3,4]"}, "SL105"),
    ("np.take(x, [0, 2], axis=0)", {"x": "np.f64[3,4]"}, "np.f64[2,4]"),
    ("np.take(x, [[0, 1]], axis=1)", {"x": "np.f64[3,4]"}, "np.f64[3,1,2]"),
    ("np.take(x, [0, 5])", {"x": "np.f64[3,4]"}, "np.f64[2]"),
    ("np.take(x, [[0, 5]])", {"x": "np.f64[3,4]"}, "np.f64[1,2]"),
    # gather_nd
    ("tf.gather_nd(x, [[0, 1], [2, 3]])", {"x": "f32[3,4]"}, "f32[2]"),
    ("tf.gather_nd(x, [[0], [2]])", {"x": "f32[3,4]"}, "f32[2,4]"),
    ("tf.gather_nd(x, idx)", {"x": "f32[3,4,5]", "idx": "i32[6,2]"}, "f32[6,5]"),
    ("tf.gather_nd(x, idx)", {"x": "f32[3,4,5]", "idx": "i32[2,2,3]"}, "f32[2,2]"),
    ("tf.gather_nd(x, [[0, 1, 2]])", {"x": "f32[3,4]"}, "SL108"),
    # boolean_mask
    ("tf.boolean_mask(x, m)", {"x": "f32[3,4]", "m": "bool[3]"}, "f32[?,4]"),
    ("tf.boolean_mask(x, m)", {"x": "f32[3,4]", "m": "bool[3,4]"}, "f32[?]"),
    ("tf.boolean_mask(x, m, axis=1)", {"x": "f32[2,3,4]", "m": "bool[3]"}, "f32[2,?,4]"),
    ("tf.boolean_mask(x, [True, False, True])", {"x": "i32[3,2]"}, "i32[?,2]"),
    ("tf.boolean_mask(x, m)", {"x": "f32[3,4]", "m": "bool[4]"}, "SL113"),
    ("tf.boolean_mask(x, m, axis=1)", {"x": "f32[3,4]", "m": "bool[3]"}, "SL113"),
    # where
    ("tf.where(c, x, y)", {"c": "bool[3,4]", "x": "f32[3,4]", "y": "f32[3,4]"}, "f32[3,4]"),
    ("tf.where(c, x, y)", {"c": "bool[3,1]", "x": "f32[4]", "y": "f32[3,4]"}, "f32[3,4]"),
    ("tf.where(c, x, 0.0)", {"c": "bool[2]", "x": "f32[2]"}, "f32[2]"),
    ("tf.where(x > 0, x, tf.zeros_like(x))", {"x": "f64[2,3]"}, "f64[2,3]"),
    ("tf.where(c)", {"c": "bool[3,4]"}, "i64[?,2]"),
    # keras.ops.where(c) is NumPy's: a list of index vectors, one per axis (not tf.where's)
    ("keras.ops.where(c)[1]", {"c": "bool[3,4]"}, "i32[?]"),
    ("tnp.where(c)[0]", {"c": "bool[3,4]", "tnp": "tf.experimental.numpy"}, "i64[?]"),
    ("tf.where(c, x, y)", {"c": "bool[3,1]", "x": "f32[3,4]", "y": "f32[2,4]"}, "SL103"),
    ("np.where(c, x, y)", {"c": "np.bool[3,1]", "x": "np.f64[4]", "y": "np.f64[3,4]"},
     "np.f64[3,4]"),
    ("np.where(x > 0, x, 0.0)", {"x": "np.f64[2,3]"}, "np.f64[2,3]"),
    ("np.where(x > 0)[0]", {"x": "np.f64[2,3]"}, "np.i64[?]"),
    ("np.where(c, x, y)", {"c": "np.bool[3]", "x": "np.f64[4]", "y": "np.f64[4]"}, "SL103"),
    # keras.ops (TensorFlow backend)
    ("keras.ops.take(x, [0, 1], axis=1)", {"x": "f32[2,3]"}, "tf.f32[2,2]"),
    ("keras.ops.take(x, [0, 1])", {"x": "f32[2,3]"}, "tf.f32[2]"),
    ("keras.ops.where(x > 0, x, 0.0)", {"x": "f32[2,3]"}, "tf.f32[2,3]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_index(case: Any) -> None:
    check(case)
