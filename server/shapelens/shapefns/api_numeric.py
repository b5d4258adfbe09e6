"""A third batch of tensor-valued APIs used three times or more in the ecosystem's programs
(``bench/coverage.py``): a variable's ``read_value()``, ``ndarray.dot``, TensorShape's
``with_rank``/``with_rank_at_least``, the unsorted segment reductions, ``tf.linalg.qr``/
``diag``, ``tf.reverse_sequence``, ``tf.bitwise``, ``tf.dtypes.complex``,
``tf.debugging.check_numerics``, ``tf.io.decode_csv``, ``tf.nn.convolution`` on images, and
NumPy's ``trapezoid``, ``unravel_index``, ``column_stack`` and ``fromfile``.

Checked one by one under TF 2.21 / NumPy 2.4 (and by the random-program oracle's probe
templates); a call that would raise stays unknown: no finding comes from here.
"""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast, normalize_axis
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, to_dims, to_int, to_tensor
from .registry import lookup, op

_COMPLEX = {"float32": "complex64", "float64": "complex128"}
_INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


@op("Tensor.read_value", "Tensor.value")
def read_value(call: Call) -> Value:
    """A variable's current value: a tensor of its shape and dtype (a plain tensor has no
    such method: unknown)."""
    v = call.arg(0, None)
    if not isinstance(v, Tensor) or v.kind != "variable":
        return UNKNOWN
    return Tensor(v.shape, v.dtype, "tensor", origin=call.name.replace("Tensor", "Variable"))


@op("ndarray.dot")
def array_dot(call: Call) -> Value:
    """``a.dot(b)`` is ``np.dot(a, b)``."""
    fn = lookup("np.dot")
    if fn is None:
        return UNKNOWN
    try:
        return fn(Call("np.dot", [call.arg(0, None), call.arg(1, "b")], {}, True, call.promote))
    except Exception:  # np.dot's own error, not claimed under this spelling
        return UNKNOWN


@op("TensorShape.with_rank_at_least", "TensorShape.with_rank")
def with_rank(call: Call) -> Value:
    """The shape itself when its rank fits (else TF raises ValueError: unknown here)."""
    shape, rank = call.arg(0, None), to_int(call.arg(1, "rank"))
    if not isinstance(shape, Seq) or shape.kind != "shape" or rank is None:
        return UNKNOWN
    fits = len(shape.items) >= rank if call.name.endswith("at_least") else \
        len(shape.items) == rank
    return shape if fits else UNKNOWN


_SEGMENTS = ("sum", "max", "min", "mean", "prod", "sqrt_n")


@op(*(f"tf.math.unsorted_segment_{n}" for n in _SEGMENTS),
    *(f"tf.unsorted_segment_{n}" for n in ("sum", "max", "min", "mean", "prod", "sqrt_n")))
def unsorted_segment(call: Call) -> Value:
    """``[num_segments] + data.shape[segment_ids.rank:]`` where the ids' shape is a prefix of
    the data's."""
    data, ids = call.tensor(0, "data"), call.tensor(1, "segment_ids")
    n = to_int(call.arg(2, "num_segments"))
    if data is None or ids is None or data.shape is None or ids.shape is None or n is None or \
            ids.dtype not in ("int32", "int64") or len(ids.shape) > len(data.shape) or \
            any(a != b or not isinstance(a, int) for a, b in zip(ids.shape, data.shape)):
        return UNKNOWN
    return call.result((n, *data.shape[len(ids.shape):]), data.dtype, call.name)


@op("tf.linalg.qr")
def qr(call: Call) -> Value:
    """``(q [..., M, K], r [..., K, N])``, ``K = min(M, N)`` (``full_matrices``: ``K = M``)."""
    t = call.tensor(0, "input")
    full = call.arg(1, "full_matrices", Const(False))
    if t is None or t.shape is None or len(t.shape) < 2 or not isinstance(full, Const) or \
            not isinstance(full.value, bool) or t.dtype not in ("float32", "float64"):
        return UNKNOWN
    *batch, m, n = t.shape
    if not isinstance(m, int) or not isinstance(n, int):
        return UNKNOWN
    k = m if full.value else min(m, n)
    return Seq((call.result((*batch, m, k), t.dtype, call.name),
                call.result((*batch, k, n), t.dtype, call.name)), "tuple")


