"""Indexing and np.where's dtype (shapefns/tf_index.py, np_index.py): an int scalar of
unknown value removes an axis; NumPy advanced indexing with one integer or boolean array
among full slices; a TF tensor's boolean mask; the boolean index NumPy refuses (SL126).
TF 2.21 / NumPy shapes."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

CASES: list[Any] = [
    ("x[i]", {"x": "f32[3,2,4]", "i": "tf.constant(int(tf.zeros([]).numpy()))"}, "f32[2,4]"),
    ("x[tf.constant(1, tf.int64)]", {"x": "f32[4,3]"}, "f32[3]"),
    ("a[np.int64(1)]", {"a": "np.f64[4,3]"}, "np.f64[3]"),
    ("np.eye(5)[np.array([1, 2])]", {}, "np.f64[2,5]"),
    ("a[np.array([1, 2, 3, 1, 0])]", {"a": "np.f64[4,3]"}, "np.f64[5,3]"),
    ("a[[0, 1]]", {"a": "np.f64[4,3]"}, "np.f64[2,3]"),
    ("a[:, [0, 2]]", {"a": "np.f64[4,3]"}, "np.f64[4,2]"),
    ("a[np.zeros([2, 2], int)]", {"a": "np.f64[4,3]"}, "np.f64[2,2,3]"),
    ("a[tf.constant([0, 1])]", {"a": "np.f64[4,3]"}, "np.f64[2,3]"),
    ("a[a[:, 0] > 0]", {"a": "np.f64[4,3]"}, "np.f64[?,3]"),
    ("a[a > 0]", {"a": "np.f64[4,3]"}, "np.f64[?]"),
    ("a[:, a[0] > 0]", {"a": "np.f64[4,3]"}, "np.f64[4,?]"),
    ("x[tf.constant([True, False, True, True])]", {"x": "f32[4,3]"}, "f32[?,3]"),
    ("x[:, None]", {"x": "np.f64[4,3]"}, "np.f64[4,1,3]"),
    ("x[..., np.newaxis]", {"x": "np.f64[4,3]"}, "np.f64[4,3,1]"),
    ("x[tf.constant([0, 1])]", {"x": "f32[4,3]"}, "?"),  # TypeError in TF: no shape
    ("np.where(a > 0, a, 0)", {"a": "np.f64[4,3]"}, "np.f64[4,3]"),
    ("np.where(i > 0, i, 0)", {"i": "np.i32[4,3]"}, "np.i32[4,3]"),
    ("np.where(i > 0, i, 0.5)", {"i": "np.i32[4,3]"}, "np.f64[4,3]"),
    ("np.where(i > 0, i, np.int64(2))", {"i": "np.i32[4,3]"}, "np.i64[4,3]"),
    ("a[np.array([True, False, True])]", {"a": "np.f64[4,3]"}, "SL126"),
    ("a[:, np.array([True, False])]", {"a": "np.f64[4,3]"}, "SL126"),
    ("a[np.array([5])]", {"a": "np.f64[4,3]"}, "SL108"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_indexing(case: Any) -> None:
    check(case)
