"""The fixer protocol and registry: a ``Finding.fix`` becomes a list of text edits.

The engine attaches a ``Fix(fix_id, title, safe, args)`` to a finding; everything needed to
rewrite the code travels in ``args`` so that a fixer never re-runs the analysis. A fixer is
looked up by ``fix_id`` in ``FIXERS`` and turns ``(source, finding)`` into ``Edit``s in the
core's coordinates (1-based lines, code-point columns). This module is pure: no pygls, no
lsprotocol; the language server converts the edits once, in ``shapelens.lsp.convert``.

A fixer that rewrites code with LibCST also implements ``scoped_edits(index, finding)``: the
same edits, computed on the top-level statements the fix reads (``fixes.scope``), so a quick
fix costs milliseconds at any file size. The built-in fixers are registered as
``LazyFixer``s: their modules, and LibCST with them, are imported when a fix is first
computed, not when the package is.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .. import structs
from ..core.results import Finding, Fix, Span

if TYPE_CHECKING:
    from .scope import ModuleIndex

log = logging.getLogger(__name__)


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


def load_builtin_fixers() -> None:
    """Import the built-in LibCST fixers (and LibCST): each module registers its fixer.

    (``from .module import NAME``, not ``from . import module``: the latter asks the package
    for the attribute first, which is the package's lazy ``__getattr__`` calling this.)"""
    from .add_watch import ADD_WATCH  # noqa: F401
    from .constant_to_variable import CONSTANT_TO_VARIABLE  # noqa: F401
    from .float_variable import FLOAT_VARIABLE  # noqa: F401
    from .gradient_out_of_with import GRADIENT_OUT_OF_WITH  # noqa: F401
    from .move_into_tape import MOVE_INTO_TAPE  # noqa: F401
    from .persistent_tape import PERSISTENT_TAPE  # noqa: F401
    from .reshape_after_gradient import RESHAPE_AFTER_GRADIENT  # noqa: F401


class LazyFixer:
    """Stands in ``FIXERS`` for a built-in fixer until it is first used: then imports the
    built-in fixers (which register themselves in place of the stand-ins) and hands over."""

    def __init__(self, fix_id: str) -> None:
        self.fix_id = fix_id

    def load(self) -> Fixer:
        load_builtin_fixers()
        real = FIXERS.get(self.fix_id)
        if real is None or real is self:
            raise LookupError(f"no built-in fixer {self.fix_id!r}")
        return real

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        return self.load().edits(source, finding)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        real = self.load()
        scoped = getattr(real, "scoped_edits", None)
        return scoped(index, finding) if scoped is not None else \
            real.edits(index.source, finding)


def apply_fix(source: str, finding: Finding, fix: Fix | None = None, *,
              tree: ast.Module | None = None) -> list[Edit]:
    """The edits of ``finding.fix`` (or of ``fix``, one of ``finding.alternatives``); ``[]``
    when there is no fix, no fixer, or it fails.

    ``tree`` is ``source``'s ``ast`` tree when the caller has it (``Analysis.tree``): a
    statement-scoped fixer then needs no parse of the whole module at all. A LibCST fixer
    offers nothing on text ``ast`` cannot parse.

    A fixer bug must never take down the caller (an editor asking for code actions), so
    exceptions are logged and swallowed here, in one place.
    """
    if fix is not None and fix != finding.fix:
        # fixers read their arguments from ``finding.fix``: hand them the alternative
        finding = structs.replace(finding, fix=fix, alternatives=())
    if finding.fix is None:
        return []
    fixer = FIXERS.get(finding.fix.fix_id)
    if fixer is None:
        log.debug("no fixer registered for %r", finding.fix.fix_id)
        return []
    try:
        scoped = getattr(fixer, "scoped_edits", None)
        if scoped is None:
            return sorted(fixer.edits(source, finding))
        from .scope import index_for

        index = index_for(source, tree)
        return [] if index is None else sorted(scoped(index, finding))
    except Exception:  # a broken fixer offers nothing rather than crashing the server
        log.exception("fixer %r failed on %s", finding.fix.fix_id, finding.code)
        return []


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
