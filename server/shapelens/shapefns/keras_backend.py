"""The legacy ``tf.keras.backend`` functions (``K.expand_dims``, ``K.cast``, ``K.int_shape``...)
that Keras-2-era code still calls through ``from tensorflow.keras import backend as K``: each
is the TensorFlow op of the same meaning, with the backend's own defaults (``expand_dims``
and ``concatenate`` act on the last axis).
"""

from __future__ import annotations

from ..domain.shapes import DYNAMIC
from ..domain.values import UNKNOWN, Const, Seq, Value
from ._common import Call, ShapeError
from .registry import delegate, lookup, op

# backend name -> (TF op, {backend keyword: TF keyword}, default keyword arguments)
_ALIASES: dict[str, tuple[str, dict[str, str], dict[str, Value]]] = {
    "expand_dims": ("tf.expand_dims", {"x": "input"}, {"axis": Const(-1)}),
    "cast": ("tf.cast", {"x": "x"}, {}),
    "shape": ("tf.shape", {"x": "input"}, {}),
    "reshape": ("tf.reshape", {"x": "tensor"}, {}),
    "tile": ("tf.tile", {"x": "input", "n": "multiples"}, {}),
    "concatenate": ("tf.concat", {"tensors": "values"}, {"axis": Const(-1)}),
    "sum": ("tf.reduce_sum", {"x": "input_tensor"}, {}),
    "mean": ("tf.reduce_mean", {"x": "input_tensor"}, {}),
    "max": ("tf.reduce_max", {"x": "input_tensor"}, {}),
    "min": ("tf.reduce_min", {"x": "input_tensor"}, {}),
    "transpose": ("tf.transpose", {"x": "a"}, {}),
    "square": ("tf.square", {}, {}),
    "sqrt": ("tf.sqrt", {}, {}),
    "exp": ("tf.exp", {}, {}),
    "abs": ("tf.abs", {}, {}),
}
_POSITIONS = {"expand_dims": ("x", "axis"), "concatenate": ("tensors", "axis"),
              "sum": ("x", "axis", "keepdims"), "mean": ("x", "axis", "keepdims"),
              "max": ("x", "axis", "keepdims"), "min": ("x", "axis", "keepdims")}


@op(*(f"keras.backend.{n}" for n in _ALIASES))
def backend_alias(call: Call) -> Value:
    leaf = call.name.rsplit(".", 1)[-1]
    target, renames, defaults = _ALIASES[leaf]
    fn = lookup(target)
    if fn is None:
        return UNKNOWN
    kwargs = {renames.get(k, k): v for k, v in call.kwargs.items()}
    args = list(call.args)
    named = _POSITIONS.get(leaf)
    if named is not None:  # the backend's positional order -> keywords (its own defaults)
        for name, value in zip(named[1:], args[1:]):
            kwargs.setdefault(name if name != "keepdims" else "keepdims", value)
        args = args[:1]
    for key, value in defaults.items():
        kwargs.setdefault(key, value)
    try:
        return fn(Call(target, args, kwargs, call.numpy, call.promote))
    except ShapeError as err:
        raise ShapeError(err.code, err.message.replace(target, call.name), err.runtime,
                         err.eager_only) from None


@op("keras.backend.int_shape")
def int_shape(call: Call) -> Value:
    """The static shape as a tuple of ints and Nones."""
    t = call.tensor(0, "x")
    if t is None or t.shape is None:
        return UNKNOWN
    return Seq(tuple(Const(d) if isinstance(d, int) else Const(None) if d is DYNAMIC
                     else UNKNOWN for d in t.shape), "tuple")


@op("keras.backend.flatten", "keras.backend.not_equal")
def backend_more(call: Call) -> Value:
    """``K.flatten(x)`` is ``tf.reshape(x, [-1])``; ``K.not_equal(x, y)`` is
    ``tf.not_equal`` (its broadcast error, SL103, under this name)."""
    if call.name == "keras.backend.flatten":
        if len(call.args) + len(call.kwargs) != 1:
            return UNKNOWN
        return delegate(call, "tf.reshape", [call.arg(0, "x"), Seq((Const(-1),), "list")], {})
    if call.kwargs.keys() - {"x", "y"} or len(call.args) > 2:
        return UNKNOWN
    return delegate(call, "tf.not_equal", [call.arg(0, "x"), call.arg(1, "y")], {})


NON_TENSOR_NAMES = frozenset({"keras.backend.dtype"})


@op("keras.backend.dtype")
def backend_dtype(call: Call) -> Value:
    """The dtype's name as a string, of a TF tensor or variable (a KerasTensor's or an
    array's dtype has no ``base_dtype``: an AttributeError there)."""
    t = call.tensor(0, "x")
    if t is None or t.dtype is None or t.kind not in ("tensor", "variable") or \
            len(call.args) + len(call.kwargs) != 1:
        return UNKNOWN
    return Const(t.dtype)
