"""Re-parsing only the statements an edit touched.

After an edit the file's lines are compared with the previous version's; the top-level
statements overlapping the changed lines are parsed again and spliced between the unchanged
ones, which keep their syntax trees (and so the analyses recorded for them). Unless the
change lies strictly inside one statement, one neighbour on each side is parsed with them (a
line typed under a ``def`` joins it). When lines were added or removed, the statements after
the region keep their trees too, renumbered by the caller (``Moved``). When the region does
not parse on its own, the caller falls back to the recovering full parse.
"""

from __future__ import annotations

import ast
import bisect
import re

from ...structs import Frozen
from .gaps import blank_gap, whole_statements
from .members import whole_members

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines breaks, ast's not
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Lines as the Python tokenizer counts them (``\\f`` or U+2028 end no line)."""
    if any(c in text for c in ODD_BREAKS):  # a few memchr scans beat one regex search
        return _LINES.findall(text)
    return text.splitlines(keepends=True)


def statement_start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno, *(d.lineno for d in decorators)]) if decorators else node.lineno


def statement_key(node: ast.stmt, lines: list[str]) -> tuple[Any, ...]:
    end = node.end_lineno or node.lineno
    return (node.lineno, node.col_offset, end, node.end_col_offset,
            "".join(lines[statement_start(node) - 1:end]))


def _end_line(node: ast.stmt) -> int:
    return node.end_lineno or 0


def _first_difference(a: list[str], b: list[str], block: int = 64) -> int:
    """The first index where ``a`` and ``b`` differ (up to the shorter one's length): blocks
    of lines compared in C, then one line at a time in the block that differs."""
    i, n = 0, min(len(a), len(b))
    while i < n and a[i:i + block] == b[i:i + block]:
        i += block
    while i < n and a[i] == b[i]:
        i += 1
    return min(i, n)


class Moved(Frozen):
    """Statements ``body[index:]`` are the old ones, still numbered as before the edit:
    every line from ``threshold`` on (old numbering) moves by ``delta``. ``inner``: old
    statements inside the edited top-level one (after the re-parsed definition, in the class
    or function bodies around it) that move too. ``split``: an old top-level statement kept
    as it is (blank or comment lines were added or removed inside it, ``gaps.py``), whose
    lines from ``threshold`` on move."""

    __slots__ = ("index", "threshold", "delta", "inner", "split")

    def __init__(self, index: int, threshold: int, delta: int,
                 inner: tuple[ast.stmt, ...] = (), split: ast.stmt | None = None) -> None:
        self.index = index
        self.threshold = threshold
        self.delta = delta
        self.inner = inner
        self.split = split


def reparse(old: list[str], body: list[ast.stmt], lines: list[str],
            path: str) -> tuple[list[ast.stmt], int, Moved | None] | None:
    """The new top-level statements (``body`` with the changed region parsed again), how
    many lines were parsed, and which statements the edit moved (the caller renumbers them);
    ``None`` when the caller must parse the whole text."""
    n_old, n = len(old), len(lines)
    first = _first_difference(lines, old)
    if first == n == n_old:
        return list(body), 0, None
    if not body or not n_old:
        return None
    tail = min(_first_difference(lines[::-1], old[::-1]), min(n, n_old) - first)
    delta = n - n_old
    last = n_old - 1 - tail  # 0-based: old lines first..last were replaced
    gap = blank_gap(old, body, lines, first, last, tail)
    if gap is not None:  # only blank or comment lines changed: nothing to parse
        moved = Moved(gap.index, gap.after, delta, split=gap.split) if delta and (
            gap.split is not None or gap.index < len(body)) else None
        return list(body), 0, moved
    whole = whole_statements(old, body, lines, first, last, tail, path)
    if whole is not None:  # whole statements replaced: the ones around keep their nodes
        lo, hi, region = whole
        moved = Moved(lo + len(region), last + 2, delta) if delta and hi < len(body) else None
        return [*body[:lo], *region, *body[hi:]], n - tail - first, moved
    # The old lines (1-based) the edit touched: those replaced, or both sides of an insertion;
    # and whether it lies strictly inside one statement (its first and last line unchanged).
    if last >= first:
        a, b = first + 1, last + 1
        lo = bisect.bisect_left(body, a, key=_end_line)
        inside = lo < len(body) and statement_start(body[lo]) < a and b < _end_line(body[lo])
    else:
        a, b = max(first, 1), min(first + 1, n_old)
        lo = bisect.bisect_left(body, a, key=_end_line)
        inside = lo < len(body) and statement_start(body[lo]) <= a and b <= _end_line(body[lo])
    hi = lo
    while hi < len(body) and statement_start(body[hi]) <= b:
        hi += 1
    inside = inside and hi - lo == 1
    if inside and not (lo > 0 and body[lo - 1].end_lineno == statement_start(body[lo])) and \
            not (hi < len(body) and _end_line(body[lo]) == statement_start(body[hi])):
        inner = _reparse_inner(body[lo], a, b, lines, delta, path) or \
            whole_members(body[lo], old, lines, first, last, tail, path)
        if inner is not None:
            node, parsed, threshold, siblings = inner
            moved = Moved(hi, threshold, delta, siblings) if delta and (
                siblings or hi < len(body)) else None
            return [*body[:lo], node, *body[hi:]], parsed, moved
    if not inside:
        # A changed first or last line, or lines between statements: the neighbours too
        # (a line typed under a ``def`` joins it, an unindented one may end a block).
        lo, hi = max(lo - 1, 0), min(hi + 1, len(body))
    # Statements sharing a line with the region (``a = 1; b = 2``) are parsed with it.
    while 0 < lo < len(body) and body[lo - 1].end_lineno == statement_start(body[lo]):
        lo -= 1
    while 0 < hi < len(body) and body[hi - 1].end_lineno == statement_start(body[hi]):
        hi += 1
    start = statement_start(body[lo]) if 0 < lo < len(body) else 1
    end = (body[hi - 1].end_lineno or n_old) if hi < len(body) else n_old
    end = max(end, b)  # old numbering; the region's new text ends at end + delta
    # Blank lines in front put the region at its place: no walk to renumber its nodes.
    text = "\n" * (start - 1) + "".join(lines[start - 1:end + delta])
    try:
        region = ast.parse(text, filename=path)
    except Exception:  # a syntax error or worse: the recovering parser decides
        return None
    moved = Moved(lo + len(region.body), end + 1, delta) if delta and hi < len(body) else None
    return [*body[:lo], *region.body, *body[hi:]], end + delta - start + 1, moved


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _reparse_inner(top: ast.stmt, a: int, b: int, lines: list[str], delta: int, path: str
                   ) -> tuple[ast.stmt, int, int, tuple[ast.stmt, ...]] | None:
    """The edit (old lines ``a..b``) lies strictly inside ``top``: when it also lies strictly
    inside a definition nested in it (a method of a class, a helper in a function), parse
    only that definition again. Returns a new ``top`` (new nodes down to the definition;
    every other statement in it is the old node), the lines parsed, the old line after the
    definition (``threshold``) and the old statements after it inside ``top``, which the
    caller renumbers. A class's unchanged methods keep their nodes, and so their analyses."""
    # (definition, index of the child in it)
    path_nodes: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, int]] = []
    node = top
    while isinstance(node, _DEFS):
        inner = node.body
        i = bisect.bisect_left(inner, a, key=_end_line)
        if i >= len(inner):
            break
        child = inner[i]
        # The edit within its lines (a definition, or any member of a class): the region
        # below must still parse as one such statement at the same place.
        if not (statement_start(child) <= a and b <= _end_line(child)) or not (
                isinstance(child, _DEFS) or isinstance(node, ast.ClassDef)):
            break
        if (i and inner[i - 1].end_lineno == statement_start(child)) or (
                i + 1 < len(inner) and _end_line(child) == statement_start(inner[i + 1])):
            break  # shares a line with a neighbour (``;``)
        path_nodes.append((node, i))
        node = child
        if not isinstance(child, _DEFS):
            break
    if not path_nodes:
        return None
    start, end = statement_start(node), _end_line(node)
    if start < 2:
        return None
    text = "\n" * (start - 2) + "if 1:\n" + "".join(lines[start - 1:end + delta])
    try:
        region = ast.parse(text, filename=path).body
    except Exception:
        return None
    if len(region) != 1 or not isinstance(region[0], ast.If) or len(region[0].body) != 1:
        return None
    new = region[0].body[0]
    if type(new) is not type(node) or statement_start(new) != start or \
            _end_line(new) != end + delta or new.col_offset != node.col_offset:
        return None
    siblings: list[ast.stmt] = []
    for parent, i in reversed(path_nodes):
        siblings += parent.body[i + 1:]
        copy = _copy(parent)
        copy.body = [*parent.body[:i], new, *parent.body[i + 1:]]  # type: ignore[attr-defined]
        if i == len(parent.body) - 1:  # its last member: the parent ends where it ends
            copy.end_lineno, copy.end_col_offset = new.end_lineno, new.end_col_offset
        else:
            copy.end_lineno = _end_line(parent) + delta
        new = copy
    return new, end + delta - start + 1, end + 1, tuple(siblings)


def _copy(node: ast.stmt) -> ast.stmt:
    """A new node with ``node``'s fields and position (no cached facts of the old one)."""
    copy = type(node)()
    for name in (*node._fields, *node._attributes):
        if hasattr(node, name):
            setattr(copy, name, getattr(node, name))
    return copy
