"""The programs of ``tests/unit/api_twos_cases.py`` under TensorFlow 2.21 / Keras 3 / NumPy 2:
each ``probe`` is the value the table says TF makes, the engine's value is consistent with
TF's (same kind and dtype, every dim the engine claims; Python values and ``TensorShape``s
equal), unknown cases run, refused programs raise the exception the table names, and each
program the engine reports is refused with the message its rule names. One TF subprocess."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import assert_raises_as_predicted, run_cases
from test_api_calls_more_oracle import DESCRIBE, consistent

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from api_twos_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    FINDINGS,
    RAISES,
    SETUP,
    UNKNOWN,
)

pytestmark = pytest.mark.oracle

# Python bools and strings and TensorShapes, then the shared describer's kinds.
DESCRIBE_TWOS = DESCRIBE + '''
_describe_tensor = describe

def describe(v):
    if isinstance(v, (bool, str)):
        return f"{type(v).__name__} {v}"
    if isinstance(v, tf.TensorShape):
        return "shape " + shape(v)
    return _describe_tensor(v)
'''


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(c[0], SETUP + c[1] + "\n") for c in [*CASES, *UNKNOWN, *RAISES, *FINDINGS]]
    return run_cases(DESCRIBE_TWOS, programs)


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]], name: str,
                                             program: str, engine: str, tf: str) -> None:
    assert tf_results[name] == ("ok", tf)
    if engine.startswith(("tensor ", "ndarray ")):
        assert consistent(engine, tf)
    else:
        assert engine == tf


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN])
def test_unknown_cases_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok"


@pytest.mark.parametrize(("name", "error"), [(c[0], c[2]) for c in RAISES],
                         ids=[c[0] for c in RAISES])
def test_refused_programs_raise(tf_results: dict[str, tuple[str, str]], name: str,
                                error: str) -> None:
    assert tf_results[name][0] == error


@pytest.mark.parametrize(("name", "error", "code"), [(c[0], c[2], c[3]) for c in FINDINGS],
                         ids=[c[0] for c in FINDINGS])
def test_reported_programs_raise_what_the_rule_names(tf_results: dict[str, tuple[str, str]],
                                                     name: str, error: str, code: str) -> None:
    assert tf_results[name][0] == error
    assert_raises_as_predicted(name, tf_results[name], code)
