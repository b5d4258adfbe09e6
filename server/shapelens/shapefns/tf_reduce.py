"""Reductions and axis-wise ops: reduce_*, argmax/argmin, cumsum, softmax, norm, top_k,
sort/argsort (TF and NumPy spellings, plus the ndarray methods)."""

from __future__ import annotations

from ..domain.shapes import Dim, normalize_axis
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, ShapeError, on_either, shape_text, to_axes, to_dim, to_int
from .registry import op

_REDUCE = ("sum", "mean", "max", "min", "prod", "any", "all", "std", "variance",
           "logsumexp", "euclidean_norm")
_NP_REDUCE = ("sum", "mean", "max", "min", "prod", "any", "all", "std", "var", "amax", "amin",
              "median", "nansum", "nanmean")


# NumPy functions that take axis 0 or -1 on a 0-d array (as on its 1-element ravel) instead of
# raising; mean/std/var/median/sort/flip do raise (NumPy 2.4).
_NP_SCALAR_AXIS_OK = frozenset({"sum", "max", "min", "amax", "amin", "prod", "any", "all",
                                "argmax", "argmin", "cumsum", "cumprod", "argsort", "nansum",
                                "nanmean"})


def numpy_scalar_axis(call: Call, t: Tensor, axes: tuple[int, ...]) -> bool:
    """A NumPy call on a 0-d array with axis 0/-1 that NumPy accepts (no SL105)."""
    numpy = call.numpy or call.name.startswith("ndarray.")
    return numpy and t.shape == () and all(a in (0, -1) for a in axes) and \
        call.name.rsplit(".", 1)[-1] in _NP_SCALAR_AXIS_OK


def _check_axes(call: Call, t: Tensor, axes: tuple[int, ...], runtime: bool = False
                ) -> list[int]:
    """Normalised axes; SL105 for one out of range (``runtime``: only the op's kernel checks
    it, so an unused op inside a tf.function never raises, see ``ShapeError``)."""
    assert t.shape is not None
    if numpy_scalar_axis(call, t, axes):
        return []
    rank = len(t.shape)
    out = []
    for a in axes:
        n = normalize_axis(a, rank)
        if n is None:
            raise ShapeError("SL105", f"{call.name}: axis {a} is out of range for input "
                             f"{shape_text(t)} of rank {rank}; valid axes are "
                             f"[{-rank}, {rank})", runtime=runtime)
        out.append(n)
    return out


def reduce_shape(call: Call, t: Tensor, axis_v: Value, keepdims: bool,
                 runtime: bool = False) -> tuple[Dim, ...] | None:
    """The reduced shape; ``runtime``: an axis out of range is only the kernel's check."""
    if t.shape is None:
        return None
    if isinstance(axis_v, Const) and axis_v.value is None:
        return (1,) * len(t.shape) if keepdims else ()
    axes = to_axes(axis_v)
    if axes is None:
        return (None,) * len(t.shape) if keepdims else None
    picked = set(_check_axes(call, t, axes, runtime))
    if keepdims:
        return tuple(1 if i in picked else d for i, d in enumerate(t.shape))
    return tuple(d for i, d in enumerate(t.shape) if i not in picked)


def _reduce_dtype(call: Call, t: Tensor) -> str | None:
    leaf = call.name.rsplit(".", 1)[-1]
    if leaf in ("any", "all"):
        return "bool"
    if call.name.startswith("keras.ops.") and t.dtype and \
            not t.dtype.startswith(("float", "bfloat", "complex")):
        if leaf in ("mean", "std", "var", "median", "nanmean"):  # Keras computes in floatx
            return "float32"
        if leaf in ("sum", "prod", "nansum"):  # small ints and bools accumulate in 32 bits
            return _KERAS_ACCUMULATE.get(t.dtype, t.dtype)
    if leaf in ("mean", "std", "var", "median", "nanmean") and call.numpy and t.dtype and \
            not t.dtype.startswith("float"):
        return "float64"
    if leaf in ("sum", "prod", "nansum") and call.numpy:
        return _np_accumulate_dtype(t.dtype)
    return t.dtype


