"""NumPy calls the pinned programs make often (``bench/coverage.py``): bit shifts and bitwise
ops, ``isin``, ``average``, percentiles and quantiles, ``append``, ``diff``, ``ptp``,
``diagflat``, ``hsplit``/``vsplit``, ``correlate``, ``diagonal`` and ``cross``; and
two TF ops with several outputs, ``tf.unique`` and ``tf.linalg.svd``.

Each is phrased through an existing rule where NumPy says it is the same (a shift broadcasts
like ``np.add``; ``average`` and ``ptp`` reduce like ``mean`` and ``max``); every shape was
checked against NumPy / TF 2.21.
"""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast, normalize_axis, num_elements
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import (
    Call,
    ShapeError,
    np_promote,
    shape_text,
    to_dims,
    to_int,
    to_tensor,
)
from .registry import delegate, op

_BITWISE = ("left_shift", "right_shift", "bitwise_and", "bitwise_or", "bitwise_xor")


def _promoted(call: Call, a: Tensor, b: Tensor) -> str | None:
    """The dtype ``np.add`` gives for these dtypes (on scalars: no shape is judged)."""
    out = delegate(call, "np.add", [Tensor((), a.dtype, a.kind), Tensor((), b.dtype, b.kind)], {})
    return out.dtype if isinstance(out, Tensor) else None


@op(*(f"np.{n}" for n in _BITWISE))
def bitwise(call: Call) -> Value:
    """Elementwise on integers, broadcast and promoted as ``np.add`` does."""
    if call.kwargs:
        return UNKNOWN
    return delegate(call, "np.add", list(call.args[:2]), {})


@op("np.isin")
def isin(call: Call) -> Value:
    """One bool per element of ``element``."""
    t = call.tensor(0, "element")
    if t is None:
        return UNKNOWN
    return call.result(t.shape, "bool", call.name)


@op("np.average", "np.ptp")
def average(call: Call) -> Value:
    """``average(a, axis, weights)`` reduces as ``mean``; ``ptp(a, axis)`` as ``max``."""
    if call.kwargs.keys() - {"axis", "weights", "keepdims", "a"} or len(call.args) > 3:
        return UNKNOWN
    axis = call.arg(1, "axis", Const(None))
    kwargs: dict[str, Value] = {"axis": axis}
    if call.has(None, "keepdims"):
        kwargs["keepdims"] = call.kwargs["keepdims"]
    name = "np.mean" if call.name == "np.average" else "np.max"
    return delegate(call, name, [call.arg(0, "a")], kwargs)


@op("np.percentile", "np.quantile", "np.nanpercentile", "np.nanquantile")
def percentile(call: Call) -> Value:
    """``percentile(a, q, axis=None, keepdims=False)``: ``q``'s shape, then ``a`` reduced."""
    if call.kwargs.keys() - {"axis", "keepdims", "a", "q"} or len(call.args) > 3:
        return UNKNOWN
    q = to_tensor(call.arg(1, "q"), numpy=True)
    kwargs: dict[str, Value] = {"axis": call.arg(2, "axis", Const(None))}
    if call.has(None, "keepdims"):
        kwargs["keepdims"] = call.kwargs["keepdims"]
    reduced = delegate(call, "np.mean", [call.arg(0, "a")], kwargs)
    if q is None or q.shape is None or not isinstance(reduced, Tensor) or reduced.shape is None:
        return UNKNOWN
    return call.result((*q.shape, *reduced.shape), "float64", call.name)


@op("np.append")
def append(call: Call) -> Value:
    """Without ``axis`` both are flattened and joined; with one, a concatenation."""
    arr, values = call.tensor(0, "arr"), call.tensor(1, "values")
    if arr is None or values is None:
        return UNKNOWN
    axis = call.arg(2, "axis")
    if call.has(2, "axis") and not (isinstance(axis, Const) and axis.value is None):
        return delegate(call, "np.concatenate", [Seq((call.arg(0, "arr"), call.arg(1, "values")),
                                                "list")], {"axis": axis})
    a, b = (num_elements(t.shape) if t.shape is not None else None for t in (arr, values))
    size: Dim = a + b if isinstance(a, int) and isinstance(b, int) else None
    return call.result((size,), _promoted(call, arr, values), call.name)


