"""The fix oracle: every fix the engine offers is proven by running the fixed program under TF.

For every fixture (and every notebook, its code cells as the one program the engine reads)
whose findings carry a fix (the primary fix and each of the finding's
``alternatives``, e.g. SL301's "create it as a tf.Variable" next to "add tape.watch"), and for
every buggy program in ``fix_programs.py`` (fixer variants no fixture exercises), the fix is
applied, the fixed text is
written to a temporary folder, and all of them run in **one** TF subprocess through the same
runner as the fixture oracle (``tf_runner.py``, whose ``gradient_probe`` records what each
``tape.gradient`` call returned). Cases per fixture: each fix alone, then all safe fixes and
all fixes together as ``check --fix`` / ``--fix --unsafe-fixes`` would apply them (rounds and
all; alternatives are never applied in bulk), when that differs from the single fixes.

A fixed program must: raise nothing, reach at least one ``tape.gradient`` call (a fixture
fixed by a Keras model fix, ``MODEL_FIXES``, may train with ``fit`` alone), get no None
gradient, and get gradients shaped like their sources; the engine must no longer report the
fixed finding. The extra programs also check gradient *values* inside the program
(``tf.debugging.assert_near``), and their unfixed versions are run too, to prove the bug they
fix is real (a None gradient or an error), or, for a fix that only moves code
(gradient-out-of-with), that every gradient value is unchanged.

An unsafe fix that breaks a particular program is listed in ``NOT_ALWAYS_SAFE`` with the
reason, and the test checks that it really fails there (so the documentation stays true) and
that the engine marks that fix unsafe. A safe fix may never be listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fix_programs import PROGRAMS
from fix_programs_keras3 import PROGRAMS as KERAS3_PROGRAMS
from gradient_probe import shape_problems
from oracle_support import run_tensorflow

from fixture_expectations import fixture_files, fixture_id, fixture_source, notebook_files

pytestmark = pytest.mark.oracle

# (fixture id or program name, fix id) -> (TF exception class, why the unsafe fix breaks it)
NOT_ALWAYS_SAFE: dict[tuple[str, str], tuple[str, str]] = {
    ("tape/step_counter_SL302.py", "float-variable"): (
        "ValueError",
        "the program keeps updating the variable with an int32 tensor "
        "(scale.assign_sub(tf.cast(..., tf.int32))), which a float variable refuses",
    ),
}


# alternative fix id -> the primary fix it steps aside for (it offers nothing where that one
# applies: one quick fix for one change)
STEPS_ASIDE = {"recompute-in-tape": "move-into-tape"}


@dataclass
class Case:
    """One fixed program to run under TF."""

    name: str  # test id
    origin: str  # fixture id or program name
    fix_ids: frozenset[str]
    safe: bool  # every fix in it is safe
    fixed: str
    findings: list[Any] = field(default_factory=list)  # the findings whose fixes went in
    original: str | None = None  # extra programs: the unfixed text, run too
    buggy: str = ""


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def _fixture_cases() -> tuple[list[Case], list[str]]:
    """Cases from the fixtures, and the fixable findings no fixer could apply (documented
    as not applicable in the report rather than silently dropped)."""
    from shapelens.core import analyze
    from shapelens.fixes import apply_edits, apply_fix
    from shapelens.fixes.apply import fix_source

    cases: list[Case] = []
    not_applied: list[str] = []
    for path in [*fixture_files(), *notebook_files()]:  # a notebook: its cells as a program
        origin = fixture_id(path)
        source = fixture_source(path)
        fixable = [(f, fix) for f in analyze(source, str(path)).findings for fix in f.fixes]
        seen: set[str] = set()
        for item, fix in fixable:
            edits = apply_fix(source, item, fix)
            if not edits and STEPS_ASIDE.get(fix.fix_id) == getattr(item.fix, "fix_id", None) \
                    and apply_fix(source, item):
                continue  # the alternative offers nothing where the primary fix applies
            if not edits:
                not_applied.append(f"{origin}:{item.span.line} {item.code} {fix.fix_id}")
                continue
            fixed = apply_edits(source, edits)
            seen.add(fixed)
            cases.append(Case(f"{origin}:{item.code}:{fix.fix_id}", origin,
                              frozenset({fix.fix_id}), fix.safe, fixed, [item]))
        for unsafe in (False, True):
            outcome = fix_source(source, str(path), unsafe=unsafe)
            if not outcome.changed or outcome.source in seen:
                continue
            seen.add(outcome.source)
            ids = frozenset(f.fix.fix_id for f in outcome.applied if f.fix is not None)
            cases.append(Case(f"{origin}:all-{'unsafe' if unsafe else 'safe'}", origin, ids,
                              all(f.fix.safe for f in outcome.applied if f.fix), outcome.source,
                              list(outcome.applied)))
    return cases, not_applied


def _program_cases() -> list[Case]:
    from shapelens.core import analyze
    from shapelens.fixes import apply_edits, apply_fix

    cases = []
    for name, program in {**PROGRAMS, **KERAS3_PROGRAMS}.items():
        offered = [(f, fix) for f in analyze(program.source, name).findings
                   for fix in f.fixes if fix.fix_id == program.fix_id]
        edits = apply_fix(program.source, *offered[0]) if len(offered) == 1 else []
        fixed = apply_edits(program.source, edits) if edits else ""
        safe = offered[0][1].safe if offered else False
        cases.append(Case(f"program:{name}", name, frozenset({program.fix_id}), safe, fixed,
                          [f for f, _ in offered[:1]], program.source, program.buggy))
    return cases


FIXTURE_CASES, NOT_APPLIED = _fixture_cases()
PROGRAM_CASES = _program_cases()
CASES = FIXTURE_CASES + PROGRAM_CASES


@dataclass
class FixRun:
    error: str | None
    records: dict[str, dict[str, Any]]  # case name -> TF record of the fixed program
    originals: dict[str, dict[str, Any]]  # case name -> TF record of the unfixed program


@pytest.fixture(scope="module")
def fix_run(tmp_path_factory: pytest.TempPathFactory) -> FixRun:
    """Write every fixed (and unfixed extra) program and run them all in one TF process."""
    folder = tmp_path_factory.mktemp("fixed")
    fixed_paths: dict[str, Path] = {}
    original_paths: dict[str, Path] = {}
    for i, case in enumerate(CASES):
        if case.fixed:
            fixed_paths[case.name] = folder / f"fixed_{i:03d}_{_slug(case.name)}.py"
            fixed_paths[case.name].write_text(case.fixed, encoding="utf-8")
        if case.original is not None:
            original_paths[case.name] = folder / f"original_{i:03d}_{_slug(case.name)}.py"
            original_paths[case.name].write_text(case.original, encoding="utf-8")
    paths = [*fixed_paths.values(), *original_paths.values()]
    report, error = run_tensorflow(paths, folder / "tf_results.json")
    by_path = report.get("fixtures", {})

    def records(table: dict[str, Path]) -> dict[str, dict[str, Any]]:
        return {name: by_path[str(p.resolve())] for name, p in table.items()
                if str(p.resolve()) in by_path}

    return FixRun(error, records(fixed_paths), records(original_paths))


def _documented(case: Case) -> tuple[str, str] | None:
    return next((NOT_ALWAYS_SAFE[(case.origin, f)] for f in sorted(case.fix_ids)
                 if (case.origin, f) in NOT_ALWAYS_SAFE), None)


# Fixes of a Keras model or its compile call (not of a tape): a fixture they fix may train
# with ``fit`` only, so running to the end without an error is their proof there; the extra
# programs of ``fix_programs.py`` for them also take and check a tape gradient.
MODEL_FIXES = frozenset({"input-layer", "insert-flatten", "matching-loss"})


def _problems(record: dict[str, Any], fix_ids: frozenset[str] = frozenset()) -> list[str]:
    """Why a fixed program's TF run is not clean (empty when it is)."""
    problems = []
    error = record.get("error")
    if error is not None:
        problems.append(f"TF raised {error['type']} at line {error.get('line')}: "
                        f"{error['message'][:300]}")
    calls = record.get("gradients", [])
    if not calls and error is None and not (fix_ids and fix_ids <= MODEL_FIXES):
        problems.append("no tape.gradient call was reached")
    problems += [p for call in calls for p in shape_problems(call)]
    return list(dict.fromkeys(problems))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_fixed_program_runs_clean_under_tf(fix_run: FixRun, case: Case) -> None:
    """No exception, no None gradient, every gradient shaped like its source."""
    if fix_run.error is not None:
        pytest.fail(f"TensorFlow oracle unavailable: {fix_run.error}", pytrace=False)
    assert case.fixed, f"the engine offered no applicable {set(case.fix_ids)} fix"
    record = fix_run.records.get(case.name)
    assert record is not None, "the TF runner produced no record for the fixed program"
    problems = _problems(record, case.fix_ids if case.original is None else frozenset())
    documented = _documented(case)
    if documented is None:
        assert not problems, "\n".join(problems)
        return
    kind, why = documented
    assert not case.safe, f"a fix documented as not always safe is marked safe: {why}"
    error = record.get("error")
    assert error is not None and kind in (error.get("mro") or [error["type"]]), (
        f"documented as breaking this program ({why}), but TF ran it: {problems or 'cleanly'}")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_fixed_finding_is_gone(case: Case) -> None:
    """The engine no longer reports the code the fix was for (fewer findings of it)."""
    from shapelens.core import analyze

    assert case.fixed
    before = case.original if case.original is not None else None
    for item in case.findings:
        if before is None:
            path = next(p for p in [*fixture_files(), *notebook_files()]
                        if fixture_id(p) == case.origin)
            before = fixture_source(path)
        old = sum(f.code == item.code for f in analyze(before, "a.py").findings)
        new = sum(f.code == item.code for f in analyze(case.fixed, "a.py").findings)
        assert new < old, f"{item.code} still reported {new} time(s) after the fix"


