"""The expression part: an ``ast`` expression → an abstract value, in the current scope.

Atoms, containers, comprehensions, attributes, operators and subscripts are evaluated here;
calls are handed to the call part (``calls.py``), library operations to the library door
(``evaluate.py``), attributes of Keras objects to the Keras overlay. Assignment targets are
bound here too (``bind``), since comprehensions bind them as well as statements.
"""

from __future__ import annotations

import ast

from ...domain.names import PY_CONSTANTS, canonical, dtype_from_name
from ...domain.values import (
    NONE,
    UNKNOWN,
    BoundMethod,
    ClassValue,
    Const,
    DictValue,
    DType,
    Function,
    Instance,
    LayerValue,
    ModelValue,
    ModuleNamespace,
    Opaque,
    Ref,
    Seq,
    SliceValue,
    TapeValue,
    Tensor,
    Value,
    join,
)
from ...shapefns.api_objects import HOVER_KINDS, LIBRARY_VALUES
from ..keras.class_methods import class_bound
from ..keras.removed import CODE, removed_attribute
from ..keras.summary import is_model
from .comprehensions import dict_comprehension, element_of, list_comprehension
from .dispatch import table
from .library_hooks import dtype_limit, hooked_call, index_expression, traced_function
from .mutation import MUTATORS, changed, is_list, store
from .operators import BINOPS, CMPOPS, bounded_binop, dim_value, python_binop
from .scope import BUILTIN_NAMES, class_member
from .truth import known_truth

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..evaluate import Overlays
    from .ports import CallsApi, KerasApi, LibraryApi, ProvenanceApi
    from .state import RunState

_RECORDED = (ast.Name, ast.Call, ast.Attribute, ast.Subscript, ast.BinOp)


