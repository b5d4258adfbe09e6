"""What the engine says of a case-table program (``ragged_sparse_cases.py``,
``keras_lookup_cases.py``): ``probe``'s last assignment as ``"<kind> <dtype> <shape>"`` (or
``"unknown"``), and the errors and warnings found, as ``(code, line)``."""

from __future__ import annotations

from collections.abc import Callable

from shapelens.core import analyze
from shapelens.domain.shapes import format_shape

REPORTED = ("error", "warning")


def probe(setup: str, program: str, kind: Callable[[str], str] = str,
          ) -> tuple[str, list[tuple[str, int]]]:
    """``kind`` maps the engine's kind to the table's word for it."""
    analysis = analyze(setup + program + "\n", "case.py")
    facts = [f for f in analysis.assignments if f.name == "probe"]
    found = [(f.code, f.span.line) for f in analysis.findings
             if getattr(f.severity, "name", str(f.severity)).lower() in REPORTED]
    if not facts or facts[-1].shape is None:
        return "unknown", found
    fact = facts[-1]
    return f"{kind(fact.kind)} {fact.dtype} {format_shape(fact.shape)}", found
