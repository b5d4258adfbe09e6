"""Shapes as values and conversions: tf.shape/size/rank, TensorShape, get_shape/as_list, cast
and astype, flatten/ravel, ``.numpy()``."""

from __future__ import annotations

from ..domain.shapes import (
    DYNAMIC,
    Count,
    Dim,
    broadcast,
    format_list,
    static_only,
)
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ..structs import replace
from ._common import (
    Call,
    ShapeError,
    to_dtype,
    to_static_dims,
)
from .registry import op


@op("tf.shape", "keras.ops.shape")
def shape_op(call: Call) -> Value:
    t = call.tensor(0, "input")
    out_type = call.dtype_arg(1, "out_type", "int32")
    if call.name == "keras.ops.shape":
        return UNKNOWN if t is None or t.shape is None else Seq(
            tuple(_dim_value(d) for d in t.shape), "tuple")
    if t is None or t.shape is None:
        return call.result((None,), out_type, call.name)
    return call.result((len(t.shape),), out_type, call.name, content=static_only(t.shape))


def _dim_value(d: Dim) -> Value:
    from ..domain.values import SymDim

    if isinstance(d, int):
        return Const(d)
    if isinstance(d, str):
        return SymDim(d)
    return Const(None) if d is DYNAMIC else UNKNOWN


@op("tf.size", "tf.rank", "np.size", "np.ndim")
def size_rank(call: Call) -> Value:
    t = call.tensor(0, "input" if not call.numpy else "a")
    if call.name in ("tf.rank", "np.ndim"):
        value: Dim = None if t is None or t.shape is None else len(t.shape)
    else:
        c = Count.of(t.shape) if t is not None and t.shape is not None else None
        value = c.coef if c is not None and c.is_int else None
    if call.numpy:
        return Const(value) if value is not None else UNKNOWN
    return call.result((), "int32", call.name, content=(value,) if value is not None else None)


@op("tf.cast", "tf.dtypes.cast", "tf.saturate_cast", "keras.ops.cast")
def cast(call: Call) -> Value:
    t = call.tensor(0, "x")
    dtype = to_dtype(call.arg(1, "dtype"))
    if t is None:
        return UNKNOWN
    return Tensor(t.shape, dtype, "tensor",
                  t.content if dtype and dtype.startswith("int") else None, origin=call.name)


