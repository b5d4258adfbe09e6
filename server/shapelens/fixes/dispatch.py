"""Run a finding's fixer: ``Finding.fix`` → its fixer in ``FIXERS`` → sorted edits.

The one place where a fixer is called, so the one place that decides between the whole-module
``edits`` and the statement-scoped ``scoped_edits`` (``fixes.scope``), and that keeps a broken
fixer from taking down its caller.
"""

from __future__ import annotations

import ast
import logging

from .. import structs
from ..core.results import Finding, Fix
from .base import FIXERS, Edit
from .scope import index_for

log = logging.getLogger(__name__)


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
        index = index_for(source, tree)
        return [] if index is None else sorted(scoped(index, finding))
    except Exception:  # a broken fixer offers nothing rather than crashing the server
        log.exception("fixer %r failed on %s", finding.fix.fix_id, finding.code)
        return []
