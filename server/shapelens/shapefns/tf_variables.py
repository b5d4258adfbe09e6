"""Shape checks TF makes on variables and shape assertions: ``Variable.assign*``,
``tf.ensure_shape``, ``TensorShape.assert_*``, ``tf.debugging.assert_shapes``/``assert_rank``,
and ``tf.Variable(..., shape=...)``.

Each is an error TF raises (truth: TF 2.21, eager and ``tf.function``):

* ``v.assign(x)`` checks ``x``'s shape against the variable's static shape (ValueError
  ``Cannot assign value to variable ... Shape mismatch``); a ``keras.Variable`` demands
  equal shapes. ``assign_add``/``assign_sub`` on a ``tf.Variable`` need *equal* shapes, no
  broadcasting (``Cannot update variable with shape [2,3] using a Tensor with shape [3]``).
* ``tf.ensure_shape`` fails in its kernel (``Shape of tensor input [2,3] is not compatible
  with expected shape [3,2]``); its result has the merged shape.
* the ``TensorShape`` assertions and ``assert_shapes``/``assert_rank`` compare static shapes.

A check on sizes (same rank) is claimed only eagerly where graph mode's static shape may
know less than the analyzer (``eager_only``); ranks are claimed everywhere.
"""

from __future__ import annotations

from ..domain.shapes import DYNAMIC, Dim, Shape, format_shape, merge_dim, static_only
from ..domain.values import NONE, UNKNOWN, Const, Seq, Tensor, Value
from ..structs import replace
from ._common import Call, ShapeError, to_int, to_static_dims, to_tensor
from .registry import REGISTRY, op


def _static(v: Value) -> tuple[Dim, ...] | None:
    """A shape argument: ``None`` elements are TF's ``None`` (any size); ``None`` itself
    (``tf.TensorShape(None)``) or an unreadable value is no claim."""
    if isinstance(v, Const) and v.value is None:
        return None
    return to_static_dims(v)


def _clash(have: Shape, want: Shape) -> str:
    """"rank" or "size" when ``have`` provably is not compatible with ``want``, else ""."""
    if have is None or want is None:
        return ""
    if len(have) != len(want):
        return "rank"
    if any(isinstance(a, int) and isinstance(b, int) and a != b for a, b in zip(have, want)):
        return "size"
    return ""


def _py(shape: Shape) -> str:
    """A shape as TF prints a ``TensorShape``: ``(2, 3)``, ``(None, 3)``."""
    return format_shape(tuple(None if d is DYNAMIC else d for d in shape)) \
        if shape is not None else "<unknown>"


# ------------------------------------------------------------------ variables
def _variable_with_shape(fn: object) -> object:
    """``tf.Variable(init, shape=S)``: the variable's static shape is ``S``; its ``None``
    dims are left unknown, not ``DYNAMIC``: later assigns may change them, and an eager read
    has a concrete size. An unreadable ``S`` is an unknown rank."""

    def variable(call: Call) -> Value:
        result = fn(call)  # type: ignore[operator]
        if not isinstance(result, Tensor) or not call.has(11, "shape"):
            return result
        declared = call.arg(11, "shape")
        return replace(result, shape=static_only(_static(declared)), content=None)

    variable.__doc__ = getattr(fn, "__doc__", None)
    return variable


REGISTRY["tf.Variable"] = _variable_with_shape(REGISTRY["tf.Variable"])  # type: ignore[assignment]


def keras_variable(call: Call) -> Value:
    """``keras.Variable(initializer, shape=None, dtype=None, trainable=True, ...)``: the
    initializer is an array (its shape) or a callable / initializer name with ``shape=``."""
    init = to_tensor(call.arg(0, "initializer"))
    trainable = call.arg(3, "trainable")
    is_trainable = not (isinstance(trainable, Const) and trainable.value is False)
    declared = call.arg(1, "shape")
    # an array (not an initializer's name, nor a number) gives its shape and dtype
    array = init if init is not None and init.origin != "literal" else None
    if call.has(1, "shape") and not (isinstance(declared, Const) and declared.value is None):
        shape = static_only(_static(declared))
    else:
        shape = array.shape if array is not None else None
    dtype = call.dtype_arg(2, "dtype", array.dtype if array is not None else "float32")
    return Tensor(shape, dtype, "variable", None, is_trainable, origin=call.name)


REGISTRY["keras.Variable"] = keras_variable  # tf_create's reads TF's signature


def _assigned(call: Call) -> tuple[Tensor, Tensor] | None:
    var, value = call.tensor(0, None), call.tensor(1, "value")
    if var is None or value is None or var.kind != "variable" or var.shape is None or \
            value.shape is None or var.origin not in ("tf.Variable", "keras.Variable") or \
            value.kind == "keras":  # a KerasTensor in a TF op: Keras 3 raises its own error
        return None
    return var, value


@op("Variable.assign")
def assign(call: Call) -> Value:
    """SL128 when the value's shape is not compatible with the variable's static shape."""
    pair = _assigned(call)
    if pair is None:
        return NONE
    var, value = pair
    clash = _clash(var.shape, value.shape)
    if clash:
        raise ShapeError("SL128", f"{_name(var)}.assign: the variable has shape "
                         f"{_py(var.shape)} and the assigned value {_py(value.shape)}; assign "
                         "never reshapes or broadcasts (create the variable with "
                         "shape=tf.TensorShape(None) to let its shape change)",
                         eager_only=clash == "size")
    return NONE


