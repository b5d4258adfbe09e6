"""The random-program oracle: generated TF2/Keras programs run under real TensorFlow and the
engine must agree with what happened (differential testing, as compilers are tested).

A fixed, seeded sample (``SAMPLE_SEEDS``) of ``tests/oracle/genprog`` programs and every
shrunk regression program in ``tests/oracle/regressions/`` run under TensorFlow 2.21 in one
subprocess (the fixture oracle's ``tf_runner``, via ``python -m genprog.run``); for each,
``genprog.check.judge`` asserts

(a) no error or warning the run disproves (a silent gradient warning must be matched by a
    None gradient that ``tape.gradient`` really returned),
(b) every shape the engine gives has TF's int dims (and every model table is Keras'),
(c) where TF raised at a statement whose every input the engine knew, the engine reports
    there with a rule whose ``tf_errors`` match TF's message.

``python bench/fuzz.py --minutes N`` runs the same checks on as many programs as time allows
and shrinks what fails into new regression programs.
"""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from genprog import generate
from genprog.check import judge
from genprog.run import engine_result
from genprog.shrink import shrink
from oracle_support import RUNNER_TIMEOUT_S

pytestmark = pytest.mark.oracle

SAMPLE_SEEDS = range(0, 600)
ORACLE_DIR = Path(__file__).resolve().parent
REGRESSIONS_DIR = ORACLE_DIR / "regressions"
REGRESSIONS = sorted(REGRESSIONS_DIR.glob("*.py"))


def _sample() -> list[tuple[str, str]]:
    """(name, source) of every program the test runs."""
    programs = [generate(seed) for seed in SAMPLE_SEEDS]
    out = [(p.name, p.source) for p in programs]
    out += [(f"regressions/{p.name}", p.read_text(encoding="utf-8")) for p in REGRESSIONS]
    return out


SAMPLE = _sample()


@pytest.fixture(scope="module")
def tf_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Any]]:
    """name -> (path the program ran as, TF record); all programs in one TF process."""
    work = tmp_path_factory.mktemp("random_programs")
    paths = {}
    for name, source in SAMPLE:
        path = work / (name.replace("/", "__") + ".py")
        path.write_text(source, encoding="utf-8")
        paths[name] = path
    out = work / "tf_results.json"
    cmd = [sys.executable, "-m", "genprog.run", "--out", str(out), "--budget", "60",
           *map(str, paths.values())]
    proc = subprocess.run(cmd, cwd=ORACLE_DIR, capture_output=True, text=True,
                          timeout=RUNNER_TIMEOUT_S, check=False)
    report = json.loads(out.read_text()) if out.exists() else {}
    if proc.returncode != 0 or "fixtures" not in report:
        pytest.fail(f"the TF runner failed (exit {proc.returncode}): {report.get('import_error')}"
                    f"\n{proc.stderr[-3000:]}", pytrace=False)
    records = report["fixtures"]
    return {name: (str(p.resolve()), records.get(str(p.resolve()))) for name, p in paths.items()}


@pytest.mark.parametrize(("name", "source"), SAMPLE, ids=[n for n, _ in SAMPLE])
def test_engine_agrees_with_tf(tf_records: dict[str, tuple[str, Any]], name: str,
                               source: str) -> None:
    """(a) no disproven finding, (b) no shape disagreement, (c) no miss, no engine crash."""
    path, record = tf_records[name]
    assert record is not None, f"the TF runner produced no record for {name}"
    verdict = judge(source, record, engine_result(source, path))
    problems = [f"false alarm: {p}" for p in verdict.false_alarms]
    problems += [f"shape disagreement: {p}" for p in verdict.disagreements]
    problems += [f"miss: {p}" for p in verdict.misses]
    if verdict.crash:
        problems.append(f"engine crash: {verdict.crash}")
    assert not problems, "\n".join(problems) + "\n--- program ---\n" + source


def test_sample_covers_the_kinds_and_fails_a_share(tf_records: dict[str, Any]) -> None:
    """The seeded sample exercises every kind of program, and TF both runs and rejects a
    real share of them (a sample that only runs, or only fails, proves little)."""
    kinds = {generate(seed).kind for seed in SAMPLE_SEEDS}
    assert kinds == {"chain", "image", "function", "tape", "keras", "class"}
    generated = [tf_records[f"{generate(s).name}"][1] for s in SAMPLE_SEEDS]
    failed = sum(1 for r in generated if r is not None and r["error"] is not None)
    assert 0.1 * len(generated) <= failed <= 0.5 * len(generated), failed


def test_generation_is_deterministic_and_parses() -> None:
    for seed in range(40):
        first, second = generate(seed), generate(seed)
        assert first == second
        ast.parse(first.source)


def test_shrink_keeps_the_failure_and_drops_the_rest() -> None:
    source = "a = 1\nb = 2\nfor i in range(3):\n    c = a + i\n    d = 'bug'\ne = 5\n"
    small = shrink(source, lambda text: "'bug'" in text)
    assert "'bug'" in small
    assert len(small.splitlines()) == 1, small
    rng = random.Random(0)
    assert shrink(source, lambda text: rng.random() < 0) == source


def _record(error: dict[str, Any] | None, *shapes: tuple[int, str, list[int]]) -> dict[str, Any]:
    """A TF record as ``tf_runner`` writes it, for the judge's self-test."""
    assignments = [{"line": line, "col": 0, "name": name, "kind": "tensor", "shape": shape,
                    "dtype": "float32"} for line, name, shape in shapes]
    return {"error": error, "assignments": assignments, "gradients": [], "models": []}


def test_judge_flags_false_alarms_disagreements_and_misses() -> None:
    """The checks themselves, on real engine analyses and hand-written TF records."""
    bad = "import tensorflow as tf\nx = tf.ones([2, 3])\ny = tf.reshape(x, [4])\n"
    clean = _record(None, (2, "x", [2, 3]), (3, "y", [4]))
    verdict = judge(bad, clean, engine_result(bad, "bad.py"))
    assert verdict.false_alarms and "SL101" in verdict.false_alarms[0]
    good = "import tensorflow as tf\nx = tf.ones([2, 3])\ny = tf.reshape(x, [3, 2])\n"
    assert not judge(good, _record(None, (2, "x", [2, 3]), (3, "y", [3, 2])),
                     engine_result(good, "good.py")).failed
    other = judge(good, _record(None, (2, "x", [2, 3]), (3, "y", [2, 3])),
                  engine_result(good, "good.py"))
    assert other.disagreements == ["line 3 y: engine (3, 2) vs tf (2, 3)"]
    error = {"type": "InvalidArgumentError", "mro": ["InvalidArgumentError", "Exception"],
             "message": "Input to reshape is a tensor with 6 values, but the requested shape "
                        "has 4", "line": 3, "frame_line": 3}
    hit = judge(bad, _record(error, (2, "x", [2, 3])), engine_result(bad, "bad.py"))
    assert (hit.hits, hit.misses, hit.false_alarms) == (1, [], [])
    missed = judge(good, _record(error, (2, "x", [2, 3])), engine_result(good, "good.py"))
    assert len(missed.misses) == 1 and "SL101" in missed.misses[0]