@op("tf.linalg.diag")
def linalg_diag(call: Call) -> Value:
    """``diagonal [..., N]`` → ``[..., N, N]`` (the main diagonal only)."""
    t = call.tensor(0, "diagonal")
    if t is None or not t.shape or len(call.args) + len(call.kwargs) > 1:
        return UNKNOWN
    return call.result((*t.shape, t.shape[-1]), t.dtype, call.name)


@op("tf.reverse_sequence", "tf.debugging.check_numerics")
def same_as_input(call: Call) -> Value:
    """The input's shape and dtype (``reverse_sequence`` when ``seq_lengths`` has one entry
    per batch row)."""
    t = call.tensor(0, "input" if call.name == "tf.reverse_sequence" else "tensor")
    if t is None or t.shape is None:
        return UNKNOWN
    if call.name == "tf.reverse_sequence":
        lengths = call.tensor(1, "seq_lengths")
        batch = to_int(call.arg(3, "batch_axis", Const(0)))
        seq = to_int(call.arg(2, "seq_axis"))
        b = normalize_axis(batch, len(t.shape)) if batch is not None else None
        if lengths is None or lengths.shape is None or len(lengths.shape) != 1 or \
                b is None or seq is None or normalize_axis(seq, len(t.shape)) in (None, b) or \
                lengths.shape[0] != t.shape[b] or not isinstance(t.shape[b], int):
            return UNKNOWN
    elif t.dtype not in ("float16", "bfloat16", "float32", "float64"):
        return UNKNOWN
    return call.result(t.shape, t.dtype, call.name)


@op("tf.bitwise.bitwise_and", "tf.bitwise.bitwise_or", "tf.bitwise.bitwise_xor")
def bitwise(call: Call) -> Value:
    a, b = call.tensor(0, "x"), call.tensor(1, "y")
    if a is None or b is None or a.dtype != b.dtype or a.dtype not in _INTS:
        return UNKNOWN
    shape, ok = broadcast(a.shape, b.shape)
    return call.result(shape, a.dtype, call.name) if ok and shape is not None else UNKNOWN


@op("tf.dtypes.complex", "tf.complex")
def make_complex(call: Call) -> Value:
    real, imag = call.tensor(0, "real"), call.tensor(1, "imag")
    if real is None or imag is None or real.dtype != imag.dtype or real.dtype not in _COMPLEX:
        return UNKNOWN
    shape, ok = broadcast(real.shape, imag.shape)
    if not ok or shape is None:
        return UNKNOWN
    return call.result(shape, _COMPLEX[real.dtype], call.name)  # type: ignore[index]


_CSV_DTYPES = {int: "int32", float: "float32", str: "string"}


@op("tf.io.decode_csv")
def decode_csv(call: Call) -> Value:
    """One tensor per column, each of the records' shape, typed by its default (``[0.0]``:
    float32, ``[0]``: int32, ``[""]``: string)."""
    records, defaults = call.tensor(0, "records"), call.arg(1, "record_defaults")
    if records is None or records.shape is None or not isinstance(defaults, Seq) or \
            set(call.kwargs) - {"records", "record_defaults", "field_delim", "na_value"}:
        return UNKNOWN
    columns: list[Value] = []
    for default in defaults.items:
        value = default.items[0] if isinstance(default, Seq) and len(default.items) == 1 \
            else None
        if not isinstance(value, Const) or type(value.value) not in _CSV_DTYPES:
            return UNKNOWN
        columns.append(call.result(records.shape, _CSV_DTYPES[type(value.value)], call.name))
    return Seq(tuple(columns), "list")


