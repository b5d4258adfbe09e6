"""The fixer vocabulary: ``Edit``, the ``Fixer`` protocol, the ``FIXERS`` registry, and the
text arithmetic of edits (overlap, merge, apply).

The engine attaches a ``Fix(fix_id, title, safe, args)`` to a finding; everything needed to
rewrite the code travels in ``args`` so that a fixer never re-runs the analysis. A fixer is
looked up by ``fix_id`` in ``FIXERS`` and turns ``(source, finding)`` into ``Edit``s in the
core's coordinates (1-based lines, code-point columns). This module is pure: no pygls, no
lsprotocol; the language server converts the edits once, in ``shapelens.lsp.convert``.

A fixer that rewrites code with LibCST also implements ``scoped_edits(index, finding)``: the
same edits, computed on the top-level statements the fix reads (``fixes.scope``), so a quick
fix costs milliseconds at any file size.

This module is the bottom of the package: every fixer imports it, it imports no fixer. The
fixer modules register themselves on import (``register``); the package's ``__init__``
decides when they are imported (lazily: ``LazyFixer``), and ``dispatch.apply_fix`` runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..core.results import Finding, Span


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text in ``span`` (end exclusive) with ``new_text``; an empty span inserts."""

    span: Span
    new_text: str


@runtime_checkable
class Fixer(Protocol):
    """Turns one kind of ``Fix`` into edits.

    ``fix_id`` is the key the engine writes into ``Fix.fix_id``. ``edits`` returns an empty
    list when the fix no longer applies to ``source`` (the user edited the code since the
    analysis): callers then simply offer nothing.
    """

    fix_id: str

    def edits(self, source: str, finding: Finding) -> list[Edit]: ...


FIXERS: dict[str, Fixer] = {}


def register(fixer: Fixer) -> Fixer:
    """Add ``fixer`` to ``FIXERS`` under its ``fix_id`` (a later registration replaces it)."""
    FIXERS[fixer.fix_id] = fixer
    return fixer


def overlaps(a: Span, b: Span) -> bool:
    """True when two spans share text or are the same insertion point."""
    a_start, a_end = (a.line, a.col), (a.end_line, a.end_col)
    b_start, b_end = (b.line, b.col), (b.end_line, b.end_col)
    if a_start == b_start:
        return True
    return a_start < b_end and b_start < a_end


def merge_edits(groups: Iterable[list[Edit]]) -> list[Edit]:
    """Combine the edits of several fixes, skipping any fix that overlaps an accepted one.

    Used by "fix all": each group is applied whole or not at all, so a fix is never half
    applied; the first group wins a conflict (callers pass them in document order).
    """
    accepted: list[Edit] = []
    for group in groups:
        if not group or any(overlaps(e.span, a.span) for e in group for a in accepted):
            continue
        accepted.extend(group)
    return sorted(accepted)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """``source`` with non-overlapping ``edits`` applied (tests and "fix all" previews).

    Lines are counted as ``ast``, LibCST and LSP count them (``\\n``, ``\\r\\n``, ``\\r``)."""
    lines = _LINE.findall(source)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, col: int) -> int:
        if line - 1 >= len(lines):
            return len(source)
        text = lines[line - 1].rstrip("\r\n")
        return starts[line - 1] + min(col, len(text))

    out = source
    for edit in sorted(edits, reverse=True):
        s = edit.span
        out = out[:offset(s.line, s.col)] + edit.new_text + out[offset(s.end_line, s.end_col):]
    return out