@op("Variable.assign_add", "Variable.assign_sub")
def assign_update(call: Call) -> Value:
    """SL128 when a ``tf.Variable`` of fully known shape is updated by a value of another
    fully known shape: its kernel needs equal shapes (a ``keras.Variable`` broadcasts)."""
    pair = _assigned(call)
    if pair is None or pair[0].origin != "tf.Variable":
        return NONE
    var, value = pair
    have, given = var.shape or (), value.shape or ()  # both known (``_assigned``)
    if all(isinstance(d, int) for d in (*have, *given)) and have != given:
        method = call.name.rsplit(".", 1)[-1]
        raise ShapeError("SL128", f"{_name(var)}.{method}: cannot update a variable of shape "
                         f"{_py(var.shape)} with a value of shape {_py(value.shape)}; the "
                         "shapes must be equal (no broadcasting)")
    return NONE


def _name(var: Tensor) -> str:
    return "keras.Variable" if var.origin == "keras.Variable" else "tf.Variable"


# ------------------------------------------------------------------ assertions
@op("tf.ensure_shape")
def ensure_shape(call: Call) -> Value:
    """SL129 when the shapes are incompatible (the kernel's check: an unused result in a
    ``tf.function`` is pruned); the result has the merged shape."""
    x = call.tensor(0, "x")
    want = _static(call.arg(1, "shape", NONE))
    if x is None or x.kind == "keras":  # Keras 3 refuses a KerasTensor in a TF op
        return UNKNOWN
    if _clash(x.shape, want):
        raise ShapeError("SL129", f"tf.ensure_shape: the tensor has shape {_py(x.shape)}, not "
                         f"compatible with the expected shape {_py(want)}", runtime=True)
    if want is None:
        return x
    if x.shape is None:
        return x.with_shape(static_only(want))
    return x.with_shape(tuple(merge_dim(a, b) for a, b in zip(x.shape, want)))


def _receiver(call: Call) -> tuple[Dim, ...] | None:
    """The shape whose method is called, when it is surely a ``TensorShape``: every dim
    known. A ``None`` or symbolic dim may be a KerasTensor's batch axis, whose ``.shape`` is
    a tuple in Keras 3 (no ``assert_*`` methods: an AttributeError, not this check)."""
    have = _static(call.arg(0, None))
    return have if have is not None and all(isinstance(d, int) for d in have) else None


@op("TensorShape.assert_is_compatible_with")
def assert_compatible(call: Call) -> Value:
    have, want = _receiver(call), _static(call.arg(1, "other"))
    clash = _clash(have, want)
    if clash:
        raise ShapeError("SL129", f"Shapes {_py(have)} and {_py(want)} are incompatible",
                         eager_only=clash == "size")
    return NONE


@op("TensorShape.assert_has_rank")
def assert_has_rank(call: Call) -> Value:
    have, rank = _receiver(call), to_int(call.arg(1, "rank"))
    if have is not None and rank is not None and len(have) != rank:
        raise ShapeError("SL129", f"Shape {_py(have)} must have rank {rank}")
    return NONE


@op("TensorShape.assert_same_rank")
def assert_same_rank(call: Call) -> Value:
    have, other = _receiver(call), _static(call.arg(1, "other"))
    if have is not None and other is not None and len(have) != len(other):
        raise ShapeError("SL129", f"Shapes {_py(have)} and {_py(other)} must have the same "
                         "rank")
    return NONE


@op("tf.debugging.assert_rank", "tf.assert_rank", "tf.compat.v1.assert_rank")
def assert_rank(call: Call) -> Value:
    x, rank = call.tensor(0, "x"), to_int(call.arg(1, "rank"))
    if x is not None and x.kind != "keras" and x.shape is not None and rank is not None and \
            len(x.shape) != rank:
        raise ShapeError("SL129", f"tf.debugging.assert_rank: the tensor must have rank "
                         f"{rank}, but has shape {_py(x.shape)}")
    return NONE


@op("tf.debugging.assert_shapes", "tf.assert_shapes")
def assert_shapes(call: Call) -> Value:
    """``assert_shapes([(x, ("N", "D")), (y, ("N",))])``: ranks, explicit sizes and the
    sizes a symbol takes across tensors. A scalar counts as shape ``(1,)`` and a ``()``
    spec as ``(1,)`` (TF's rule); a spec with ``...``/``*`` is no claim."""
    pairs = call.arg(0, "shapes")
    if not isinstance(pairs, Seq):
        return NONE
    symbols: dict[str, int] = {}
    for pair in pairs.items:
        checked = _pair(pair)
        if checked is None:
            continue
        shape, spec = checked
        if len(shape) != len(spec):
            raise ShapeError("SL129", f"tf.debugging.assert_shapes: a tensor of shape "
                             f"{_py(shape)} must have rank {len(spec)}")
        for i, (dim, want) in enumerate(zip(shape, spec)):
            if not isinstance(dim, int):
                continue
            if isinstance(want, str):
                want = symbols.setdefault(want, dim)
            if isinstance(want, int) and want != dim:
                raise ShapeError("SL129", f"tf.debugging.assert_shapes: dimension {i} of a "
                                 f"tensor of shape {_py(shape)} must have size {want}",
                                 eager_only=True)
    return NONE


def _pair(pair: Value) -> tuple[tuple[Dim, ...], tuple[int | str, ...]] | None:
    """One ``(tensor, spec)`` entry with a known shape and a plain spec, normalised."""
    if not isinstance(pair, Seq) or len(pair.items) != 2:
        return None
    x, spec_value = to_tensor(pair.items[0]), pair.items[1]
    if x is None or x.kind == "keras" or x.shape is None or not isinstance(spec_value, Seq):
        return None
    spec: list[int | str] = []
    for item in spec_value.items:
        if not isinstance(item, Const) or isinstance(item.value, bool) or \
                not isinstance(item.value, int | str) or item.value in ("...", "*"):
            return None
        spec.append(item.value)
    shape: tuple[Dim, ...] = x.shape or (1,)
    return shape, tuple(spec) or (1,)
