"""Edits that change no statement but the ones they replace: blank and comment lines, and
whole top-level statements.

Pressing Enter at the end of a line adds a blank line (maybe indented); Backspace at the
start of an empty line removes it; typing the indentation of a new line, or a comment, changes
a line the tokenizer skips. None of these changes a syntax tree, only the lines of what comes
after: outside a string literal and not after a ``\\`` continuation, a blank or comment-only
line is not a token, even inside brackets or between a decorator and its ``def``. The
re-parse (``reparse.py``) then parses nothing: every statement keeps its node, and the
statement the lines fall inside (a class whose method got an Enter) is renumbered from the
edit on instead of parsed and run again, so its unchanged analysis is replayed as it is.
"""

from __future__ import annotations

import ast
import bisect
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def _end_line(node: ast.stmt) -> int:
    return node.end_lineno or 0


def skipped(lines: Sequence[str]) -> bool:
    """Every line is one the tokenizer skips: spaces and tabs, maybe a comment (a form feed
    or an odd line break stays on the parsing path)."""
    for line in lines:
        text = line.lstrip(" \t")
        if text and text[0] != "#" and text.rstrip("\r\n"):
            return False
        if "\\" in text or "\x0c" in text:
            return False  # a comment ending in ``\``: harmless, but rare enough to parse
    return True


def _start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno, *(d.lineno for d in decorators)]) if decorators else node.lineno


def _in_string(node: ast.AST, before: int, after: int) -> bool:
    """Does a string literal in ``node`` hold the lines strictly between ``before`` and
    ``after``? Only the children spanning those lines are visited (a path, not the tree)."""
    todo = [node]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.JoinedStr) or (
                isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)):
            return True
        for child in ast.iter_child_nodes(node):
            line = getattr(child, "lineno", None)
            # No line (``arguments``, ``comprehension``, ``withitem``): look inside too.
            if line is None or (
                    line <= before and (getattr(child, "end_lineno", None) or line) >= after):
                todo.append(child)
    return False


class Gap:
    """Old lines strictly between ``before`` and ``after`` (1-based; ``before`` may be 0,
    ``after`` past the end) were replaced by as many or more or fewer skipped lines.
    ``index``: the first top-level statement after them; ``split``: the one they fall
    inside, if any (its lines from ``after`` on move)."""

    __slots__ = ("after", "before", "index", "split")

    def __init__(self, before: int, after: int, index: int, split: ast.stmt | None) -> None:
        self.before = before
        self.after = after
        self.index = index
        self.split = split


def blank_gap(old: list[str], body: list[ast.stmt], lines: list[str], first: int,
              last: int, tail: int) -> Gap | None:
    """The edit replaced old lines ``first..last`` (0-based; none when ``last < first``) by
    the new lines between ``first`` and the ``tail`` common last lines: a ``Gap`` when both
    sides are skipped lines that no string or continuation line holds, else ``None``."""
    if not skipped(old[first:last + 1]) or not skipped(lines[first:len(lines) - tail]):
        return None
    if first and old[first - 1].rstrip("\r\n").endswith("\\"):
        return None  # the line before continues into the gap
    before, after = first, last + 2  # 1-based: the unchanged lines around the gap
    # The first statement ending at or after ``after``: the gap is inside it or before it.
    i = bisect.bisect_left(body, after, key=_end_line)
    split = None
    if i < len(body) and _start(body[i]) <= before:
        split = body[i]
        if _in_string(split, before, after):
            return None
        i += 1
    return Gap(before, after, i, split)


# A clause that continues the compound statement above it when typed at column 0.
_CLAUSE = re.compile(r"(else|elif|except|finally)\b")


def whole_statements(old: list[str], body: list[ast.stmt], lines: list[str], first: int,
                     last: int, tail: int, path: str
                     ) -> tuple[int, int, list[ast.stmt]] | None:
    """The edit replaced old lines ``first..last`` (0-based; none: an insertion) holding
    whole top-level statements ``body[lo:hi]`` (maybe none) and blank lines, by text that
    parses alone as statements starting at column 0 (a pasted function, a retyped one-line
    statement): ``(lo, hi, the new statements)``. Between complete statements at column 0
    the tokenizer starts afresh, so the statements around keep their nodes (a line typed
    under a ``def``, indented, or an ``else:`` is not such text: ``None``)."""
    if first and old[first - 1].rstrip("\r\n").endswith("\\"):
        return None
    a, b = first + 1, last + 1  # old lines, 1-based (``b < a``: an insertion before ``a``)
    lo = bisect.bisect_left(body, a, key=_end_line)
    if lo < len(body) and _start(body[lo]) < a:
        return None  # a statement starts before the edit and ends in it or after it
    hi = lo
    while hi < len(body) and _start(body[hi]) <= b:
        hi += 1
    if hi > lo and _end_line(body[hi - 1]) > b:
        return None  # one starts in it and ends after it
    new = lines[first:len(lines) - tail]
    for line in new:
        text = line.lstrip(" \t")
        if not text.rstrip("\r\n") or text[0] == "#":
            continue
        if len(text) != len(line) or _CLAUSE.match(text):
            return None
        break
    try:
        region = ast.parse("\n" * first + "".join(new), filename=path)
    except Exception:  # not Python alone: the caller parses more
        return None
    return lo, hi, region.body
