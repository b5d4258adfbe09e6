"""SL309 "make the tape persistent": ``tf.GradientTape(persistent=True)`` plus ``del tape``.

A non-persistent tape frees its resources at the first ``gradient`` call, so a second call
raises ``RuntimeError``. ``persistent=True`` keeps it alive for every call; ``del tape`` after
its last use releases it again, as the TensorFlow guide recommends. The engine gives
``with_line`` and ``tape``; the fix edits the ``<...>GradientTape(...) as <tape>`` item of that
``with`` (an explicit ``persistent=False``, keyword or positional, is flipped; otherwise
``persistent=True`` becomes the first keyword argument, formatted like its neighbours).

``del tape`` is added only where it provably comes after every use: right after the last
statement of the ``with``'s own block that mentions the tape, when nothing outside that
stretch (before the ``with``, in another block, in a nested function) mentions the name, and
that last statement does not leave the block (``return``/``raise``/...). Otherwise the tape is
made persistent only, which is enough to remove the error.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, FixVisitor, arg, names_used, parse, tape_item, transform
from .base import Edit, register
from .scope import ModuleIndex

FIX_ID = "persistent-tape"
_LEAVES = (cst.Return, cst.Raise, cst.Break, cst.Continue, cst.Del)
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _persistent(call: cst.Call) -> cst.Call | None:
    """``call`` with ``persistent=True``; None if it is already persistent or not a literal."""
    args = list(call.args)
    for i, a in enumerate(args):
        if (a.keyword is not None and a.keyword.value == "persistent") or \
                (i == 0 and a.keyword is None and a.star == ""):
            if isinstance(a.value, cst.Name) and a.value.value == "False":
                args[i] = a.with_changes(value=cst.Name("True"))
                return call.with_changes(args=args)
            return None
    new = cst.Arg(value=cst.Name("True"), keyword=cst.Name("persistent"),
                  equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                        whitespace_after=cst.SimpleWhitespace("")))
    if args:
        # one argument per line stays one per line: reuse the whitespace before the first
        multiline = isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace)
        new = new.with_changes(comma=cst.Comma(whitespace_after=call.whitespace_before_args
                                               if multiline else cst.SimpleWhitespace(" ")))
    return call.with_changes(args=[new, *args])


class _Uses(FixVisitor):
    """Where the tape's name is mentioned, and the last statement of the ``with``'s own block
    that mentions it."""

    def __init__(self, tape: str, with_line: int) -> None:
        super().__init__()
        self.tape, self.with_line = tape, with_line
        self.last: cst.BaseStatement | None = None
        self.last_line = 0
        self.covered: tuple[int, int] = (0, 0)  # lines of the with .. last statement
        self.mentions: list[tuple[int, bool]] = []  # (line, inside a nested scope)
        self.scopes: list[bool] = []  # for each enclosing scope: does it hold our with?
        # lines of the innermost function holding the with (the whole module if none)
        self.scope_lines: tuple[int, int] = (1, 1 << 30)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.tape:
            self.mentions.append((self.line(node), not all(self.scopes)))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _SCOPES):
            where = self.pos(node)
            holds = where.start.line <= self.with_line <= where.end.line
            self.scopes.append(holds)
            lo, hi = self.scope_lines
            if holds and isinstance(node, cst.FunctionDef) and \
                    where.end.line - where.start.line < hi - lo:
                self.scope_lines = (where.start.line, where.end.line)
        if isinstance(node, cst.Module | cst.IndentedBlock):
            self._find(node.body)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, _SCOPES):
            self.scopes.pop()
        super().on_leave(original_node)

    def _find(self, body: Sequence[cst.BaseStatement]) -> None:
        for i, stmt in enumerate(body):
            if isinstance(stmt, cst.With) and self.line(stmt) == self.with_line:
                last: cst.BaseStatement = stmt
                for later in body[i + 1:]:
                    if self.tape in names_used(later):
                        last = later
                self.last, self.last_line = last, self.line(last)
                self.covered = (self.line(stmt), self.pos(last).end.line)

    def del_allowed(self, scope_lines: tuple[int, int]) -> bool:
        """``del tape`` after ``self.last`` runs after every use and on every path."""
        last = self.last
        if last is None or self.last_line == self.with_line or \
                not isinstance(last, cst.SimpleStatementLine) or \
                any(isinstance(s, _LEAVES) for s in last.body):
            return False  # a compound statement may leave the block on some path
        first, end = self.covered
        lo, hi = scope_lines
        return all(first <= line <= end and not nested
                   for line, nested in self.mentions if lo <= line <= hi)


class _Persist(FixTransformer):
    def __init__(self, tape: str, with_line: int, del_after: cst.BaseStatement | None) -> None:
        super().__init__()
        self.tape, self.with_line, self.del_after = tape, with_line, del_after

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        if self.line(original_node) != self.with_line:
            return updated_node
        item = tape_item(updated_node, self.tape)
        if item is None:
            return updated_node
        assert isinstance(item.item, cst.Call)
        call = _persistent(item.item)
        if call is None:
            return updated_node
        self.changed = True
        items = [i.with_changes(item=call) if i is item else i for i in updated_node.items]
        return updated_node.with_changes(items=items)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> object:
        result = super().on_leave(original_node, updated_node)
        if original_node is self.del_after and self.changed:
            statement = cst.parse_statement(f"del {self.tape}\n")
            return cst.FlattenSentinel([result, statement])  # type: ignore[list-item]
        return result


class PersistentTapeFixer:
    """``FIXERS["persistent-tape"]``: ``persistent=True`` on the tape, ``del tape`` after its
    last use."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        tape, with_line = arg(finding, "tape"), arg(finding, "with_line")
        if not isinstance(tape, str) or not tape.isidentifier() or \
                not isinstance(with_line, int) or with_line <= 0:
            return []
        wrapper = parse(source)
        if wrapper is None:
            return []
        uses = _Uses(tape, with_line)
        wrapper.visit(uses)
        del_after = uses.last if uses.del_allowed(uses.scope_lines) else None
        return transform(source, _Persist(tape, with_line, del_after), wrapper)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statements holding the ``with`` and the call; for a
        ``with`` outside any function also every statement that may mention the tape (the
        ``del`` depends on all of them), back to one that certainly uses it before the
        ``with`` (then there is no ``del``, whatever follows)."""
        tape, with_line = arg(finding, "tape"), arg(finding, "with_line")
        if not isinstance(tape, str) or not tape.isidentifier() or \
                not isinstance(with_line, int) or with_line <= 0:
            return []
        groups = index.span(with_line, finding.span.line)
        if groups is None or index.in_function(with_line):
            return index.run(self.edits, finding, groups)
        hits = index.word_groups(tape)
        chosen = set(groups)
        for group in reversed([h for h in hits if h < groups[0]]):
            chosen.add(group)
            if index.mentions(group, tape):
                break
        else:
            chosen.update(_later(index, [h for h in hits if h > groups[-1]], tape))
        return index.run(self.edits, finding, chosen)


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _later(index: ModuleIndex, later: list[int], tape: str) -> list[int]:
    """The statements after the ``with`` (at module level) that decide ``del``: every one
    that may mention the tape inside a function, class or lambda (which rules ``del`` out),
    up to one that certainly does; if none does, also the last ones that may mention it,
    back to one that certainly does (``del`` goes after the last statement mentioning it)."""
    out = []
    for group in later:
        nested = [n for n in index.nodes(group) if isinstance(n, _NESTED)]
        if nested:
            out.append(group)
            if any(isinstance(m, ast.Name) and m.id == tape
                   for n in nested for m in ast.walk(n)):
                return out  # a use in a nested scope: no ``del``, whatever else
    for group in reversed(later):
        out.append(group)
        if index.mentions(group, tape):
            break
    return out


PERSISTENT_TAPE = register(PersistentTapeFixer())
