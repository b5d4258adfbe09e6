"""``shapefns/api_calls_more.py`` through the engine: each case program's ``probe`` is the value
``api_calls_more_cases.py`` gives (TF's own value is checked by the oracle), a CSV dataset's
element stays unknown, and programs TF refuses get no finding from here."""

from __future__ import annotations

import ast

import pytest
from api_calls_more_cases import CASES, RAISES, SETUP, UNKNOWN

from shapelens.core import analyze
from shapelens.core.interpreter.machine import Interpreter
from shapelens.domain.shapes import format_shape
from shapelens.domain.values import NONE, ListOf, Opaque, Tensor, Value
from shapelens.domain.values import UNKNOWN as UNKNOWN_VALUE
from shapelens.shapefns.tf_data import DatasetValue


def describe(v: Value) -> str:
    """The engine's value as the case table writes it."""
    if isinstance(v, DatasetValue):
        return "dataset ?" if v.element is UNKNOWN_VALUE else "dataset"
    if isinstance(v, Tensor):
        shape = "*" if v.shape is None else format_shape(v.shape).replace("?", "None")
        return f"{v.kind} {v.dtype} {shape}"
    if v == NONE:
        return "None"
    if isinstance(v, ListOf):
        inner = "lists" if isinstance(v.element, ListOf) else "values"
        return f"list of {v.at_least}+ {inner}"
    if isinstance(v, Opaque):
        return f"object {v.kind}"
    return "unknown"


def engine_probe(program: str) -> Value:
    interp = Interpreter(ast.parse(SETUP + program + "\n"))
    interp.run()
    return interp.module_scope.vars.get("probe", UNKNOWN_VALUE)


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_engine_value(name: str, program: str, engine: str, tf: str) -> None:
    assert describe(engine_probe(program)) == engine
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_unknown_stays_unknown(name: str, program: str) -> None:
    assert engine_probe(program) is UNKNOWN_VALUE
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program", "error"), RAISES, ids=[c[0] for c in RAISES])
def test_refused_programs_get_no_finding_from_here(name: str, program: str,
                                                   error: str) -> None:
    assert not analyze(SETUP + program + "\n").findings
    if name != "reduce_changes_dtype":
        assert engine_probe(program) is UNKNOWN_VALUE


def test_a_keras_tensor_has_no_ref() -> None:
    assert engine_probe("probe = keras.Input((3,)).ref()") is UNKNOWN_VALUE


def test_summary_ops_and_plot_model_values() -> None:
    for op in ("scalar('a', 1.0, step=1)", "image('i', tf.zeros([1, 4, 4, 3]), step=1)",
               "histogram('h', tf.zeros([3]), step=1)"):
        assert describe(engine_probe(f"probe = tf.summary.{op}")) == "tensor bool ()"
    model = "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
    assert describe(engine_probe(model + "probe = keras.utils.plot_model(m)")) == \
        "object IPython.display.Image or None"


def test_a_tpu_strategy_is_a_strategy() -> None:
    """(TF cannot build one without a TPU; what follows runs only where one is.)"""
    program = ("resolver = tf.distribute.cluster_resolver.TPUClusterResolver(tpu='')\n"
               "s = tf.distribute.TPUStrategy(resolver)\n"
               "with s.scope():\n    w = tf.Variable(tf.zeros([3]))\n"
               "probe = s.run(lambda t: t * 2.0, args=(tf.ones([4]),))\n")
    assert describe(engine_probe(program)) == "tensor float32 (4,)"
    assert describe(engine_probe(program + "probe = resolver\n")) == \
        "object tf.distribute.cluster_resolver.TPUClusterResolver"


def test_map_flat_values_keeps_the_gradient_path() -> None:
    """The result is computed from the op's result: no None-gradient claim through it (the
    probe sweep's tape context found one before the result was recorded by provenance)."""
    program = ("w = tf.Variable([1.0, 2.0, 3.0])\nwith tf.GradientTape() as tape:\n"
               "    rt = tf.RaggedTensor.from_row_lengths(w, [2, 1])\n"
               "    loss = tf.reduce_sum(tf.ragged.map_flat_values(lambda v: v * 2.0, rt)"
               ".to_tensor())\ng = tape.gradient(loss, w)\n")
    assert not analyze(SETUP + program).findings
