"""The programs of ``tests/unit/api_dispatch_cases.py`` under TensorFlow 2.21: each ``probe`` is
the value the table says TF makes, the engine's tensor value for it is consistent with TF's,
and the unknown cases run. One TF subprocess for all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import run_cases
from test_api_calls_more_oracle import consistent
from test_api_iterators_oracle import DESCRIBE

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from api_dispatch_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    SETUP,
    SILENT,
    UNKNOWN,
)

pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(c[0], SETUP + c[1] + "\n") for c in [*CASES, *UNKNOWN, *SILENT]]
    return run_cases(DESCRIBE, programs)


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]], name: str,
                                             program: str, engine: str, tf: str) -> None:
    assert tf_results[name] == ("ok", tf)
    if engine.startswith("tensor "):
        assert consistent(engine, tf)


@pytest.mark.parametrize("name", [c[0] for c in [*UNKNOWN, *SILENT]])
def test_unknown_cases_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok"
