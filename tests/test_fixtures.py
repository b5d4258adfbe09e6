"""Fast fixture checks (no TensorFlow): the engine's answers equal the fixture annotations.

The oracle (``tests/oracle``) proves the annotations against real TensorFlow; this module
checks the engine against the same annotations in milliseconds, so it runs on every change.
Notebooks are checked the way users see them: through ``shapelens check nb.ipynb``'s
analysis, whose findings and shapes are mapped to ``(cell, line in cell)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fixture_expectations import (
    engine_matches_annotation,
    fixture_files,
    fixture_id,
    notebook_files,
    parse_fixture,
    shape_repr,
)

FIXTURES = fixture_files()
NOTEBOOKS = notebook_files()
REPORTED_SEVERITIES = frozenset({"error", "warning"})


def _analyze(path: Path) -> Any:
    """Run the engine (imported here so a missing engine fails tests, not collection)."""
    from shapelens.core import analyze

    return analyze(path.read_text(encoding="utf-8"), str(path))


def _severity(severity: Any) -> str:
    return str(getattr(severity, "value", severity)).lower()


def test_fixtures_exist() -> None:
    """An empty fixture tree would make every parametrized check vacuous."""
    assert FIXTURES, "no fixtures found under fixtures/**/*.py"


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_findings_match_expect_annotations(path: Path) -> None:
    """Errors/warnings exactly on '# expect:' lines with the expected codes, nowhere else."""
    expected = parse_fixture(path).expected_pairs()
    findings = [f for f in _analyze(path).findings if _severity(f.severity) in REPORTED_SEVERITIES]
    got = {(f.span.line, f.code) for f in findings}
    missing = sorted(expected - got)
    extra = [
        f"line {f.span.line} {f.code} ({_severity(f.severity)}): {f.message}"
        for f in sorted(findings, key=lambda f: f.span.line)
        if (f.span.line, f.code) not in expected
    ]
    assert not missing and not extra, f"missing: {missing}; unexpected: {extra}"


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_shapes_match_shape_annotations(path: Path) -> None:
    """Every '# shape:' annotation equals the engine's shape for that assignment."""
    expectations = parse_fixture(path)
    if not expectations.shapes:
        return
    facts: dict[tuple[int, str], Any] = {}
    for fact in _analyze(path).assignments:
        facts.setdefault((fact.line, fact.name), fact)
    problems = []
    for shape in expectations.shapes:
        fact = facts.get((shape.line, shape.name))
        where = f"line {shape.comment_line} {shape.name} {shape_repr(shape.shape)}"
        if fact is None:
            problems.append(f"{where}: engine has no fact for this assignment")
            continue
        got = None if fact.shape is None else tuple(fact.shape)
        if not engine_matches_annotation(shape.shape, got):
            problems.append(f"{where}: engine has {shape_repr(got)}")
    assert not problems, "\n".join(problems)


def _analyze_notebook(path: Path) -> Any:
    """The CLI's notebook analysis: findings and shapes carry their cell and in-cell line."""
    from shapelens.cli import analyze_notebook
    from shapelens.core import Config

    return analyze_notebook(path.read_text(encoding="utf-8"), str(path), Config())


def test_notebook_fixtures_exist() -> None:
    assert NOTEBOOKS, "no notebooks found under fixtures/**/*.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=fixture_id)
def test_notebook_findings_are_in_the_annotated_cells(path: Path) -> None:
    """Errors/warnings exactly at each '# expect:' (cell, line), nowhere else."""
    expected = parse_fixture(path).expected_in_cells()
    findings = [f for f in _analyze_notebook(path).findings
                if _severity(f.severity) in REPORTED_SEVERITIES]
    got = {(f.cell, f.span.line, f.code) for f in findings}
    extra = [f"cell {f.cell} line {f.span.line} {f.code}: {f.message}" for f in findings
             if (f.cell, f.span.line, f.code) not in expected]
    assert not sorted(expected - got) and not extra, \
        f"missing (cell, line, code): {sorted(expected - got)}; unexpected: {extra}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=fixture_id)
def test_notebook_shapes_match_shape_annotations(path: Path) -> None:
    """Every '# shape:' in a cell equals the engine's shape for that (cell, line, name)."""
    expectations = parse_fixture(path)
    facts = {(a.cell, a.line, a.name): a for a in _analyze_notebook(path).assignments}
    problems = []
    for shape in expectations.shapes:
        cell, line = expectations.cell_of(shape.line)
        fact = facts.get((cell, line, shape.name))
        got = None if fact is None or fact.shape is None else tuple(fact.shape)
        if fact is None or not engine_matches_annotation(shape.shape, got):
            problems.append(f"{expectations.where(shape.line)} {shape.name} "
                            f"{shape_repr(shape.shape)}: engine has "
                            f"{'no fact' if fact is None else shape_repr(got)}")
    assert not problems, "\n".join(problems)
