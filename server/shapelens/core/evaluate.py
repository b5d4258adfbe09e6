"""Expression evaluation: an ``ast`` expression → an abstract value.

Library calls go through the shape-function table; a ``ShapeError`` becomes a finding at the
call and the result becomes unknown (as the real program would stop there). User functions
are analysed by the statement interpreter (``execute.py``), which subclasses this.
"""

from __future__ import annotations

import ast
import operator

from ..shapefns import Call, ShapeError, lookup
from ..structs import replace
from .lazylog import logger
from .module_facts import discarded_calls, numpy_promotion
from .names import PY_CONSTANTS, canonical, dtype_from_name
from .scope import BUILTIN_NAMES, Scope
from .shapes import DYNAMIC
from .values import (
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
    ListOf,
    ModelValue,
    ModuleNamespace,
    Opaque,
    Ref,
    Seq,
    SliceValue,
    SymDim,
    TapeValue,
    Tensor,
    Value,
    join,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

log = logger(__name__)

_BINOPS: dict[type[ast.operator], str] = {
    ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "truediv",
    ast.FloorDiv: "floordiv", ast.Mod: "mod", ast.Pow: "pow", ast.MatMult: "matmul",
    ast.BitAnd: "and_", ast.BitOr: "or_", ast.BitXor: "xor",
}
_CMPOPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge",
}
_PY_OPS: dict[str, Any] = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow,
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge, "and_": operator.and_, "or_": operator.or_,
    "xor": operator.xor,
}
_RECORDED = (ast.Name, ast.Call, ast.Attribute, ast.Subscript, ast.BinOp)
_TENSOR_METHOD_PREFIX = {"ndarray": "ndarray", "tensor": "Tensor", "variable": "Tensor",
                         "keras": "Tensor"}


def _dim_value(d: object) -> Value:
    """``x.shape[i]`` as a Python value: ``None`` only for a proven dynamic dim."""
    if isinstance(d, int):
        return Const(d)
    if isinstance(d, str):
        return SymDim(d)
    return NONE if d is DYNAMIC else UNKNOWN


