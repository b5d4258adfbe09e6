"""The 2-site APIs of ``bench/coverage.py`` through the engine: each case program's ``probe``
is the value ``api_twos_cases.py`` gives (TF's own value is checked by the oracle), unknown
cases stay unknown and silent, refused programs get no finding and an unknown value, each
finding is reported once at the line TF raises at, and no program gets a finding when any
single value in it is made unknown (the metamorphic test)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from api_twos_cases import CASES, FINDINGS, RAISES, SETUP, UNKNOWN
from test_api_calls_more import describe as describe_tensor
from test_api_calls_more import engine_probe

from shapelens.core import analyze
from shapelens.domain.values import UNKNOWN as UNKNOWN_VALUE
from shapelens.domain.values import Const, Seq, Value


def describe(v: Value) -> str:
    """The engine's value as the case table writes it: Python bools and strings, and
    ``TensorShape``s, besides the tensors of ``test_api_calls_more.describe``."""
    if isinstance(v, Const) and isinstance(v.value, bool | str):
        return f"{type(v.value).__name__} {v.value}"
    if isinstance(v, Seq) and v.kind == "shape":
        dims = [str(i.value) if isinstance(i, Const) else "?" for i in v.items]
        return "shape (" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
    return describe_tensor(v)


def finding_line(source: str) -> int:
    """The line TF raises at: a traced function's ``return``, else the last line."""
    lines = source.rstrip("\n").split("\n")
    returns = [i for i, line in enumerate(lines, 1) if line.strip().startswith("return ")]
    return returns[-1] if returns else len(lines)


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_engine_value(name: str, program: str, engine: str, tf: str) -> None:
    assert describe(engine_probe(program)) == engine
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_unknown_stays_unknown(name: str, program: str) -> None:
    assert engine_probe(program) is UNKNOWN_VALUE
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program", "error"), RAISES, ids=[c[0] for c in RAISES])
def test_refused_programs_get_no_finding(name: str, program: str, error: str) -> None:
    assert not analyze(SETUP + program + "\n").findings
    assert engine_probe(program) is UNKNOWN_VALUE


@pytest.mark.parametrize(("name", "program", "error", "code"), FINDINGS,
                         ids=[c[0] for c in FINDINGS])
def test_finding_at_the_line_tf_raises(name: str, program: str, error: str, code: str) -> None:
    source = SETUP + program + "\n"
    found = [(f.code, f.span.line) for f in analyze(source).findings]
    assert found == [(code, finding_line(source))]


ALL = [(c[0], c[1]) for c in [*CASES, *UNKNOWN, *RAISES, *FINDINGS]]


@pytest.mark.parametrize(("name", "program"), ALL, ids=[c[0] for c in ALL])
def test_ignorance_never_adds_a_finding(name: str, program: str) -> None:
    """Any one value of the program replaced by an unknown one adds no finding."""
    tests = str(Path(__file__).resolve().parents[1])
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from test_metamorphic import check_program  # pyright: ignore[reportMissingImports]

    check_program(SETUP + program + "\n", name, 40)


def test_the_describer_tells_values_apart() -> None:
    assert describe(Const(True)) == "bool True"
    assert describe(Const("float32")) == "str float32"
    assert describe(Seq((Const(2), Const(None), UNKNOWN_VALUE), "shape")) == \
        "shape (2, None, ?)"
    assert describe(Seq((Const(2),), "tuple")) == "unknown"