@op("tf.nn.convolution")
def convolution(call: Call) -> Value:
    """On a 4-D input it is ``tf.nn.conv2d`` (strides 1 and VALID padding by default)."""
    x = call.tensor(0, "input")
    if x is None or x.shape is None or len(x.shape) != 4 or call.has(5, "dilations"):
        return UNKNOWN
    fn = lookup("tf.nn.conv2d")
    strides = call.arg(2, "strides", Const(1))
    kwargs = {"filters": call.arg(1, "filters"), "strides": strides,
              "padding": call.arg(3, "padding", Const("VALID"))}
    if call.has(4, "data_format"):
        kwargs["data_format"] = call.arg(4, "data_format")
    try:
        return UNKNOWN if fn is None else fn(Call("tf.nn.conv2d", [x], kwargs))
    except Exception:  # conv2d's own error message: not claimed under this name
        return UNKNOWN


# ---------------------------------------------------------------- NumPy
def _array(call: Call, pos: int, name: str) -> Tensor | None:
    t = to_tensor(call.arg(pos, name), numpy=True)
    return None if t is None or t.shape is None else t


@op("np.trapezoid")
def trapezoid(call: Call) -> Value:
    """The integral along ``axis`` (default -1): that axis removed, float64 for float64 and
    integer input."""
    y = _array(call, 0, "y")
    axis = to_int(call.arg(3, "axis", Const(-1)))
    if y is None or y.shape is None or not y.shape or axis is None or call.has(1, "x"):
        return UNKNOWN
    ax = normalize_axis(axis, len(y.shape))
    if ax is None or y.dtype not in ("float64", "int32", "int64"):
        return UNKNOWN
    return call.result(y.shape[:ax] + y.shape[ax + 1:], "float64", call.name)


@op("np.unravel_index")
def unravel_index(call: Call) -> Value:
    """One int64 array per dimension of ``shape``, each of the indices' shape."""
    idx, dims = _array(call, 0, "indices"), to_dims(call.arg(1, "shape"))
    if idx is None or dims is None or idx.dtype not in ("int32", "int64") or not dims:
        return UNKNOWN
    return Seq(tuple(call.result(idx.shape, "int64", call.name) for _ in dims), "tuple")


@op("np.column_stack")
def column_stack(call: Call) -> Value:
    """Vectors of one length ``n`` become the columns of ``[n, k]``; matrices are stacked
    along their columns."""
    seq = call.arg(0, "tup")
    if not isinstance(seq, Seq) or not seq.items:
        return UNKNOWN
    parts = [to_tensor(v, numpy=True) for v in seq.items]
    if any(p is None or p.shape is None or len(p.shape) not in (1, 2) for p in parts):
        return UNKNOWN
    rows = {p.shape[0] for p in parts}  # type: ignore[union-attr,index]
    if len(rows) != 1 or not isinstance(next(iter(rows)), int):
        return UNKNOWN
    cols: list[Dim] = [1 if len(p.shape) == 1 else p.shape[1] for p in parts]  # type: ignore
    total = sum(c for c in cols if isinstance(c, int)) if all(isinstance(c, int)
                                                               for c in cols) else None
    dtypes = {p.dtype for p in parts}  # type: ignore[union-attr]
    return call.result((next(iter(rows)), total), dtypes.pop() if len(dtypes) == 1 else None,
                       call.name)


@op("np.fromfile")
def fromfile(call: Call) -> Value:
    """A vector of what the file holds (its length is the file's), ``dtype`` default
    float64."""
    if call.has(2, "count") or call.has(3, "sep"):
        return UNKNOWN
    return call.result((None,), call.dtype_arg(1, "dtype", "float64"), call.name)


@op(*(f"tf.math.segment_{n}" for n in ("sum", "max", "min", "mean", "prod")))
def sorted_segment(call: Call) -> Value:
    """``[segments] + data.shape[1:]``: one row per segment id up to the largest, a value
    (``None``); the ids are one per row of ``data``."""
    data, ids = call.tensor(0, "data"), call.tensor(1, "segment_ids")
    if data is None or ids is None or not data.shape or ids.shape is None or \
            len(ids.shape) != 1 or ids.dtype not in ("int32", "int64") or \
            (isinstance(ids.shape[0], int) and isinstance(data.shape[0], int) and
             ids.shape[0] != data.shape[0]):
        return UNKNOWN
    return call.result((None, *data.shape[1:]), data.dtype, call.name)
