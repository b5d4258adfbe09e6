"""CodemodTest-style helpers for the fixers: a before/after pair, or "no edit".

Findings come from the real engine (``findings``) so the tests see the exact ``Fix.args`` it
produces; ``finding`` builds one by hand for stale or odd arguments the engine never makes.
"""

from __future__ import annotations

import ast
import textwrap

from shapelens.core import Finding, Fix, Span, analyze
from shapelens.fixes import FIXERS, apply_edits, apply_fix
from shapelens.structs import replace


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def findings(source: str, fix_id: str) -> list[Finding]:
    """The engine's findings on ``source`` whose fix (or one of whose alternatives, then
    made the finding's fix) is ``fix_id``."""
    return [replace(f, fix=fix, alternatives=()) for f in analyze(source, "test.py").findings
            for fix in f.fixes if fix.fix_id == fix_id]


def finding(fix_id: str, line: int, col: int = 0, code: str = "SL300", safe: bool = True,
            **args: object) -> Finding:
    """A hand-made finding carrying ``Fix(fix_id, ..., args)`` at ``line:col``."""
    return Finding(code, "test", Span(line, col, line, col + 1),
                   fix=Fix(fix_id, fix_id, safe, tuple(args.items())))


def fixed(source: str, item: Finding) -> str:
    """``source`` after ``item``'s fix (unchanged when the fixer offers nothing)."""
    return apply_edits(source, apply_fix(source, item))


def assert_fix(before: str, after: str, fix_id: str, *, safe: bool | None = None) -> None:
    """The engine offers exactly one ``fix_id`` fix on ``before`` and it produces ``after``
    (which must parse, and must no longer have that finding)."""
    before, after = dedent(before), dedent(after)
    assert fix_id in FIXERS
    found = findings(before, fix_id)
    assert len(found) == 1, f"expected one {fix_id} finding, got {found}"
    if safe is not None:
        assert found[0].fix is not None and found[0].fix.safe is safe
    result = fixed(before, found[0])
    assert result == after, f"--- got ---\n{result}\n--- want ---\n{after}"
    ast.parse(result)
    code = found[0].code
    count = sum(f.code == code for f in analyze(before, "test.py").findings)
    assert sum(f.code == code for f in analyze(result, "test.py").findings) < count


def assert_no_fix(source: str, fix_id: str) -> None:
    """Every ``fix_id`` finding the engine reports on ``source`` gets no edit."""
    source = dedent(source)
    for item in findings(source, fix_id):
        assert apply_fix(source, item) == [], f"unexpected edit for {item}"
