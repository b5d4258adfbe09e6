"""SL301 "add ``tape.watch(x)``": make the tape record the tensor the gradient is taken for.

A tape only records operations on what it watches; a constant or plain tensor is not watched,
so ``tape.gradient(loss, x)`` is None. Watching ``x`` before it is used inside the tape fixes
that without changing what ``x`` is. The engine gives ``name`` (the source as written),
``tape`` and ``with_line``; the watch goes in as the first statement of that ``with`` block, or
right after the statement of the block that binds ``name`` (watching an older value would not
help). Not applied when the source is not a plain (dotted) name, when ``name`` is bound more
than once in the block or in a nested block, or rebound between the block and the gradient
call: the watched object would not be the one the gradient asks about.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ..core.results import Finding
from ._cst import DOTTED_NAME, FixTransformer, arg, bound_names, code, tape_item, transform
from .base import Edit, register
from .scope import ModuleIndex

FIX_ID = "add-watch"


def _is_watch(stmt: cst.BaseStatement | cst.BaseSmallStatement, tape: str, name: str) -> bool:
    text = code(stmt).strip()
    return text.replace(" ", "") == f"{tape}.watch({name})"


class _AddWatch(FixTransformer):
    def __init__(self, name: str, tape: str, with_line: int, gradient_line: int) -> None:
        super().__init__()
        self.name, self.tape = name, tape
        self.with_line, self.gradient_line = with_line, gradient_line
        # Set while visiting the suite that holds the with (before leave_With runs): the
        # name is rebound between the end of the block and the gradient call.
        self.rebound_after = False

    def visit_Module(self, node: cst.Module) -> None:
        self._check_rebinding(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._check_rebinding(node.body)

    def _check_rebinding(self, body: Sequence[cst.BaseStatement]) -> None:
        """In the suite holding our ``with``: is ``name`` bound after it, before the call?"""
        for i, stmt in enumerate(body):
            if isinstance(stmt, cst.With) and self.line(stmt) == self.with_line:
                for later in body[i + 1:]:
                    if self.line(later) > self.gradient_line:
                        break
                    if self.pos(later).end.line >= self.gradient_line:
                        # the statement holding the call: a simple statement binds only after
                        # the call returns; a compound one (an if/for around the call) may
                        # rebind the name before it
                        later_binds = [n for n in bound_names(later) if n == self.name]
                        self.rebound_after |= bool(later_binds) and not isinstance(
                            later, cst.SimpleStatementLine)
                        break
                    if self.name in bound_names(later):
                        self.rebound_after = True

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        if self.line(original_node) != self.with_line or \
                tape_item(original_node, self.tape) is None:
            return updated_node
        if self.rebound_after and self.pos(original_node).end.line < self.gradient_line:
            return updated_node
        body = updated_node.body
        watch = cst.parse_statement(f"{self.tape}.watch({self.name})\n")
        if isinstance(body, cst.SimpleStatementSuite):
            if any(_is_watch(s, self.tape, self.name) for s in body.body) or \
                    self.name in bound_names(body):
                return updated_node
            assert isinstance(watch, cst.SimpleStatementLine)
            first = watch.body[0].with_changes(semicolon=cst.Semicolon(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=cst.SimpleWhitespace(" ")))
            self.changed = True
            return updated_node.with_changes(body=body.with_changes(body=[first, *body.body]))
        assert isinstance(body, cst.IndentedBlock)
        stmts = list(body.body)
        if any(_is_watch(s, self.tape, self.name) for s in stmts):
            return updated_node
        binding = [i for i, s in enumerate(original_node.body.body)  # type: ignore[union-attr]
                   if self.line(s) <= self.gradient_line and self.name in bound_names(s)]
        if len(binding) > 1:
            return updated_node
        index = 0
        if binding:
            stmt = stmts[binding[0]]
            if not isinstance(stmt, cst.SimpleStatementLine) or \
                    bound_names(stmt).count(self.name) != 1:
                return updated_node  # bound in a nested block, or twice on one line
            index = binding[0] + 1
        stmts.insert(index, watch)
        self.changed = True
        return updated_node.with_changes(body=body.with_changes(body=stmts))


class AddWatchFixer:
    """``FIXERS["add-watch"]``: insert ``tape.watch(name)`` in the tape's ``with`` block."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        name, tape, with_line = arg(finding, "name"), arg(finding, "tape"), \
            arg(finding, "with_line")
        if not isinstance(name, str) or not DOTTED_NAME.match(name) or \
                not isinstance(tape, str) or not tape.isidentifier() or \
                not isinstance(with_line, int) or with_line <= 0:
            return []
        return transform(source, _AddWatch(name, tape, with_line, finding.span.line))

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statements between the ``with`` and the gradient call."""
        with_line = arg(finding, "with_line")
        groups = index.span(with_line, finding.span.line) if isinstance(with_line, int) else None
        return index.run(self.edits, finding, groups)


ADD_WATCH = register(AddWatchFixer())
