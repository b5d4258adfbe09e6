"""Statement-scoped fixes (``fixes.scope``) give exactly the edits of the whole-module fixers.

``apply_fix`` runs a LibCST fixer on the top-level statements the fix reads; the fixer's own
``edits(source, finding)`` parses the whole module. For every fix the engine offers on the
fixtures, the notebook fixtures and the fix oracle's extra programs, both must produce the
same edits: alone, and inside larger modules where the same names (``tape``, ``x``, ``w``)
are used by other sections before and after it (a copy of the same program before or after,
or other fixable programs around it), so that every decision that depends on statements
elsewhere in the module is exercised.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import libcst
import pytest

from shapelens.core import Finding, Fix, Span, analyze
from shapelens.fixes import BUILTIN, FIXERS, apply_edits, apply_fix, load_builtin_fixers
from shapelens.fixes.base import Edit
from shapelens.notebook import read_notebook
from shapelens.structs import replace

ROOT = Path(__file__).resolve().parents[3]


def _programs() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((ROOT / "fixtures").rglob("*.py")):
        out[str(path.relative_to(ROOT / "fixtures"))] = path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "fixtures").rglob("*.ipynb")):
        out[str(path.relative_to(ROOT / "fixtures"))] = read_notebook(
            path.read_text(encoding="utf-8")).source
    spec = importlib.util.spec_from_file_location(
        "fix_programs", ROOT / "tests" / "oracle" / "fix_programs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fix_programs", module)
    spec.loader.exec_module(module)
    for name, program in module.PROGRAMS.items():
        out[f"fix_programs:{name}"] = program.source
    return out


def _fixes(source: str) -> list[tuple[Finding, Fix]]:
    """Every engine fix on ``source`` (primary and alternatives), but suppressions."""
    return [(f, fix) for f in analyze(source, "test.py").findings
            for fix in f.fixes if fix.fix_id != "suppress"]


PROGRAMS = _programs()
FIXABLE = {name: source for name, source in PROGRAMS.items() if _fixes(source)}


def _shifted(finding: Finding, fix: Fix, lines: int) -> tuple[Finding, Fix]:
    """``finding`` and ``fix`` moved ``lines`` lines down (span and ``*_line`` arguments)."""
    s = finding.span
    args = tuple((k, v + lines if k.endswith("_line") and isinstance(v, int) else v)
                 for k, v in fix.args)
    return (replace(finding, span=Span(s.line + lines, s.col, s.end_line + lines, s.end_col),
                    fix=None, alternatives=(), related=()), replace(fix, args=args))


def _whole(source: str, finding: Finding, fix: Fix) -> list[Edit]:
    """What the fixer computes on the whole module (the reference)."""
    return sorted(FIXERS[fix.fix_id].edits(source, replace(finding, fix=fix, alternatives=())))


def _assert_same(source: str, finding: Finding, fix: Fix, where: str) -> None:
    whole = _whole(source, finding, fix)
    tree = ast.parse(source)
    scoped = apply_fix(source, replace(finding, fix=fix), tree=tree)
    assert scoped == whole, f"{where}: {fix.fix_id} at line {finding.span.line}"
    assert apply_fix(source, replace(finding, fix=fix)) == whole  # parsing it itself
    if whole:
        ast.parse(apply_edits(source, scoped))


def _joined(*parts: str) -> tuple[str, list[int]]:
    """The parts as one module, and the line each part starts after."""
    text, offsets = "", []
    for part in parts:
        offsets.append(text.count("\n"))
        text += part if part.endswith("\n") else part + "\n"
    return text, offsets


def test_there_is_something_to_compare() -> None:
    ids = {fix.fix_id for source in FIXABLE.values() for _, fix in _fixes(source)}
    assert ids == set(FIXERS) - {"suppress", "test-rename"}
    assert len(FIXABLE) >= 20


@pytest.mark.parametrize("name", sorted(FIXABLE))
def test_same_edits_as_the_whole_module(name: str) -> None:
    source = FIXABLE[name]
    for finding, fix in _fixes(source):
        _assert_same(source, finding, fix, name)


@pytest.mark.parametrize("name", sorted(FIXABLE))
def test_same_edits_next_to_a_copy_of_itself(name: str) -> None:
    """The same program twice: every module-level name is bound and used twice."""
    source = FIXABLE[name]
    text, (first, second) = _joined(source, source)
    for finding, fix in _fixes(source):
        for offset in (first, second):
            _assert_same(text, *_shifted(finding, fix, offset), f"{name} (twice)")


@pytest.mark.parametrize("name", sorted(FIXABLE))
def test_same_edits_between_other_programs(name: str) -> None:
    names = sorted(FIXABLE)
    i = names.index(name)
    before, after = FIXABLE[names[i - 1]], FIXABLE[names[(i + 1) % len(names)]]
    text, (_, offset, _) = _joined(before, FIXABLE[name], after)
    for finding, fix in _fixes(FIXABLE[name]):
        _assert_same(text, *_shifted(finding, fix, offset), f"{name} (between)")


def test_every_libcst_fixer_is_statement_scoped() -> None:
    """A fixer without ``scoped_edits`` parses the whole module: seconds on a long file."""
    load_builtin_fixers()
    missing = sorted(fix_id for fix_id in BUILTIN
                     if not callable(getattr(FIXERS[fix_id], "scoped_edits", None)))
    assert missing == []


def _parsed_beyond_own(monkeypatch: pytest.MonkeyPatch, text: str, offsets: list[int],
                       names: list[str]) -> list[tuple[int, str, str]]:
    """For each of ``names`` (starting after its offset in ``text``), each fix: how many
    lines its LibCST parse holds beyond the program's own."""
    parsed: list[int] = []
    real = libcst.parse_module
    monkeypatch.setattr(libcst, "parse_module",
                        lambda source, *a, **k: parsed.append(source.count("\n")) or
                        real(source, *a, **k))
    tree = ast.parse(text)
    out: list[tuple[int, str, str]] = []
    for name, offset in zip(names, offsets, strict=True):
        own = FIXABLE[name].count("\n")
        for finding, fix in _fixes(FIXABLE[name]):
            parsed.clear()
            moved, moved_fix = _shifted(finding, fix, offset)
            apply_fix(text, replace(moved, fix=moved_fix), tree=tree)
            out.append((max(parsed, default=0) - own, name, fix.fix_id))
    monkeypatch.undo()
    return out


def test_a_fix_in_a_long_module_parses_only_its_own_program(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fixable program in one long module: a fix's LibCST parse holds (about) the
    statements of its own program, never the module (what a code action costs at 10,000
    lines depends on it)."""
    names = sorted(FIXABLE)
    text, offsets = _joined(*(FIXABLE[name] for name in names))
    assert text.count("\n") > 20 * max(source.count("\n") for source in FIXABLE.values())
    worst = _parsed_beyond_own(monkeypatch, text, offsets, names)
    assert max(worst)[0] <= 20, sorted(worst)[-5:]


@pytest.mark.parametrize("name", sorted(FIXABLE))
def test_a_fix_at_the_top_of_a_long_module_parses_only_its_own_program(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same with the program first and every other one after it: nothing before it
    settles what the fixer asks of the names it uses (is the tape used again? is it bound
    elsewhere?), and the answer must not take the whole rest of the module."""
    others = [FIXABLE[other] for other in sorted(FIXABLE) if other != name]
    text, _ = _joined(FIXABLE[name], *others)
    worst = _parsed_beyond_own(monkeypatch, text, [0], [name])
    assert max(worst)[0] <= 40, worst