@op("np.diff")
def diff(call: Call) -> Value:
    """``diff(a, n=1, axis=-1)``: ``n`` fewer elements along ``axis`` (none below zero)."""
    t = call.tensor(0, "a")
    n = to_int(call.arg(1, "n", Const(1)))
    axis = to_int(call.arg(2, "axis", Const(-1)))
    if t is None or t.shape is None or n is None or axis is None or n < 0 or \
            not -len(t.shape) <= axis < len(t.shape) or call.kwargs.keys() - {"n", "axis"}:
        return UNKNOWN
    axis %= len(t.shape)
    d = t.shape[axis]
    new: Dim = max(0, d - n) if isinstance(d, int) else None
    dtype = t.dtype if t.dtype != "bool" else "bool"
    return call.result((*t.shape[:axis], new, *t.shape[axis + 1:]), dtype, call.name)


@op("np.diagflat")
def diagflat(call: Call) -> Value:
    """The flattened input on the ``k``-th diagonal of a square of side ``n + |k|``."""
    t = call.tensor(0, "v")
    k = to_int(call.arg(1, "k", Const(0)))
    if t is None or t.shape is None or k is None:
        return UNKNOWN
    n = num_elements(t.shape)
    side: Dim = n + abs(k) if isinstance(n, int) else None
    return call.result((side, side), t.dtype, call.name)


@op("np.hsplit", "np.vsplit")
def hvsplit(call: Call) -> Value:
    """``np.split`` along axis 1 (``hsplit`` of a vector: 0) or 0 (``vsplit``, 2-D up)."""
    t = call.tensor(0, "ary")
    if t is None or t.shape is None or call.kwargs or len(call.args) != 2:
        return UNKNOWN
    if call.name == "np.vsplit" and len(t.shape) < 2:
        return UNKNOWN  # (NumPy's ValueError: not modelled)
    axis = 1 if call.name == "np.hsplit" and len(t.shape) > 1 else 0
    return delegate(call, "np.split", list(call.args), {"axis": Const(axis)})


@op("np.correlate")
def correlate(call: Call) -> Value:
    """Two vectors of ``M`` and ``N``: ``mode='valid'`` (default) gives ``|M - N| + 1``,
    ``'same'`` ``max(M, N)``, ``'full'`` ``M + N - 1`` values."""
    a, v = call.tensor(0, "a"), call.tensor(1, "v")
    mode = call.arg(2, "mode", Const("valid"))
    if a is None or v is None or not isinstance(mode, Const) or \
            mode.value not in ("valid", "same", "full") or a.shape is None or \
            v.shape is None or len(a.shape) != 1 or len(v.shape) != 1:
        return UNKNOWN
    m, n = a.shape[0], v.shape[0]
    size: Dim = None
    if isinstance(m, int) and isinstance(n, int) and m > 0 and n > 0:
        size = {"valid": abs(m - n) + 1, "same": max(m, n), "full": m + n - 1}[mode.value]
    return call.result((size,), _promoted(call, a, v), call.name)


@op("np.diagonal")
def diagonal(call: Call) -> Value:
    """``diagonal(a, offset=0, axis1=0, axis2=1)``: the two axes leave, the diagonal's length
    becomes the last axis."""
    t = call.tensor(0, "a")
    offset, axis1, axis2 = (to_int(call.arg(i, n, Const(d))) for i, n, d in
                            ((1, "offset", 0), (2, "axis1", 0), (3, "axis2", 1)))
    if t is None or t.shape is None or offset is None or axis1 is None or axis2 is None or \
            len(t.shape) < 2:
        return UNKNOWN
    rank = len(t.shape)
    if not (-rank <= axis1 < rank and -rank <= axis2 < rank) or axis1 % rank == axis2 % rank:
        return UNKNOWN
    axis1, axis2 = axis1 % rank, axis2 % rank
    d1, d2 = t.shape[axis1], t.shape[axis2]
    k: Dim = None
    if isinstance(d1, int) and isinstance(d2, int):
        k = max(0, min(d1, d2 - offset) if offset >= 0 else min(d1 + offset, d2))
    rest = tuple(d for i, d in enumerate(t.shape) if i not in (axis1, axis2))
    return call.result((*rest, k), t.dtype, call.name)


@op("np.cross")
def cross(call: Call) -> Value:
    """Vectors of 3 (or 2) along the last axes, broadcast over the others: 3-vectors, or
    scalars when both are 2-vectors."""
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None or not a.shape or \
            not b.shape or call.kwargs or len(call.args) != 2:
        return UNKNOWN
    da, db = a.shape[-1], b.shape[-1]
    if da not in (2, 3) or db not in (2, 3):
        return UNKNOWN
    shape, ok = broadcast(a.shape[:-1], b.shape[:-1])
    if not ok or shape is None:
        return UNKNOWN
    out = shape if da == db == 2 else (*shape, 3)
    return call.result(out, _promoted(call, a, b), call.name)


