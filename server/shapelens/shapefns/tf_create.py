"""Tensor creation: constants, variables, filled tensors, ranges, random tensors, one_hot."""

from __future__ import annotations

import math

from ..domain.scalars import literal_scalar
from ..domain.shapes import Dim, broadcast, normalize_axis, num_elements
from ..domain.values import UNKNOWN, Const, SymDim, Tensor, Value
from ..structs import replace
from ._common import (
    Call,
    ShapeError,
    shape_text,
    to_dim,
    to_dims,
    to_int,
    to_tensor,
)
from .registry import op


def _cast_literal(t: Tensor, dtype: str | None, call: Call) -> Tensor:
    """The literal as a tensor of ``dtype`` (its own when none is given; unknown when the
    given one is not known); integer values are kept for later shape arguments."""
    kind = "ndarray" if call.numpy else "tensor"
    keep = dtype == t.dtype or (dtype is not None and dtype.startswith("int"))
    return Tensor(t.shape, dtype, kind, t.content if keep else None, origin=call.name,
                  scalar=_scalar(call, t, dtype))


def _scalar(call: Call, t: Tensor, dtype: str | None) -> float | bool | None:
    """The float or bool value ``tf.constant(1.0)`` keeps (``domain/scalars.py``): a literal
    that ``dtype`` holds exactly, or a tensor's known value when the dtype is unchanged (not a
    variable's: ``assign`` changes it in place)."""
    value = call.arg(0, "value" if not call.numpy else "object")
    if isinstance(value, Const):
        return literal_scalar(value.value, dtype)
    return t.scalar if dtype == t.dtype and t.kind != "variable" else None


@op("tf.constant", "tf.convert_to_tensor", "np.array", "np.asarray", "tnp.asarray",
    "keras.ops.convert_to_tensor", "keras.ops.array")
def constant(call: Call) -> Value:
    value = call.arg(0, "value" if not call.numpy else "object")
    t = to_tensor(value, numpy=call.numpy)
    if t is None:
        return UNKNOWN
    if t.kind == "pyscalar" and not call.numpy:
        # a Python float/int of unknown value (float('inf'), int(x)): TF's literal defaults
        t = replace(t, dtype={"float64": "float32", "int64": "int32"}.get(t.dtype or "", t.dtype))
    dtype = call.dtype_arg(1, "dtype", t.dtype)
    if call.name == "tf.constant" and call.has(2, "shape"):
        dims = to_dims(call.arg(2, "shape"))
        return Tensor(dims, dtype, origin=call.name)
    if t.kind in ("tensor", "variable", "ndarray") and not call.numpy:
        # A NumPy float64 array becomes a float64 tensor; a Variable becomes a Tensor.
        return Tensor(t.shape, dtype, "tensor", t.content if dtype == t.dtype else None,
                      origin=call.name, scalar=_scalar(call, t, dtype))
    return _cast_literal(t, dtype, call)


@op("tf.Variable", "keras.Variable")
def variable(call: Call) -> Value:
    t = to_tensor(call.arg(0, "initial_value"))
    trainable = call.arg(1, "trainable")
    is_trainable = not (isinstance(trainable, Const) and trainable.value is False)
    if t is None:
        return Tensor(None, call.dtype_arg(None, "dtype"), "variable", trainable=is_trainable,
                      origin=call.name)
    return Tensor(t.shape, call.dtype_arg(None, "dtype", t.dtype), "variable", None,
                  is_trainable, origin=call.name)


def _shape_arg(call: Call, pos: int, name: str) -> tuple[Dim, ...] | None:
    return to_dims(call.arg(pos, name))


@op("tf.zeros", "tf.ones", "np.zeros", "np.ones", "np.empty", "keras.ops.zeros",
    "keras.ops.ones")
def filled(call: Call) -> Value:
    default = "float64" if call.numpy else "float32"
    dtype = call.dtype_arg(1, "dtype", default)
    return call.result(_shape_arg(call, 0, "shape"), dtype, call.name)


@op("tf.fill", "np.full", "keras.ops.full")
def fill(call: Call) -> Value:
    value = to_tensor(call.arg(1, "value" if not call.numpy else "fill_value"), call.numpy)
    dtype = call.dtype_arg(2, "dtype", value.dtype if value else None)
    dims = _shape_arg(call, 0, "dims" if not call.numpy else "shape")
    count = num_elements(dims)
    content = None  # small int fills keep their values (ids appended to token batches)
    if value is not None and value.shape == () and value.content and count is not None and \
            count <= 256 and (dtype or "").startswith("int"):
        content = value.content * count
    return call.result(dims, dtype, call.name, content=content)


