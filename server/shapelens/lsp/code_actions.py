"""``textDocument/codeAction``: the engine's fixes, "ignore on this line", and fix-all.

* **Quick fixes.** A diagnostic of ours carries its ``Fix`` in ``Diagnostic.data`` (see
  ``convert.diagnostic``), so a quick fix needs no re-analysis: the fix is rebuilt from the
  data and handed to the fixer registered for its ``fixId`` (``shapelens.fixes.FIXERS``).
  Safe fixes are ``isPreferred`` (editors apply them with one key). A finding's
  ``alternatives`` (``Diagnostic.data["alternatives"]``, e.g. "create it as a tf.Variable"
  next to "add tape.watch") follow as extra quick fixes, never preferred, and never part of
  fix-all.
* **Ignore.** Every diagnostic also gets "Ignore SLxxx on this line", which adds or extends a
  ``# shapelens: ignore[...]`` comment.
* **Fix all.** ``source.fixAll.shapelens`` applies every *safe* fix of the current analysis
  in one edit, chosen exactly as ``shapelens check --fix`` chooses them for one round
  (``fixes.apply.select_fixes``: document order, overlapping fixes skipped, suppressions
  never applied in bulk); run it again for what a first round made possible.

Edits are versioned (``documentChanges``) when the client supports it, so an action computed
for older text is refused by the client rather than applied to the wrong place.

A fix's edits are computed once per analysed version (kept in ``Result.cache``) on the
top-level statements the fix reads (``fixes.scope``, from the analysis' own ``ast`` tree), so
the light bulb costs milliseconds at any file size; LibCST is imported by the first fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from ..core.results import Finding, Fix
from ..fixes import apply_fix
from ..fixes.apply import select_fixes
from ..fixes.base import Edit
from ..fixes.suppress import suppress_edits
from .convert import DiagnosticSupport, diagnostic, finding_from_diagnostic, workspace_edit
from .results import Result

if TYPE_CHECKING:
    from .state import ShapeLensServer

FIX_ALL = "source.fixAll.shapelens"
CACHE_KEY = "fix_edits"  # Result.cache: (code, span, fix) -> that fix's edits
OPTIONS = types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL],
                                  resolve_provider=False)


def _wanted(only: list[str] | None, kind: str) -> bool:
    """LSP kinds are hierarchical: asking for ``source`` includes ``source.fixAll.x``."""
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def _document_changes(caps: types.ClientCapabilities) -> bool:
    edit = caps.workspace.workspace_edit if caps.workspace else None
    return bool(edit and edit.document_changes)


class ActionBuilder:
    """Builds the actions for one request against one analysed version."""

    def __init__(self, result: Result, caps: types.ClientCapabilities):
        self.result = result
        self.versioned = _document_changes(caps)
        self.cache: dict[object, list[Edit]] = result.cache.setdefault(CACHE_KEY, {})

    def edits(self, finding: Finding, fix: Fix | None = None) -> list[Edit]:
        """``apply_fix`` of this version's text, computed once per version."""
        key = (finding.code, finding.span, fix or finding.fix)
        try:
            cached = self.cache.get(key)
        except TypeError:  # an argument that cannot be hashed: compute every time
            return self._compute(finding, fix)
        if cached is None:
            cached = self.cache[key] = self._compute(finding, fix)
        return cached

    def _compute(self, finding: Finding, fix: Fix | None) -> list[Edit]:
        r = self.result
        return apply_fix(r.source, finding, fix, tree=r.analysis.tree)

    def action(self, title: str, kind: str, edits: list[Edit],
               diag: types.Diagnostic | None = None,
               preferred: bool | None = None) -> types.CodeAction:
        r = self.result
        return types.CodeAction(
            title=title, kind=kind, diagnostics=[diag] if diag else None,
            is_preferred=preferred,
            edit=workspace_edit(r.uri, r.version, edits, r.positions, self.versioned))

    def for_diagnostic(self, finding: Finding, diag: types.Diagnostic,
                       only: list[str] | None) -> list[types.CodeAction]:
        if not _wanted(only, types.CodeActionKind.QuickFix):
            return []
        out: list[types.CodeAction] = []
        source, code = self.result.source, finding.code
        if finding.fix is not None and (edits := self.edits(finding)):
            out.append(self.action(f"shapelens ({code}): {finding.fix.title}",
                                   types.CodeActionKind.QuickFix, edits, diag,
                                   preferred=True if finding.fix.safe else None))
        for alternative in finding.alternatives:  # other ways to fix it: never preferred
            if edits := self.edits(finding, alternative):
                out.append(self.action(f"shapelens ({code}): {alternative.title}",
                                       types.CodeActionKind.QuickFix, edits, diag))
        if edits := suppress_edits(source, finding.span.line, code,
                                   tree=self.result.analysis.tree):
            out.append(self.action(f"Ignore {code} on this line",
                                   types.CodeActionKind.QuickFix, edits, diag))
        return out

    def fix_all(self) -> types.CodeAction | None:
        chosen = select_fixes(self.result.source, self.result.analysis.findings,
                              compute=self.edits)
        edits = sorted(edit for _, group in chosen for edit in group)
        if not edits:
            return None
        return self.action("shapelens: fix all safe problems", FIX_ALL, edits)


def actions_for(result: Result, params: types.CodeActionParams,
                caps: types.ClientCapabilities) -> list[types.CodeAction]:
    """All actions for ``params`` (pure: no I/O, unit-testable with a made-up result)."""
    builder = ActionBuilder(result, caps)
    only = list(params.context.only) if params.context.only else None
    out: list[types.CodeAction] = []
    seen: set[tuple[str, int, int]] = set()
    for diag in params.context.diagnostics:
        finding = finding_from_diagnostic(diag, result.positions)
        if finding is not None:
            seen.add((finding.code, finding.span.line, finding.span.col))
            out.extend(builder.for_diagnostic(finding, diag, only))
    # Findings in the range the client did not send (some clients send no context).
    area = result.positions.from_range(params.range)
    if area is not None:
        support = DiagnosticSupport.of(caps)
        for finding in result.analysis.findings:
            s = finding.span
            if (finding.code, s.line, s.col) in seen or \
                    (s.end_line, s.end_col) < (area.line, area.col) or \
                    (s.line, s.col) > (area.end_line, area.end_col):
                continue
            diag = diagnostic(finding, result.positions, result.uri, support=support)
            out.extend(builder.for_diagnostic(finding, diag, only))
    if only is not None and _wanted(only, FIX_ALL) and (fix_all := builder.fix_all()):
        out.append(fix_all)
    return out


async def code_actions(ls: ShapeLensServer,
                       params: types.CodeActionParams) -> list[types.CodeAction] | None:
    result = await ls.documents.get(params.text_document.uri)
    if result is None or not ls.settings.enable:
        return None
    return actions_for(result, params, ls.client_capabilities) or None
