"""Statement-scoped fixing: run a LibCST fixer on the top-level statements a fix reads, not on
the whole module.

LibCST parses about a millisecond per line, so a fixer that parses the whole module costs
seconds on a long file; the statements a fix reads are a few dozen lines. ``ModuleIndex``
splits a module into *groups* (top-level statements, with their decorators; statements
sharing a line by ``;`` form one group) using the ``ast`` tree, which the engine already has
(``Analysis.tree``) or which ``ast`` builds in milliseconds. A fixer that knows what it reads
implements ``scoped_edits(index, finding)``: it picks the groups (``span``, ``word_groups``,
the ``ast`` helpers below and ``fixes.bindings`` find them without LibCST) and calls
``index.run``, which

* cuts those groups out of the source as whole lines (a top-level statement starts at
  column 0, so the cut is a valid module) together with the blank and comment lines that
  follow each run of groups, and puts a ``pass`` line where the next, left-out statement
  would start, so every comment is owned by the same node as in the whole module (LibCST
  gives the lines after an indented block to the block or to the next statement by their
  indentation);
* hands the fixer that text and a copy of the finding moved into its lines (``span`` and
  every ``*_line`` argument), and moves the edits it returns back.

What the fixer sees differs from the whole module only by the statements left out, so the
groups a fixer picks must hold everything its decision depends on: picking more is always
safe, picking less is a bug (``tests/unit/fixes/test_scoped.py`` compares both ways on every
fixture). An edit that cannot be moved back, and a finding whose lines are not code, fall
back to the whole module.

A module ``ast`` cannot parse gets no LibCST fix (``index_for`` returns None): its statements
cannot be told apart, and Python could not run it anyway.
"""

from __future__ import annotations

import ast
import bisect
import logging
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from ..core.results import Finding, Fix, Span
from ..structs import replace
from .base import Edit

log = logging.getLogger(__name__)

# Lines as ``ast``, LibCST and LSP count them (not ``str.splitlines``, which also breaks at
# form feeds and Unicode separators).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_UNCOMPILABLE = re.compile("[\x00\ud800-\udfff]")
_PASS = "pass"  # stands for the left-out statement that follows a cut
CACHE_SIZE = 4

EditsFn = Callable[[str, Finding], list[Edit]]


def split_lines(source: str) -> list[str]:
    """``source`` as lines with their line breaks, counted as ``ast`` counts them."""
    if "\r" in source:
        return _LINE.findall(source)
    parts = source.split("\n")
    lines = [part + "\n" for part in parts]
    if parts[-1]:
        lines[-1] = parts[-1]
    else:
        lines.pop()
    return lines


class Group(NamedTuple):
    """Whole lines ``first``..``last`` (1-based) holding one or more top-level statements."""

    first: int
    last: int
    stmts: tuple[ast.stmt, ...]


@dataclass(frozen=True)
class _Chunk:
    """Full lines ``full_first``.. copied to slice lines ``first``..``first + count - 1``;
    ``follow`` is the full line of the left-out statement its ``pass`` line stands for."""

    first: int
    full_first: int
    count: int
    follow: int | None


_CODE = re.compile(r"[ \t\f]*[^ \t\f\r\n#]")  # a line that is neither blank nor a comment
_DECORATED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _first_line(stmt: ast.stmt) -> int:
    if isinstance(stmt, _DECORATED) and stmt.decorator_list:
        return min(stmt.lineno, *(d.lineno for d in stmt.decorator_list))
    return stmt.lineno