@pytest.mark.parametrize("case", PROGRAM_CASES, ids=lambda c: c.name)
def test_unfixed_program_has_the_bug(fix_run: FixRun, case: Case) -> None:
    """The extra programs are really buggy (a None gradient or an error), or, for a fix that
    only moves code, the fixed program computes exactly the same gradients."""
    if fix_run.error is not None:
        pytest.fail(f"TensorFlow oracle unavailable: {fix_run.error}", pytrace=False)
    original = fix_run.originals.get(case.name)
    assert original is not None
    calls = original.get("gradients", [])
    nones = any(g["none"] for c in calls for g in c.get("grads", []))
    if case.buggy == "none":
        assert nones, f"expected a None gradient; TF gave {calls}"
    elif case.buggy == "error":
        assert original["error"] is not None or nones, "the unfixed program ran cleanly"
    else:
        fixed = fix_run.records[case.name]
        assert original["error"] is None and not nones
        values = [[g.get("value") for g in c["grads"]] for c in calls]
        assert values == [[g.get("value") for g in c["grads"]] for c in fixed["gradients"]]


def test_every_fix_kind_is_proven() -> None:
    """Each registered tape fixer is exercised by at least one case, safe fixers included."""
    from shapelens.fixes import FIXERS

    covered = {f for case in CASES if case.fixed for f in case.fix_ids}
    tape_fixers = set(FIXERS) - {"suppress"}
    assert tape_fixers <= covered, f"fixers never proven by TF: {tape_fixers - covered}"