class Evaluator:
    """Evaluates expressions in ``self.scope``; reports through ``self.report``."""

    scope: Scope
    tree: ast.Module
    foreign = 0  # > 0 while running code of another module (nothing is recorded)
    expressions: dict[tuple[int, int, int, int], Value]
    failed_rules: set[str]
    findings: dict[tuple[int, int, str], Any]

    # Provided by the interpreter.
    def report(self, code: str, message: str, node: ast.AST, fix: Any = None,
               severity: str | None = None, alternatives: tuple[Any, ...] = (),
               related: Any = ()) -> None:
        raise NotImplementedError

    def call_function(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                      node: ast.AST) -> Value:
        raise NotImplementedError

    def instantiate(self, cls: ClassValue, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST) -> Value:
        raise NotImplementedError

    # Keras hooks (KerasMixin overrides them).
    def library_object(self, name: str, args: list[Value], kwargs: dict[str, Value],
                       node: ast.AST | None) -> Value | None:
        return None

    def call_keras(self, func: Value, args: list[Value], kwargs: dict[str, Value],
                   node: ast.AST) -> Value:
        return UNKNOWN

    def keras_method(self, receiver: Value, name: str, args: list[Value],
                     kwargs: dict[str, Value], node: ast.AST) -> Value:
        return UNKNOWN

    def keras_attribute(self, base: Value, attr: str) -> Value:
        return UNKNOWN

    # Gradient-tracking hooks (TapeMixin overrides them).
    def track(self, name: str, args: list[Value], kwargs: dict[str, Value],
              result: Value) -> Value:
        return result

    def enter_context(self, value: Value) -> Value:
        return UNKNOWN

    def exit_context(self, value: Value) -> None:
        return None

    def other_method(self, receiver: Value, name: str, args: list[Value],
                     kwargs: dict[str, Value], node: ast.AST) -> Value:
        return UNKNOWN

    def layer_deps(self, owner: object, inputs: list[Value], out: Value) -> Value:
        return out

    def left_tf(self, value: Value, how: str) -> Value:
        return value

    def on_assign(self, variable: Value, args: list[Value]) -> None:
        return None

    # ------------------------------------------------------------------ entry point
    def eval(self, node: ast.expr | None) -> Value:
        if node is None:
            return NONE
        method = getattr(self, "eval_" + node.__class__.__name__, None)
        value = method(node) if method is not None else UNKNOWN
        if isinstance(value, Tensor) and isinstance(node, _RECORDED) and not self.foreign:
            key = (node.lineno, node.col_offset, node.end_lineno or node.lineno,
                   node.end_col_offset or node.col_offset)
            self.expressions.setdefault(key, value)
        return value

    # ------------------------------------------------------------------ atoms
    def eval_Constant(self, node: ast.Constant) -> Value:
        return Const(node.value)

    def eval_Name(self, node: ast.Name) -> Value:
        value = self.scope.lookup(node.id)
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
        gen = node.generators[0]
        iterable = self.eval(gen.iter)
        if len(node.generators) != 1 or gen.ifs or not isinstance(iterable, Seq) or \
                len(iterable.items) > 256:
            return UNKNOWN
        outer = self.scope
        self.scope = Scope({}, outer)
        try:
            pairs = []
            for item in iterable.items:
                self.bind(gen.target, item)
                pairs.append((self.eval(node.key), self.eval(node.value)))
            return DictValue(tuple(pairs))
        finally:
            self.scope = outer

    def eval_Slice(self, node: ast.Slice) -> Value:
        return SliceValue(self.eval(node.lower), self.eval(node.upper), self.eval(node.step))

    def eval_IfExp(self, node: ast.IfExp) -> Value:
        test = self.eval(node.test)
        if isinstance(test, Const):
            return self.eval(node.body if test.value else node.orelse)
        return join(self.eval(node.body), self.eval(node.orelse))

    def eval_Lambda(self, node: ast.Lambda) -> Value:
        defaults = tuple(self.eval(d) for d in node.args.defaults)
        return Function(node, self.scope, defaults)

    def eval_ListComp(self, node: ast.ListComp) -> Value:
        """Known-length iterables without filters give a Seq; otherwise a ListOf."""
        outer = self.scope
        self.scope = Scope({}, outer)
        try:
            gen = node.generators[0]
            iterable = self.eval(gen.iter)
            if len(node.generators) == 1 and not gen.ifs and isinstance(iterable, Seq) \
                    and len(iterable.items) <= 64:
                items = []
                for item in iterable.items:
                    self.bind(gen.target, item)
                    items.append(self.eval(node.elt))
                return Seq(tuple(items), "list")
            for i, g in enumerate(node.generators):
                source = iterable if i == 0 else self.eval(g.iter)
                self.bind(g.target, self.element_of(source))
                for cond in g.ifs:
                    test = self.eval(cond)
                    if isinstance(test, Const) and not test.value:
                        return Seq((), "list")  # the filter rejects every element
            return ListOf(self.eval(node.elt))
        finally:
            self.scope = outer

    def element_of(self, iterable: Value) -> Value:
        """The value of one (any) element of an iterable."""
        if isinstance(iterable, ListOf):
            return iterable.element
        if isinstance(iterable, Seq) and iterable.items:
            element = iterable.items[0]
            for other in iterable.items[1:]:
                element = join(element, other)
            return element
        if isinstance(iterable, Tensor) and iterable.shape:
            return self.call_library("operator.getitem", [iterable, Const(0)], {}, None,
                                     numpy=iterable.kind == "ndarray")
        return UNKNOWN

    def bind(self, target: ast.expr, value: Value) -> None:
        raise NotImplementedError

    def eval_JoinedStr(self, node: ast.JoinedStr) -> Value:
        return UNKNOWN

    # ------------------------------------------------------------------ attributes
    def eval_Attribute(self, node: ast.Attribute) -> Value:
        return self.attribute(self.eval(node.value), node.attr)

    def attribute(self, base: Value, attr: str) -> Value:
        if isinstance(base, ModuleNamespace):
            return base.vars.get(attr, UNKNOWN)
        if isinstance(base, Ref):
            name = canonical(f"{base.name}.{attr}")
            dtype = dtype_from_name(name)
            if dtype is not None:
                return DType(dtype)
            if name in ("tf.newaxis", "np.newaxis", "tnp.newaxis"):
                return NONE
            if name in PY_CONSTANTS:
                return Const(PY_CONSTANTS[name])
            return Ref(name)
        if isinstance(base, Tensor):
            return self._tensor_attribute(base, attr)
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
            member = self._class_member(base.cls, attr)
            if isinstance(member, Function):
                return BoundMethod(base, attr)
            return member if member is not None else UNKNOWN
        if isinstance(base, ClassValue):
            member = self._class_member(base, attr)
            return member if member is not None else UNKNOWN
        if isinstance(base, LayerValue | ModelValue):
            return self.keras_attribute(base, attr)
        if isinstance(base, TapeValue | Opaque):
            return BoundMethod(base, attr)
        return UNKNOWN

    def _class_member(self, cls: ClassValue, attr: str) -> Value | None:
        if attr in cls.attrs:
            return cls.attrs[attr]
        for base in cls.bases:
            if isinstance(base, ClassValue):
                found = self._class_member(base, attr)
                if found is not None:
                    return found
        return None

    def _tensor_attribute(self, t: Tensor, attr: str) -> Value:
        if attr == "shape":
            if t.shape is None:
                return UNKNOWN
            return Seq(tuple(_dim_value(d) for d in t.shape),
                       "tuple" if t.kind == "ndarray" else "shape")
        if attr == "ndim":
            return UNKNOWN if t.shape is None else Const(len(t.shape))
        if attr == "dtype":
            return DType(t.dtype) if t.dtype else UNKNOWN
        if attr == "T":
            return self.call_library("ndarray.T", [t], {}, None, numpy=t.kind == "ndarray")
        if attr == "size" and t.kind == "ndarray":
            return self.call_library("np.size", [t], {}, None)
        return BoundMethod(t, attr)

    # ------------------------------------------------------------------ operators
    def eval_BinOp(self, node: ast.BinOp) -> Value:
        left, right = self.eval(node.left), self.eval(node.right)
        name = _BINOPS.get(type(node.op))
        if name is None:
            return UNKNOWN
        return self.binary(name, left, right, node)

    def binary(self, name: str, left: Value, right: Value, node: ast.AST) -> Value:
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            return self.call_library(f"operator.{name}", [left, right], {}, node)
        if isinstance(left, Const) and isinstance(right, Const):
            return _python_binop(name, left.value, right.value)
        if isinstance(left, Seq) and isinstance(right, Seq) and name == "add":
            return Seq(left.items + right.items, left.kind if left.kind != "shape" else "tuple")
        if isinstance(left, Seq) and isinstance(right, Const) and name == "mul" and \
                isinstance(right.value, int) and 0 <= right.value <= 64:
            return Seq(left.items * right.value, left.kind)
        return UNKNOWN

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
                            "ndarray" if operand.kind == "ndarray" else "tensor",
                            origin="unary operator")
            return self.track("operator.neg", [operand], {}, result)
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
        name = _CMPOPS.get(op_type)
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
        if isinstance(base, Tensor):
            return self.call_library("operator.getitem", [base, index], {}, node,
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
        return self.call_value(func, args, kwargs, node)

    def call_value(self, func: Value, args: list[Value], kwargs: dict[str, Value],
                   node: ast.AST) -> Value:
        if isinstance(func, Ref):
            name = func.name
            result = self.call_library(name, args, kwargs, node,
                                       numpy=name.startswith(("np.", "tnp.")))
            if name.startswith("tnp.") and isinstance(result, Tensor):
                return replace(result, kind="tensor")  # NumPy semantics, TF tensors
            return result
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, node)
        if isinstance(func, ClassValue):
            return self.instantiate(func, args, kwargs, node)
        if isinstance(func, DType):  # np.float32(0.5): a NumPy scalar
            scalar = args and isinstance(args[0], Const)
            return Tensor((), func.name, "ndarray", origin="scalar") if scalar else UNKNOWN
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, node)
        if isinstance(func, LayerValue | ModelValue | Instance):
            return self.call_keras(func, args, kwargs, node)
        if isinstance(func, Opaque) and func.kind.startswith("loss:"):  # a Keras loss object
            pred = args[1] if len(args) > 1 else kwargs.get("y_pred", UNKNOWN)
            if not isinstance(pred, Tensor):
                return UNKNOWN
            loss = Tensor((), "float32", "tensor", origin=func.kind[5:])
            return self.track("keras.loss", args, kwargs, loss)
        return UNKNOWN

    def _in_graph(self) -> bool:
        in_graph = getattr(self, "in_tf_function", None)
        return in_graph is not None and in_graph()

    def _pruned(self, node: ast.AST) -> bool:
        """An op whose value is discarded (an expression statement) inside a ``tf.function``:
        graph execution never runs it, so its kernel's checks never fire."""
        return self._in_graph() and id(node) in discarded_calls(self.tree)

    def call_method(self, method: BoundMethod, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST) -> Value:
        receiver = method.receiver
        if isinstance(receiver, Instance):
            member = self._class_member(receiver.cls, method.name)
            if isinstance(member, Function):
                return self.call_function(member, [receiver, *args], kwargs, node)
            return self.keras_method(receiver, method.name, args, kwargs, node)
        if isinstance(receiver, LayerValue | ModelValue):
            return self.keras_method(receiver, method.name, args, kwargs, node)
        if isinstance(receiver, Tensor):
            prefix = _TENSOR_METHOD_PREFIX.get(receiver.kind, "Tensor")
            if receiver.kind == "variable" and method.name.startswith("assign"):
                self.on_assign(receiver, args)
                return receiver
            return self.call_library(f"{prefix}.{method.name}", [receiver, *args], kwargs,
                                     node, numpy=prefix == "ndarray")
        if isinstance(receiver, Const) and isinstance(receiver.value, str):
            return _str_method(receiver.value, method.name, args)
        if isinstance(receiver, Seq) and receiver.kind == "shape":
            return self.call_library(f"TensorShape.{method.name}", [receiver, *args], kwargs,
                                     node)
        return self.other_method(receiver, method.name, args, kwargs, node)

    def call_library(self, name: str, args: list[Value], kwargs: dict[str, Value],
                     node: ast.AST | None, numpy: bool = False) -> Value:
        built = self.library_object(name, args, kwargs, node)
        if built is not None:
            return built
        fn = lookup(name)
        if fn is None:
            return UNKNOWN
        try:
            result = fn(Call(name, args, kwargs, numpy, numpy_promotion(self.tree)))
            if isinstance(result, Tensor):
                result = _symbolic_history(result, args)
            return self.track(name, args, kwargs, result)
        except ShapeError as err:
            if node is not None and not (err.runtime and self._pruned(node)) and \
                    not (err.eager_only and self._in_graph()):
                self.report(err.code, err.message, node)
            return UNKNOWN
        except Exception:  # a bug in one shape function must not stop the analysis
            if name not in self.failed_rules:
                self.failed_rules.add(name)
                log.exception("shape function for %s failed; result left unknown", name)
            return UNKNOWN