@op("tf.unique")
def unique(call: Call) -> Value:
    """``(y, idx)``: the distinct values (how many is a value: ``None``) and one int32 index
    per input element."""
    t = call.tensor(0, "x")
    if t is None or t.shape is None or len(t.shape) != 1:
        return UNKNOWN
    out_idx = call.dtype_arg(1, "out_idx", "int32")
    return Seq((call.result((None,), t.dtype, call.name),
                call.result(t.shape, out_idx, call.name)), "tuple")


@op("tf.linalg.svd", "tf.svd")
def svd(call: Call) -> Value:
    """``s`` of ``min(m, n)`` values per matrix; with ``compute_uv`` (the default) also
    ``u`` (..., m, k) and ``v`` (..., n, k), ``k`` = ``min(m, n)``, or square ones with
    ``full_matrices=True``."""
    t = call.tensor(0, "tensor")
    full = call.flag(1, "full_matrices")
    uv = call.flag(2, "compute_uv", True)
    if t is None or t.shape is None or len(t.shape) < 2 or full is None or uv is None:
        return UNKNOWN
    *batch, m, n = t.shape
    k: Dim = min(m, n) if isinstance(m, int) and isinstance(n, int) else None
    s = call.result((*batch, k), t.dtype, call.name)
    if not uv:
        return s
    u = call.result((*batch, m, m if full else k), t.dtype, call.name)
    v = call.result((*batch, n, n if full else k), t.dtype, call.name)
    return Seq((s, u, v), "tuple")


# ------------------------------------------------ 2-site NumPy calls (bench/coverage.py)
@op("np.swapaxes")
def swapaxes(call: Call) -> Value:
    """The two axes trade places; an axis outside the rank is NumPy's AxisError (SL105)."""
    t = call.tensor(0, "a")
    axes = [to_int(call.arg(1, "axis1")), to_int(call.arg(2, "axis2"))]
    if t is None or t.shape is None or None in axes or t.kind == "keras":
        return UNKNOWN
    rank = len(t.shape)
    normal = [normalize_axis(a, rank) for a in axes if a is not None]
    for name, axis, norm in zip(("axis1", "axis2"), axes, normal):
        if norm is None:
            raise ShapeError("SL105", f"np.swapaxes: {name} {axis} is out of bounds for an "
                             f"array of dimension {rank} (shape {shape_text(t)})")
    i, j = (n for n in normal if n is not None)
    dims = list(t.shape)
    dims[i], dims[j] = dims[j], dims[i]
    return call.result(tuple(dims), t.dtype, call.name)


@op("np.vdot")
def vdot(call: Call) -> Value:
    """The dot product of the two arrays flattened (of one size): a scalar."""
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    na, nb = num_elements(a.shape), num_elements(b.shape)
    if isinstance(na, int) and isinstance(nb, int) and na != nb:
        return UNKNOWN  # NumPy's ValueError (no rule of its own)
    return call.result((), _promoted(call, a, b), call.name)


@op("np.kron")
def kron(call: Call) -> Value:
    """Both ranks raised to the larger with leading 1s; each dim is the product of the
    two. A Python number is an array here (``kron(float32, 2.0)`` is float64)."""
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    rank = max(len(a.shape), len(b.shape))
    pa = (1,) * (rank - len(a.shape)) + a.shape
    pb = (1,) * (rank - len(b.shape)) + b.shape
    dims: list[Dim] = [x * y if isinstance(x, int) and isinstance(y, int) else
                       (y if x == 1 else x if y == 1 else None) for x, y in zip(pa, pb)]
    dtype = np_promote(a.dtype, b.dtype)
    return call.result(tuple(dims), dtype, call.name)


@op("np.searchsorted")
def searchsorted(call: Call) -> Value:
    """One int64 insertion index per element of ``v``, into a 1-D sorted ``a``."""
    a, v = call.tensor(0, "a"), call.tensor(1, "v")
    if a is None or v is None or a.shape is None or len(a.shape) != 1:
        return UNKNOWN
    return call.result(v.shape, "int64", call.name)


def _variables(t: Tensor, rowvar: bool) -> tuple[Dim, Dim] | None:
    """``(variables, observations)`` of an input of ``np.corrcoef``: its rows after NumPy's
    ``ndmin=2`` (leading 1s), transposed without ``rowvar`` unless it is one row. None for
    more than 2 dims (NumPy's ValueError) or an unknown transpose."""
    if t.shape is None or len(t.shape) > 2:
        return None
    rows, cols = (1, 1, *t.shape)[-2:]
    if rowvar or rows == 1:
        return rows, cols
    return (cols, rows) if isinstance(rows, int) else None