@op("ndarray.astype")
def astype(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    return replace(t, dtype=to_dtype(call.arg(1, "dtype")), kind="ndarray", origin="astype")


@op("ndarray.flatten", "ndarray.ravel", "np.ravel")
def flatten(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    count = Count.of(t.shape) if t.shape is not None else None
    size: Dim = count.coef if count is not None and count.is_int else None
    return Tensor((size,), t.dtype, "ndarray", origin=call.name)


@op("Tensor.numpy", "np.asnumpy")
def to_numpy(call: Call) -> Value:
    """An array of the tensor's shape; a scalar string tensor gives Python ``bytes`` (which
    slicing and ``len`` accept), so one that may be a string is unknown."""
    t = call.tensor(0, None)
    if t is None or (t.shape == () and t.dtype in (None, "string")):
        return UNKNOWN
    return replace(t, kind="ndarray", origin="numpy()")


@op("Tensor.get_shape")
def get_shape(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None or t.shape is None:
        return UNKNOWN
    return Seq(tuple(_dim_value(d) for d in t.shape), "shape")


@op("TensorShape.as_list")
def as_list(call: Call) -> Value:
    s = call.arg(0, None)
    return Seq(s.items, "list") if isinstance(s, Seq) else UNKNOWN


@op("tf.TensorShape")
def tensor_shape(call: Call) -> Value:
    dims = to_static_dims(call.arg(0, "dims"))
    return UNKNOWN if dims is None else Seq(tuple(_dim_value(d) for d in dims), "shape")


# ------------------------------------------------ TensorShape methods, static/dynamic broadcast
def _shape_dims(v: Value) -> tuple[Dim, ...] | None:
    """The dims of a ``TensorShape`` value (a literal ``None`` dim is ``DYNAMIC``), or of
    a list/tuple given where TF converts one with ``as_shape``; None for an unknown rank
    (``TensorShape(None)``, an unreadable value)."""
    if isinstance(v, Const) and v.value is None:
        return None
    return to_static_dims(v) if isinstance(v, Seq) else None


def _pair_compatible(a: Dim, b: Dim) -> bool | None:
    """TF's ``Dimension.is_compatible_with``: a ``None`` (``DYNAMIC``) is compatible with
    anything, two sizes when equal; None when the engine does not know a dim."""
    if a is DYNAMIC or b is DYNAMIC:
        return True
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return None


def _compatible(have: tuple[Dim, ...], other: tuple[Dim, ...]) -> bool | None:
    if len(have) != len(other):
        return False
    pairs = [_pair_compatible(a, b) for a, b in zip(have, other)]
    if False in pairs:
        return False
    return True if all(pairs) else None


@op("TensorShape.is_compatible_with")
def is_compatible_with(call: Call) -> Value:
    """A Python bool: same rank and every pair of dims equal or ``None``."""
    have, other = _shape_dims(call.arg(0, None)), _shape_dims(call.arg(1, "other"))
    if have is None or other is None:
        return UNKNOWN
    answer = _compatible(have, other)
    return UNKNOWN if answer is None else Const(answer)


@op("TensorShape.is_fully_defined")
def is_fully_defined(call: Call) -> Value:
    """True when every dim is a known size, False when one is ``None``."""
    have = _shape_dims(call.arg(0, None))
    if have is None or len(call.args) > 1 or call.kwargs:
        return UNKNOWN
    if any(d is DYNAMIC for d in have):
        return Const(False)
    return Const(True) if all(isinstance(d, int) for d in have) else UNKNOWN


def _merged(a: Dim, b: Dim) -> Dim:
    """One dim of ``merge_with`` (the two are compatible, or TF raised): a size wins over
    ``None``; ``None`` with an unknown dim is unknown."""
    if isinstance(a, int) or isinstance(b, int):
        return a if isinstance(a, int) else b
    if a is DYNAMIC and b is DYNAMIC:
        return DYNAMIC
    return a if isinstance(a, str) and a == b else None


@op("TensorShape.merge_with")
def merge_with(call: Call) -> Value:
    """The shape with each dim the more precise of the two; incompatible shapes are TF's
    ValueError (unknown: no rule of ours names its message)."""
    have, other = _shape_dims(call.arg(0, None)), _shape_dims(call.arg(1, "other"))
    if have is None or other is None or _compatible(have, other) is False:
        return UNKNOWN
    return Seq(tuple(_dim_value(_merged(a, b)) for a, b in zip(have, other)), "shape")


@op("tf.broadcast_static_shape")
def broadcast_static_shape(call: Call) -> Value:
    """The broadcast of two ``TensorShape``s (a ``None`` dim against a size is that size);
    shapes that do not broadcast are TF's ValueError (unknown here)."""
    x, y = call.arg(0, "shape_x"), call.arg(1, "shape_y")
    if not all(isinstance(v, Seq) and v.kind == "shape" for v in (x, y)):
        return UNKNOWN  # a list is TF's AttributeError
    dx, dy = _shape_dims(x), _shape_dims(y)
    shape, ok = broadcast(dx, dy)
    if not ok or shape is None:
        return UNKNOWN
    return Seq(tuple(_dim_value(d) for d in shape), "shape")


@op("tf.broadcast_dynamic_shape")
def broadcast_dynamic_shape(call: Call) -> Value:
    """A 1-D int tensor as long as the longer shape, holding the broadcast dims when both
    shapes' contents are known; known sizes that do not broadcast are TF's "Incompatible
    shapes" (SL103, when the op runs)."""
    x, y = call.tensor(0, "shape_x"), call.tensor(1, "shape_y")
    if x is None or y is None or x.shape is None or y.shape is None or \
            len(x.shape) != 1 or len(y.shape) != 1 or x.dtype != y.dtype or \
            x.dtype not in ("int32", "int64"):
        return UNKNOWN
    nx, ny = x.shape[0], y.shape[0]
    length: Dim = max(nx, ny) if isinstance(nx, int) and isinstance(ny, int) else None
    content = None
    if x.content is not None and y.content is not None:
        dims, ok = broadcast(static_only(x.content), static_only(y.content))
        if not ok:
            raise ShapeError("SL103", f"tf.broadcast_dynamic_shape: Incompatible shapes: "
                             f"{format_list(x.content)} vs. {format_list(y.content)}",
                             runtime=True)
        content = dims
    return call.result((length,), x.dtype, call.name, content=content)


# Python bools, not tensors (``bench/coverage_engine.py`` counts them as known values).
NON_TENSOR_NAMES = frozenset({"TensorShape.is_compatible_with", "TensorShape.is_fully_defined"})
