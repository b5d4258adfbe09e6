"""Subclassed Keras layers and models: what Keras' ``Layer.__call__`` does around the user's
``call``, and the weights the user's code creates with ``add_weight``.

Keras 3 (``Layer._maybe_build``) runs the class's own ``build`` once, before the first
``call``, with the shapes of the tensor arguments of ``call``: a build taking one argument
gets the shape of the first one (a tuple such as ``(2, 3)``, ``(None, 3)`` on a symbolic
input; a list, tuple or dict of them for a structure of tensors); a build taking several gets
``<argument>_shape`` for each. A built layer is never built again: its second call on
another width runs ``call`` with the first weights, and the op that cannot take them raises
inside ``call`` (the op rule fires there, as in any user function).

``add_weight(shape=..., initializer=..., dtype=..., trainable=...)`` makes a variable of that
shape (``()`` without one); a positional name raises in Keras 3 (no weight). Its dtype is
claimed only when it is not a float: float variables follow the layer's dtype policy and are
autocast in ``call``, neither of which the engine sees.
"""

from __future__ import annotations

import ast

from ...domain.shapes import DYNAMIC, Dim, Shape, static_only
from ...domain.values import (
    NONE,
    UNKNOWN,
    BoundMethod,
    ClassValue,
    Const,
    DictValue,
    Function,
    Instance,
    LayerValue,
    ListOf,
    ModelValue,
    Ref,
    Seq,
    SymDim,
    Tensor,
    Value,
)
from ...shapefns._common import to_dims, to_dtype
from ...structs import replace
from .summary import BATCH, is_keras_subclass
from .weights import BUILT, WEIGHTS

FUNCTIONAL = "<functional>"  # Instance attribute: keras.Model(inputs, outputs) it was made as
BUILD_RAN = "<build ran>"  # Instance attribute: Keras ran (or the code called) its build
_NOT_SHAPES = ("mask", "args", "kwargs")  # call arguments Keras leaves out of the shapes


def input_shape(value: Value) -> Value | None:
    """The shape Keras passes to ``build`` for one argument of ``call``: a tuple for a
    tensor, the same structure for a list/tuple/dict of tensors, unknown when the engine
    cannot tell; None for a value that is not a tensor (Keras leaves it out)."""
    if isinstance(value, Tensor):
        if value.shape is None:
            return UNKNOWN
        symbolic = value.kind == "keras"
        shape = value.shape if symbolic else static_only(value.shape)
        assert shape is not None
        return Seq(tuple(_dim(d, symbolic) for d in shape), "tuple")
    if isinstance(value, Seq) and value.kind in ("list", "tuple") and value.items:
        items = [input_shape(v) for v in value.items]
        if any(i is None for i in items):
            return None if all(i is None for i in items) else UNKNOWN
        return Seq(tuple(i for i in items if i is not None), value.kind)
    if isinstance(value, DictValue) and value.items:
        pairs = [(k, input_shape(v)) for k, v in value.items]
        if any(s is None for _, s in pairs):
            return UNKNOWN
        return DictValue(tuple((k, s) for k, s in pairs if s is not None))
    if isinstance(value, Const):
        return None
    return UNKNOWN  # maybe a tensor, of unknown shape


def _dim(d: Dim, symbolic: bool) -> Value:
    """One entry of the tuple Keras passes: an int, ``None`` for the batch axis of a
    symbolic input or a dynamic size, a symbol for a size known only by name."""
    if isinstance(d, int):
        return Const(d)
    if d is DYNAMIC or d == BATCH:  # (also one batch of fit's data: None in its trace)
        return NONE
    if isinstance(d, str) and not symbolic:
        return SymDim(d)
    return UNKNOWN


def build_arguments(call: Function, build: Function, args: list[Value],
                    kwargs: dict[str, Value]) -> dict[str, Value]:
    """The keyword arguments Keras gives ``build`` for ``call(*args, **kwargs)``
    (``update_shapes_dict_for_target_fn``)."""
    shapes: list[tuple[str, Value]] = []
    for name, value in _bind(call, args, kwargs):
        if name in _NOT_SHAPES:
            continue
        shape = input_shape(value)
        if shape is not None:
            shapes.append((f"{name}_shape", shape))
    names = _params(build)[1:]
    if len(names) == 1:
        return {names[0]: shapes[0][1] if shapes else NONE}
    known = dict(shapes)
    return {n: known[n] for n in names if n in known}