def _python_binop(name: str, a: Any, b: Any) -> Value:
    fn = _PY_OPS.get(name)
    if fn is None:
        return UNKNOWN
    if name == "pow" and isinstance(b, int | float) and (abs(b) > 64 or
                                                         (isinstance(a, int) and abs(a) > 2**64)):
        return UNKNOWN
    if name == "mul" and (isinstance(a, str) or isinstance(b, str)):
        return UNKNOWN
    try:
        result = fn(a, b)
    except Exception:  # ZeroDivisionError, TypeError, OverflowError: unknown, not a finding
        return UNKNOWN
    if isinstance(result, int | float | bool | str | complex) or result is None:
        return Const(result)
    return UNKNOWN


_STR_METHODS = frozenset({"split", "lower", "upper", "strip", "lstrip", "rstrip", "replace",
                          "startswith", "endswith", "join"})


def _str_method(text: str, name: str, args: list[Value]) -> Value:
    """Pure ``str`` methods on known strings (tokenisers in preprocessing code)."""
    if name not in _STR_METHODS or len(text) > 10_000:
        return UNKNOWN
    if name == "join":
        seq = args[0] if args else None
        if isinstance(seq, Seq) and all(isinstance(i, Const) and isinstance(i.value, str)
                                        for i in seq.items):
            return Const(text.join(i.value for i in seq.items))  # type: ignore[union-attr]
        return UNKNOWN
    plain = []
    for a in args:
        if not isinstance(a, Const) or not isinstance(a.value, str | int | type(None)):
            return UNKNOWN
        plain.append(a.value)
    try:
        result = getattr(text, name)(*plain)
    except (TypeError, ValueError):
        return UNKNOWN
    if isinstance(result, list):
        return Seq(tuple(Const(r) for r in result[:256]), "list") if len(result) <= 256 \
            else UNKNOWN
    return Const(result)


def _symbolic_history(result: Tensor, args: list[Value]) -> Tensor:
    """Ops on Keras symbolic tensors stay symbolic and remember the layers behind them."""
    history: tuple[object, ...] = ()
    keras = False
    for arg in args:
        items = arg.items if isinstance(arg, Seq) else (arg,)
        for item in items:
            if isinstance(item, Tensor) and item.kind == "keras":
                keras = True
                history += tuple(h for h in item.history if h not in history)
    if not keras:
        return result
    return replace(result, kind="keras", history=history)