def test_documented_unsafe_entries_are_current() -> None:
    """Every NOT_ALWAYS_SAFE entry still matches a case (no stale documentation)."""
    keys = {(c.origin, f) for c in CASES for f in c.fix_ids}
    assert set(NOT_ALWAYS_SAFE) <= keys


# (fixture id, fix id) -> why the fixer declines there (the engine offers the fix, the fixer
# proves it is not clearly right on that code)
DECLINED: dict[tuple[str, str], str] = {
    ("tape/gradient_inside_with_SL309.py", "gradient-out-of-with"):
        "the gradient norm is used later in the block, so the gradient call cannot move out "
        "of it (the persistent-tape fix on the same fixture removes the error)",
    ("tape/decay_fit_SL301.py", "constant-to-variable"):
        "the loop rebinds rate (rate = rate - lr * grad), so a tf.Variable would become a "
        "plain tensor again after the first step (add-watch, the primary fix, is proven)",
    ("tape/lazy_model_weights_SL314.py", "build-model"):
        "the only batch the model is called on (x) is made after the weights are read, so "
        "no call on it can go before the read (program weights_read_before_build is proven)",
    ("notebooks/keras_training_loop_SL303.ipynb", "move-into-tape"):
        "the forward pass is in an earlier cell, before the training loop, and that cell "
        "prints it: moving it into the loop changes how often it runs (recompute-in-tape, "
        "the alternative, copies it into the tape and is proven)",
    ("tape/cloned_model_gradient_SL303.py", "move-into-tape"):
        "the one statement before the tape that reads the source builds a clone "
        "(clone_model): it uses none of the original's weights, so moving it links nothing "
        "(the twin differentiates w.r.t. the clone's own weights)",
    ("tape/cloned_model_gradient_SL303.py", "recompute-in-tape"):
        "copying clone = clone_model(scorer) into the tape would build another clone, not "
        "record a use of scorer's weights",
    ("tape/cached_forward_SL303.py", "move-into-tape"):
        "the predictions are computed before the training loop, not right before the with: "
        "moving them into the loop changes how often they run (recompute-in-tape, the "
        "alternative, copies them into the tape and is proven)",
}


def test_not_applicable_fixes_are_known() -> None:
    """Findings whose fixer declines on a fixture: listed in ``DECLINED`` with the reason, so
    a change is noticed (and a stale entry too)."""
    declined = {(entry.split(":", 1)[0], entry.rsplit(" ", 1)[1]) for entry in NOT_APPLIED}
    assert declined == set(DECLINED), NOT_APPLIED