@op("tf.zeros_like", "tf.ones_like", "np.zeros_like", "np.ones_like", "np.empty_like",
    "keras.ops.zeros_like", "keras.ops.ones_like")
def filled_like(call: Call) -> Value:
    t = call.tensor(0, "input" if not call.numpy else "a")
    if t is None:
        return UNKNOWN
    dtype = call.dtype_arg(1, "dtype", t.dtype)
    return call.result(t.shape, dtype, call.name)


@op("np.full_like")
def full_like(call: Call) -> Value:
    t = call.tensor(0, "a")
    return UNKNOWN if t is None else call.result(
        t.shape, call.dtype_arg(2, "dtype", t.dtype), call.name)


@op("tf.eye", "np.eye", "np.identity", "keras.ops.eye")
def eye(call: Call) -> Value:
    n = to_dim(call.arg(0, "num_rows" if not call.numpy else "N"))
    m_arg = call.arg(1, "num_columns" if not call.numpy else "M")
    m = to_dim(m_arg) if to_int(m_arg) is not None else n
    if call.name == "np.identity":
        m = n
    batch = to_dims(call.arg(2, "batch_shape")) if not call.numpy else ()
    dtype = call.dtype_arg(3 if not call.numpy else None, "dtype",
                           "float64" if call.numpy else "float32")
    return call.result((*(batch or ()), n, m), dtype, call.name)


