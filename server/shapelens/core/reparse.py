"""Re-parsing only the statements an edit touched.

After an edit the file's lines are compared with the previous version's; the top-level
statements overlapping the changed lines are parsed again and spliced between the unchanged
ones, which keep their syntax trees (and so the analyses recorded for them). Unless the
change lies strictly inside one statement, one neighbour on each side is parsed with them (a
line typed under a ``def`` joins it). When the region does not parse on its own, or lines
were added or removed, the caller falls back to the recovering full parse.
"""

from __future__ import annotations

import ast
import bisect
import re
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
    """The first index where ``a`` and ``b`` (as long) differ: blocks of lines compared
    in C, then one line at a time in the block that differs."""
    i, n = 0, len(a)
    while i < n and a[i:i + block] == b[i:i + block]:
        i += block
    while i < n and a[i] == b[i]:
        i += 1
    return min(i, n)


def reparse(old: list[str], body: list[ast.stmt], lines: list[str],
            path: str) -> tuple[list[ast.stmt], int] | None:
    """The new top-level statements (``body`` with the changed region parsed again) and how
    many lines were parsed; ``None`` when the caller must parse the whole text."""
    if len(lines) != len(old):
        return None  # statements would move: the caller re-parses
    n = len(lines)
    first = _first_difference(lines, old)
    if first == n:
        return list(body), 0
    last = n - 1 - _first_difference(lines[::-1], old[::-1])
    # Statements touching the changed lines [first+1, last+1].
    lo = bisect.bisect_left(body, first + 1, key=_end_line)
    hi = lo
    while hi < len(body) and statement_start(body[hi]) <= last + 1:
        hi += 1
    inside = hi - lo == 1 and statement_start(body[lo]) < first + 1 and \
        last + 1 < (body[lo].end_lineno or 0)
    if not inside:
        # A changed first or last line, or lines between statements: the neighbours too
        # (a line typed under a ``def`` joins it, an unindented one may end a block).
        lo, hi = max(lo - 1, 0), min(hi + 1, len(body))
    # Statements sharing a line with the region (``a = 1; b = 2``) are parsed with it.
    while 0 < lo < len(body) and body[lo - 1].end_lineno == statement_start(body[lo]):
        lo -= 1
    while 0 < hi < len(body) and body[hi - 1].end_lineno == statement_start(body[hi]):
        hi += 1
    start = statement_start(body[lo]) if lo < len(body) and lo > 0 else 1
    end = (body[hi - 1].end_lineno or n) if hi < len(body) else n
    end = max(end, last + 1)
    # Blank lines in front put the region at its place: no walk to renumber its nodes.
    text = "\n" * (start - 1) + "".join(lines[start - 1:end])
    try:
        region = ast.parse(text, filename=path)
    except Exception:  # a syntax error or worse: the recovering parser decides
        return None
    return [*body[:lo], *region.body, *body[hi:]], end - start + 1
