"""SL304 "move the reshape after ``tape.gradient``": differentiate w.r.t. the variable.

``tape.gradient(loss, tf.reshape(w, s))`` asks for the gradient w.r.t. a brand-new tensor the
tape never saw, so it is None. What the author meant is the gradient w.r.t. ``w``, reshaped:
``tf.reshape(tape.gradient(loss, w), s)``. The same holds for every op whose gradient is the
op itself applied to the gradient: ``transpose`` (same ``perm``), ``squeeze``,
``expand_dims``, ``identity`` and a ``cast`` to a floating dtype. The engine gives ``source``:
the inline source expression as ``ast.unparse`` writes it.

* The whole ``sources`` argument is the op: the call is rewritten in place, as an expression,
  so it works wherever the call sits.
* One element of a list/tuple of sources, in ``a, b = tape.gradient(loss, [w, op(v, ...)])``:
  the element becomes ``v`` and ``b = op(b, ...)`` is added after the statement.

Anything else (a dict of sources, a ``jacobian``, slicing, an integer cast) is not applied.
The fix is marked safe: the only program it makes fail is one whose loss does not depend on
the variable at all (the gradient stays None and ``tf.reshape(None, ...)`` raises), which was
already broken, now loudly instead of silently.
"""

from __future__ import annotations

import ast

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, FixVisitor, arg, callee, code, dotted, parse, transform
from .base import Edit, register
from .scope import ModuleIndex

FIX_ID = "reshape-after-gradient"
INVERTIBLE = frozenset({"reshape", "transpose", "squeeze", "expand_dims", "identity", "cast"})
_FLOAT_WORDS = ("float", "double", "half")


def _normal(text: str) -> str | None:
    """``text`` as ``ast.unparse`` would write it (how the engine spells ``source``)."""
    try:
        return ast.unparse(ast.parse(text.strip(), mode="eval"))
    except SyntaxError:
        return None


def _invertible(node: cst.BaseExpression) -> bool:
    """``op(v, ...)`` where ``op`` moves onto the gradient unchanged."""
    if not isinstance(node, cst.Call) or callee(node) not in INVERTIBLE or not node.args:
        return False
    first = node.args[0]
    if first.keyword is not None or first.star != "":
        return False
    if any(a.star != "" for a in node.args):
        return False
    if callee(node) == "cast":
        dtype = next((a.value for a in node.args[1:2] if a.keyword is None), None) or next(
            (a.value for a in node.args if a.keyword and a.keyword.value == "dtype"), None)
        return dtype is not None and any(w in code(dtype) for w in _FLOAT_WORDS)
    return True


def _sources_index(call: cst.Call) -> int | None:
    """Index of the ``sources`` argument of ``tape.gradient(target, sources, ...)``."""
    positional = [i for i, a in enumerate(call.args) if a.keyword is None and a.star == ""]
    if len(positional) >= 2:
        return positional[1]
    return next((i for i, a in enumerate(call.args)
                 if a.keyword is not None and a.keyword.value == "sources"), None)


def _on_gradient(op: cst.Call, gradient: cst.BaseExpression) -> cst.Call:
    """``op(v, rest...)`` -> ``op(gradient, rest...)``, keeping ``op``'s formatting."""
    first = op.args[0]
    return op.with_changes(args=[first.with_changes(value=gradient), *op.args[1:]])


class _Locate(FixVisitor):
    """Finds the ``tape.gradient`` call at the finding's start and its matching source."""

    def __init__(self, line: int, col: int, source: str) -> None:
        super().__init__()
        self.line_, self.col, self.source = line, col, source
        self.call: cst.Call | None = None
        self.statement: cst.SimpleStatementLine | None = None
        self._statements: list[cst.SimpleStatementLine] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statements.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self._statements.pop()

    def visit_Call(self, node: cst.Call) -> None:
        start = self.pos(node).start
        if (start.line, start.column) != (self.line_, self.col) or callee(node) != "gradient":
            return
        self.call = node
        self.statement = self._statements[-1] if self._statements else None