class Expressions:
    """Evaluates expressions; handed the run state, the library door and provenance, and
    linked to the call part and the Keras overlay once they exist (they call back here)."""

    calls: CallsApi
    keras: KerasApi

    def __init__(self, state: RunState, library: LibraryApi, overlays: Overlays,
                 provenance: ProvenanceApi) -> None:
        self.state = state
        self.library = library
        self.overlays = overlays
        self.provenance = provenance
        self._dispatch: dict[type, Callable[[Any], Value]] = table(self, "eval_")

    # ------------------------------------------------------------------ entry point
    def eval(self, node: ast.expr | None) -> Value:
        if node is None:
            return NONE
        method = self._dispatch.get(node.__class__)
        value = method(node) if method is not None else UNKNOWN
        self.state.unshared.pop(id(value), None)  # read: it may now be held elsewhere too
        shown = isinstance(value, Tensor) or (type(value) is Opaque and value.kind in HOVER_KINDS)
        if shown and isinstance(node, _RECORDED) and not self.state.foreign:  # for hover
            key = (node.lineno, node.col_offset, node.end_lineno or node.lineno,
                   node.end_col_offset or node.col_offset)
            self.state.expressions.setdefault(key, value)
        return value

    # ------------------------------------------------------------------ atoms
    def eval_Constant(self, node: ast.Constant) -> Value:
        return Const(node.value)

    def eval_Name(self, node: ast.Name) -> Value:
        value = self.state.scope.lookup(node.id)
        if value is not None:
            return value
        if node.id in BUILTIN_NAMES:
            return Ref("builtins." + node.id)
        return UNKNOWN

    def eval_Tuple(self, node: ast.Tuple) -> Value:
        return self._sequence(node.elts, "tuple")

    def eval_List(self, node: ast.List) -> Value:
        return self._sequence(node.elts, "list")

    def _sequence(self, elts: list[ast.expr], kind: str) -> Value:
        items: list[Value] = []
        for e in elts:
            if isinstance(e, ast.Starred):
                spliced = self.eval(e.value)
                if not isinstance(spliced, Seq):
                    return UNKNOWN
                items += spliced.items
            else:
                items.append(self.eval(e))
        return Seq(tuple(items), kind)

    def eval_Dict(self, node: ast.Dict) -> Value:
        if any(k is None for k in node.keys):
            return UNKNOWN
        return DictValue(tuple((self.eval(k), self.eval(v)) for k, v in zip(node.keys,
                                                                             node.values)))

    def eval_DictComp(self, node: ast.DictComp) -> Value:
        return dict_comprehension(self, node)

    def eval_Slice(self, node: ast.Slice) -> Value:
        return SliceValue(self.eval(node.lower), self.eval(node.upper), self.eval(node.step))

    def eval_IfExp(self, node: ast.IfExp) -> Value:
        known = known_truth(self.eval(node.test), self.state)
        if known is not None:
            return self.eval(node.body if known else node.orelse)
        return join(self.eval(node.body), self.eval(node.orelse))

    def eval_Lambda(self, node: ast.Lambda) -> Value:
        defaults = tuple(self.eval(d) for d in node.args.defaults)
        return Function(node, self.state.scope, defaults)

    def eval_ListComp(self, node: ast.ListComp) -> Value:
        return list_comprehension(self, node)

    def element_of(self, iterable: Value) -> Value:
        """The value of one (any) element of an iterable."""
        return element_of(self, iterable)

    def eval_JoinedStr(self, node: ast.JoinedStr) -> Value:
        return UNKNOWN

    # ------------------------------------------------------------------ attributes
    def eval_Attribute(self, node: ast.Attribute) -> Value:
        base = self.eval(node.value)
        if node.attr in ("trainable_variables", "trainable_weights") and is_model(base):
            # The weights are provenance's: maybe proven empty (a model not built yet).
            return self.provenance.trainable_variables(base, node)
        limit = dtype_limit(self, node, base)  # tf.float16.max: library_hooks.py
        if limit is not None:
            return limit
        removed = removed_attribute(base, node, self.state.tree)  # metric.reset_states: SL214
        if removed is not None:
            self.state.report(CODE, removed[0], node, fix=removed[1])
            return UNKNOWN
        return self.attribute(base, node.attr)

    def attribute(self, base: Value, attr: str) -> Value:
        if attr == "get_concrete_function" and traced_function(base):
            return BoundMethod(base, attr)  # (its call: library_hooks.py)
        if isinstance(base, ModuleNamespace):
            return base.vars.get(attr, UNKNOWN)
        if isinstance(base, Ref):
            return _library_attribute(base, attr)
        if isinstance(base, Tensor):
            return self._tensor_attribute(base, attr)
        if attr in ("index", "count") and isinstance(base, Seq) and base.kind in ("list", "tuple"):
            return BoundMethod(base, attr)  # (its call: library_hooks.py)
        if attr in MUTATORS and is_list(base):
            return BoundMethod(base, attr)  # ``xs.pop()`` in an expression (calls.py)
        if isinstance(base, Seq):
            if base.kind == "shape" and attr == "rank":
                return Const(len(base.items))
            if base.kind == "topk" and attr in ("values", "indices"):
                return base.items[0 if attr == "values" else 1]
            return BoundMethod(base, attr) if base.kind == "shape" else UNKNOWN
        if isinstance(base, Const) and isinstance(base.value, str):
            return BoundMethod(base, attr)
        if isinstance(base, Instance):
            if attr in base.attrs:
                return base.attrs[attr]
            member = class_member(base.cls, attr)
            if isinstance(member, Function):
                return BoundMethod(base, attr)
            return member if member is not None else self.keras.attribute(base, attr)
        if isinstance(base, ClassValue):
            member = class_member(base, attr)
            if class_bound(base, attr, member):  # a classmethod, Keras' from_config
                return BoundMethod(base, attr)  # (its call: library_hooks.py)
            return member if member is not None else UNKNOWN
        if isinstance(base, LayerValue | ModelValue):
            return self.keras.attribute(base, attr)
        if isinstance(base, TapeValue | Opaque):
            return self.overlays.get_attribute(base, attr)
        return UNKNOWN

    def _tensor_attribute(self, t: Tensor, attr: str) -> Value:
        if attr == "shape":
            if t.shape is None:
                return UNKNOWN
            return Seq(tuple(dim_value(d) for d in t.shape),
                       "tuple" if t.kind == "ndarray" else "shape")
        if attr == "ndim":
            return UNKNOWN if t.shape is None else Const(len(t.shape))
        if attr == "dtype":
            return DType(t.dtype) if t.dtype else UNKNOWN
        if attr == "T":
            return self.library.call_library("ndarray.T", [t], {}, None,
                                             numpy=t.kind == "ndarray")
        if attr == "size" and t.kind == "ndarray":
            return self.library.call_library("np.size", [t], {}, None)
        composite = self.overlays.attributes.get(t.kind)  # ragged/sparse: overlays/composite
        return (composite(t, attr) if composite else None) or BoundMethod(t, attr)

    # ------------------------------------------------------------------ operators
    def eval_BinOp(self, node: ast.BinOp) -> Value:
        left, right = self.eval(node.left), self.eval(node.right)
        name = BINOPS.get(type(node.op))
        if name is None:
            return UNKNOWN
        return self.binary(name, left, right, node)

    def binary(self, name: str, left: Value, right: Value, node: ast.AST) -> Value:
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            return self.library.call_library(f"operator.{name}", [left, right], {}, node)
        if isinstance(left, Const) and isinstance(right, Const):
            return python_binop(name, left.value, right.value)
        if isinstance(left, Seq) and isinstance(right, Seq) and name == "add":
            return Seq(left.items + right.items, left.kind if left.kind != "shape" else "tuple")
        if isinstance(left, Seq) and isinstance(right, Const) and name == "mul" and \
                isinstance(right.value, int) and 0 <= right.value <= 64:
            return Seq(left.items * right.value, left.kind)
        return bounded_binop(name, left, right)

    def eval_UnaryOp(self, node: ast.UnaryOp) -> Value:
        operand = self.eval(node.operand)
        if isinstance(node.op, ast.Not):
            return Const(not operand.value) if isinstance(operand, Const) else UNKNOWN
        if isinstance(operand, Const) and isinstance(operand.value, int | float | complex):
            if isinstance(node.op, ast.USub):
                return Const(-operand.value)
            if isinstance(node.op, ast.UAdd):
                return operand
            if isinstance(node.op, ast.Invert) and isinstance(operand.value, int):
                return Const(~operand.value)
        if isinstance(operand, Tensor):
            result = Tensor(operand.shape, operand.dtype,
                            operand.kind if operand.kind in ("ndarray", "ragged") else "tensor",
                            origin="unary operator")
            return self.provenance.op_result("operator.neg", [operand], {}, result)
        return UNKNOWN

    def eval_Compare(self, node: ast.Compare) -> Value:
        if len(node.ops) != 1:
            return UNKNOWN
        left, right = self.eval(node.left), self.eval(node.comparators[0])
        op_type = type(node.ops[0])
        if op_type in (ast.Is, ast.IsNot):
            same: bool | None = None
            if isinstance(left, Const) and isinstance(right, Const):
                same = left.value is right.value
            elif NONE in (left, right) and isinstance(right if left == NONE else left, Tensor):
                same = False  # a tensor is never None
            return UNKNOWN if same is None else Const(same if op_type is ast.Is else not same)
        name = CMPOPS.get(op_type)
        if name is None:
            return UNKNOWN
        return self.binary(name, left, right, node)

    def eval_BoolOp(self, node: ast.BoolOp) -> Value:
        values = [self.eval(v) for v in node.values]
        consts = [v for v in values if isinstance(v, Const)]
        if len(consts) == len(values):
            result: Any = consts[0].value
            for v in consts[1:]:
                result = (result and v.value) if isinstance(node.op, ast.And) \
                    else (result or v.value)
            return Const(result) if isinstance(result, bool | int | str | None) else UNKNOWN
        return UNKNOWN

    # ------------------------------------------------------------------ subscripts
    def eval_Subscript(self, node: ast.Subscript) -> Value:
        base = self.eval(node.value)
        index = self.eval(node.slice)
        spelled = index_expression(base, index)  # np.s_[...]: library_hooks.py
        if spelled is not None:
            return spelled
        if isinstance(base, Tensor):
            return self.library.call_library("operator.getitem", [base, index], {}, node,
                                             numpy=base.kind == "ndarray")
        if isinstance(base, DictValue):
            found = base.get(index) if isinstance(index, Const) else None
            return found if found is not None else UNKNOWN
        if isinstance(base, Seq):
            if isinstance(index, Const) and isinstance(index.value, int) and \
                    not isinstance(index.value, bool):
                i = index.value
                return base.items[i] if -len(base.items) <= i < len(base.items) else UNKNOWN
            if isinstance(index, SliceValue):
                bounds = [v.value if isinstance(v, Const) else UNKNOWN
                          for v in (index.start, index.stop, index.step)]
                if all(b is None or isinstance(b, int) for b in bounds) and bounds[2] != 0:
                    items = base.items[slice(*bounds)]  # type: ignore[misc]
                    return Seq(items, base.kind)
        return UNKNOWN

    # ------------------------------------------------------------------ calls
    def eval_Call(self, node: ast.Call) -> Value:
        func = self.eval(node.func)
        if any(isinstance(a, ast.Starred) for a in node.args):
            for a in node.args:
                self.eval(a.value if isinstance(a, ast.Starred) else a)
            return UNKNOWN
        args = [self.eval(a) for a in node.args]
        kwargs: dict[str, Value] = {}
        for kw in node.keywords:
            value = self.eval(kw.value)
            if kw.arg is None:
                return UNKNOWN
            kwargs[kw.arg] = value
        hooked = hooked_call(self, func, args, kwargs, node)  # library_hooks.py
        return hooked if hooked is not None else self.calls.call_value(func, args, kwargs, node)

    # ------------------------------------------------------------------ targets
    def bind(self, target: ast.expr, value: Value) -> None:
        """Bind an assignment (or loop, comprehension, ``with``) target to ``value``."""
        if isinstance(target, ast.Name):
            self.state.scope.vars[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            starred = any(isinstance(e, ast.Starred) for e in target.elts)
            parts = starred_parts(target.elts, value) if starred else \
                self.unpack(value, len(target.elts))
            for i, elt in enumerate(target.elts):
                part = UNKNOWN if parts is None else parts[i]
                self.bind(elt.value if isinstance(elt, ast.Starred) else elt, part)
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value)
            if isinstance(owner, Instance):
                owner.attrs[target.attr] = value
        elif isinstance(target, ast.Subscript):
            base = self.eval(target.value)
            if is_list(base):  # ``xs[i] = v`` changes the list in place: its holders see it
                new = store(base, self.eval(target.slice), value)
                changed(self.state, base, new, target.value)

    def unpack(self, value: Value, n: int) -> list[Value] | None:
        if isinstance(value, Seq) and len(value.items) == n:
            return list(value.items)
        if isinstance(value, Tensor) and value.shape and value.shape[0] == n:
            return [self.library.call_library("operator.getitem", [value, Const(i)], {}, None,
                                              numpy=value.kind == "ndarray")
                    for i in range(n)]
        return None


def starred_parts(elts: list[ast.expr], value: Value) -> list[Value] | None:
    """``a, *rest = value`` of a list or tuple of known length: one value per target, the
    starred one a list of the items it takes (``x, *state = rnn(seq)``); None otherwise."""
    star = [i for i, e in enumerate(elts) if isinstance(e, ast.Starred)]
    if len(star) != 1 or not isinstance(value, Seq) or value.kind not in ("list", "tuple") or \
            len(value.items) < len(elts) - 1:
        return None
    k, items = star[0], list(value.items)
    end = len(items) - (len(elts) - 1 - k)
    return [*items[:k], Seq(tuple(items[k:end]), "list"), *items[end:]]


def _library_attribute(base: Ref, attr: str) -> Value:
    """``tf.float32``, ``np.newaxis``, ``math.pi``, or a longer qualified name."""
    name = canonical(f"{base.name}.{attr}")
    dtype = dtype_from_name(name)
    if dtype is not None:
        return DType(dtype)
    if name in PY_CONSTANTS:
        return Const(PY_CONSTANTS[name])
    return LIBRARY_VALUES.get(name, Ref(name))  # newaxis: None; tf.__version__: a str
