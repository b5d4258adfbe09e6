"""SL303's other fix, "recompute it inside the tape": the forward pass was hoisted out of the
training loop (or sits in an earlier notebook cell), so moving it would change how often it
runs; a copy of it at the start of the ``with`` block makes the tape record it, and the
original stays where it was for whatever else reads it.

The engine gives the same arguments as for ``move-into-tape`` (``with_line``, ``tape``,
``target``, ``source``). The names the target needs inside the block are collected backwards
from the target; for each one the block reads but does not bind, the last statement before
the ``with`` that binds it, in the ``with``'s block or any block around it (one line, one
plain name, ``name = expr``), is copied when its expression reads the source and the name
does not hold a Keras model or layer (``objects``: a copy of ``clone = clone_model(model)``
would build another object, not record a use of the source's weights). Copies go in source
order, after the block's leading ``tape.watch(...)`` calls.

Nothing is offered when ``move-into-tape`` applies (moving is the simpler fix), when no
copied statement reads the source, or when a copied statement mentions the tape.

The fix is **unsafe**: the copied computation runs once more per step (and, in a loop, uses
the weights of that step: the point of the fix, but a program that meant the old value
trains differently).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, arg, bound_names, code, names_used, tape_item, transform
from .base import Edit, register
from .move_into_tape import MOVE_INTO_TAPE, MoveIntoTapeFixer
from .scope import ModuleIndex

FIX_ID = "recompute-in-tape"
_MOVE = MoveIntoTapeFixer()  # its statement-scoped form (``MOVE_INTO_TAPE`` is a ``Fixer``)


def _binding(stmt: cst.BaseStatement) -> tuple[str, cst.BaseExpression] | None:
    """``(name, expr)`` of a line ``name = expr``, else None."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and \
            isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value, small.value
    return None


class _Recompute(FixTransformer):
    def __init__(self, tape: str, with_line: int, target: str, source: str,
                 objects: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.tape, self.with_line, self.target, self.source = tape, with_line, target, source
        self.objects = objects  # names holding a Keras model or layer: never copied
        self.bodies: list[Sequence[cst.BaseStatement]] = []  # enclosing blocks, outermost first
        self.copies: list[cst.SimpleStatementLine] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.bodies.append(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.bodies.append(node.body)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        self.bodies.pop()
        return updated_node

    def _plan(self, node: cst.With) -> list[cst.SimpleStatementLine] | None:
        """The statements to copy into ``node``'s block, in source order."""
        assert isinstance(node.body, cst.IndentedBlock)
        block = list(node.body.body)
        needed, bound_inside = {self.target}, set()
        for stmt in reversed(block):
            names = {n.split(".")[0] for n in bound_names(stmt)}
            if names & needed:
                needed |= names_used(stmt)
            bound_inside |= names
        wanted = needed - bound_inside
        found: dict[str, cst.SimpleStatementLine] = {}
        for body in reversed(self.bodies):  # innermost first: the nearest binding wins
            before = [s for s in body if self.pos(s).end.line < self.with_line]
            for stmt in reversed(before):
                binding = _binding(stmt)
                if binding is not None and binding[0] in wanted and binding[0] not in found:
                    assert isinstance(stmt, cst.SimpleStatementLine)
                    found[binding[0]] = stmt
        copies = [s for name, s in found.items()
                  if self.source in names_used(s) and name not in self.objects]
        if not copies or any(self.tape in names_used(s) for s in copies):
            return None
        return sorted(copies, key=lambda s: self.line(s))

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        if self.changed or self.line(original_node) != self.with_line or \
                tape_item(original_node, self.tape) is None or \
                not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        copies = self._plan(original_node)
        if copies is None:
            return updated_node
        block = list(updated_node.body.body)
        insert = 0
        while insert < len(block) and isinstance(block[insert], cst.SimpleStatementLine) and \
                code(block[insert]).lstrip().startswith(f"{self.tape}.watch("):
            insert += 1
        # a copy has no comments: an annotation of the original is not about the copy
        block[insert:insert] = [c.with_changes(leading_lines=[],
                                               trailing_whitespace=cst.TrailingWhitespace())
                                for c in copies]
        self.changed = True
        return updated_node.with_changes(body=updated_node.body.with_changes(body=block))


class RecomputeInTapeFixer:
    """``FIXERS["recompute-in-tape"]``: copy the hoisted forward pass into the tape."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        tape, with_line = arg(finding, "tape"), arg(finding, "with_line")
        target, src = arg(finding, "target"), arg(finding, "source")
        if not all(isinstance(v, str) and v.isidentifier() for v in (tape, target, src)) or \
                not isinstance(with_line, int) or with_line <= 0:
            return []
        if MOVE_INTO_TAPE.edits(source, finding):
            return []  # moving applies: one fix for one change
        return self._recompute(source, finding)

    @staticmethod
    def _recompute(source: str, finding: Finding) -> list[Edit]:
        tape, with_line = arg(finding, "tape"), arg(finding, "with_line")
        target, src = arg(finding, "target"), arg(finding, "source")
        if not all(isinstance(v, str) and v.isidentifier() for v in (tape, target, src)) or \
                not isinstance(with_line, int) or with_line <= 0:
            return []
        objects = arg(finding, "objects")
        held = frozenset(objects) if isinstance(objects, tuple) else frozenset()
        return transform(source, _Recompute(tape, with_line, target,  # type: ignore[arg-type]
                                            src, held))  # type: ignore[arg-type]

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits: ``move-into-tape``'s own scoped check first, then the statements
        holding the ``with`` and the finding, and for each name the ``with`` statement
        reads the last module-level ``name = expr`` line before it (the outermost block
        the fixer searches; the blocks around the ``with`` are in its statement), found
        without LibCST."""
        with_line = arg(finding, "with_line")
        if not isinstance(with_line, int):
            return []
        group, found = index.group_at(with_line), index.group_at(finding.span.line)
        if group is None or found is None:
            return index.run(self.edits, finding, None)
        if _MOVE.scoped_edits(index, finding):
            return []
        names = {n.id for n in index.nodes(group) if isinstance(n, ast.Name) and
                 getattr(n, "lineno", 0) >= with_line}
        chosen = {group, found}
        for name in names:
            binding = next((g for g in reversed(index.word_groups(name))
                            if g < group and _binds_alone(index, g, name)), None)
            chosen.update(() if binding is None else (binding,))
        return index.run(self._recompute, finding, sorted(chosen))


def _binds_alone(index: ModuleIndex, group: int, name: str) -> bool:
    """Is the group one line ``name = expr`` (what ``_binding`` takes from a block)?"""
    stmts = index.groups[group].stmts
    return len(stmts) == 1 and isinstance(stmts[0], ast.Assign) and \
        len(stmts[0].targets) == 1 and isinstance(stmts[0].targets[0], ast.Name) and \
        stmts[0].targets[0].id == name


RECOMPUTE_IN_TAPE = register(RecomputeInTapeFixer())
