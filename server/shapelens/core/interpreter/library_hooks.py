"""Library values the expression part answers itself, because they need the program's own
functions or the spelling of an expression rather than a shape function's arguments.

* ``f.get_concrete_function(*specs)`` of a ``tf.function``: a concrete function. Called on
  tensors that certainly match its signature (each a tensor of the spec's dtype, every dim
  the spec fixes equal), it gives what ``f`` gives on them; otherwise (a Python argument
  bound at trace time, a ragged spec, an argument that may not match) its calls are unknown.
* ``model.stateless_call(trainable, non_trainable, x)`` of a built Keras model: the model's
  output on ``x`` and the non-trainable variables' new values (unknown); with
  ``return_losses=True`` also the losses (unknown). Keras runs ``call`` there without the
  input checks of ``__call__``: the engine's call runs without findings.
* ``tape.watched_variables()``: a tuple of the variables it watched (which ones, the tape's
  provenance knows, not this value); ``strategy.distribute_datasets_from_function(fn)``:
  ``fn`` called with an ``InputContext``, its dataset kept (as the strategy keeps a dataset).
* ``Cls.method(...)`` of a ``@classmethod`` of the program (``cls`` is the class) and
  ``Cls.from_config(cls_instance.get_config())`` of a Keras subclass: ``keras/class_methods.py``.
* ``xs.index(v)`` / ``xs.count(v)`` of a list or tuple of known constants: an int.
* ``np.s_[...]`` / ``np.index_exp[...]``: the index itself (``index_exp`` always a tuple).
* ``tf.float16.max`` / ``x.dtype.min`` of a TF dtype: a NumPy scalar of a float dtype, a
  Python int of an int dtype (as ``tf.DType.max`` gives them under TF 2.21); other dtypes
  raise TypeError there: unknown.
"""

from __future__ import annotations

import ast

from ...domain.shapes import DYNAMIC
from ...domain.values import (
    UNKNOWN,
    BoundMethod,
    ClassValue,
    Const,
    DType,
    Function,
    Instance,
    ModelValue,
    Opaque,
    Ref,
    Seq,
    TapeValue,
    Tensor,
    Value,
)
from ...shapefns.api_concrete import ConcreteFunctionValue, Spec
from ...shapefns.api_iterators import INPUT_CONTEXT
from ...shapefns.api_objects import STRATEGY
from ...shapefns.tf_data import DATASET, DatasetValue
from ...shapefns.tf_data_sources import TensorSpecValue
from ..keras.class_methods import class_method_call
from .scope import class_member

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    from .ports import CallsApi, KerasApi
    from .state import RunState

    class Evaluator(Protocol):
        """The expression part, as these hooks use it."""

        state: RunState
        calls: CallsApi
        keras: KerasApi

        def eval(self, node: ast.expr | None) -> Value: ...

WATCHED = "py:tuple of tf.Variable"  # tape.watched_variables()
_FLOATS = frozenset({"float16", "float32", "float64"})
_INT_LIMITS = {f"{sign}int{bits}": ((0, 2 ** bits - 1) if sign else
                                     (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1))
               for sign in ("", "u") for bits in (8, 16, 32, 64)}


def traced_function(v: Value) -> bool:
    """A ``tf.function`` (or an instance's method decorated with it)."""
    if isinstance(v, BoundMethod) and isinstance(v.receiver, Instance):
        v = class_member(v.receiver.cls, v.name) or UNKNOWN
    return isinstance(v, Function) and "tf.function" in v.decorators


def hooked_call(ex: Evaluator, func: Value, args: list[Value], kwargs: dict[str, Value],
                node: ast.AST) -> Value | None:
    """The value of a call these hooks answer, or None: the call part's."""
    if isinstance(func, ConcreteFunctionValue):
        return _call_concrete(ex, func, args, kwargs, node)
    if not isinstance(func, BoundMethod):
        return None
    if isinstance(func.receiver, ClassValue):  # Cls.classmethod(...), Cls.from_config(...)
        return class_method_call(ex.calls, func, args, kwargs, node)
    if func.name == "get_concrete_function" and traced_function(func.receiver):
        return ConcreteFunctionValue(func.receiver, None if kwargs else _specs(args))
    if func.name == "stateless_call" and isinstance(func.receiver, ModelValue):
        return _stateless_call(ex, func.receiver, args, kwargs, node)
    if func.name in ("index", "count") and isinstance(func.receiver, Seq) and \
            func.receiver.kind in ("list", "tuple"):
        return _sequence_method(func.receiver, func.name, args, kwargs)
    if func.name == "watched_variables" and isinstance(func.receiver, TapeValue) and \
            not args and not kwargs:
        return Opaque(WATCHED)
    if func.name == "distribute_datasets_from_function" and \
            isinstance(func.receiver, Opaque) and func.receiver.kind == STRATEGY:
        return _datasets_from_function(ex, args, kwargs, node)
    return None


