"""The gradient half of the TensorFlow oracle: what ``tape.gradient`` really returned.

``tf_runner.py`` records (through ``gradient_probe.GradientProbe``) every ``gradient`` /
``jacobian`` / ``batch_jacobian`` call a fixture makes on a ``GradientTape``: its line and, for
each source, whether the result is None, its shape and (eager) its value.

* A ``# expect:`` whose rule has ``silent_outcome="none-gradient"`` is proven when a call on
  that statement returned at least one None gradient.
* ``"wrong-gradient"`` is proven when a gradient on that statement is not None and either is
  not shaped like its source, or differs in value from the same line of the fixture's TF-only
  rewrite (NumPy calls and ``float()`` in the tape turned into TF ops, same lines), run by the
  same runner.
* SL314 (weights read before the build) is proven when some ``tape.gradient`` call of the
  fixture got an empty list of sources, i.e. training updates nothing.
* SL317 (a variable made again on every iteration) is proven when a ``tape.gradient`` line ran
  at least twice and returned the same values each time: every step started from the same
  weights, so the updates were lost.
* Correct fixtures (no ``# expect:``): no call returned None, and every gradient has its
  source's shape (a jacobian: target shape + source shape).

Raising codes are checked by ``test_oracle.py``; a silent-capable line where TF did raise
(e.g. SL311's reshape error) is proven there too and skipped here.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any

import pytest
from gradient_probe import (
    calls_on_statement,
    prove_empty_gradients,
    prove_none_gradient,
    prove_restarted_training,
    prove_wrong_gradient,
    shape_problems,
    statement_span,
    tf_only_rewrite,
)
from oracle_support import OracleRun, silent_capable

from fixture_expectations import fixture_files, fixture_id

pytestmark = pytest.mark.oracle

FIXTURES = fixture_files()
# Silent codes without a gradient ``silent_outcome`` whose effect TF can still show.
EMPTY_GRADIENT_CODES = frozenset({"SL314"})
RESTARTED_CODES = frozenset({"SL317"})  # the same gradient at every step


def _record(run: OracleRun, path: Path) -> dict[str, Any]:
    if run.error is not None:
        pytest.fail(f"TensorFlow oracle unavailable: {run.error}", pytrace=False)
    key = str(path.resolve())
    if key not in run.tf:
        pytest.fail(f"the TF runner produced no record for {fixture_id(path)}", pytrace=False)
    record = run.tf[key]
    if "gradients" not in record:
        pytest.fail("the TF runner recorded no gradients (gradient_probe not wired in)")
    return record


def _outcome(code: str) -> str:
    from shapelens.rules.catalogue import BY_CODE

    return BY_CODE[code].silent_outcome


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_silent_outcomes_are_what_tf_returns(oracle: OracleRun, path: Path) -> None:
    """Every silent-outcome expect line is where tape.gradient really gives None / a wrong
    gradient (or, for SL314, where training really updates nothing)."""
    expected = oracle.expectations[str(path.resolve())]
    silent = {
        line: codes for line, codes in expected.codes.items() if all(map(silent_capable, codes))
    }
    if not silent:
        return
    record = _record(oracle, path)
    error = record["error"]
    tree = ast.parse(expected.source)
    calls = record["gradients"]
    rewrite = oracle.tf_only.get(str(path.resolve()))
    reference_calls = oracle.tf.get(rewrite, {}).get("gradients") if rewrite else None
    problems = []
    for line, codes in sorted(silent.items()):
        if error is not None and error["line"] == line:
            continue  # TF raised here: test_oracle.py checks the error against tf_errors
        here = calls_on_statement(calls, tree, line)
        for code in codes:
            outcome = _outcome(code)
            if outcome == "none-gradient":
                why = prove_none_gradient(here)
            elif outcome == "wrong-gradient":
                reference = (
                    None
                    if reference_calls is None
                    else calls_on_statement(reference_calls, tree, line)
                )
                why = prove_wrong_gradient(here, reference)
            elif code in EMPTY_GRADIENT_CODES:
                why = prove_empty_gradients(calls)
            elif code in RESTARTED_CODES:
                why = prove_restarted_training(calls)
            elif outcome == "constant-result":
                # A degenerate computation (argmax over a size-1 axis): TF runs the line, as
                # the warning says it will (an error here was skipped above); the size-1
                # axis it names is a shape, compared with TF's by test_oracle.py.
                why = None
            else:
                why = "the oracle has no way to prove this code from TF (not a silent outcome)"
            if why is not None:
                problems.append(f"line {line} {code} ({outcome or 'silent'}): {why}")
    if error is not None and not any(error["line"] == line for line in expected.codes):
        problems.append(f"TF raised {error['type']} at line {error['line']}: {error['message']}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_correct_fixtures_get_every_gradient(oracle: OracleRun, path: Path) -> None:
    """In a fixture without '# expect:', no tape.gradient call returned None and every
    gradient has its source's shape."""
    expected = oracle.expectations[str(path.resolve())]
    if expected.codes:
        return
    record = _record(oracle, path)
    problems = [p for call in record["gradients"] for p in shape_problems(call)]
    assert not problems, "\n".join(dict.fromkeys(problems))


