"""Shared machinery of the TensorFlow oracle: run fixtures under TF and under the engine, and
compare the two.

The session fixture in ``conftest.py`` builds one ``OracleRun`` (TF runs once, in one
subprocess, for every fixture); the tests in ``test_oracle.py`` only read it, and the
terminal-summary hook prints the aggregate numbers it computed, so CI logs show them even
when every assertion passes.

Keras models: the runner records each built model's per-layer table (layer class, output
shape, ``count_params()``); where the engine gives a table too (``analysis.models``, a list
of facts with ``.line``, ``.name`` and ``.layers`` of rows with ``.layer``, ``.output_shape``
and ``.params``), the two are compared row by row (``compare_model_table``).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

from fixture_expectations import (  # noqa: E402 - needs TESTS_DIR on sys.path first
    Dim,
    FixtureExpectations,
    Shape,
    fixture_id,
    fixture_source,
    parse_fixture,
)

RUNNER = Path(__file__).resolve().with_name("tf_runner.py")
TENSOR_KINDS = frozenset({"tensor", "variable", "ndarray", "keras"})
REPORTED_SEVERITIES = frozenset({"error", "warning"})
AGREEMENT_THRESHOLD = 0.97
COVERAGE_THRESHOLD = 0.85
RUNNER_TIMEOUT_S = 600
FIXTURE_BUDGET_S = 60

Key = tuple[int, str]  # (line, assigned name)


def severity_name(severity: Any) -> str:
    """Severity as a plain lowercase string (accepts the catalogue's str-Enum too)."""
    return str(getattr(severity, "value", severity)).lower()


@dataclass
class EngineResult:
    """What ``shapelens.core.analyze`` said about one fixture, or why it could not say."""

    analysis: Any = None
    error: str | None = None

    def reported(self) -> list[Any]:
        """Findings a user sees as problems (errors and warnings)."""
        return [
            f for f in self.analysis.findings if severity_name(f.severity) in REPORTED_SEVERITIES
        ]

    def shapes(self) -> dict[Key, Any]:
        """First engine fact per (line, name)."""
        facts: dict[Key, Any] = {}
        for fact in self.analysis.assignments:
            facts.setdefault((fact.line, fact.name), fact)
        return facts

    def models(self) -> dict[Key, Any]:
        """First engine model table per (line, name); empty while the engine has none."""
        facts: dict[Key, Any] = {}
        for fact in getattr(self.analysis, "models", None) or []:
            facts.setdefault((fact.line, fact.name), fact)
        return facts


@dataclass
class Disagreement:
    fixture: str
    line: int
    name: str
    engine: Shape
    tf: list[Dim] | None

    def __str__(self) -> str:
        engine = "None" if self.engine is None else repr(tuple(self.engine))
        tf = "None" if self.tf is None else repr(tuple(self.tf))
        return f"{self.fixture}:{self.line} {self.name}: engine {engine} vs tf {tf}"


@dataclass
class AgreementStats:
    """Aggregate shape agreement and coverage over every fixture."""

    compared: int = 0
    agreeing: int = 0
    tf_tensor_assignments: int = 0
    covered: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.agreeing / self.compared if self.compared else 1.0

    @property
    def coverage(self) -> float:
        return self.covered / self.tf_tensor_assignments if self.tf_tensor_assignments else 1.0


@dataclass
class ModelStats:
    """Aggregate agreement of the engine's per-layer model tables with Keras'."""

    tf_models: int = 0  # built models TF recorded
    covered: int = 0  # ... for which the engine gives a table
    agreeing: int = 0  # ... whose every compared row agrees
    reordered: int = 0  # ... whose rows only agree in another order than model.layers
    params_compared: int = 0
    params_agreeing: int = 0
    shapes_compared: int = 0
    shapes_agreeing: int = 0
    disagreements: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.covered / self.tf_models if self.tf_models else 1.0

    @property
    def agreement(self) -> float:
        return self.agreeing / self.covered if self.covered else 1.0


@dataclass(repr=False)
class OracleRun:
    """Everything the oracle tests need, computed once per session.

    Its ``repr`` is short: pytest writes the arguments of a failing test, and the full repr of
    every fixture's analysis (engine values that share structure) grew past 10 GB in minutes
    instead of reporting the failure."""

    fixtures: list[Path]
    error: str | None = None  # TF could not run at all: every oracle test fails with this
    engine_error: str | None = None  # the engine could not be imported
    meta: dict[str, Any] = field(default_factory=dict)
    tf: dict[str, dict[str, Any]] = field(default_factory=dict)
    engine: dict[str, EngineResult] = field(default_factory=dict)
    expectations: dict[str, FixtureExpectations] = field(default_factory=dict)
    stats: AgreementStats | None = None
    model_stats: ModelStats | None = None
    results_path: Path | None = None
    # fixture path -> its TF-only rewrite (see gradient_probe.tf_only_rewrite), run alongside
    # it so a "wrong-gradient" expect can be proven by comparing gradient values.
    tf_only: dict[str, str] = field(default_factory=dict)
    duration_s: float = 0.0

    def tf_record(self, path: Path) -> dict[str, Any]:
        return self.tf[str(path.resolve())]

    def __repr__(self) -> str:
        return (f"OracleRun({len(self.fixtures)} fixtures, error={self.error!r}, "
                f"engine_error={self.engine_error!r})")


# Filled by the session fixture, read by ``pytest_terminal_summary``.
LAST_RUN: list[OracleRun] = []


# Fixtures written for graph-mode TF (``tensorflow.compat.v1`` with v2 behaviour disabled):
# disabling v2 behaviour is process-wide, so they run in a second runner process.
GRAPH_MODE_FOLDERS = ("tf1",)


def is_graph_mode(path: Path) -> bool:
    return any(part in GRAPH_MODE_FOLDERS for part in path.parts)


def run_tensorflow(fixtures: Sequence[Path], out: Path) -> tuple[dict[str, Any], str | None]:
    """Run every fixture under TF (eager ones in one subprocess, graph-mode ones in another);
    (report, error message or None)."""
    graph = [f for f in fixtures if is_graph_mode(f)]
    eager = [f for f in fixtures if not is_graph_mode(f)]
    report, error = _run_runner(eager, out, graph=False) if eager or not graph else ({}, None)
    if graph and error is None:
        graph_out = out.with_name(out.stem + "_graph" + out.suffix)
        graph_report, error = _run_runner(graph, graph_out, graph=True)
        if not eager:
            return graph_report, error
        report.setdefault("fixtures", {}).update(graph_report.get("fixtures", {}))
        if out.exists():
            out.write_text(json.dumps(report, indent=1))
    return report, error


def _run_runner(fixtures: Sequence[Path], out: Path, graph: bool
                ) -> tuple[dict[str, Any], str | None]:
    if importlib.util.find_spec("tensorflow") is None:
        return {}, (
            f"TensorFlow is not importable by {sys.executable}; the oracle needs it "
            "(pip install -e '.[test]', which pins tensorflow-cpu==2.21.0)."
        )
    cmd = [
        sys.executable,
        str(RUNNER),
        "--out",
        str(out),
        "--budget",
        str(FIXTURE_BUDGET_S),
        *(["--graph"] if graph else []),
        *map(str, fixtures),
    ]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=RUNNER_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return {}, f"the TF runner did not finish within {RUNNER_TIMEOUT_S}s"
    report: dict[str, Any] = {}
    if out.exists():
        report = json.loads(out.read_text())
    if "import_error" in report:
        return report, f"TensorFlow failed to import in the runner: {report['import_error']}"
    if proc.returncode != 0 or "fixtures" not in report:
        return report, (f"the TF runner failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return report, None


def run_engine(fixtures: Sequence[Path]) -> tuple[dict[str, EngineResult], str | None]:
    """Analyse every fixture with the engine; a crash on one fixture is kept per fixture."""
    try:
        from shapelens.core import analyze
    except Exception as exc:
        return {}, f"cannot import shapelens.core.analyze: {type(exc).__name__}: {exc}"
    results: dict[str, EngineResult] = {}
    for path in fixtures:
        try:
            analysis = analyze(fixture_source(path), str(path))  # a notebook: its program
            results[str(path.resolve())] = EngineResult(analysis=analysis)
        except Exception as exc:
            results[str(path.resolve())] = EngineResult(error=f"{type(exc).__name__}: {exc}")
    return results, None


def tf_dim_agrees(engine_dim: Dim, tf_dim: Dim) -> bool:
    """An engine int must be TF's int, a proven dynamic dim TF's None; a symbol or an
    unknown dim (None) claims nothing about the size."""
    from shapelens.domain.shapes import DYNAMIC

    if isinstance(engine_dim, int):
        return engine_dim == tf_dim
    if engine_dim is DYNAMIC:
        return tf_dim is None
    return True


def engine_agrees(engine: Sequence[Dim], tf: Sequence[Dim]) -> bool:
    return len(engine) == len(tf) and all(map(tf_dim_agrees, engine, tf))


def annotation_matches_tf(expected: Shape, tf: Sequence[Dim] | None) -> bool:
    """An annotation int must be TF's int; None and named symbols accept whatever TF has."""
    if expected is None:
        return True
    if tf is None or len(expected) != len(tf):
        return False
    return all(not isinstance(e, int) or e == t for e, t in zip(expected, tf, strict=True))


def tf_tensor_records(record: dict[str, Any]) -> dict[Key, dict[str, Any]]:
    """First TF record per (line, name), keeping only tensor-like values of known rank."""
    found: dict[Key, dict[str, Any]] = {}
    for item in record.get("assignments", []):
        key = (item["line"], item["name"])
        if key in found:
            continue
        found[key] = item
    return {k: v for k, v in found.items() if v["kind"] in TENSOR_KINDS and v["shape"] is not None}


def compute_agreement(run: OracleRun) -> AgreementStats:
    """Compare engine shapes with TF's over every fixture (rule 'e' of the oracle)."""
    stats = AgreementStats()
    for path in run.fixtures:
        key = str(path.resolve())
        record = run.tf.get(key)
        if record is None:
            continue
        tf_shapes = tf_tensor_records(record)
        engine = run.engine.get(key)
        facts = engine.shapes() if engine is not None and engine.analysis is not None else {}
        for (line, name), tf_item in tf_shapes.items():
            stats.tf_tensor_assignments += 1
            fact = facts.get((line, name))
            if fact is None or fact.shape is None:
                stats.uncovered.append(f"{fixture_id(path)}:{line} {name}")
                continue
            stats.covered += 1
            stats.compared += 1
            if engine_agrees(tuple(fact.shape), tf_item["shape"]):
                stats.agreeing += 1
            else:
                stats.disagreements.append(
                    Disagreement(fixture_id(path), line, name, tuple(fact.shape), tf_item["shape"])
                )
    return stats


def tf_model_records(record: dict[str, Any]) -> dict[Key, dict[str, Any]]:
    """First built-model table per (line, name) that TF recorded for a fixture."""
    found: dict[Key, dict[str, Any]] = {}
    for item in record.get("models", []):
        if item.get("layers") is not None:
            found.setdefault((item["line"], item["name"]), item)
    return found


def _is_shape(value: Any) -> bool:
    """A flat shape (dims are int/str/None/DYNAMIC), as opposed to a list of shapes."""
    from shapelens.domain.shapes import Dynamic

    return isinstance(value, (tuple, list)) and all(
        d is None or isinstance(d, (int, str, Dynamic)) for d in value
    )


def output_agrees(engine: Any, tf: Any) -> bool | None:
    """Does the engine's output shape of a layer agree with TF's? None: nothing to compare
    (the engine gives no shape). A multi-output layer (TF has a list of shapes, e.g. an RNN
    with return_state) needs the engine to give a tuple of shapes, in the same order."""
    if engine is None:
        return None
    if tf is None:
        return False
    if _is_shape(tf):
        return _is_shape(engine) and engine_agrees(tuple(engine), tf)
    if _is_shape(engine) or len(engine) != len(tf):
        return False
    return all(output_agrees(e, t) is not False for e, t in zip(engine, tf, strict=True))


@dataclass
class TableComparison:
    """The outcome of comparing one engine model table with TF's."""

    problems: list[str] = field(default_factory=list)
    reordered: bool = False
    params_compared: int = 0
    params_agreeing: int = 0
    shapes_compared: int = 0
    shapes_agreeing: int = 0

    @property
    def agrees(self) -> bool:
        return not self.problems


def _row_problems(index: int, row: Any, tf_row: dict[str, Any], out: TableComparison) -> None:
    where = f"layer {index} {tf_row['layer']}"
    if row.layer != tf_row["layer"]:
        out.problems.append(f"{where}: engine says {row.layer}")
        return
    params = getattr(row, "params", None)
    if params is not None:
        out.params_compared += 1
        if params == tf_row["params"]:
            out.params_agreeing += 1
        else:
            out.problems.append(f"{where}: engine {params} params vs tf {tf_row['params']}")
    shape = getattr(row, "output_shape", None)
    verdict = output_agrees(shape, tf_row["output_shape"])
    if verdict is not None:
        out.shapes_compared += 1
        if verdict:
            out.shapes_agreeing += 1
        else:
            out.problems.append(
                f"{where}: engine output {_shape_text(shape)} vs tf "
                f"{_shape_text(tf_row['output_shape'])}"
            )


def _shape_text(shape: Any) -> str:
    if shape is None:
        return "None"
    if _is_shape(shape):
        return repr(tuple(shape))
    return "[" + ", ".join(_shape_text(s) for s in shape) + "]"


def _align_rows(rows: Sequence[Any], tf_rows: Sequence[dict[str, Any]]) -> list[int] | None:
    """Pair each engine row with a TF row of the same class when only the order differs
    (Keras orders the layers of a multi-branch graph by depth, then by discovery); prefers a
    TF row the engine row fully agrees with. None if the classes are not a permutation."""
    if sorted(r.layer for r in rows) != sorted(t["layer"] for t in tf_rows):
        return None
    unused = list(range(len(tf_rows)))
    pairing: list[int] = []
    for row in rows:
        same = [i for i in unused if tf_rows[i]["layer"] == row.layer]
        probe = [(i, TableComparison()) for i in same]
        for i, out in probe:
            _row_problems(i, row, tf_rows[i], out)
        best = next((i for i, out in probe if out.agrees), same[0])
        unused.remove(best)
        pairing.append(best)
    return pairing


def compare_model_table(fact: Any, tf_model: dict[str, Any]) -> TableComparison:
    """Compare an engine model table with the one TF recorded.

    Rows are the layers in ``model.layers`` order (a Functional model lists its InputLayers,
    a Sequential does not). Each engine row must name the layer class TF has; its parameter
    count, where the engine gives one, must equal ``count_params()`` exactly; its output shape,
    where given, is checked like an assignment's shape (an engine int must be TF's int). If
    the classes only differ in order, rows are paired by class and the table is flagged
    ``reordered``. A model-level ``params`` on the fact, if any, must equal
    ``model.count_params()``.
    """
    out = TableComparison()
    rows = list(getattr(fact, "layers", None) or [])
    tf_rows = tf_model["layers"]
    if len(rows) != len(tf_rows):
        out.problems.append(
            f"engine lists {len(rows)} layers ({', '.join(r.layer for r in rows)}), TF "
            f"{len(tf_rows)} ({', '.join(t['layer'] for t in tf_rows)})"
        )
        return out
    pairing = list(range(len(rows)))
    if [r.layer for r in rows] != [t["layer"] for t in tf_rows]:
        aligned = _align_rows(rows, tf_rows)
        if aligned is None:
            out.problems.append(
                f"engine layers ({', '.join(r.layer for r in rows)}) are not TF's "
                f"({', '.join(t['layer'] for t in tf_rows)})"
            )
            return out
        pairing, out.reordered = aligned, True
    for row, index in zip(rows, pairing, strict=True):
        _row_problems(index, row, tf_rows[index], out)
    total = getattr(fact, "params", None)
    if (
        isinstance(total, int)
        and tf_model.get("params") is not None
        and (total != tf_model["params"])
    ):
        out.problems.append(f"model: engine {total} params vs tf {tf_model['params']}")
    return out


def compute_model_agreement(run: OracleRun) -> ModelStats:
    """Compare the engine's model tables with TF's over every fixture."""
    stats = ModelStats()
    for path in run.fixtures:
        key = str(path.resolve())
        record = run.tf.get(key)
        if record is None:
            continue
        engine = run.engine.get(key)
        facts = engine.models() if engine is not None and engine.analysis is not None else {}
        for (line, name), tf_model in tf_model_records(record).items():
            stats.tf_models += 1
            where = f"{fixture_id(path)}:{line} {name}"
            fact = facts.get((line, name))
            if fact is None or not getattr(fact, "layers", None):
                stats.uncovered.append(where)
                continue
            stats.covered += 1
            result = compare_model_table(fact, tf_model)
            stats.params_compared += result.params_compared
            stats.params_agreeing += result.params_agreeing
            stats.shapes_compared += result.shapes_compared
            stats.shapes_agreeing += result.shapes_agreeing
            stats.reordered += result.reordered
            if result.agrees:
                stats.agreeing += 1
            else:
                stats.disagreements.append(f"{where}: {'; '.join(result.problems)}")
    return stats


def build_run(fixtures: Sequence[Path], workdir: Path) -> OracleRun:
    """Run TF and the engine over ``fixtures`` and compute the aggregate statistics."""
    started = time.perf_counter()
    run = OracleRun(fixtures=list(fixtures))
    run.expectations = {str(p.resolve()): parse_fixture(p) for p in fixtures}
    run.results_path = workdir / "tf_results.json"
    run.tf_only = write_tf_only_rewrites(run, workdir / "tf_only")
    extra = [Path(p) for p in run.tf_only.values()]
    report, run.error = run_tensorflow([*fixtures, *extra], run.results_path)
    run.tf = report.get("fixtures", {})
    run.meta = {k: v for k, v in report.items() if k != "fixtures"}
    run.engine, run.engine_error = run_engine(fixtures)
    if run.error is None and run.engine_error is None:
        run.stats = compute_agreement(run)
        run.model_stats = compute_model_agreement(run)
    run.duration_s = time.perf_counter() - started
    return run


def silent_capable(code: str) -> bool:
    """Can ``code`` hold with TF raising nothing (a None or wrong gradient, a silent no-op)?"""
    from shapelens.rules.catalogue import BY_CODE

    rule = BY_CODE.get(code)
    return rule is not None and (bool(rule.silent_outcome) or not rule.tf_errors)


def write_tf_only_rewrites(run: OracleRun, directory: Path) -> dict[str, str]:
    """For fixtures expecting a "wrong-gradient" code, write the TF-only rewrite next to the
    results; {fixture path: rewrite path}."""
    from gradient_probe import tf_only_rewrite

    try:
        from shapelens.rules.catalogue import BY_CODE
    except Exception:  # the engine tests report an unimportable package
        return {}
    rewrites: dict[str, str] = {}
    for key, expected in run.expectations.items():
        codes = {c for cs in expected.codes.values() for c in cs}
        if not any(
            getattr(BY_CODE.get(c), "silent_outcome", "") == "wrong-gradient" for c in codes
        ):
            continue
        rewritten = tf_only_rewrite(expected.source)
        if rewritten is None:
            continue
        directory.mkdir(parents=True, exist_ok=True)
        target = (directory / fixture_id(Path(key)).replace("/", "__")).with_suffix(".py")
        target.write_text(rewritten, encoding="utf-8")
        rewrites[key] = str(target.resolve())
    return rewrites


def rule_matches(code: str, error: dict[str, Any]) -> bool | None:
    """Does TF's exception fit one of ``code``'s ``tf_errors``? None if the rule has none."""
    from shapelens.rules.catalogue import BY_CODE

    rule = BY_CODE.get(code)
    if rule is None or not rule.tf_errors:
        return None
    classes = set(error.get("mro") or [error["type"]])
    return any(
        classes.intersection(names) and re.search(pattern, error["message"], re.S)
        for names, pattern in rule.tf_errors
    )


def summary_lines(run: OracleRun) -> list[str]:
    """What the terminal summary prints about this oracle run."""
    buggy = sum(1 for e in run.expectations.values() if e.is_buggy)
    lines = [
        f"TensorFlow {run.meta.get('tensorflow', '?')}, Keras {run.meta.get('keras', '?')}: "
        f"{len(run.fixtures)} fixtures ({buggy} buggy, {len(run.fixtures) - buggy} correct), "
        f"runner {run.meta.get('total_s', '?')}s, oracle {run.duration_s:.1f}s",
    ]
    if run.error:
        lines.append(f"ORACLE COULD NOT RUN: {run.error.splitlines()[0]}")
    if run.engine_error:
        lines.append(f"ENGINE UNAVAILABLE: {run.engine_error}")
    stats = run.stats
    if stats is not None:
        lines.append(
            f"shape agreement: {stats.agreement:.3f} ({stats.agreeing}/{stats.compared} "
            f"assignments agree with TF; threshold {AGREEMENT_THRESHOLD})"
        )
        lines.append(
            f"shape coverage:  {stats.coverage:.3f} ({stats.covered}/"
            f"{stats.tf_tensor_assignments} TF tensor assignments have an engine shape; "
            f"threshold {COVERAGE_THRESHOLD})"
        )
        lines.extend(f"  disagreement: {d}" for d in stats.disagreements[:20])
    models = run.model_stats
    if models is not None:
        lines.append(
            f"model tables:    {models.coverage:.3f} ({models.covered}/{models.tf_models} "
            f"built Keras models have an engine table); {models.agreeing}/{models.covered} "
            f"agree ({models.agreement:.3f})"
            + (f", {models.reordered} only in another layer order" if models.reordered else "")
        )
        lines.append(
            f"  layer rows: params {models.params_agreeing}/{models.params_compared} agree, "
            f"output shapes {models.shapes_agreeing}/{models.shapes_compared} agree"
        )
        lines.extend(f"  model disagreement: {d}" for d in models.disagreements[:10])
    if run.results_path is not None:
        lines.append(f"TF results: {run.results_path}")
    return lines