def _sequence_method(seq: Seq, name: str, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``xs.index(v)`` / ``xs.count(v)`` of a list or tuple of known constants (Python's ``==``
    on them); unknown otherwise, or when ``index`` raises ValueError (not found)."""
    if len(args) != 1 or kwargs or not isinstance(args[0], Const) or \
            not all(isinstance(i, Const) for i in seq.items):
        return UNKNOWN
    wanted = args[0].value
    hits = [i for i, item in enumerate(seq.items)
            if isinstance(item, Const) and item.value == wanted]
    if name == "count":
        return Const(len(hits))
    return Const(hits[0]) if hits else UNKNOWN


def _datasets_from_function(ex: Evaluator, args: list[Value], kwargs: dict[str, Value],
                            node: ast.AST) -> Value:
    """``strategy.distribute_datasets_from_function(dataset_fn)``: ``dataset_fn`` called with
    an ``InputContext`` (its per-replica batch size unknown here), its dataset's element kept
    as ``experimental_distribute_dataset`` keeps a dataset's (core/overlays/higher_order.py)."""
    fn = args[0] if args else kwargs.get("dataset_fn", UNKNOWN)
    if fn is UNKNOWN or len(args) > 2:
        return UNKNOWN
    out = ex.calls.call_value(fn, [Opaque(INPUT_CONTEXT)], {}, node)
    return DatasetValue(out.element) if isinstance(out, DatasetValue) and \
        out.kind == DATASET else UNKNOWN


def _specs(args: list[Value]) -> tuple[Spec, ...] | None:
    """The signature a concrete function was traced for, when every argument is a fully
    known tensor or a ``tf.TensorSpec`` of a known dtype."""
    specs = [(a.shape, a.dtype or "") for a in args
             if isinstance(a, TensorSpecValue | Tensor) and _traceable(a)]
    return tuple(specs) if len(specs) == len(args) else None


def _traceable(a: TensorSpecValue | Tensor) -> bool:
    """A ``tf.TensorSpec`` of a known dtype, or a tensor of known dtype and dims."""
    if isinstance(a, TensorSpecValue):
        return a.dtype is not None
    return isinstance(a, Tensor) and a.kind == "tensor" and a.dtype is not None and \
        a.shape is not None and all(type(d) is int for d in a.shape)


def _matches(arg: Value, spec: Spec) -> bool:
    """``arg`` certainly fits the spec: a tensor of its dtype, each fixed dim equal."""
    shape, dtype = spec
    if not isinstance(arg, Tensor) or arg.kind != "tensor" or arg.dtype != dtype:
        return False
    if shape is None:
        return True
    if arg.shape is None or len(arg.shape) != len(shape):
        return False
    return all(s is DYNAMIC or (type(s) is int and type(d) is int and s == d)
               for s, d in zip(shape, arg.shape))


def _call_concrete(ex: Evaluator, cf: ConcreteFunctionValue, args: list[Value],
                   kwargs: dict[str, Value], node: ast.AST) -> Value:
    specs = cf.specs
    if specs is None or kwargs or len(args) != len(specs) or \
            not all(_matches(a, s) for a, s in zip(args, specs)):
        return UNKNOWN
    return ex.calls.call_value(cf.target, args, {}, node)


def _stateless_call(ex: Evaluator, model: ModelValue, args: list[Value],
                    kwargs: dict[str, Value], node: ast.AST) -> Value:
    """``(outputs, non_trainable_variables[, losses])`` of a built model, else unknown."""
    extra = set(kwargs) - {"training", "return_losses"}
    losses = kwargs.get("return_losses", Const(False))
    if not model.built or len(args) != 3 or extra or not isinstance(losses, Const) or \
            not isinstance(args[2], Tensor):
        return UNKNOWN
    ex.state.dead += 1  # Keras runs ``call`` directly: no input check of ``__call__`` here
    try:
        out = ex.keras.call(model, [args[2]], {}, node)
    finally:
        ex.state.dead -= 1
    if out is UNKNOWN:
        return UNKNOWN
    return Seq((out, UNKNOWN, UNKNOWN) if losses.value else (out, UNKNOWN), "tuple")


def index_expression(base: Value, index: Value) -> Value | None:
    """``np.s_[index]`` (the index) and ``np.index_exp[index]`` (a tuple), else None."""
    if isinstance(base, Ref) and base.name in ("np.s_", "np.index_exp") and \
            index is not UNKNOWN:
        tupled = base.name == "np.index_exp" and not (isinstance(index, Seq) and
                                                      index.kind == "tuple")
        return Seq((index,), "tuple") if tupled else index
    return None


def dtype_limit(ex: Evaluator, node: ast.Attribute, base: Value) -> Value | None:
    """``tf.float16.max`` / ``x.dtype.min`` of a TF dtype (NumPy's dtypes have no such
    attribute), else None."""
    if node.attr not in ("max", "min") or not isinstance(base, DType) or \
            not isinstance(node.value, ast.Attribute) or not _plain(node.value.value):
        return None
    owner = ex.eval(node.value.value)  # a name or attribute chain: no effect to repeat
    tf_dtype = (isinstance(owner, Ref) and owner.name in ("tf", "tf.dtypes")) or \
        (isinstance(owner, Tensor) and node.value.attr == "dtype" and
         owner.kind in ("tensor", "variable"))
    if not tf_dtype:
        return None
    if base.name in _FLOATS:
        return Tensor((), base.name, "ndarray", origin=f"tf.{base.name}.{node.attr}")
    limits = _INT_LIMITS.get(base.name)
    return None if limits is None else Const(limits[node.attr == "max"])


def _plain(node: ast.expr) -> bool:
    """A name or a chain of attributes of one (evaluating it again changes nothing)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)