def implicit_arguments(call: Function, given: int, kwargs: dict[str, Value]) -> dict[str,
                                                                                     Value]:
    """``mask`` and ``training``, which Keras fills in when the caller does not (the mask
    of the input, the training flag of the outer call or fit): unknown here, never their
    defaults, so a ``mask is None`` branch is not taken for certain."""
    names = _params(call)[1 + given:]
    return {n: UNKNOWN for n in ("mask", "training") if n in names and n not in kwargs}


def _params(fn: Function) -> list[str]:
    spec = fn.node.args
    return [p.arg for p in (*spec.posonlyargs, *spec.args, *spec.kwonlyargs)]


def _bind(call: Function, args: list[Value], kwargs: dict[str, Value]) -> list[tuple[str,
                                                                                     Value]]:
    """``call``'s parameters after ``self`` with the values given (defaults are not
    tensors: left out), in the signature's order."""
    spec = call.node.args
    positional = [p.arg for p in (*spec.posonlyargs, *spec.args)][1:]
    bound = [(name, args[i]) for i, name in enumerate(positional) if i < len(args)]
    bound += [(name, kwargs[name]) for name in positional[len(args):] if name in kwargs]
    bound += [(p.arg, kwargs[p.arg]) for p in spec.kwonlyargs if p.arg in kwargs]
    return bound


def positional_name(method: str, args: list[Value]) -> str | None:
    """The SL212 message for ``add_weight("kernel", ...)``: Keras 3's ``add_weight`` takes
    the name only as a keyword (its first positional is the shape) and raises ValueError."""
    if method != "add_weight" or not args or not isinstance(args[0], Const) or \
            not isinstance(args[0].value, str):
        return None
    name = args[0].value
    return (f"add_weight({name!r}, ...): Keras 3 takes the weight's name only as a keyword "
            f"and raises ValueError; write add_weight(name={name!r}, shape=...)")


def make_weight(args: list[Value], kwargs: dict[str, Value]) -> Tensor | None:
    """The variable ``add_weight``/``add_variable`` creates, or None: the call raises
    (a positional name in Keras 3) or is not one the engine reads."""
    if args and isinstance(args[0], Const) and isinstance(args[0].value, str):
        return None
    shape_v = kwargs.get("shape", args[0] if args else NONE)
    shape = () if isinstance(shape_v, Const) and shape_v.value is None else to_dims(shape_v)
    dtype_v = kwargs.get("dtype", args[2] if len(args) > 2 else NONE)
    dtype = None if isinstance(dtype_v, Const) and dtype_v.value is None else \
        to_dtype(dtype_v)
    if dtype is not None and dtype.startswith(("float", "bfloat")):
        dtype = None  # the layer's policy and autocast decide (see above)
    trainable = kwargs.get("trainable", Const(True))
    return Tensor(shape, dtype, "variable",
                  trainable=not (isinstance(trainable, Const) and trainable.value is False),
                  origin="add_weight")


# Methods a subclassed Layer/Model inherits from Keras that the overlay serves (or that
# build the object: reading them as unknown would lose that it is built).
INHERITED = frozenset({
    "add_weight", "add_variable", "build", "compile", "fit", "evaluate", "predict",
    "predict_on_batch", "train_on_batch", "test_on_batch", "load_weights", "summary",
    "count_params", "get_config", "save", "save_weights", "get_layer", "compute_loss"})
MAX_DEPTH = 6


def inherited_attribute(owner: Instance, attr: str) -> Value:
    """An attribute a subclassed Keras object gets from Keras: a method the overlay serves,
    or ``weights``/``non_trainable_weights`` when every weight is known (``layer_weights``)."""
    if attr in INHERITED:
        return BoundMethod(owner, attr)
    if attr in ("weights", "non_trainable_weights"):
        found = layer_weights(owner, 0)
        if found is None:
            return UNKNOWN
        frozen = owner.attrs.get("trainable")
        if attr == "non_trainable_weights" and not (isinstance(frozen, Const) and
                                                    frozen.value is False):
            if frozen is not None and frozen != Const(True):
                return UNKNOWN
            found = [w for w in found if not w.trainable]
        return Seq(tuple(found), "list")
    return UNKNOWN


