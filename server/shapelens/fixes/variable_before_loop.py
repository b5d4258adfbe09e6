"""SL317 "create it once before the loop": ``w = tf.Variable(...)`` made again by every
iteration of a ``for`` loop (so each update of ``w`` is lost) moves to just before the loop.

The engine gives ``name``, ``loop_line`` (the ``for``) and ``variable_line`` (the statement
``name = tf.Variable(...)``, in the loop's body or in a ``with`` block of it); it reports only
when the initial value reads nothing the loop assigns, so it means the same before the loop.
The statement leaves its block with the comment lines above it and goes right before the
``for`` (after the ``for``'s own comments), at the ``for``'s indentation.

Nothing is offered when the statement is not found there, when it is the only statement of its
block, or when it shares its line with another statement.

The fix is **unsafe**: it changes what the program does (the updates now accumulate: training
happens, which is the point, but a program that meant a fresh variable per step changes).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, arg, transform
from .base import Edit, register
from .scope import ModuleIndex

FIX_ID = "variable-before-loop"


class _Hoist(FixTransformer):
    def __init__(self, name: str, loop_line: int, variable_line: int) -> None:
        super().__init__()
        self.name, self.loop_line, self.variable_line = name, loop_line, variable_line
        self.moved: cst.SimpleStatementLine | None = None

    def _is_creation(self, stmt: cst.BaseStatement) -> bool:
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1 or \
                self.line(stmt) != self.variable_line:
            return False
        small = stmt.body[0]
        return isinstance(small, cst.Assign) and len(small.targets) == 1 and \
            isinstance(small.targets[0].target, cst.Name) and \
            small.targets[0].target.value == self.name

    def _without(self, originals: Sequence[cst.BaseStatement],
                 updated: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        """``updated`` without the creation statement (searched through ``with`` blocks),
        which is kept in ``self.moved``; None when it is not there or would leave an empty
        block."""
        out = list(updated)
        for i, stmt in enumerate(originals):
            if self._is_creation(stmt):
                if len(originals) == 1:
                    return None
                found = out.pop(i)
                assert isinstance(found, cst.SimpleStatementLine)
                self.moved = found
                return out
            if isinstance(stmt, cst.With) and isinstance(stmt.body, cst.IndentedBlock):
                new = out[i]
                assert isinstance(new, cst.With) and isinstance(new.body, cst.IndentedBlock)
                inner = self._without(stmt.body.body, new.body.body)
                if inner is not None:
                    out[i] = new.with_changes(body=new.body.with_changes(body=inner))
                    return out
                if self.moved is not None:
                    return None
        return None

    def leave_For(self, original_node: cst.For, updated_node: cst.For
                  ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if self.changed or self.line(original_node) != self.loop_line or \
                not isinstance(original_node.body, cst.IndentedBlock) or \
                not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        body = self._without(original_node.body.body, updated_node.body.body)
        if body is None or self.moved is None:
            return updated_node
        self.changed = True
        loop = updated_node.with_changes(body=updated_node.body.with_changes(body=body))
        return cst.FlattenSentinel([
            self.moved.with_changes(leading_lines=[*loop.leading_lines,
                                                   *self.moved.leading_lines]),
            loop.with_changes(leading_lines=[])])


class VariableBeforeLoopFixer:
    """``FIXERS["variable-before-loop"]``: the variable made on every iteration is made once,
    before the loop."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        name, loop_line = arg(finding, "name"), arg(finding, "loop_line")
        variable_line = arg(finding, "variable_line")
        if not isinstance(name, str) or not name.isidentifier() or \
                not isinstance(loop_line, int) or not isinstance(variable_line, int):
            return []
        return transform(source, _Hoist(name, loop_line, variable_line))

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement holding the loop (all the fixer reads)."""
        loop_line = arg(finding, "loop_line")
        groups = index.span(loop_line, finding.span.line) if isinstance(loop_line, int) \
            else None
        return index.run(self.edits, finding, groups)


VARIABLE_BEFORE_LOOP = register(VariableBeforeLoopFixer())
