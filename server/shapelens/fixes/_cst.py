"""Shared plumbing of the libcst fixers: run a transform, turn its output into minimal edits.

Every tape fixer is a LibCST transform in codemod style: it decides what to do by looking at
``original_node`` (positions come from ``PositionProvider``, which only knows original nodes),
builds the replacement from ``updated_node``, and returns the node unchanged when the fix does
not apply. The module it produces is then compared with the source text and only the lines
that really changed become ``Edit``s, so a fix never rewrites (and never re-formats) code it did
not mean to touch, and two fixes in different statements never overlap.

LibCST columns are code points, like the engine's ``Span``; lines are 1-based in both, and
counted the same way (``\\n``, ``\\r\\n``, ``\\r``; not ``str.splitlines``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from ..core.results import Finding, Span
from .base import Edit
from .scope import split_lines

DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\Z")
_EMPTY = cst.Module(body=[])


class _Positions(cst.MetadataDependent):
    """Positions of original nodes (1-based lines, code-point columns)."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def pos(self, node: cst.CSTNode) -> CodeRange:
        where = self.get_metadata(PositionProvider, node)
        assert isinstance(where, CodeRange)
        return where

    def line(self, node: cst.CSTNode) -> int:
        return self.pos(node).start.line

    def covers(self, node: cst.CSTNode, line: int) -> bool:
        where = self.pos(node)
        return where.start.line <= line <= where.end.line


class FixVisitor(_Positions, cst.CSTVisitor):
    """Base of the fixers' read-only passes (finding the node a fix will change)."""


class FixTransformer(_Positions, cst.CSTTransformer):
    """Base of the fixers' transforms: positions of original nodes and a ``changed`` flag."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = False


def code(node: cst.CSTNode) -> str:
    """The source text of ``node`` (whitespace it owns included, as LibCST renders it)."""
    return _EMPTY.code_for_node(node)


def arg(finding: Finding, key: str, default: object = None) -> object:
    """One of ``finding.fix.args`` (pairs), or ``default``."""
    if finding.fix is None:
        return default
    return dict(finding.fix.args).get(key, default)


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def callee(call: cst.Call) -> str:
    """The last component of a call's function name (``tf.GradientTape`` -> ``GradientTape``)."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def tape_item(with_node: cst.With, tape: str) -> cst.WithItem | None:
    """The ``<...>GradientTape(...) as <tape>`` item of a ``with`` statement, if any."""
    for item in with_node.items:
        target = item.asname.name if item.asname is not None else None
        if isinstance(target, cst.Name) and target.value == tape and \
                isinstance(item.item, cst.Call) and callee(item.item) == "GradientTape":
            return item
    return None


class _Targets(cst.CSTVisitor):
    """Collects the text of every binding target inside a node (not in nested scopes)."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def _add(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._add(element.value)
        elif isinstance(target, cst.StarredElement):
            self._add(target.value)
        else:
            name = dotted(target)
            if name is not None:
                self.found.append(name)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._add(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._add(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._add(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._add(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._add(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._add(node.name)  # type: ignore[arg-type]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.found.append(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.found.append(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def bound_names(node: cst.CSTNode) -> list[str]:
    """Names (and dotted attribute targets) that ``node`` assigns."""
    visitor = _Targets()
    node.visit(visitor)
    return visitor.found


class _Reads(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.found.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # ``x.shape`` mentions ``x``, not a variable named ``shape``
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # a keyword argument's name is not a variable
        return False


def names_used(node: cst.CSTNode) -> set[str]:
    """Every variable name that appears in ``node`` (read or written)."""
    visitor = _Reads()
    node.visit(visitor)
    return visitor.found


_PARSED: dict[str, MetadataWrapper | None] = {}
PARSE_CACHE = 4  # the last few slices: a finding's fix and its alternative often share one
PARSE_CACHE_CHARS = 50_000  # slices are cached, whole long modules are not


def parse(source: str) -> MetadataWrapper | None:
    """A metadata wrapper over ``source``, or None when LibCST cannot parse it. Trees are
    never changed in place (a transform builds a new one), so a wrapper, with the positions
    it resolved, serves every fixer that reads the same text."""
    if source in _PARSED:
        return _PARSED[source]
    try:
        wrapper: MetadataWrapper | None = MetadataWrapper(cst.parse_module(source),
                                                          unsafe_skip_copy=True)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        wrapper = None
    if len(source) <= PARSE_CACHE_CHARS:
        if len(_PARSED) >= PARSE_CACHE:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[source] = wrapper
    return wrapper


def transform(source: str, transformer: FixTransformer,
              wrapper: MetadataWrapper | None = None) -> list[Edit]:
    """Run ``transformer`` over ``source`` (already parsed into ``wrapper`` when an earlier
    pass picked the nodes to change); the minimal edits it made (``[]`` if none)."""
    wrapper = wrapper or parse(source)
    if wrapper is None:
        return []
    new = wrapper.visit(transformer)
    if not transformer.changed or new.code == source:
        return []
    return diff_edits(source, new.code)


def _position(lines: Sequence[str], offset_in_hunk: int, first_line: int) -> tuple[int, int]:
    """(1-based line, column) of a character offset counted from the start of ``first_line``."""
    line = first_line
    for text in lines:
        if offset_in_hunk < len(text) or not text.endswith(("\n", "\r")):
            break
        offset_in_hunk -= len(text)
        line += 1
    return line, offset_in_hunk


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _word_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and _word(text[index])


def diff_edits(old: str, new: str) -> list[Edit]:
    """The edits that turn ``old`` into ``new``: one per changed hunk of lines, trimmed to the
    characters that really differ (so inserting a line is an insertion, not a replacement)."""
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    # the lines both share at the start and at the end stay out of the matcher: on text that
    # repeats itself (the same block twice) it may align a changed block with its twin and
    # rewrite both, where the change is one line
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < min(len(old_lines), len(new_lines)) - head and \
            old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(a=old_lines[head:len(old_lines) - tail],
                                      b=new_lines[head:len(new_lines) - tail], autojunk=False)
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        start = 0
        while start < min(len(before), len(after)) and before[start] == after[start]:
            start += 1
        while start and _word(before[start - 1]) and (_word_at(before, start) or
                                                      _word_at(after, start)):
            start -= 1  # never split an identifier: the edit reads well in an editor
        end = 0
        while end < min(len(before), len(after)) - start and \
                before[len(before) - 1 - end] == after[len(after) - 1 - end]:
            end += 1
        while end and _word(before[len(before) - end]) and (
                _word_at(before, len(before) - end - 1) or _word_at(after, len(after) - end - 1)):
            end -= 1
        hunk = old_lines[i1:i2]
        line, col = _position(hunk, start, i1 + 1)
        end_line, end_col = _position(hunk, len(before) - end, i1 + 1)
        edits.append(Edit(Span(line, col, end_line, end_col), after[start:len(after) - end]))
    return edits


def statements(suite: cst.BaseSuite) -> Iterator[cst.BaseStatement]:
    """The statements of an indented block (a one-line suite has none we can move)."""
    if isinstance(suite, cst.IndentedBlock):
        yield from suite.body
