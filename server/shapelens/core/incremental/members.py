"""Whole members of a class pasted, typed or deleted between the others (``reparse.py``).

A method pasted between two methods of a class, or one deleted, lies inside the class but
inside none of its members: without help the whole class is parsed again, every method gets
a new node, and every method is analysed again. Text that replaces whole members (or none) of
a class, at their indentation, is parsed alone (in an ``if 1:`` block, at its place): the
class gets a new node with the old nodes of its other members, so only the new members are
analysed, as for an edit inside one method (``reparse._reparse_inner``).
"""

from __future__ import annotations

import ast
import bisect
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_CLAUSE = re.compile(r"(else|elif|except|finally)\b")


def _end(node: ast.stmt) -> int:
    return node.end_lineno or 0


def _start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno, *(d.lineno for d in decorators)]) if decorators else node.lineno


def _slice(node: Any, a: int, b: int) -> tuple[int, int] | None:
    """The members of ``node`` that old lines ``a..b`` hold whole (``b < a``: an insertion
    before line ``a``), as ``(lo, hi)``; ``None`` when a member straddles them."""
    inner = node.body
    lo = bisect.bisect_left(inner, a, key=_end)
    if lo < len(inner) and _start(inner[lo]) < a:
        return None
    hi = lo
    while hi < len(inner) and _start(inner[hi]) <= b:
        hi += 1
    if hi > lo and _end(inner[hi - 1]) > b:
        return None
    return lo, hi


def _members(node: Any, old: list[str], new: list[str], first: int, path: str
             ) -> list[ast.stmt] | None:
    """``new`` (the region's lines, from 0-based line ``first``) parsed as members of
    ``node`` at their indentation, or ``None``."""
    head = node.body[0]
    indent = old[_start(head) - 1][:head.col_offset]
    if indent.strip(" \t") or not indent:
        return None
    significant = False
    for line in new:
        text = line.lstrip(" \t")
        if not text.rstrip("\r\n") or text[0] == "#":
            continue
        if not significant and (line[:len(line) - len(text)] != indent or _CLAUSE.match(text)):
            return None
        significant = True
        if not line.startswith(indent):
            return None  # a dedent: it would end the class
    if not significant:
        return []
    try:
        parsed = ast.parse("\n" * (first - 1) + "if 1:\n" + "".join(new), filename=path).body
    except Exception:
        return None
    if len(parsed) != 1 or not isinstance(parsed[0], ast.If) or parsed[0].orelse or \
            any(m.col_offset != head.col_offset for m in parsed[0].body):
        return None
    return parsed[0].body


def whole_members(top: ast.stmt, old: list[str], lines: list[str], first: int, last: int,
                  tail: int, path: str) -> tuple[ast.stmt, int, int, tuple[ast.stmt, ...]] | None:
    """The edit replaced old lines ``first..last`` (0-based; none: an insertion) inside
    ``top``, holding whole members of a class in it (maybe none) and the blank lines around
    them, by text that parses alone as members at their indentation. Returns what
    ``reparse._reparse_inner`` does: a new ``top`` (new nodes down to the class), the lines
    parsed, the old line after the edit and the old statements after it inside ``top``."""
    if first < 1 or old[first - 1].rstrip("\r\n").endswith("\\"):
        return None
    a, b = first + 1, last + 1
    path_nodes: list[tuple[Any, int]] = []  # (definition, index of the child holding it)
    node: Any = top
    found = None
    while isinstance(node, _DEFS) and node.body:
        if isinstance(node, ast.ClassDef):
            found = _slice(node, a, b)
            if found is not None:
                break
        inner = node.body
        i = bisect.bisect_left(inner, a, key=_end)
        if i >= len(inner) or not (_start(inner[i]) < a and b < _end(inner[i])):
            return None
        path_nodes.append((node, i))
        node = inner[i]
    if found is None:
        return None
    lo, hi = found
    region = lines[first:len(lines) - tail]
    members = _members(node, old, region, first, path)
    if members is None or not (members or lo or hi < len(node.body)):
        return None  # not members alone, or no member would be left
    delta = len(lines) - len(old)
    siblings: list[ast.stmt] = list(node.body[hi:])
    new = _rebuilt(node, [*node.body[:lo], *members, *node.body[hi:]], hi == len(node.body),
                   delta)
    for parent, i in reversed(path_nodes):
        siblings += parent.body[i + 1:]
        new = _rebuilt(parent, [*parent.body[:i], new, *parent.body[i + 1:]],
                       i == len(parent.body) - 1, delta)
    return new, len(region), last + 2, tuple(siblings)


def _rebuilt(node: Any, body: list[ast.stmt], ends_with_it: bool, delta: int) -> ast.stmt:
    """A copy of ``node`` with ``body``; it ends where its last member ends when that one is
    new (``ends_with_it``), else ``delta`` lines from where it ended."""
    copy: Any = type(node)()
    for name in (*node._fields, *node._attributes):
        if hasattr(node, name):
            setattr(copy, name, getattr(node, name))
    copy.body = body
    if ends_with_it:
        copy.end_lineno, copy.end_col_offset = body[-1].end_lineno, body[-1].end_col_offset
    else:
        copy.end_lineno = _end(node) + delta
    return copy  # type: ignore[no-any-return]
