"""``core/keras/configs.py`` and ``cloning.py`` through the engine: each case program's
``probe`` is the value ``configs_cases.py`` gives (TF's own value is checked by the oracle),
unknown cases stay unknown and silent, refused programs get no finding from here, and the
buggy ones get the finding TF's error stands for, at their last line."""

from __future__ import annotations

import ast

import pytest
from configs_cases import CASES, FINDINGS, RAISES, SETUP, UNKNOWN

from shapelens.core import analyze
from shapelens.core.interpreter.machine import Interpreter
from shapelens.core.keras.configs import KerasConfig, config_untouched
from shapelens.domain.shapes import format_shape
from shapelens.domain.values import UNKNOWN as UNKNOWN_VALUE
from shapelens.domain.values import (
    ClassValue,
    LayerValue,
    ListOf,
    ModelValue,
    Ref,
    Seq,
    Tensor,
    Value,
)


def describe(v: Value) -> str:
    """The engine's value as the case table writes it."""
    if isinstance(v, Tensor):
        shape = "*" if v.shape is None else format_shape(v.shape).replace("?", "None")
        kind = "keras" if v.kind == "keras" else "tensor"
        return f"{kind} {v.dtype} {shape}"
    if isinstance(v, LayerValue):
        built = v.built_shape is not None or v.output_shape is UNKNOWN_VALUE
        return f"layer {v.rule.name} {'built' if built else 'unbuilt'}"
    if isinstance(v, ModelValue):
        cls = "Sequential" if v.kind == "sequential" else "Functional"
        return f"model {cls} {'built' if v.built else 'unbuilt'}"
    if isinstance(v, Ref):
        return f"class {v.name.rsplit('.', 1)[-1]}"
    if isinstance(v, ClassValue):
        return f"class {v.node.name}"
    if isinstance(v, Seq | ListOf):
        return _gradients(v)
    return "unknown"


def _gradients(v: Seq | ListOf) -> str:
    """A list of gradients: ``none`` when the engine proves each is None (the SL303 the
    program gets), ``some`` otherwise."""
    items = v.items if isinstance(v, Seq) else (v.element,)
    return "gradients some" if any(isinstance(i, Tensor) for i in items) else "gradients none"


def run(program: str) -> Value:
    interp = Interpreter(ast.parse(SETUP + program + "\n"))
    interp.run()
    return interp.module_scope.vars.get("probe", UNKNOWN_VALUE)


def codes(program: str) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in analyze(SETUP + program + "\n").findings]


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_engine_value(name: str, program: str, engine: str, tf: str) -> None:
    found = codes(program)
    if engine == "gradients none":  # TF's None gradients: SL303 at the probe's line
        last = (SETUP + program).count("\n") + 1
        assert found == [("SL303", last)]
        return
    assert describe(run(program)) == engine
    assert not found


@pytest.mark.parametrize(("name", "program"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_unknown_stays_unknown(name: str, program: str) -> None:
    probe = run(program)
    assert probe is UNKNOWN_VALUE or (isinstance(probe, Tensor) and probe.shape is None)
    assert not codes(program)


@pytest.mark.parametrize(("name", "program", "error"), RAISES, ids=[c[0] for c in RAISES])
def test_refused_programs_get_no_finding_here(name: str, program: str, error: str) -> None:
    assert run(program) is UNKNOWN_VALUE
    assert not codes(program)


@pytest.mark.parametrize(("name", "program", "code", "error"), FINDINGS,
                         ids=[c[0] for c in FINDINGS])
def test_findings_at_the_last_line(name: str, program: str, code: str, error: str) -> None:
    last = (SETUP + program).count("\n") + 1
    assert codes(program) == [(code, last)]


def test_get_config_carries_a_plan_only_for_known_arguments() -> None:
    known = run("d = keras.layers.Dense(4)\nprobe = d.get_config()")
    assert isinstance(known, KerasConfig)
    lam = run("d = keras.layers.Lambda(lambda t: t)\nprobe = d.get_config()")
    assert not isinstance(lam, KerasConfig)


def test_the_mutation_guard_takes_only_a_config_made_in_the_argument() -> None:
    def guard(source: str) -> bool:
        tree = ast.parse(source)
        call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and
                    isinstance(n.func, ast.Attribute) and n.func.attr == "from_config")
        return config_untouched(call)

    assert guard("n = D.from_config(d.get_config())\n")
    assert guard("n = D.from_config(config=d.get_config())\n")
    assert not guard("c = d.get_config()\nn = D.from_config(c)\n")
    assert not guard("n = D.from_config({**d.get_config()})\n")
    assert not guard("n = D.from_config(d.get_config(True))\n")


def test_a_get_config_call_still_hovers_as_a_dict() -> None:
    source = SETUP + "d = keras.layers.Dense(4)\nc = d.get_config()\n"
    interp = Interpreter(ast.parse(source))
    interp.run()
    line = source.count("\n")
    shown = [v for k, v in interp.state.expressions.items() if k[0] == line]
    assert [getattr(v, "kind", None) for v in shown] == ["py:dict"]
