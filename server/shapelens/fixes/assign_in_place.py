"""SL308 "update the variable in place": ``w = w - lr * g`` -> ``w.assign_sub(lr * g)``.

A hand-written update that rebinds the name turns the ``tf.Variable`` into a plain tensor: on
the next step the tape does not watch it and the gradient is None. The engine gives ``name``
and ``rebound_line``, the line of the rebinding statement; the fix rewrites that one
statement:

* ``w = w - e`` and ``w -= e`` -> ``w.assign_sub(e)``;
* ``w = w + e``, ``w = e + w`` and ``w += e`` -> ``w.assign_add(e)``;
* any other ``w = e`` whose ``e`` reads ``w`` -> ``w.assign(e)``.

Nothing is offered for a statement that binds other names too, or for ``w = e`` that does not
read ``w`` (a fresh value: the program may mean a new tensor).

The fix is **unsafe**: every other name holding the variable now sees the update (``w0 = w``
before the loop kept the initial weights; after the fix it follows them).
"""

from __future__ import annotations

import libcst as cst

from ..core.results import Finding
from ._cst import DOTTED_NAME, FixTransformer, arg, code, dotted, names_used, transform
from .base import Edit, register
from .scope import ModuleIndex

FIX_ID = "assign-in-place"


def _call(name: str, method: str, value: cst.BaseExpression) -> cst.Expr:
    func = cst.parse_expression(f"{name}.{method}")
    if getattr(value, "lpar", None):  # ``w - (lr * g)``: the call's parentheses suffice
        value = value.with_changes(lpar=[], rpar=[])
    return cst.Expr(cst.Call(func=func, args=[cst.Arg(value)]))


def _update(name: str, node: cst.BaseSmallStatement) -> cst.Expr | None:
    """The in-place update that replaces ``node`` (an assignment to ``name``), if any."""
    if isinstance(node, cst.AugAssign) and dotted(node.target) == name:
        method = {cst.SubtractAssign: "assign_sub", cst.AddAssign: "assign_add"}.get(
            type(node.operator))
        return None if method is None else _call(name, method, node.value)
    if not isinstance(node, cst.Assign) or len(node.targets) != 1 or \
            dotted(node.targets[0].target) != name:
        return None
    value = node.value
    if isinstance(value, cst.BinaryOperation) and not value.lpar:
        if dotted(value.left) == name and isinstance(value.operator, cst.Subtract):
            return _call(name, "assign_sub", value.right)
        if dotted(value.left) == name and isinstance(value.operator, cst.Add):
            return _call(name, "assign_add", value.right)
        if dotted(value.right) == name and isinstance(value.operator, cst.Add):
            return _call(name, "assign_add", value.left)
    if name.split(".")[0] in names_used(value) and name in code(value):
        return _call(name, "assign", value)
    return None


class _AssignInPlace(FixTransformer):
    def __init__(self, name: str, line: int) -> None:
        super().__init__()
        self.name, self.target_line = name, line

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine,
                                  updated_node: cst.SimpleStatementLine
                                  ) -> cst.SimpleStatementLine:
        if self.line(original_node) != self.target_line or len(updated_node.body) != 1:
            return updated_node
        new = _update(self.name, updated_node.body[0])
        if new is None:
            return updated_node
        self.changed = True
        return updated_node.with_changes(body=[new])


class AssignInPlaceFixer:
    """``FIXERS["assign-in-place"]``: rebinding update -> ``assign_sub``/``assign_add``."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        name, line = arg(finding, "name"), arg(finding, "rebound_line")
        if not isinstance(name, str) or not DOTTED_NAME.match(name) or \
                not isinstance(line, int):
            return []
        return transform(source, _AssignInPlace(name, line))

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement holding the rebinding line (all the fixer
        reads) and the one holding the finding."""
        line = arg(finding, "rebound_line")
        if not isinstance(line, int):
            return []
        groups = index.span(line)
        found = index.span(finding.span.line)
        if groups is None or found is None:
            return index.run(self.edits, finding, None)
        return index.run(self.edits, finding, [*groups, *found])


ASSIGN_IN_PLACE = register(AssignInPlaceFixer())