class _MoveOp(FixTransformer):
    def __init__(self, call: cst.Call, statement: cst.SimpleStatementLine | None,
                 source: str) -> None:
        super().__init__()
        self.call, self.statement, self.source = call, statement, source
        self.follow_up: cst.SimpleStatementLine | None = None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node is not self.call:
            return updated_node
        index = _sources_index(updated_node)
        if index is None:
            return updated_node
        sources = updated_node.args[index]
        value = sources.value
        if _invertible(value) and _normal(code(value)) == self.source:
            assert isinstance(value, cst.Call)
            inner = updated_node.with_changes(args=[
                *updated_node.args[:index], sources.with_changes(value=value.args[0].value),
                *updated_node.args[index + 1:]])
            self.changed = True
            return _on_gradient(value, inner.with_changes(lpar=(), rpar=())).with_changes(
                lpar=updated_node.lpar, rpar=updated_node.rpar)
        if isinstance(value, cst.List | cst.Tuple):
            return self._element(updated_node, index, value)
        return updated_node

    def _element(self, call: cst.Call, index: int, sources: cst.List | cst.Tuple) -> cst.Call:
        """``a, b = tape.gradient(t, [w, op(v)])`` -> ``[w, v]`` plus ``b = op(b)`` after."""
        targets = self._unpacked_targets()
        elements = list(sources.elements)
        hits = [i for i, e in enumerate(elements) if isinstance(e, cst.Element) and
                _invertible(e.value) and _normal(code(e.value)) == self.source]
        if len(hits) != 1 or targets is None or len(targets) != len(elements) or \
                any(not isinstance(e, cst.Element) for e in elements):
            return call
        hit = hits[0]
        op = elements[hit].value
        assert isinstance(op, cst.Call)
        elements[hit] = elements[hit].with_changes(value=op.args[0].value)
        name = targets[hit]
        self.follow_up = cst.SimpleStatementLine(body=[cst.Assign(
            targets=[cst.AssignTarget(cst.Name(name))], value=_on_gradient(op, cst.Name(name)))])
        self.changed = True
        new_sources = sources.with_changes(elements=elements)
        return call.with_changes(args=[*call.args[:index],
                                       call.args[index].with_changes(value=new_sources),
                                       *call.args[index + 1:]])

    def _unpacked_targets(self) -> list[str] | None:
        """The names of ``a, b = <the call>``, when the call is the whole right-hand side."""
        stmt = self.statement
        if stmt is None or len(stmt.body) != 1 or not isinstance(stmt.body[0], cst.Assign):
            return None
        assign = stmt.body[0]
        if assign.value is not self.call or len(assign.targets) != 1:
            return None
        target = assign.targets[0].target
        if not isinstance(target, cst.Tuple | cst.List):
            return None
        names = [dotted(e.value) if isinstance(e, cst.Element) else None for e in target.elements]
        if any(n is None or "." in n for n in names):
            return None
        return names  # type: ignore[return-value]

    def leave_SimpleStatementLine(
            self, original_node: cst.SimpleStatementLine,
            updated_node: cst.SimpleStatementLine,
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.BaseStatement]:
        if original_node is not self.statement or self.follow_up is None:
            return updated_node
        return cst.FlattenSentinel([updated_node, self.follow_up])


class ReshapeAfterGradientFixer:
    """``FIXERS["reshape-after-gradient"]``: take the gradient w.r.t. the variable and apply
    the reshape (transpose, squeeze, ...) to the gradient."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        wanted = arg(finding, "source")
        normal = _normal(wanted) if isinstance(wanted, str) else None
        if normal is None:
            return []
        wrapper = parse(source)
        if wrapper is None:
            return []
        locate = _Locate(finding.span.line, finding.span.col, normal)
        wrapper.visit(locate)
        if locate.call is None:
            return []
        return transform(source, _MoveOp(locate.call, locate.statement, normal), wrapper)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the top-level statement holding the gradient call."""
        return index.run(self.edits, finding, index.span(finding.span.line))


RESHAPE_AFTER_GRADIENT = register(ReshapeAfterGradientFixer())
