"""``shapefns/api_iterators.py`` and ``core/interpreter/library_hooks.py`` through the engine:
each case program's ``probe`` is the value ``api_iterators_cases.py`` gives (TF's own value is
checked by the oracle), the unknown cases stay unknown, and programs TF refuses get no finding
from here."""

from __future__ import annotations

import pytest
from api_iterators_cases import CASES, RAISES, SETUP, UNKNOWN
from test_api_calls_more import describe as describe_more
from test_api_calls_more import engine_probe

from shapelens.core import analyze
from shapelens.domain.values import UNKNOWN as UNKNOWN_VALUE
from shapelens.domain.values import Const, Value


def describe(v: Value) -> str:
    """The engine's value as the case table writes it (a Python int or bool: ``const``)."""
    if isinstance(v, Const) and isinstance(v.value, int):
        return f"const {v.value!r}"
    return describe_more(v)


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


@pytest.mark.parametrize(("name", "program", "error"), RAISES, ids=[c[0] for c in RAISES])
def test_refused_programs_get_no_finding_from_here(name: str, program: str,
                                                   error: str) -> None:
    assert not analyze(SETUP + program + "\n").findings
    if name != "assert_greater_fails":  # (raises on the values, not known here)
        assert probe(program) is UNKNOWN_VALUE


def test_a_concrete_function_of_a_plain_function_is_not_made() -> None:
    """Only a ``tf.function`` has ``get_concrete_function``: a plain function's stays
    unknown (AttributeError under TF)."""
    program = "def f(a):\n    return a\nprobe = f.get_concrete_function(tf.zeros([2]))"
    assert probe(program) is UNKNOWN_VALUE


def test_stateless_call_reports_nothing_where_call_would() -> None:
    """Keras runs ``call`` directly (no input check of ``__call__``): the engine's call of
    the model is silent there, and its value unknown when the model cannot take ``x``."""
    program = ("model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
               "probe = model.stateless_call([], [], tf.zeros([5, 4]))")
    assert not analyze(SETUP + program + "\n").findings
    assert "(5, 2)" not in describe(probe(program))


WITH_CALLS = [c for c in CASES if "(" in c[1]]  # (``probe = tf.float16.max``: nothing to replace)


@pytest.mark.parametrize(("name", "program"), [(c[0], c[1]) for c in WITH_CALLS],
                         ids=[c[0] for c in WITH_CALLS])
def test_ignorance_never_adds_a_finding(name: str, program: str) -> None:
    """The metamorphic test of ``tests/test_metamorphic.py`` on each case program: any one
    value replaced by an unknown one adds no finding."""
    import sys
    from pathlib import Path

    tests = str(Path(__file__).resolve().parents[1])
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from test_metamorphic import check_program  # pyright: ignore[reportMissingImports]

    check_program(SETUP + program + "\n", name, 40)