# ------------------------------------------------------------------ probe self-tests (no TF)
def test_tf_only_rewrite_keeps_lines_and_only_touches_the_tape() -> None:
    source = textwrap.dedent(
        """\
        import numpy as np
        data = np.square(np.arange(3.0))

        def penalty(w):
            return np.sum(np.square(w))

        with tf.GradientTape() as tape:
            y = penalty(w) + float(w[0]) * np.mean(w)
        g = tape.gradient(y, w)
        """
    )
    out = tf_only_rewrite(source)
    assert out is not None
    assert len(out.splitlines()) == len(source.splitlines())
    old, new = source.splitlines(), out.splitlines()
    assert new[1] == old[1]  # data preparation outside the tape is left alone
    assert "np." not in new[4] and "experimental.numpy.sum" in new[4]
    assert "float(" not in new[7].split("else")[0] and "np." not in new[7]
    assert tf_only_rewrite("x = np.ones(3)\n") is None


def test_statement_span_covers_multiline_calls() -> None:
    tree = ast.parse("a = 1\ng = tape.gradient(\n    loss,\n    w)\nb = 2\n")
    assert statement_span(tree, 3) == (2, 4)
    assert statement_span(tree, 5) == (5, 5)


def test_proofs() -> None:
    none_call = {"line": 3, "method": "gradient", "sources": [[2]], "grads": [{"none": True}]}
    good = {
        "line": 3,
        "method": "gradient",
        "sources": [[2]],
        "grads": [{"none": False, "shape": [2], "value": [1.0, 4.0]}],
    }
    ref = {**good, "grads": [{"none": False, "shape": [2], "value": [3.0, 12.0]}]}
    bad_shape = {**good, "grads": [{"none": False, "shape": [5]}]}
    assert prove_none_gradient([none_call]) is None
    assert prove_none_gradient([good]) is not None
    assert prove_none_gradient([]) is not None
    assert prove_wrong_gradient([good], [ref]) is None
    assert prove_wrong_gradient([good], [good]) is not None
    assert prove_wrong_gradient([bad_shape], None) is None
    assert prove_wrong_gradient([none_call], [ref]) is not None
    assert shape_problems(good) == []
    assert shape_problems(bad_shape) and shape_problems(none_call)
    jac = {
        "line": 1,
        "method": "jacobian",
        "sources": [[3]],
        "targets": [[2]],
        "grads": [{"none": False, "shape": [2, 3]}],
    }
    assert shape_problems(jac) == []
    empty = {"line": 1, "method": "gradient", "sources": [], "grads": []}
    assert prove_empty_gradients([good, empty]) is None
    assert prove_empty_gradients([good]) is not None


def test_restarted_training_needs_the_same_gradient_at_two_steps() -> None:
    def call(value: float) -> dict[str, Any]:
        return {"line": 7, "method": "gradient",
                "grads": [{"none": False, "value": [[value], [2.0]]}]}

    assert prove_restarted_training([call(1.0), call(1.0), call(1.0)]) is None
    assert prove_restarted_training([call(1.0), call(0.5)]) is not None  # training moved
    assert prove_restarted_training([call(1.0)]) is not None  # one step proves nothing