def layer_weights(owner: Instance, depth: int) -> list[Tensor] | None:
    """``layer.weights`` in Keras' order (its own, then its sub-layers'), or None when one
    may be missing: a part the engine does not know, a built-in layer (its weights are not
    counted here), a ``tf.Variable`` attribute, or a build the engine did not follow."""
    if depth > MAX_DEPTH or (BUILT in owner.attrs and BUILD_RAN not in owner.attrs):
        return None
    held = owner.attrs.get(WEIGHTS)
    own = [w for w in held.items if isinstance(w, Tensor)] if isinstance(held, Seq) else []
    found = [w for w in own if w.trainable] + [w for w in own if not w.trainable]
    for name, value in owner.attrs.items():
        if name.startswith(("<", "__")):
            continue
        parts = _sublayers(value, own, depth)
        if parts is None:
            return None
        for part in parts:
            inner = layer_weights(part, depth + 1)
            if inner is None:
                return None
            found += [w for w in inner if not any(w is seen for seen in found)]
    return found


def _sublayers(value: Value, own: list[Tensor], depth: int) -> list[Instance] | None:
    """The subclassed layers held by an attribute value ([] for a plain value), or None:
    it may hold weights the engine cannot count."""
    if isinstance(value, Instance):
        return [value] if is_keras_subclass(value.cls) else None
    if isinstance(value, Tensor):
        return [] if value.kind != "variable" or any(value is w for w in own) else None
    if isinstance(value, Seq | DictValue) and depth <= MAX_DEPTH:
        items = value.items if isinstance(value, Seq) else tuple(v for _, v in value.items)
        found: list[Instance] = []
        for item in items:
            part = _sublayers(item, own, depth + 1)
            if part is None:
                return None
            found += part
        return found
    return [] if isinstance(value, Const | Function | ClassValue | Ref | SymDim) else None


def as_call_sees(value: Value, batch: bool = False) -> Value:
    """An argument as ``call`` receives it: Keras' ``__call__`` converts arrays to tensors
    and casts floats to the layer's compute dtype (its policy, unseen here: unknown);
    ``batch``: one batch of ``fit``/``evaluate``/``predict`` data (its size is Keras'
    ``batch_size``, and the last batch may be smaller: the symbol ``batch``)."""
    if isinstance(value, Tensor):
        dtype = None if value.dtype is None or value.dtype.startswith(("float", "bfloat")) \
            else value.dtype
        shape = (BATCH, *value.shape[1:]) if batch and value.shape else value.shape
        if (shape, dtype) == (value.shape, value.dtype) and value.kind != "ndarray":
            return value
        return replace(value, shape=shape, dtype=dtype,
                       kind="tensor" if value.kind == "ndarray" else value.kind,
                       content=value.content if shape == value.shape else None)
    if isinstance(value, Seq) and value.kind in ("list", "tuple"):
        return Seq(tuple(as_call_sees(v, batch) for v in value.items), value.kind)
    if isinstance(value, DictValue):
        return DictValue(tuple((k, as_call_sees(v, batch)) for k, v in value.items))
    return value


def predicted(x: Value, out: Value) -> Value:
    """``model.predict(x)`` of a subclassed model: the batches' outputs concatenated, so an
    output whose first axis is the batch has the data's length there."""
    if not isinstance(out, Tensor) or not out.shape or out.shape[0] != BATCH or \
            not isinstance(x, Tensor) or not x.shape:
        return UNKNOWN
    return Tensor((x.shape[0], *out.shape[1:]), out.dtype, "ndarray", origin="model.predict()",
                  deps=out.deps)


def subclass_rows(model: Instance) -> list[tuple[str, Shape, int | None]]:
    """The layer table of a subclassed model (``model.layers``, in attribute order; a list of
    layers in its place, as Keras flattens it): built Keras layers with their output shape
    and parameters, subclassed layers with the parameters of the weights the engine saw them
    make; [] when an attribute may hold a layer the table would miss (a nested model, a
    container of values the engine cannot list)."""
    rows: list[tuple[str, Shape, int | None]] = []
    for name, v in model.attrs.items():
        if name.startswith(("<", "__")):
            continue
        listed = isinstance(v, Seq) and all(isinstance(i, LayerValue | Instance)
                                            for i in v.items)
        if isinstance(v, ListOf | DictValue | Seq) and not listed:
            if _may_hold_layers(v):
                return []
            continue
        for item in v.items if isinstance(v, Seq) else (v,):
            if isinstance(item, ModelValue):
                return []
            row = _layer_row(item)
            if row is not None:
                rows.append(row)
    return rows


