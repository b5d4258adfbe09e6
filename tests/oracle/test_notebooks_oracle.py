"""The TensorFlow oracle for notebooks: each fixture notebook's cells, run in order under real
TensorFlow, confirm the errors and shapes annotated inside the cells.

``tf_runner.py`` runs a notebook as the one program ShapeLens analyses (code cells in order,
in one namespace as in a kernel, magics and shell lines blanked in place), and maps the line
of its error and of each assignment to ``(cell, line in cell)`` with the same
``NotebookProgram`` the CLI and the language server use; the engine's findings and facts go
through the same map. The checks here are made in those cell coordinates, where the
annotations are written and where the user sees a squiggle:

* a buggy notebook raises in the annotated cell, at the annotated line, with the error the
  rule's catalogue entry promises; a correct notebook runs every cell without raising;
* the engine reports exactly the annotated (cell, line, code)s;
* every ``# shape:`` equals TF's runtime shape and the engine's, at that cell and line;
* tape gradients: a silent ``# expect:`` (SL303) is a None gradient there; a correct
  notebook gets every gradient, shaped like its source.

Notebooks also count in the aggregate agreement of ``test_oracle.py`` (``conftest.py`` runs
them with the ``.py`` fixtures, in one TF process).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from gradient_probe import calls_on_statement, prove_none_gradient, shape_problems
from oracle_support import OracleRun, annotation_matches_tf, rule_matches, silent_capable

from fixture_expectations import (
    FixtureExpectations,
    engine_matches_annotation,
    fixture_id,
    notebook_files,
    shape_repr,
)

pytestmark = pytest.mark.oracle

NOTEBOOKS = notebook_files()


def _record(run: OracleRun, path: Path) -> dict[str, Any]:
    if run.error is not None:
        pytest.fail(f"TensorFlow oracle unavailable: {run.error}", pytrace=False)
    record = run.tf.get(str(path.resolve()))
    if record is None:
        pytest.fail(f"the TF runner produced no record for {fixture_id(path)}", pytrace=False)
    assert record.get("notebook"), "the runner did not read the file as a notebook"
    return record


def _expected(run: OracleRun, path: Path) -> FixtureExpectations:
    return run.expectations[str(path.resolve())]


def _engine(run: OracleRun, path: Path) -> Any:
    if run.engine_error is not None:
        pytest.fail(run.engine_error, pytrace=False)
    result = run.engine[str(path.resolve())]
    if result.error is not None:
        pytest.fail(f"engine crashed on {fixture_id(path)}: {result.error}", pytrace=False)
    return result


def test_notebooks_cover_cnns_tape_loops_and_magics() -> None:
    """The fixture notebooks: a buggy and a correct Keras CNN and tape loop, with magics and
    shell lines that must be skipped (by the runner as by the engine)."""
    stems = {p.stem for p in NOTEBOOKS}
    assert {"mnist_cnn_SL202", "mnist_cnn_ok"} <= stems
    assert any(s.startswith("keras_training_loop_SL") for s in stems)
    assert "keras_training_loop_ok" in stems
    lines = [line for p in NOTEBOOKS for cell in json.loads(p.read_text())["cells"]
             if cell["cell_type"] == "code" for line in cell["source"]]
    assert any(line.startswith("%%") for line in lines)
    assert any(line.startswith("!") for line in lines)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=fixture_id)
def test_tf_raises_in_the_annotated_cell(oracle: OracleRun, path: Path) -> None:
    record, expected = _record(oracle, path), _expected(oracle, path)
    error = record["error"]
    raising = sorted(
        line for line, codes in expected.codes.items()
        if not all(map(silent_capable, codes)) or (error is not None and error["line"] == line)
    )
    if not raising:
        assert error is None, f"TF raised: {error['type']} in cell {error.get('cell')} line " \
            f"{error.get('cell_line')}: {error['message'][:600]}"
        return
    assert len(raising) == 1, "TF stops at the first error: one raising expect per notebook"
    (line,) = raising
    assert error is not None, f"TF ran every cell, but {expected.where(line)} expects an error"
    assert (error["cell"], error["cell_line"]) == expected.cell_of(line), (
        f"TF raised in cell {error['cell']} line {error['cell_line']}, not at the annotated "
        f"{expected.where(line)}: {error['type']}: {error['message'][:600]}")
    verdicts = {code: rule_matches(code, error) for code in expected.codes[line]}
    assert any(verdicts.values()), f"TF's error does not match {list(verdicts)}: " \
        f"{error['type']}: {error['message'][:600]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=fixture_id)
def test_engine_reports_exactly_the_annotated_cells(oracle: OracleRun, path: Path) -> None:
    expected = _expected(oracle, path)
    got = {(*expected.cell_of(f.span.line), f.code) for f in _engine(oracle, path).reported()}
    assert got == expected.expected_in_cells()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=fixture_id)
def test_shapes_in_cells_match_tf_and_engine(oracle: OracleRun, path: Path) -> None:
    record, expected = _record(oracle, path), _expected(oracle, path)
    assert expected.shapes, "a fixture notebook should annotate some shapes"
    tf_first: dict[tuple[int, int, str], dict[str, Any]] = {}
    for item in record["assignments"]:
        tf_first.setdefault((item["cell"], item["cell_line"], item["name"]), item)
    facts = {(*expected.cell_of(line), name): fact
             for (line, name), fact in _engine(oracle, path).shapes().items()}
    problems = []
    for shape in expected.shapes:
        key = (*expected.cell_of(shape.line), shape.name)
        where = f"{expected.where(shape.line)} {shape.name} {shape_repr(shape.shape)}"
        tf_item = tf_first.get(key)
        if tf_item is None:
            problems.append(f"{where}: TF never ran this assignment")
        elif not annotation_matches_tf(shape.shape, tf_item["shape"]):
            problems.append(f"{where}: TF has {shape_repr(tf_item['shape'])}")
        fact = facts.get(key)
        got = None if fact is None or fact.shape is None else tuple(fact.shape)
        if fact is None or not engine_matches_annotation(shape.shape, got):
            problems.append(f"{where}: engine has {'no fact' if fact is None else got}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=fixture_id)
def test_tape_gradients_in_cells(oracle: OracleRun, path: Path) -> None:
    """A silent expect is a None gradient on that cell line; a correct notebook gets every
    gradient with its source's shape."""
    record, expected = _record(oracle, path), _expected(oracle, path)
    calls = record["gradients"]
    if not expected.codes:
        problems = [p for call in calls for p in shape_problems(call)]
        assert not problems, "\n".join(dict.fromkeys(problems))
        return
    tree = ast.parse(expected.source)
    error = record["error"]
    problems = []
    for line, codes in sorted(expected.codes.items()):
        if not all(map(silent_capable, codes)) or (error is not None and error["line"] == line):
            continue  # raising: test_tf_raises_in_the_annotated_cell
        why = prove_none_gradient(calls_on_statement(calls, tree, line))
        if why is not None:
            problems.append(f"{expected.where(line)} {codes}: {why}")
    assert not problems, "\n".join(problems)
