"""The TensorFlow oracle: every fixture annotation, and the engine's answers, checked against
what TensorFlow 2.21 really does.

* ``# expect:`` lines are where TF raises, with the error the rule's catalogue entry promises;
  fixtures without them run cleanly under TF.
* The engine reports errors/warnings exactly on the expect lines with the expected codes.
* ``# shape:`` annotations equal both TF's runtime shape and the engine's.
* In aggregate, engine shapes agree with TF's and cover most tensor assignments.
* Where the engine gives a Keras model's per-layer table, it is the one Keras reports (layer
  classes, output shapes, ``count_params()`` exactly).

If TensorFlow cannot be imported these tests fail (never skip): the oracle is the proof.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from oracle_support import (
    AGREEMENT_THRESHOLD,
    COVERAGE_THRESHOLD,
    TENSOR_KINDS,
    EngineResult,
    OracleRun,
    annotation_matches_tf,
    compare_model_table,
    rule_matches,
    silent_capable,
    tf_model_records,
)

from fixture_expectations import (
    engine_matches_annotation,
    fixture_files,
    fixture_id,
    shape_repr,
)

pytestmark = pytest.mark.oracle

FIXTURES = fixture_files()


def _require_tf(run: OracleRun, path: Path) -> dict[str, Any]:
    if run.error is not None:
        pytest.fail(f"TensorFlow oracle unavailable: {run.error}", pytrace=False)
    key = str(path.resolve())
    if key not in run.tf:
        pytest.fail(f"the TF runner produced no record for {fixture_id(path)}", pytrace=False)
    return run.tf[key]


def _engine_problem(run: OracleRun, path: Path) -> str | None:
    """Why the engine has no analysis for ``path`` (None when it has one)."""
    if run.engine_error is not None:
        return run.engine_error
    error = run.engine[str(path.resolve())].error
    return None if error is None else f"engine crashed on {fixture_id(path)}: {error}"


def _require_engine(run: OracleRun, path: Path) -> EngineResult:
    problem = _engine_problem(run, path)
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    return run.engine[str(path.resolve())]


def _describe(error: dict[str, Any]) -> str:
    return f"{error['type']} at line {error['line']}: {error['message'][:600]}"


def test_fixtures_exist() -> None:
    """An empty fixture tree would make every parametrized check vacuous."""
    assert FIXTURES, "no fixtures found under fixtures/**/*.py"


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_tf_raises_exactly_where_expected(oracle: OracleRun, path: Path) -> None:
    """(a) each expect line is where TF raises, with a matching error; (b) clean files run."""
    record = _require_tf(oracle, path)
    expected = oracle.expectations[str(path.resolve())]
    error = record["error"]
    if not expected.codes:
        assert error is None, f"TF raised on a fixture with no '# expect:': {_describe(error)}"
        return
    # Lines whose codes can all hold silently (a None/wrong gradient, SL3xx) are proven by
    # test_gradients.py from what tape.gradient returned, unless TF raised right there.
    lines = sorted(
        line
        for line, codes in expected.codes.items()
        if not all(map(silent_capable, codes)) or (error is not None and error["line"] == line)
    )
    if not lines:
        assert error is None, (
            f"TF raised, but every '# expect:' here is a silent outcome: {_describe(error)}"
        )
        return
    assert len(lines) == 1, (
        f"'# expect:' on lines {lines}: TF stops at the first error, so the oracle can only "
        "prove one expect line per fixture; split the fixture"
    )
    (line,) = lines
    assert error is not None, f"TF ran cleanly, but line {line} expects {expected.codes[line]}"
    assert error["line"] == line, (
        f"TF raised on line {error['line']}, not on the expect line {line}: {_describe(error)}"
    )
    verdicts = {code: rule_matches(code, error) for code in expected.codes[line]}
    unknown = [code for code, verdict in verdicts.items() if verdict is None]
    assert not unknown, f"rules {unknown} are unknown or list no tf_errors in the catalogue"
    assert any(verdicts.values()), (
        f"TF's error does not match the tf_errors of {list(verdicts)}: {_describe(error)}"
    )


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_engine_reports_exactly_the_expected(oracle: OracleRun, path: Path) -> None:
    """(c) errors/warnings only on expect lines, with the expected codes, and all of them."""
    engine = _require_engine(oracle, path)
    expected = oracle.expectations[str(path.resolve())].expected_pairs()
    findings = engine.reported()
    got = {(f.span.line, f.code) for f in findings}
    missing = sorted(expected - got)
    extra = [
        f"line {f.span.line} {f.code} ({f.severity}): {f.message}"
        for f in sorted(findings, key=lambda f: f.span.line)
        if (f.span.line, f.code) not in expected
    ]
    assert not missing and not extra, f"missing: {missing}; unexpected: {extra}"


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_shape_annotations_match_tf_and_engine(oracle: OracleRun, path: Path) -> None:
    """(d) every '# shape:' equals TF's runtime shape and the engine's inferred shape."""
    expected = oracle.expectations[str(path.resolve())]
    if not expected.shapes:
        return
    record = _require_tf(oracle, path)
    tf_first: dict[tuple[int, str], dict[str, Any]] = {}
    for item in record["assignments"]:
        tf_first.setdefault((item["line"], item["name"]), item)
    engine_problem = _engine_problem(oracle, path)
    facts = {} if engine_problem else oracle.engine[str(path.resolve())].shapes()
    problems: list[str] = [engine_problem] if engine_problem else []
    for shape in expected.shapes:
        where = f"line {shape.comment_line} {shape.name} {shape_repr(shape.shape)}"
        tf_item = tf_first.get((shape.line, shape.name))
        if tf_item is None:
            problems.append(f"{where}: TF never reached this assignment")
        elif tf_item["kind"] not in TENSOR_KINDS:
            problems.append(f"{where}: TF value is not a tensor ({tf_item.get('type')})")
        elif not annotation_matches_tf(shape.shape, tf_item["shape"]):
            problems.append(f"{where}: TF has {shape_repr(tf_item['shape'])}")
        if engine_problem:
            continue
        fact = facts.get((shape.line, shape.name))
        engine_shape = None if fact is None or fact.shape is None else tuple(fact.shape)
        if fact is None:
            problems.append(f"{where}: engine has no fact for this assignment")
        elif not engine_matches_annotation(shape.shape, engine_shape):
            problems.append(f"{where}: engine has {shape_repr(engine_shape)}")
    assert not problems, "\n".join(problems)


def test_shape_agreement_and_coverage(oracle: OracleRun) -> None:
    """(e) engine shapes agree with TF (>= 97%) and cover TF's tensor assignments (>= 85%)."""
    if oracle.error is not None:
        pytest.fail(f"TensorFlow oracle unavailable: {oracle.error}", pytrace=False)
    if oracle.engine_error is not None:
        pytest.fail(oracle.engine_error, pytrace=False)
    stats = oracle.stats
    assert stats is not None
    crashed = [fixture_id(Path(p)) for p, r in oracle.engine.items() if r.error is not None]
    report = (
        f"agreement {stats.agreement:.3f} ({stats.agreeing}/{stats.compared}), "
        f"coverage {stats.coverage:.3f} ({stats.covered}/{stats.tf_tensor_assignments})"
        + (f"; engine crashed on {crashed}" if crashed else "")
    )
    assert stats.agreement >= AGREEMENT_THRESHOLD, f"{report}\ndisagreements:\n" + "\n".join(
        map(str, stats.disagreements)
    )
    assert stats.coverage >= COVERAGE_THRESHOLD, (
        f"{report}\nassignments without an engine shape:\n" + "\n".join(stats.uncovered)
    )


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_model_tables_match_tf(oracle: OracleRun, path: Path) -> None:
    """(f) every model table the engine gives equals Keras' per-layer table for that model.

    Models the engine gives no table for are only counted (coverage, in the summary); while
    the engine has no ``analysis.models`` at all, there is nothing to compare.
    """
    record = _require_tf(oracle, path)
    tf_models = tf_model_records(record)
    if not tf_models:
        return
    facts = _require_engine(oracle, path).models()
    problems = []
    for (line, name), tf_model in sorted(tf_models.items()):
        fact = facts.get((line, name))
        if fact is None or not getattr(fact, "layers", None):
            continue
        result = compare_model_table(fact, tf_model)
        problems.extend(f"line {line} {name}: {p}" for p in result.problems)
    assert not problems, "\n".join(problems)
