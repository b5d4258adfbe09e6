"""SL302 "make the variable floating-point": ``tf.Variable(2)`` -> ``tf.Variable(2.0)``.

A tape only watches floating-point variables, so an integer ``tf.Variable`` never gets a
gradient. The engine gives ``name`` (the source as written); the fix edits the ``name =
tf.Variable(...)`` assignment closest before the finding (the one a reader would look at):

* integer literals in the initial value become float literals (``2`` -> ``2.0``, also inside
  lists and tuples, and ``-3`` -> ``-3.0``);
* an integer or boolean ``dtype=`` becomes ``float32`` (spelled like the original);
* any other initial value is wrapped in ``tf.cast(..., tf.float32)`` (only when the call is
  ``<module>.Variable``, so the cast can be spelled with the same module).

The fix is **unsafe**: the rest of the program may rely on the integer dtype (an
``assign_sub`` of an integer tensor then raises, an index built from the variable changes
type), so ``check --fix`` applies it only with ``--unsafe-fixes``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

import libcst as cst

from ..core.results import Finding
from ._cst import (
    DOTTED_NAME,
    FixTransformer,
    FixVisitor,
    arg,
    callee,
    code,
    dotted,
    parse,
    transform,
)
from .base import Edit, register
from .bindings import dotted as ast_dotted
from .scope import ModuleIndex

FIX_ID = "float-variable"
_INT_DTYPE = re.compile(r"(u?int(8|16|32|64)|bool)\Z")
_DECIMAL_INT = re.compile(r"[0-9][0-9_]*\Z")


def _float_literal(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``node`` with every decimal int literal made float; None if it is not such a literal
    (or a list/tuple of them)."""
    if isinstance(node, cst.Integer):
        if not _DECIMAL_INT.match(node.value):
            return None
        return cst.Float(f"{node.value}.0", lpar=node.lpar, rpar=node.rpar)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus | cst.Plus):
        inner = _float_literal(node.expression)
        return None if inner is None else node.with_changes(expression=inner)
    if isinstance(node, cst.List | cst.Tuple) and node.elements:
        out = []
        for element in node.elements:
            if not isinstance(element, cst.Element):
                return None
            value = _float_literal(element.value)
            if value is None:
                return None
            out.append(element.with_changes(value=value))
        return node.with_changes(elements=out)
    return None


def _float_dtype(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``tf.int32`` -> ``tf.float32``, ``"int32"`` -> ``"float32"``; None if not an int dtype."""
    if isinstance(node, cst.Attribute) and _INT_DTYPE.match(node.attr.value):
        return node.with_changes(attr=cst.Name("float32"))
    if isinstance(node, cst.SimpleString) and _INT_DTYPE.match(node.raw_value):
        quote = node.quote
        return node.with_changes(value=f"{node.prefix}{quote}float32{quote}")
    return None


def _is_variable_call(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and callee(node) == "Variable"


class _Locate(FixVisitor):
    """Finds the ``name = ...Variable(...)`` assignment nearest before ``line``."""

    def __init__(self, name: str, line: int) -> None:
        super().__init__()
        self.name, self.limit = name, line
        self.best: cst.Call | None = None
        self.best_line = 0

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or dotted(node.targets[0].target) != self.name or \
                not _is_variable_call(node.value):
            return
        line = self.line(node)
        if self.best_line < line <= self.limit:
            self.best, self.best_line = node.value, line  # type: ignore[assignment]


class _FloatVariable(FixTransformer):
    def __init__(self, target: cst.Call) -> None:
        super().__init__()
        self.target = target

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if original_node is not self.target:
            return updated_node
        args = list(updated_node.args)
        init = next((i for i, a in enumerate(args) if (a.keyword is None and a.star == "") or
                     (a.keyword is not None and a.keyword.value == "initial_value")), None)
        dtype = next((i for i, a in enumerate(args)
                      if a.keyword is not None and a.keyword.value == "dtype"), None)
        if init is None or _odd_literal(args[init].value):
            return updated_node
        changed = False
        if dtype is not None:
            value = _float_dtype(args[dtype].value)
            if value is not None:
                args[dtype] = args[dtype].with_changes(value=value)
                changed = True
        literal = _float_literal(args[init].value)
        if literal is not None:
            args[init] = args[init].with_changes(value=literal)
            changed = True
        elif not _is_float_literal(args[init].value):
            module = updated_node.func.value if isinstance(updated_node.func, cst.Attribute) \
                else None
            prefix = dotted(module) if module is not None else None
            if prefix is None or prefix.endswith("keras"):
                return updated_node  # keras.Variable: no tf.cast spelling to borrow
            cast = cst.parse_expression(f"{prefix}.cast(_, {prefix}.float32)")
            assert isinstance(cast, cst.Call)
            cast = cast.with_changes(args=[cast.args[0].with_changes(value=args[init].value),
                                           cast.args[1]])
            args[init] = args[init].with_changes(value=cast)
            changed = True
        if not changed:
            return updated_node
        self.changed = True
        return updated_node.with_changes(args=args)


def _odd_literal(node: cst.BaseExpression) -> bool:
    """A literal with no obvious float spelling: a bool flag, ``0x10``, a string, ``None``."""
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.UnaryOperation):
        return _odd_literal(node.expression)
    if isinstance(node, cst.List | cst.Tuple):
        return any(isinstance(e, cst.Element) and _odd_literal(e.value) for e in node.elements)
    return isinstance(node, cst.Integer | cst.Imaginary | cst.BaseString) and \
        _float_literal(node) is None


def _is_float_literal(node: cst.BaseExpression) -> bool:
    text = code(node).strip()
    return bool(re.fullmatch(r"[-+]?[0-9_]*\.[0-9_]*(e[-+]?[0-9]+)?|[-+]?[0-9]+e[-+]?[0-9]+",
                             text, re.I))


class FloatVariableFixer:
    """``FIXERS["float-variable"]``: give an integer ``tf.Variable`` a float initial value."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        name = arg(finding, "name")
        if not isinstance(name, str) or not DOTTED_NAME.match(name):
            return []
        wrapper = parse(source)
        if wrapper is None:
            return []
        locate = _Locate(name, finding.span.line)
        wrapper.visit(locate)
        if locate.best is None:
            return []
        return transform(source, _FloatVariable(locate.best), wrapper)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement holding the finding and the one holding the
        ``name = ...Variable(...)`` assignment nearest before it (found with ``ast``)."""
        name = arg(finding, "name")
        if not isinstance(name, str) or not DOTTED_NAME.match(name):
            return []
        line = finding.span.line
        group = index.group_at(line)
        if group is None:
            return index.run(self.edits, finding, None)
        named = set(index.word_groups(name.rsplit(".", 1)[-1]))
        best = next((g for g in reversed(index.word_groups("Variable"))
                     if g <= group and g in named and
                     _assigns_variable(index.nodes(g), name, line)), None)
        return index.run(self.edits, finding, [group] if best is None else [best, group])


def _assigns_variable(nodes: Iterable[ast.AST], name: str, limit: int) -> bool:
    """Does one of ``nodes`` assign ``name = <...>Variable(...)`` on or before ``limit``
    (what ``_Locate`` looks for)?"""
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                node.lineno <= limit and ast_dotted(node.targets[0]) == name and \
                isinstance(node.value, ast.Call):
            func = node.value.func
            called = func.attr if isinstance(func, ast.Attribute) else \
                func.id if isinstance(func, ast.Name) else ""
            if called == "Variable":
                return True
    return False


FLOAT_VARIABLE = register(FloatVariableFixer())