_KERAS_ACCUMULATE = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32",
                     "uint16": "uint32"}


def _np_accumulate_dtype(dtype: str | None) -> str | None:
    """NumPy sums and products of small integers (and bools) use the platform integer."""
    if dtype in ("bool", "int8", "int16", "int32"):
        return "int64"
    if dtype in ("uint8", "uint16", "uint32"):
        return "uint64"
    return dtype


@op(*(f"tf.reduce_{n}" for n in _REDUCE), *(f"tf.math.reduce_{n}" for n in _REDUCE),
    *(f"np.{n}" for n in _NP_REDUCE), *(f"keras.ops.{n}" for n in _NP_REDUCE if n != "var"),
    *(f"ndarray.{n}" for n in _NP_REDUCE
      if n not in ("amax", "amin", "median") and not n.startswith("nan")),
    "keras.ops.var")
def reduce(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    pos_axis = 1
    axis_v = call.arg(pos_axis, "axis", Const(None))
    keep_pos = 2 if call.name.startswith("tf.") else None
    kind = "ndarray" if call.numpy or call.name.startswith("ndarray.") else "tensor"
    return on_either(call.flag(keep_pos, "keepdims"), lambda keepdims: Tensor(
        reduce_shape(call, t, axis_v, keepdims), _reduce_dtype(call, t), kind,
        origin=call.name))


@op("tf.argmax", "tf.argmin", "tf.math.argmax", "tf.math.argmin", "np.argmax", "np.argmin",
    "ndarray.argmax", "ndarray.argmin", "keras.ops.argmax", "keras.ops.argmin")
def argmax(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    tf_style = call.name.startswith("tf.")
    default = Const(0) if tf_style else Const(None)
    axis_v = call.arg(1, "axis", default)
    if tf_style and isinstance(axis_v, Const) and axis_v.value is None:
        axis_v = Const(0)
    dtype = "int32" if call.name.startswith("keras.") else "int64"
    if tf_style:
        dtype = call.dtype_arg(2, "output_type", "int64")
    kind = "tensor" if tf_style or call.name.startswith("keras") else "ndarray"
    # ArgMax's graph shape function accepts any axis (a tf.function that never uses the
    # result runs; a used one fails in the kernel): out of range is a run-time check.
    runtime = not call.name.startswith(("np.", "ndarray."))
    result = on_either(call.flag(None, "keepdims"), lambda keepdims: Tensor(
        reduce_shape(call, t, axis_v, keepdims, runtime), dtype, kind, origin=call.name))
    axis = to_int(axis_v)
    if t.shape and axis is not None and -len(t.shape) <= axis < len(t.shape) and \
            t.shape[axis] == 1:
        raise ShapeError("SL115", f"{call.name} over axis {axis} of {shape_text(t)}, which has "
                         "size 1: the result is always 0 (a (batch, 1) tensor taken for "
                         "one-hot?)")
    return result


def _same_shape_axis(call: Call, axis_pos: int, default: int | None,
                     runtime: bool = False) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    axis_v = call.arg(axis_pos, "axis", Const(default))
    axis = to_int(axis_v)
    if t.shape is not None and axis is not None:
        _check_axes(call, t, (axis,), runtime)
    kind = "ndarray" if call.numpy or call.name.startswith("ndarray.") else "tensor"
    shape = t.shape
    if axis is not None and numpy_scalar_axis(call, t, (axis,)):
        shape = (1,)  # np.cumsum / np.argsort of a 0-d array: its 1-element ravel
    flattens = call.numpy or call.name.startswith("keras.ops.")
    if flattens and isinstance(axis_v, Const) and axis_v.value is None and \
            t.shape is not None:  # NumPy's (and keras.ops') axis=None: the flattened array
        total: int | None = 1
        for d in t.shape:
            total = total * d if isinstance(d, int) and isinstance(total, int) else None
        shape = (total,)
    dtype = t.dtype
    if call.numpy and call.name.rsplit(".", 1)[-1] in ("cumsum", "cumprod"):
        dtype = _np_accumulate_dtype(dtype)
    if call.name.startswith("keras.ops.cum") and dtype == "bool":
        dtype = "int32"
    if call.name.endswith("argsort"):
        dtype = "int64" if call.numpy else "int32"
    return Tensor(shape, dtype, kind, origin=call.name)


@op("tf.cumsum", "tf.math.cumsum", "tf.math.cumprod", "tf.cumprod")
def cumsum_tf(call: Call) -> Value:
    return _same_shape_axis(call, 1, 0, runtime=True)  # Cumsum's axis: a kernel check


@op("keras.ops.cumsum", "keras.ops.cumprod")
def cumsum_keras(call: Call) -> Value:
    """NumPy's axis=None (flatten); the TF kernel checks the axis (runtime)."""
    return _same_shape_axis(call, 1, None, runtime=True)


@op("np.cumsum", "np.cumprod", "ndarray.cumsum", "ndarray.cumprod")
def cumsum_np(call: Call) -> Value:
    return _same_shape_axis(call, 1, None)


@op("tf.nn.softmax", "tf.nn.log_softmax", "tf.math.softmax", "tf.math.log_softmax",
    "keras.ops.softmax", "keras.ops.log_softmax", "keras.activations.softmax")
def softmax(call: Call) -> Value:
    return _same_shape_axis(call, 1, -1)


@op("tf.sort", "tf.argsort")
def sort_tf(call: Call) -> Value:
    return _same_shape_axis(call, 1, -1)


@op("np.sort", "np.argsort", "ndarray.argsort")
def sort_np(call: Call) -> Value:
    return _same_shape_axis(call, 1, -1)


@op("tf.norm", "tf.linalg.norm", "np.linalg.norm", "keras.ops.norm")
def norm(call: Call) -> Value:
    t = call.tensor(0, "tensor" if not call.numpy else "x")
    if t is None:
        return UNKNOWN
    axis_v = call.arg(2, "axis", Const(None))
    if isinstance(axis_v, Seq) and len(axis_v.items) != 2:
        return call.result(None, t.dtype)
    dtype = t.dtype if t.dtype and t.dtype.startswith("float") else (
        "float64" if call.numpy else t.dtype)
    return on_either(call.flag(3, "keepdims"), lambda keepdims: call.result(
        reduce_shape(call, t, axis_v, keepdims), dtype, call.name))


@op("tf.math.top_k", "tf.nn.top_k", "keras.ops.top_k")
def top_k(call: Call) -> Value:
    t = call.tensor(0, "input")
    k = to_dim(call.arg(1, "k", Const(1)))
    if t is None or t.shape is None:
        return Seq((UNKNOWN, UNKNOWN), "topk")
    if not t.shape:
        raise ShapeError("SL105", f"{call.name}: input must have rank >= 1, got a scalar")
    last = t.shape[-1]
    if isinstance(k, int) and isinstance(last, int) and k > last:
        raise ShapeError("SL108", f"{call.name}: k = {k} is larger than the last dimension "
                         f"{last} of input {shape_text(t)}")
    shape = (*t.shape[:-1], k)
    return Seq((call.result(shape, t.dtype, call.name), call.result(shape, "int32", call.name)),
               "topk")


@op("tf.math.count_nonzero")
def count_nonzero(call: Call) -> Value:
    """``count_nonzero(input, axis=None, keepdims=None, dtype=tf.int64)``: reduced as
    ``reduce_sum`` (its SL105 for an axis outside the rank), of ``dtype``."""
    t = call.tensor(0, "input")
    dtype = call.dtype_arg(3, "dtype", "int64")
    if t is None or call.kwargs.keys() - {"input", "axis", "keepdims", "dtype"}:
        return UNKNOWN
    axis_v = call.arg(1, "axis", Const(None))
    return on_either(call.flag(2, "keepdims"), lambda keepdims: Tensor(
        reduce_shape(call, t, axis_v, keepdims), dtype, "tensor", origin=call.name))
