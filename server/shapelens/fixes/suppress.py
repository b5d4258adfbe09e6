"""The "ignore SLxxx on this line" fix: add or extend a ``# shapelens: ignore[...]`` comment.

The engine reads suppressions per physical line, on the line where a finding starts
(``core/suppress.py``), so the comment goes on ``finding.span.line``. An existing
``# shapelens: ignore[SL102]`` there is extended to ``ignore[SL101, SL102]`` instead of
adding a second comment; a bare ``# shapelens: ignore`` already covers every code, so
nothing is offered. Other comments (``# noqa``) are kept and the suppression is appended
after them. A line that ends inside a string or with a backslash continuation cannot take a
comment, so no edit is offered there rather than breaking the code.

A comment append needs no syntax tree, so this fixer works with the tokenizer alone and
keeps working on text that does not parse (tokenizing falls back to a line scan). When the
text parses, tokenizing starts at the top-level statement holding the line (nothing before
it can change its tokens), so the cost does not grow with the line number.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from itertools import islice

from ..core.results import Finding, Span
from .base import Edit, register
from .scope import ModuleIndex, index_for

FIX_ID = "suppress"
_PATTERN = re.compile(r"#\s*shapelens:\s*ignore(?:\[(?P<codes>[A-Za-z0-9,\s]*)\])?", re.I)


@dataclass(frozen=True)
class _LineFacts:
    comment: tuple[int, str] | None  # (code-point column, text) of the line's comment
    inside_string: bool  # the line break at the end of the line is inside a string


def _line_facts(source: str, line: int, index: ModuleIndex | None = None) -> _LineFacts:
    """The comment on ``line`` (1-based) and whether the line ends inside a string token.

    With the ``index`` of the (parsing) text, tokenizing starts at the first line of the
    top-level statement holding ``line``: no string or bracket is open there."""
    comment: tuple[int, str] | None = None
    inside = False
    reached = False
    readline = io.StringIO(source).readline
    first = 1
    # ``StringIO`` splits lines at "\n" only, the index also at a lone "\r"
    if index is not None and index.uniform and index.newline != "\r":
        group = index.group_at(line)
        first = index.groups[group].first if group is not None else line
        rest = islice(index.lines, first - 1, None)

        def readline() -> str:
            return next(rest, "")

    target = line - first + 1  # ``line`` in the text the tokenizer reads
    try:
        for tok in tokenize.generate_tokens(readline):
            if tok.start[0] > target:
                reached = True
                break
            if tok.type == tokenize.COMMENT and tok.start[0] == target:
                comment = (tok.start[1], tok.string)
            elif tok.start[0] <= target < tok.end[0] and tok.type not in (
                    tokenize.NL, tokenize.NEWLINE):
                inside = True  # a multi-line string (or f-string part) spans this line end
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # mid-typing text: keep what was read, then look at the raw line below
    if comment is None and not reached:
        # The tokenizer stopped before the end of the line: take the line's first ``#``
        # (this may sit in a string, like the engine's own fallback in core/suppress.py).
        lines = source.splitlines()
        text = lines[line - 1] if line <= len(lines) else ""
        if "#" in text:
            comment = (text.index("#"), text[text.index("#"):])
    return _LineFacts(comment, inside)


def suppress_edits(source: str, line: int, code: str, *,
                   tree: ast.Module | None = None) -> list[Edit]:
    """Edits that make ``# shapelens: ignore[...]`` on ``line`` cover ``code``.

    ``tree``: ``source``'s ``ast`` tree when the caller has it (``Analysis.tree``); without
    it the text is parsed here, once (``scope.index_for`` keeps the last few)."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return []
    text = lines[line - 1]
    facts = _line_facts(source, line, index_for(source, tree))
    if facts.comment is not None:
        col, comment = facts.comment
        match = _PATTERN.search(comment)
        if match is not None:
            codes = match.group("codes")
            if codes is None:
                return []  # a bare ignore already suppresses everything
            present = [c.strip().upper() for c in codes.split(",") if c.strip()]
            if code.upper() in present or "*" in present:
                return []
            start = col + match.start("codes")
            end = col + match.end("codes")
            merged = ", ".join(sorted({*present, code.upper()}))
            return [Edit(Span(line, start, line, end), merged)]
    if facts.inside_string or text.rstrip().endswith("\\"):
        return []
    content = text.rstrip()
    return [Edit(Span(line, len(content), line, len(text)),
                 f"  # shapelens: ignore[{code.upper()}]")]


class SuppressFixer:
    """``FIXERS["suppress"]``: suppress the finding's own code on the line where it starts."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        return suppress_edits(source, finding.span.line, finding.code)


SUPPRESS = register(SuppressFixer())
