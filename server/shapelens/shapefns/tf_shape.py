"""Shapes as values and conversions: tf.shape/size/rank, TensorShape, get_shape/as_list, cast
and astype, flatten/ravel, ``.numpy()``."""

from __future__ import annotations

from ..domain.shapes import (
    DYNAMIC,
    Count,
    Dim,
    static_only,
)
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ..structs import replace
from ._common import (
    Call,
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
