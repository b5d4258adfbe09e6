"""The ragged and sparse cases of ``tests/unit/ragged_sparse_cases.py`` run under real
TensorFlow: every value the engine is held to there is what TF makes (kind, dtype, static
shape), every refused program raises the exception its rule predicts, and every program
the engine must stay silent on runs.

All programs run in one TensorFlow subprocess; it prints one JSON line per case.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import DESCRIBE_TENSORS, assert_raises_as_predicted, run_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from ragged_sparse_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    ERRORS,
    SETUP,
    SILENT,
)

pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(name, SETUP + program + "\n") for name, program, *_ in CASES + ERRORS]
    programs += [(name, SETUP + program + "\n") for name, program in SILENT]
    return run_cases(DESCRIBE_TENSORS, programs)


@pytest.mark.parametrize(("name", "expected"), [(c[0], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]],
                                             name: str, expected: str) -> None:
    assert tf_results[name] == ("ok", expected)


@pytest.mark.parametrize(("name", "code"), [(c[0], c[2]) for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_tensorflow_raises_what_the_rule_predicts(tf_results: dict[str, tuple[str, str]],
                                                  name: str, code: str) -> None:
    assert_raises_as_predicted(name, tf_results[name], code)


@pytest.mark.parametrize("name", [c[0] for c in SILENT])
def test_silent_programs_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok", tf_results[name]
