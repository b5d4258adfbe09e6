"""SL310 "move ``tape.gradient`` after the ``with`` block".

``tape.gradient`` inside the block of a non-persistent tape works once but ends the tape (and
records the gradient computation itself, wasting memory); the usual fix is to move the call
after the block. The engine gives ``with_line`` and ``tape``; the statement holding the call
(finding span) is moved, with its comments, to right after the ``with`` statement.

Applied only when that is provably a pure move: the statement is a simple statement directly
in the block (not under an ``if``/``for``), it is not the block's only statement, no later
statement of the block reads a name it binds, rebinds a name it reads, or mentions the tape
at all. The fix is still **unsafe**: the statement now runs after the rest of the block, so
side effects (prints, variable assignments the statement does not name) change order.
"""

from __future__ import annotations

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, arg, bound_names, names_used, tape_item, transform
from .base import Edit, register
from .scope import ModuleIndex

FIX_ID = "gradient-out-of-with"
_MOVABLE = (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Expr)


class _MoveOut(FixTransformer):
    def __init__(self, tape: str, with_line: int, gradient_line: int) -> None:
        super().__init__()
        self.tape, self.with_line, self.gradient_line = tape, with_line, gradient_line

    def _movable(self, original: cst.With) -> int | None:
        """Index of the statement to move in ``original``'s block, or None."""
        body = original.body
        if not isinstance(body, cst.IndentedBlock) or len(body.body) < 2:
            return None
        index = next((i for i, s in enumerate(body.body)
                      if self.covers(s, self.gradient_line)), None)
        if index is None:
            return None
        stmt = body.body[index]
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1 or \
                not isinstance(stmt.body[0], _MOVABLE):
            return None
        binds = {name.split(".")[0] for name in bound_names(stmt)}
        reads = names_used(stmt) - binds
        for later in body.body[index + 1:]:
            later_binds = {name.split(".")[0] for name in bound_names(later)}
            if self.tape in names_used(later) or binds & names_used(later) or \
                    reads & later_binds:
                return None
        return index

    def leave_With(self, original_node: cst.With,
                   updated_node: cst.With) -> cst.With | cst.FlattenSentinel[cst.BaseStatement]:
        if self.line(original_node) != self.with_line or \
                tape_item(original_node, self.tape) is None:
            return updated_node
        index = self._movable(original_node)
        if index is None:
            return updated_node
        body = updated_node.body
        assert isinstance(body, cst.IndentedBlock)
        stmts = list(body.body)
        moved = stmts.pop(index)
        self.changed = True
        return cst.FlattenSentinel([updated_node.with_changes(body=body.with_changes(body=stmts)),
                                    moved])


class GradientOutOfWithFixer:
    """``FIXERS["gradient-out-of-with"]``: move the ``tape.gradient`` statement after the
    tape's ``with`` block."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        tape, with_line = arg(finding, "tape"), arg(finding, "with_line")
        if not isinstance(tape, str) or not tape.isidentifier() or \
                not isinstance(with_line, int) or with_line <= 0:
            return []
        return transform(source, _MoveOut(tape, with_line, finding.span.line))

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement(s) holding the ``with`` and the call."""
        with_line = arg(finding, "with_line")
        groups = index.span(with_line, finding.span.line) if isinstance(with_line, int) else None
        return index.run(self.edits, finding, groups)


GRADIENT_OUT_OF_WITH = register(GradientOutOfWithFixer())
