"""Python operators and ``str`` methods on known constants: plain functions, no state.

Operators on tensors go to the shape-function table (``operator.add``...); on known Python
values they are computed here, and anything that would raise or grow without bound is
unknown (never a finding: Python's own errors are not ours to prove).
"""

from __future__ import annotations

import ast
import itertools
import operator
from collections.abc import Callable

from ...domain.shapes import DYNAMIC
from ...domain.values import NONE, UNKNOWN, Const, IntIn, Ref, Seq, SymDim, Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

BINOPS: dict[type[ast.operator], str] = {
    ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "truediv",
    ast.FloorDiv: "floordiv", ast.Mod: "mod", ast.Pow: "pow", ast.MatMult: "matmul",
    ast.BitAnd: "and_", ast.BitOr: "or_", ast.BitXor: "xor",
}
CMPOPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge",
}
_PY_OPS: dict[str, Any] = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow,
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge, "and_": operator.and_, "or_": operator.or_,
    "xor": operator.xor,
}
_STR_METHODS = frozenset({"split", "lower", "upper", "strip", "lstrip", "rstrip", "replace",
                          "startswith", "endswith", "join"})


def dim_value(d: object) -> Value:
    """``x.shape[i]`` as a Python value: ``None`` only for a proven dynamic dim."""
    if isinstance(d, int):
        return Const(d)
    if isinstance(d, str):
        return SymDim(d)
    return NONE if d is DYNAMIC else UNKNOWN


def python_binop(name: str, a: Any, b: Any) -> Value:
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


def str_method(text: str, name: str, args: list[Value]) -> Value:
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


MAX_ALIKE_ITEMS = 10_000  # a longer comprehension keeps no length (a tuple of its items)


def comprehension_length(iterable: Value, node: ast.expr,
                         evaluate: Callable[[ast.expr], Value]) -> int | None:
    """How many items a one-generator comprehension without filters makes, when its items
    are not enumerated: a long known sequence, or ``range`` of known ints (which the analyzer
    does not enumerate beyond 16 items; its arguments, plain names and constants, are
    evaluated again); None if not known."""
    if isinstance(iterable, Seq):
        n = len(iterable.items)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            not node.keywords and 0 < len(node.args) <= 3 and \
            all(isinstance(a, ast.Name | ast.Constant) for a in node.args) and \
            evaluate(node.func) == Ref("builtins.range"):
        bounds = [evaluate(a) for a in node.args]
        if not all(isinstance(b, Const) and type(b.value) is int for b in bounds):
            return None
        n = len(range(*(b.value for b in bounds)))  # type: ignore[union-attr]
    else:
        return None
    return n if n <= MAX_ALIKE_ITEMS else None


_SYMBOLS = itertools.count(1)


def bounded_binop(name: str, left: Value, right: Value) -> Value:
    """``i % m`` of an int not known, by a known ``m > 0``: in ``[0, m - 1]`` (Python's ``%``
    takes the divisor's sign; a float or str there would make the slice it may reach fail
    in Python first); ``o + k`` / ``o - k`` of such a value keep its symbol. Otherwise
    unknown."""
    if name == "mod" and not isinstance(left, Const) and isinstance(right, Const) and \
            type(right.value) is int and right.value > 0:
        return IntIn(next(_SYMBOLS), 0, 0, right.value - 1)
    if name in ("add", "sub") and isinstance(left, IntIn) and isinstance(right, Const) and \
            type(right.value) is int:
        k = right.value if name == "add" else -right.value
        return IntIn(left.symbol, left.delta + k, left.lo + k, left.hi + k)
    if name == "add" and isinstance(right, IntIn) and isinstance(left, Const) and \
            type(left.value) is int:
        return bounded_binop(name, right, left)
    return UNKNOWN