@op("np.corrcoef")
def corrcoef(call: Call) -> Value:
    """``(R, R)`` float64 for ``R`` variables (``x``'s rows and ``y``'s), a scalar when
    ``R`` is 1; unknown when the number of variables or ``rowvar`` is, or NumPy refuses."""
    y_v = call.arg(1, "y", Const(None))
    no_y = isinstance(y_v, Const) and y_v.value is None
    tensors = [call.tensor(0, "x"), *(() if no_y else (to_tensor(y_v, True),))]
    rowvar = call.flag(2, "rowvar", True)
    if rowvar is None or call.kwargs.keys() - {"x", "y", "rowvar"} or len(call.args) > 3:
        return UNKNOWN
    parts = [_variables(t, rowvar) if t is not None else None for t in tensors]
    known = [p for p in parts if p is not None]
    if len(known) != len(parts) or not all(isinstance(v, int) for v, _ in known):
        return UNKNOWN
    observations = {n for _, n in known if isinstance(n, int)}
    if len(observations) > 1:
        return UNKNOWN  # NumPy's ValueError: the rows are of other lengths
    total = sum(v for v, _ in known if isinstance(v, int))
    complex_ = any((t.dtype or "").startswith("complex") for t in tensors if t is not None)
    dtype = "complex128" if complex_ else "float64"
    return call.result(() if total == 1 else (total, total), dtype, call.name)


@op("np.hamming", "np.hanning", "np.blackman", "np.bartlett", "np.kaiser")
def window(call: Call) -> Value:
    """``M`` float64 points (none for ``M < 1``)."""
    m = call.arg(0, "M")
    n = to_int(m)
    if n is None and isinstance(m, Const) and isinstance(m.value, float) and \
            m.value.is_integer():
        n = int(m.value)
    if n is None:
        return UNKNOWN
    return call.result((max(n, 0),), "float64", call.name)


@op("tf.unique_with_counts")
def unique_with_counts(call: Call) -> Value:
    """``(y, idx, count)``: the distinct values and their counts (how many is a value:
    ``None``), one ``out_idx`` index per input element."""
    t = call.tensor(0, "x")
    out_idx = call.dtype_arg(1, "out_idx", "int32")
    if t is None or t.shape is None or len(t.shape) != 1 or out_idx not in ("int32", "int64"):
        return UNKNOWN
    return Seq((call.result((None,), t.dtype, call.name),
                call.result(t.shape, out_idx, call.name),
                call.result((None,), out_idx, call.name)), "tuple")


@op("tf.raw_ops.UniqueV2", "tf.raw_ops.UniqueWithCountsV2")
def unique_v2(call: Call) -> Value:
    """Unique slices along ``axis`` (one): ``y`` with that axis' length a value (``None``),
    ``idx`` one per slice (``out_idx``, int32), and for ``WithCounts`` ``count``."""
    t, axes = call.tensor(None, "x"), to_dims(call.arg(None, "axis"))
    out_idx = call.dtype_arg(None, "out_idx", "int32")
    if t is None or t.shape is None or axes is None or len(axes) != 1 or call.args or \
            not isinstance(axes[0], int) or out_idx not in ("int32", "int64"):
        return UNKNOWN
    axis = normalize_axis(axes[0], len(t.shape))
    if axis is None:
        return UNKNOWN
    y = call.result((*t.shape[:axis], None, *t.shape[axis + 1:]), t.dtype, call.name)
    idx = call.result((t.shape[axis],), out_idx, call.name)
    if "Counts" not in call.name:
        return Seq((y, idx), "tuple")
    return Seq((y, idx, call.result((None,), out_idx, call.name)), "tuple")


@op("tf.math.bincount")
def bincount(call: Call) -> Value:
    """Counts per value up to the largest (a value: ``None``) unless ``minlength`` equals
    ``maxlength``; per row of a matrix with ``axis=-1``. Of ``weights``' dtype, else
    ``dtype`` (int32)."""
    t = call.tensor(0, "arr")
    weights = call.arg(1, "weights", Const(None))
    low, high = (to_int(call.arg(i, n, Const(None))) for i, n in ((2, "minlength"),
                                                                     (3, "maxlength")))
    axis = call.arg(6, "axis", Const(None))
    if t is None or t.shape is None or call.has(7, "binary_output"):
        return UNKNOWN
    w = None if isinstance(weights, Const) and weights.value is None else to_tensor(weights)
    dtype = w.dtype if w is not None else call.dtype_arg(4, "dtype", "int32")
    if w is None and not (isinstance(weights, Const) and weights.value is None):
        return UNKNOWN
    size: Dim = low if low is not None and low == high else None
    if isinstance(axis, Const) and axis.value is None:
        return call.result((size,), dtype, call.name)
    if to_int(axis) == -1 and len(t.shape) == 2:
        return call.result((t.shape[0], size), dtype, call.name)
    return UNKNOWN
