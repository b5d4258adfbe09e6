"""Apply every applicable fix of a file: what ``shapelens check --fix`` and ``--diff`` run.

One round analyses the text, asks each fixable finding's fixer for its edits (in document
order), keeps every fix whose edits overlap no fix kept before it (a fix is applied whole or
not at all), and applies them together. A fix can make another one possible or change what
the engine reports (moving a statement shifts the lines of later findings), so the text is
re-analysed and fixed again until nothing changes, at most ``MAX_ROUNDS`` times. A round whose
result would not parse keeps only the fixes that parse on their own, so a fixer bug can never
leave a broken file behind.

Pure: text in, text out. Reading and writing files is the CLI's business.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core import Analysis, Config, Finding, analyze
from .base import Edit, apply_edits, overlaps
from .dispatch import apply_fix

MAX_ROUNDS = 3
# Fix ids never applied in bulk: adding "# shapelens: ignore" hides a finding, it fixes nothing.
NOT_IN_BULK = frozenset({"suppress"})

Analyzer = Callable[[str, str, Config | None], Analysis]


@dataclass
class FixOutcome:
    """The result of fixing one file's text."""

    original: str
    source: str  # the fixed text (== original when nothing applied)
    analysis: Analysis  # the analysis of ``source``: what remains
    applied: list[Finding] = field(default_factory=list)  # findings whose fix was applied
    rounds: int = 0  # rounds that changed the text

    @property
    def changed(self) -> bool:
        return self.source != self.original


def wanted(finding: Finding, unsafe: bool) -> bool:
    """Should bulk fixing apply this finding's fix? Safe ones always, unsafe ones on request."""
    fix = finding.fix
    return fix is not None and fix.fix_id not in NOT_IN_BULK and (fix.safe or unsafe)


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return False
    return True


def select_fixes(source: str, findings: list[Finding], unsafe: bool = False, *,
                 tree: ast.Module | None = None,
                 compute: Callable[[Finding], list[Edit]] | None = None,
                 ) -> list[tuple[Finding, list[Edit]]]:
    """The fixes one round applies: non-overlapping, in document order, first one wins.

    ``tree``: ``source``'s ``ast`` tree, if the caller has it (``apply_fix``); ``compute``
    replaces ``apply_fix`` (the language server's per-version cache)."""
    chosen: list[tuple[Finding, list[Edit]]] = []
    taken: list[Edit] = []
    for finding in sorted((f for f in findings if wanted(f, unsafe)), key=lambda f: f.span):
        if compute is not None:
            edits = compute(finding)
        elif tree is not None:
            edits = apply_fix(source, finding, tree=tree)
        else:
            edits = apply_fix(source, finding)
        if not edits or any(overlaps(e.span, t.span) for e in edits for t in taken):
            continue
        chosen.append((finding, edits))
        taken.extend(edits)
    return chosen


def fix_round(source: str, findings: list[Finding], unsafe: bool = False, *,
              tree: ast.Module | None = None) -> tuple[str, list[Finding]]:
    """Apply one round of fixes; (new text, findings whose fix went in)."""
    chosen = select_fixes(source, findings, unsafe, tree=tree)
    if not chosen:
        return source, []
    result = apply_edits(source, [e for _, edits in chosen for e in edits])
    if _parses(result):
        return result, [f for f, _ in chosen]
    kept: list[tuple[Finding, list[Edit]]] = []
    for finding, edits in chosen:  # find the culprit(s): keep fixes that parse together
        trial = apply_edits(source, [e for _, es in [*kept, (finding, edits)] for e in es])
        if _parses(trial):
            kept.append((finding, edits))
    if not kept:
        return source, []
    return apply_edits(source, [e for _, es in kept for e in es]), [f for f, _ in kept]


def fix_source(source: str, path: str = "<string>", config: Config | None = None, *,
               unsafe: bool = False, max_rounds: int = MAX_ROUNDS,
               analyzer: Analyzer | None = None) -> FixOutcome:
    """Fix ``source`` until stable (at most ``max_rounds`` rounds); what remains is in
    ``outcome.analysis``."""
    run = analyzer or (lambda text, where, cfg: analyze(text, where, cfg))
    current = source
    analysis = run(current, path, config)
    outcome = FixOutcome(source, source, analysis)
    for _ in range(max_rounds):
        fixed, applied = fix_round(current, analysis.findings, unsafe, tree=analysis.tree)
        if not applied or fixed == current:
            break
        current = fixed
        outcome.applied.extend(applied)
        outcome.rounds += 1
        analysis = run(current, path, config)
    outcome.source, outcome.analysis = current, analysis
    return outcome