def _layer_row(v: Value) -> tuple[str, Shape, int | None] | None:
    if isinstance(v, LayerValue) and v.built_shape is not None:
        out = v.output_shape if isinstance(v.output_shape, tuple) and not (
            v.output_shape and isinstance(v.output_shape[0], tuple)) else None
        return (v.rule.name, out, v.params)
    if isinstance(v, Instance) and is_keras_subclass(v.cls):
        weights = layer_weights(v, 1)
        sizes = [_size(w.shape) for w in weights] if weights is not None else [None]
        return (v.cls.node.name, None, None if None in sizes else
                sum(s for s in sizes if s is not None))
    return None


def _may_hold_layers(v: Value) -> bool:
    """A container that holds, or may hold, a layer or model (an element unknown here)."""
    if isinstance(v, ListOf):
        return _may_hold_layers(v.element)
    if isinstance(v, Seq):
        return any(_may_hold_layers(i) for i in v.items)
    if isinstance(v, DictValue):
        return any(_may_hold_layers(val) for _, val in v.items)
    return v is UNKNOWN or isinstance(v, LayerValue | ModelValue | Instance)


def _size(shape: Shape) -> int | None:
    if shape is None or not all(isinstance(d, int) for d in shape):
        return None
    total = 1
    for d in shape:
        assert isinstance(d, int)
        total *= d
    return total


def layer_mask(layer: LayerValue, inputs: Value) -> Value:
    """``embedding.compute_mask(inputs)``: with ``mask_zero=True`` a boolean tensor shaped
    like the token ids (``inputs != 0``), without it ``None``; other layers: unknown."""
    if layer.rule.name != "Embedding":
        return UNKNOWN
    flag = layer.config.arg(6, "mask_zero", Const(False))
    if flag == Const(False):
        return NONE
    if flag != Const(True) or not isinstance(inputs, Tensor):
        return UNKNOWN
    return Tensor(inputs.shape, "bool", "keras" if inputs.kind == "keras" else "tensor",
                  origin="compute_mask")


def functional_arguments(args: list[Value], kwargs: dict[str, Value]) -> bool:
    """``keras.Model.__init__(inputs, outputs)``: symbolic inputs and outputs (a tensor or a
    list of them each), the functional form a subclass may be built in."""
    inputs = kwargs.get("inputs", args[0] if args else UNKNOWN)
    outputs = kwargs.get("outputs", args[1] if len(args) > 1 else UNKNOWN)
    return all(_symbolic(v) for v in (inputs, outputs))


def _symbolic(value: Value) -> bool:
    items = value.items if isinstance(value, Seq) else (value,)
    return bool(items) and all(isinstance(v, Tensor) and v.kind == "keras" for v in items)


def forwards_to_keras(init: Function) -> bool:
    """An ``__init__(self, *args, **kwargs)`` whose body hands both on to
    ``super().__init__(*args, **kwargs)``: the arguments reach keras.Model's own."""
    spec = init.node.args
    if not isinstance(init.node, ast.FunctionDef) or spec.vararg is None or \
            spec.kwarg is None or len(spec.posonlyargs) + len(spec.args) != 1 or \
            spec.kwonlyargs:
        return False
    star, double = spec.vararg.arg, spec.kwarg.arg
    for stmt in init.node.body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
                call.func.attr == "__init__" and isinstance(call.func.value, ast.Call) and \
                isinstance(call.func.value.func, ast.Name) and \
                call.func.value.func.id == "super" and \
                [ast.dump(a) for a in call.args] == [ast.dump(ast.Starred(
                    ast.Name(star, ast.Load()), ast.Load()))] and \
                [(k.arg, ast.dump(k.value)) for k in call.keywords] == [
                    (None, ast.dump(ast.Name(double, ast.Load())))]:
            return True
    return False
