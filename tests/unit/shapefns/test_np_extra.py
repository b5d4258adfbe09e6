"""NumPy bit/set/statistics helpers and tf.unique / tf.linalg.svd (shapefns/np_extra.py);
every expectation is NumPy's / TF 2.21's."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

A = {"a": "np.f64[4,3]"}
I32 = {"i": "np.i32[4,3]"}
CASES: list[Any] = [
    ("np.left_shift(i, 2)", I32, "np.i32[4,3]"),
    ("np.bitwise_and(i, i[0])", I32, "np.i32[4,3]"),
    ("np.isin(a, [1, 2])", A, "np.bool[4,3]"),
    ("np.average(a)", A, "np.f64[]"),
    ("np.average(a, axis=0)", A, "np.f64[3]"),
    ("np.average(i, axis=1)", I32, "np.f64[4]"),
    ("np.average(a, axis=0, weights=np.ones(4))", A, "np.f64[3]"),
    ("np.percentile(a, 50)", A, "np.f64[]"),
    ("np.percentile(a, [10, 90], axis=0)", A, "np.f64[2,3]"),
    ("np.quantile(a, 0.5, axis=1, keepdims=True)", A, "np.f64[4,1]"),
    ("np.nanpercentile(i, 5, axis=0)", I32, "np.f64[3]"),
    ("np.percentile(a, np.array([[1, 2], [3, 4]]), axis=0)", A, "np.f64[2,2,3]"),
    ("np.append(a, a)", A, "np.f64[24]"),
    ("np.append(a, a, axis=0)", A, "np.f64[8,3]"),
    ("np.append(i, np.ones(5))", I32, "np.f64[17]"),
    ("np.diff(a)", A, "np.f64[4,2]"),
    ("np.diff(a, n=2, axis=0)", A, "np.f64[2,3]"),
    ("np.ptp(a, axis=0)", A, "np.f64[3]"),
    ("np.ptp(i)", I32, "np.i32[]"),
    ("np.diagflat(v)", {"v": "np.f64[5]"}, "np.f64[5,5]"),
    ("np.diagflat(a)", A, "np.f64[12,12]"),
    ("np.diagflat(v, k=-2)", {"v": "np.f64[5]"}, "np.f64[7,7]"),
    ("np.hsplit(a, 3)[0]", A, "np.f64[4,1]"),
    ("np.hsplit(v, [1, 3])[2]", {"v": "np.f64[5]"}, "np.f64[2]"),
    ("np.vsplit(a, 2)[1]", A, "np.f64[2,3]"),
    ("np.correlate(v, w)", {"v": "np.f64[5]", "w": "np.f64[3]"}, "np.f64[3]"),
    ("np.correlate(v, w, 'same')", {"v": "np.f64[5]", "w": "np.f64[3]"}, "np.f64[5]"),
    ("np.correlate(v, w, 'full')", {"v": "np.f64[5]", "w": "np.f64[3]"}, "np.f64[7]"),
    ("np.correlate(w, v)", {"v": "np.f64[5]", "w": "np.f64[3]"}, "np.f64[3]"),
    ("np.diagonal(b)", {"b": "np.f64[2,3,4]"}, "np.f64[4,2]"),
    ("np.diagonal(b, 1, 1, 2)", {"b": "np.f64[2,3,4]"}, "np.f64[2,3]"),
    ("np.diagonal(c, -1)", {"c": "np.f64[4,6]"}, "np.f64[3]"),
    ("np.diagonal(c, 10)", {"c": "np.f64[4,6]"}, "np.f64[0]"),
    ("np.cross(p, q)", {"p": "np.f64[4,3]", "q": "np.f64[3]"}, "np.f64[4,3]"),
    ("np.cross(p, q)", {"p": "np.f64[5,1,3]", "q": "np.f64[4,2]"}, "np.f64[5,4,3]"),
    ("tf.unique(x)[0]", {"x": "i32[3]"}, "i32[?]"),
    ("tf.unique(x)[1]", {"x": "i32[3]"}, "i32[3]"),
    ("tf.linalg.svd(x, compute_uv=False)", {"x": "f32[2,5,3]"}, "f32[2,3]"),
    ("tf.linalg.svd(x)[1]", {"x": "f32[2,5,3]"}, "f32[2,5,3]"),
    ("tf.linalg.svd(x)[2]", {"x": "f32[2,5,3]"}, "f32[2,3,3]"),
    ("tf.linalg.svd(x, full_matrices=True)[1]", {"x": "f32[5,3]"}, "f32[5,5]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_np_extra(case: Any) -> None:
    check(case)