class ModuleIndex:
    """The top-level statements of one parsed module, for cutting it into slices."""

    def __init__(self, source: str, lines: list[str], groups: list[Group]) -> None:
        self.source = source
        self.lines = lines
        self.groups = groups
        # LibCST writes new lines with the first line break of the text it parsed: a slice
        # of a file that mixes them could pick another one than the whole file
        self.newline, self.uniform = "\n", True
        if "\r" in source:
            crlf = source.count("\r\n")
            kinds = {"\r\n": crlf, "\r": source.count("\r") - crlf,
                     "\n": source.count("\n") - crlf}
            present = [kind for kind, count in kinds.items() if count]
            self.newline, self.uniform = present[0], len(present) == 1
        self._firsts = [g.first for g in groups]
        self._starts: list[int] | None = None  # offset of each line, when first needed
        self._words: dict[str, list[int]] = {}

    @classmethod
    def build(cls, source: str, tree: ast.Module) -> ModuleIndex | None:
        """The index of ``source`` from its ``ast`` tree; None when the tree does not cover
        the text (a tree recovered from a syntax error leaves the broken lines out)."""
        if "\x00" in source or (not source.isascii() and _UNCOMPILABLE.search(source)):
            return None
        lines = split_lines(source)
        groups: list[Group] = []
        for stmt in tree.body:
            first, last = _first_line(stmt), stmt.end_lineno or stmt.lineno
            if groups and first <= groups[-1].last:
                previous = groups[-1]
                groups[-1] = Group(previous.first, max(previous.last, last),
                                   (*previous.stmts, stmt))
            else:
                groups.append(Group(first, last, (stmt,)))
        covered = 0
        code = _CODE.match
        for group in groups:
            if not 0 < group.first <= group.last <= len(lines) or group.first <= covered:
                return None
            head = lines[group.first - 1]
            if head[0] in " \t\f#\r\n":
                return None  # not a statement start: the tree is not this text's
            if any(map(code, lines[covered:group.first - 1])):
                return None  # code no statement covers: a tree recovered from an error
            covered = group.last
        if any(map(code, lines[covered:])):
            return None
        return cls(source, lines, groups)

    # -- finding groups ----------------------------------------------------------------------
    def group_at(self, line: int) -> int | None:
        """Index of the group holding ``line``, or None for a line between statements."""
        i = bisect.bisect_right(self._firsts, line) - 1
        if i < 0 or line > self.groups[i].last:
            return None
        return i

    def span(self, *lines: int) -> list[int] | None:
        """The groups from the one holding the smallest of ``lines`` to the one holding the
        largest (every statement in between); None when one of them is not code."""
        found = [self.group_at(line) for line in lines]
        if any(g is None for g in found):
            return None
        known = [g for g in found if g is not None]
        return list(range(min(known), max(known) + 1))

    def word_groups(self, word: str) -> list[int]:
        """Groups whose text holds ``word`` as a whole word (in code, strings or comments):
        every group where a name ``word`` can occur."""
        cached = self._words.get(word)
        if cached is not None:
            return cached
        out: list[int] = []
        if self._starts is None:
            self._starts = [0, *accumulate(len(line) for line in self.lines)]
        source = self.source
        # a literal start lets ``re`` scan fast; the character before is checked here
        # (``\w`` is ``str.isalnum`` or "_")
        for match in re.finditer(rf"{re.escape(word)}(?!\w)", source):
            start = match.start()
            if start and (source[start - 1].isalnum() or source[start - 1] == "_"):
                continue
            line = bisect.bisect_right(self._starts, start)
            group = self.group_at(line)
            if group is not None and (not out or out[-1] != group):
                out.append(group)
        self._words[word] = out
        return out

    def text_groups(self, pattern: str) -> list[int]:
        """Groups whose text matches the regular expression ``pattern`` (in code, strings or
        comments): a cheap superset of the groups holding some construct, for an ``ast``
        check to narrow down."""
        key = f"re:{pattern}"
        cached = self._words.get(key)
        if cached is not None:
            return cached
        if self._starts is None:
            self._starts = [0, *accumulate(len(line) for line in self.lines)]
        out: list[int] = []
        for match in re.finditer(pattern, self.source):
            group = self.group_at(bisect.bisect_right(self._starts, match.start()))
            if group is not None and (not out or out[-1] != group):
                out.append(group)
        self._words[key] = out
        return out

    def nodes(self, group: int) -> Iterator[ast.AST]:
        for stmt in self.groups[group].stmts:
            yield from ast.walk(stmt)

    def mentions(self, group: int, name: str) -> bool:
        """Does the group read or write the variable ``name`` (an ``ast.Name``)?"""
        return any(isinstance(n, ast.Name) and n.id == name for n in self.nodes(group))

    def in_function(self, line: int) -> bool:
        """Is ``line`` inside the body of a ``def`` (at any depth)?"""
        group = self.group_at(line)
        return group is not None and any(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and
            n.lineno < line <= (n.end_lineno or n.lineno) for n in self.nodes(group))

    def top_statement(self, line: int) -> ast.stmt | None:
        """The top-level statement that starts on ``line``, if any."""
        group = self.group_at(line)
        if group is None:
            return None
        return next((s for s in self.groups[group].stmts if s.lineno == line), None)

    # -- running a fixer on a slice ----------------------------------------------------------
    def _chunks(self, groups: Iterable[int]) -> tuple[str, list[_Chunk]]:
        chosen = sorted(set(groups))
        runs: list[list[int]] = []
        for g in chosen:
            if runs and g == runs[-1][-1] + 1:
                runs[-1].append(g)
            else:
                runs.append([g])
        parts: list[str] = []
        chunks: list[_Chunk] = []
        at = 1
        for run in runs:
            start = 1 if run[0] == 0 else self.groups[run[0]].first
            after = run[-1] + 1
            follow = self.groups[after].first if after < len(self.groups) else None
            end = (follow - 1) if follow is not None else len(self.lines)
            parts.append("".join(self.lines[start - 1:end]))
            chunks.append(_Chunk(at, start, end - start + 1, follow))
            at += end - start + 1
            if follow is not None:
                parts.append(_PASS + self.newline)
                at += 1
        return "".join(parts), chunks

    @staticmethod
    def _to_slice(chunks: Sequence[_Chunk], line: int) -> int | None:
        for chunk in chunks:
            if chunk.full_first <= line < chunk.full_first + chunk.count:
                return chunk.first + line - chunk.full_first
        return None

    @staticmethod
    def _to_full(chunks: Sequence[_Chunk], line: int, col: int) -> tuple[int, int] | None:
        for chunk in chunks:
            offset = line - chunk.first
            if 0 <= offset < chunk.count:
                return chunk.full_first + offset, col
            if offset == chunk.count and col == 0:
                # the start of the ``pass`` line (or the end of the text): before the
                # statement that follows the chunk
                return (chunk.follow if chunk.follow is not None
                        else chunk.full_first + chunk.count), 0
        return None

    def _moved(self, finding: Finding, chunks: Sequence[_Chunk],
               line_args: Collection[str] | None) -> Finding | None:
        """``finding`` in the slice's lines: its span and its ``line_args`` (by default every
        ``*_line`` argument); other ``*_line`` arguments are left out."""
        s = finding.span
        line, end_line = self._to_slice(chunks, s.line), self._to_slice(chunks, s.end_line)
        if line is None or end_line is None:
            return None

        def move_fix(fix: Fix | None) -> Fix | None:
            if fix is None:
                return None
            args = []
            for key, value in fix.args:
                if key.endswith("_line") and line_args is not None and key not in line_args:
                    continue
                if key.endswith("_line") and isinstance(value, int) and \
                        not isinstance(value, bool):
                    moved = self._to_slice(chunks, value)
                    if moved is None:
                        return None
                    value = moved
                args.append((key, value))
            return replace(fix, args=tuple(args))

        fix = move_fix(finding.fix)
        if finding.fix is not None and fix is None:
            return None
        return replace(finding, span=Span(line, s.col, end_line, s.end_col), fix=fix,
                       alternatives=(), related=())

    def run(self, edits: EditsFn, finding: Finding, groups: Iterable[int] | None, *,
            line_args: Collection[str] | None = None) -> list[Edit]:
        """``edits`` (a fixer's whole-module entry point) run on the slice made of
        ``groups``, its edits moved back into the module; the whole module when ``groups`` is
        None or the slice's edits cannot be moved back. ``line_args``: the ``*_line``
        arguments of the fix the fixer reads (default: all)."""
        if groups is None or not self.uniform:
            return edits(self.source, finding)
        text, chunks = self._chunks(groups)
        moved = self._moved(finding, chunks, line_args)
        if moved is None:
            log.debug("fix %s: finding outside its slice; whole module", finding.code)
            return edits(self.source, finding)
        out: list[Edit] = []
        for edit in edits(text, moved):
            s = edit.span
            start, end = self._to_full(chunks, s.line, s.col), \
                self._to_full(chunks, s.end_line, s.end_col)
            if start is None or end is None:
                log.debug("fix %s: edit outside its slice; whole module", finding.code)
                return edits(self.source, finding)
            out.append(Edit(Span(*start, *end), edit.new_text))
        return out


_CACHE: dict[str, ModuleIndex | None] = {}


def index_for(source: str, tree: ast.Module | None = None) -> ModuleIndex | None:
    """The index of ``source`` (from ``tree`` when it is ``source``'s own ``ast`` tree, else
    parsed here); None when ``ast`` cannot parse the source. The last few are cached."""
    if source in _CACHE:
        return _CACHE[source]
    index = ModuleIndex.build(source, tree) if tree is not None else None
    if index is None:
        try:
            index = ModuleIndex.build(source, ast.parse(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            index = None
    if len(_CACHE) >= CACHE_SIZE:
        del _CACHE[next(iter(_CACHE))]
    _CACHE[source] = index
    return index