def _range_len(start: int, limit: int, delta: int) -> int:
    if delta == 0:
        return 0
    return max(0, -(-(limit - start) // delta))


@op("tf.range", "np.arange", "keras.ops.arange")
def arange(call: Call) -> Value:
    names = ("start", "limit", "delta") if not call.numpy else ("start", "stop", "step")
    given = [call.arg(i, names[i]) for i in range(3)]
    present = [call.has(i, names[i]) for i in range(3)]
    floats = any(isinstance(v, Const) and isinstance(v.value, float) for v in given)
    dtype = call.dtype_arg(3, "dtype", _range_dtype(call, given, present, floats))
    start, limit, delta = (to_int(v) for v in given)
    if not present[1]:  # range(limit)
        start, limit = 0, start
    step = delta if present[2] else 1
    if floats:
        return call.result((_float_range_len(given, present),), dtype, call.name)
    if start is None or limit is None or step is None:
        return call.result((None,), dtype, call.name)
    return call.result((_range_len(start, limit, step),), dtype, call.name)


def _float_range_len(given: list[Value], present: list[bool]) -> Dim:
    """Python-number bounds with a float among them (``tf.range(1., n + 100.)``): the
    length ``ceil((limit - start) / delta)`` where no rounding (float32 in TF) can change it:
    the quotient of integral bounds, or one far from an integer; else unknown."""
    values: list[float | None] = []
    for value, here in zip(given, present):
        if not here:
            values.append(None)
            continue
        if not isinstance(value, Const) or isinstance(value.value, bool) or \
                not isinstance(value.value, int | float) or not math.isfinite(value.value):
            return None
        values.append(float(value.value))
    start, limit, delta = values
    if limit is None:
        start, limit = 0.0, start
    delta = 1.0 if delta is None else delta
    if start is None or limit is None or delta == 0:
        return None
    q = (limit - start) / delta
    if q <= 0 or q >= 2 ** 24:
        return None  # (an empty or reversed range is TF's error to judge)
    if q == int(q) and all(x == int(x) for x in (start, limit, delta)):
        return int(q)
    frac = q - math.floor(q)
    return math.ceil(q) if 1e-4 < frac < 1 - 1e-4 else None


def _range_dtype(call: Call, given: list[Value], present: list[bool], floats: bool) -> \
        str | None:
    """The dtype range infers from its bounds: a Python int or float gives the default int or
    float; a tensor bound gives its own dtype (``tf.range(x)`` of a float32 ``x`` is float32);
    a bound the engine does not know, or tensors that disagree, leave it unknown."""
    tensor_dtypes = set()
    for value, here in zip(given, present):
        if not here or isinstance(value, Const | SymDim):
            continue
        if not isinstance(value, Tensor) or value.dtype is None or call.numpy:
            return None  # (NumPy's arange of a float32 scalar is float64: not modelled)
        tensor_dtypes.add(value.dtype)
    if len(tensor_dtypes) > 1:
        return None
    if tensor_dtypes:
        only = next(iter(tensor_dtypes))
        return None if floats and not only.startswith("float") else only
    if floats:
        return "float64" if call.numpy else "float32"
    return "int64" if call.numpy else "int32"


@op("tf.linspace", "np.linspace", "keras.ops.linspace")
def linspace(call: Call) -> Value:
    num = to_dim(call.arg(2, "num"))
    if call.numpy and not call.has(2, "num"):
        num = 50
    start, stop = call.tensor(0, "start"), call.tensor(1, "stop")
    if start is None or stop is None:
        return UNKNOWN
    if call.numpy:
        dtype = call.dtype_arg(5, "dtype", "float64")
    elif start.dtype is not None and start.dtype.startswith(("int", "uint")):
        dtype = "float64"  # TF computes integer ranges in float64
    else:
        dtype = start.dtype
    batch, ok = broadcast(start.shape, stop.shape)
    axis = to_int(call.arg(6 if call.numpy else 4, "axis", Const(0)))
    if batch is None or not ok or axis is None:
        return call.result(None, dtype, call.name)
    pos = normalize_axis(axis, len(batch) + 1)
    if pos is None:
        return call.result(None, dtype, call.name)
    return call.result((*batch[:pos], num, *batch[pos:]), dtype, call.name)


@op("tf.random.normal", "tf.random.uniform", "tf.random.truncated_normal",
    "tf.random_normal", "tf.random_uniform", "tf.random.stateless_normal",
    "tf.random.stateless_uniform", "keras.random.normal", "keras.random.uniform",
    "keras.random.truncated_normal")
def random_tensor(call: Call) -> Value:
    # shape, seed, mean/minval, stddev/maxval, dtype for the stateless ops; no seed otherwise.
    dtype_pos = 4 if ".stateless_" in call.name else 3
    dtype = call.dtype_arg(dtype_pos, "dtype", "float32")
    return call.result(_shape_arg(call, 0, "shape"), dtype, call.name)


@op("tf.random.categorical")
def categorical(call: Call) -> Value:
    logits = call.tensor(0, "logits")
    n = to_dim(call.arg(1, "num_samples"))
    dtype = call.dtype_arg(3, "dtype", "int64")
    if logits is None or logits.shape is None or len(logits.shape) != 2:
        return call.result((None, n), dtype, call.name)
    return call.result((logits.shape[0], n), dtype, call.name)


@op("tf.one_hot", "keras.ops.one_hot")
def one_hot(call: Call) -> Value:
    idx = call.tensor(0, "indices" if call.name == "tf.one_hot" else "x")
    depth = to_dim(call.arg(1, "depth" if call.name == "tf.one_hot" else "num_classes"))
    axis = to_int(call.arg(4, "axis")) if call.has(4, "axis") else -1
    dtype = call.dtype_arg(5, "dtype", "float32")
    if idx is None or idx.shape is None or axis is None:
        return call.result(None, dtype, call.name)
    shape = list(idx.shape)
    if axis == -1:
        shape.append(depth)
    elif 0 <= axis <= len(shape):
        shape.insert(axis, depth)
    elif call.name == "tf.one_hot":
        raise ShapeError("SL105", f"tf.one_hot: axis {axis} is out of range for indices "
                         f"{shape_text(idx)}; it must be -1 or in [0, {len(shape) + 1})")
    else:
        return call.result(None, dtype, call.name)
    return call.result(tuple(shape), dtype, call.name)


@op("tf.identity", "tf.stop_gradient", "tf.clip_by_value", "np.copy", "np.clip",
    "keras.ops.stop_gradient", "keras.ops.clip", "tf.nn.dropout", "tf.nn.relu",
    "tf.nn.relu6", "tf.nn.elu", "tf.nn.selu", "tf.nn.gelu", "tf.nn.leaky_relu",
    "tf.nn.silu", "tf.nn.swish", "tf.nn.softplus", "tf.nn.sigmoid", "tf.nn.tanh",
    "tf.nn.l2_normalize", "tf.math.l2_normalize", "tf.random.shuffle")
def same_shape(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    kind = "ndarray" if call.numpy else "tensor"
    same = call.name in ("tf.identity", "tf.stop_gradient")
    return replace(t, kind=kind, trainable=True, origin=call.name,
                   content=t.content if same else None,
                   scalar=t.scalar if same and t.kind != "variable" else None)
