"""``shapefns/api_dispatch.py`` through the engine: each case program's ``probe`` is the value
``api_dispatch_cases.py`` gives (TF's own value is checked by the oracle), the unknown cases stay
unknown, no case program gets a finding, and none gets one when any single value in it is made
unknown (the metamorphic test)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from api_dispatch_cases import CASES, SETUP, SILENT, UNKNOWN
from test_api_calls_more import describe, engine_probe

from shapelens.core import analyze
from shapelens.domain.values import UNKNOWN as UNKNOWN_VALUE
from shapelens.domain.values import Value


def probe(program: str) -> Value:
    return engine_probe(program.replace(SETUP, ""))


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_engine_value(name: str, program: str, engine: str, tf: str) -> None:
    assert describe(probe(program)) == engine
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_unknown_stays_unknown(name: str, program: str) -> None:
    assert probe(program) is UNKNOWN_VALUE
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program"), [(c[0], c[1]) for c in [*CASES, *UNKNOWN, *SILENT]],
                         ids=[c[0] for c in [*CASES, *UNKNOWN, *SILENT]])
def test_ignorance_never_adds_a_finding(name: str, program: str) -> None:
    """Any one value of the program replaced by an unknown one adds no finding."""
    tests = str(Path(__file__).resolve().parents[1])
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from test_metamorphic import check_program  # pyright: ignore[reportMissingImports]

    check_program(SETUP + program + "\n", name, 40)


@pytest.mark.parametrize(("name", "program"), SILENT, ids=[c[0] for c in SILENT])
def test_silent_cases_get_no_finding(name: str, program: str) -> None:
    assert not analyze(SETUP + program + "\n").findings
