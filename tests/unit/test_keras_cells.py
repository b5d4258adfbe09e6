"""``shapefns/keras_cells.py`` through the engine: each case program's ``probe`` is the value
``keras_cells_cases.py`` gives (TF's own value is checked by the oracle), unknown cases stay
unknown and silent, each finding is reported once at the line TF raises at, and refused
programs with no shape rule get none."""

from __future__ import annotations

import ast

import pytest
from keras_cells_cases import (
    CASES,
    FINDINGS,
    GRADIENTS,
    MODEL_TABLES,
    REFUSED,
    SETUP,
    UNKNOWN,
)

from shapelens.core import analyze
from shapelens.core.interpreter.machine import Interpreter
from shapelens.domain.shapes import format_shape
from shapelens.domain.values import UNKNOWN as UNKNOWN_VALUE
from shapelens.domain.values import Const, Seq, Tensor, Value


def describe(v: Value) -> str:
    """The engine's value as the case table writes it."""
    if isinstance(v, Tensor):
        shape = "*" if v.shape is None else format_shape(v.shape).replace("?", "None")
        return f"{v.kind} {v.dtype} {shape}"
    if isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool):
        return f"int {v.value}"
    if isinstance(v, Seq) and v.kind in ("list", "tuple"):
        return f"{v.kind}[{', '.join(describe(i) for i in v.items)}]"
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


def finding_line(source: str) -> int:
    """The line TF raises at: a traced function's ``return``, else the last line."""
    lines = source.rstrip("\n").split("\n")
    returns = [i for i, line in enumerate(lines, 1) if line.strip().startswith("return ")]
    return returns[-1] if returns else len(lines)


@pytest.mark.parametrize(("name", "program", "error", "code"), FINDINGS,
                         ids=[c[0] for c in FINDINGS])
def test_finding_at_the_line_tf_raises(name: str, program: str, error: str, code: str) -> None:
    source = SETUP + program + "\n"
    found = [(f.code, f.span.line) for f in analyze(source).findings]
    assert found == [(code, finding_line(source))]


@pytest.mark.parametrize(("name", "program", "error"), REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_programs_get_no_finding(name: str, program: str, error: str) -> None:
    assert not analyze(SETUP + program + "\n").findings
    assert engine_probe(program) is UNKNOWN_VALUE


@pytest.mark.parametrize(("name", "program", "codes", "tf"), GRADIENTS,
                         ids=[c[0] for c in GRADIENTS])
def test_cell_weights_reach_their_outputs(name: str, program: str, codes: list[str],
                                          tf: str) -> None:
    """No None-gradient finding where TF gives gradients (the oracle checks TF's side); one
    where the loss never used the cell."""
    assert [f.code for f in analyze(SETUP + program + "\n").findings] == codes


@pytest.mark.parametrize(("name", "program", "rows"), MODEL_TABLES,
                         ids=[c[0] for c in MODEL_TABLES])
def test_model_table_counts_the_cell(name: str, program: str, rows: list[tuple[str, int]]) -> None:
    """The cell's row has its RNN layer's parameters (Keras' count_params: the oracle)."""
    facts = [f for f in analyze(SETUP + program + "\n").models if f.name == "m"]
    assert [(r.layer, r.params) for r in facts[0].layers] == rows


def test_the_describer_tells_structures_apart() -> None:
    t = Tensor((2, 3), "float32")
    assert describe(Seq((t, Seq((t,), "list")), "tuple")) == \
        "tuple[tensor float32 (2, 3), list[tensor float32 (2, 3)]]"
    assert describe(Seq((t,), "list")) != describe(t)
    assert describe(UNKNOWN_VALUE) == "unknown"


def test_a_subclassed_model_table_lists_the_cells_of_a_list_attribute() -> None:
    """Keras flattens a list of layers held by a subclassed model into ``model.layers`` in
    place (``keras/char_lstm_cells_ok.py``: Embedding, LSTMCell, LSTMCell, Dense, as the
    fixture oracle's TF table has them); a list the engine cannot read gives no table."""
    program = (SETUP + "class M(keras.Model):\n    def __init__(self):\n"
               "        super().__init__()\n        self.embed = keras.layers.Embedding(10, 4)\n"
               "        self.cells = [keras.layers.LSTMCell(3), keras.layers.LSTMCell(2)]\n"
               "        self.head = keras.layers.Dense(5)\n"
               "    def call(self, ids):\n        x = self.embed(ids)\n"
               "        s1 = [tf.zeros((2, 3)), tf.zeros((2, 3))]\n"
               "        s2 = [tf.zeros((2, 2)), tf.zeros((2, 2))]\n"
               "        h, s1 = self.cells[0](x[:, 0], s1)\n"
               "        h, s2 = self.cells[1](h, s2)\n        return self.head(h)\n"
               "model = M()\ny = model(tf.zeros((2, 6), tf.int32))\n")
    (table,) = analyze(program).models
    assert [row.layer for row in table.layers] == ["Embedding", "LSTMCell", "LSTMCell", "Dense"]
    unread = program.replace("[keras.layers.LSTMCell(3), keras.layers.LSTMCell(2)]",
                             "[keras.layers.LSTMCell(n) for n in SIZES]").replace(
        "model = M()", "SIZES = tuple(int(c) for c in open(__file__).read(2))\nmodel = M()")
    assert not analyze(unread).models
