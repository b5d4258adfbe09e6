"""RaggedTensor and SparseTensor values through the whole engine (construction, methods,
attributes, operators and library ops routed by ``core/overlays/composite.py``), held to
the shapes TensorFlow 2.21 gives (``ragged_sparse_cases.py``; the oracle checks them under
TF), plus the engine's own guarantees: a ragged axis prints as TF's ``None``, unknown row
lengths prove nothing, and dense rules stay silent on composite operands."""

from __future__ import annotations

import pytest
from case_probe import probe
from ragged_sparse_cases import CASES, ERRORS, SETUP, SILENT

from shapelens.core import analyze
from shapelens.domain.shapes import DYNAMIC, format_shape
from shapelens.domain.values import Tensor


def _probe(program: str) -> tuple[str, list[tuple[str, int]]]:
    return probe(SETUP, program)


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_shape_is_tensorflows(name: str, program: str, expected: str) -> None:
    shown, found = _probe(program)
    assert shown == expected
    assert found == []


@pytest.mark.parametrize(("name", "program", "code"), ERRORS, ids=[c[0] for c in ERRORS])
def test_refused_program_is_found_at_its_line(name: str, program: str, code: str) -> None:
    _, found = _probe(program)
    last = (SETUP + program).count("\n") + 1
    assert found == [(code, last)]


@pytest.mark.parametrize(("name", "program"), SILENT, ids=[c[0] for c in SILENT])
def test_dense_rules_stay_silent_on_composite_operands(name: str, program: str) -> None:
    assert _probe(program)[1] == []


def test_a_ragged_axis_is_tfs_none_and_unknown_lengths_prove_nothing() -> None:
    """Row lengths read from data leave ``to_tensor`` with an unknown (``?``) width and
    broadcasting against them silent; the ragged axis itself is TF's None (DYNAMIC)."""
    program = ("def f(lengths):\n"
               "    rt = tf.RaggedTensor.from_row_lengths(tf.zeros([7]), lengths)\n"
               "    dense = rt.to_tensor()\n"
               "    bad = rt + tf.zeros([4, 9])\n"
               "    return rt, dense\n"
               "rt, dense = f(tf.random.uniform([4], maxval=3, dtype=tf.int32))\n")
    analysis = analyze(SETUP + program, "case.py")
    shapes = {f.name: f.shape for f in analysis.assignments if f.line == 3}
    assert shapes["rt"] == (4, DYNAMIC)
    dense = next(f.shape for f in analysis.assignments if f.name == "dense")
    assert dense == (4, None)
    assert format_shape(dense) == "(4, ?)"
    assert [f.code for f in analysis.findings if f.code.startswith("SL1")] == []


def test_replacing_the_row_lengths_by_unknown_removes_the_finding() -> None:
    """The metamorphic rule on a ragged program: known lengths prove SL120, unknown ones
    cannot."""
    known = RAGGED_ADD.format(lengths="[2, 4, 1]")
    unknown = RAGGED_ADD.format(lengths="lengths")
    assert [f.code for f in analyze(known, "k.py").findings] == ["SL120"]
    assert [f.code for f in analyze(unknown, "u.py").findings] == []


RAGGED_ADD = ("import tensorflow as tf\n"
              "def f(lengths):\n"
              "    x = tf.RaggedTensor.from_row_lengths(tf.zeros([7]), {lengths})\n"
              "    return x + tf.zeros([3, 4])\n"
              "f(tf.random.uniform([3], maxval=3, dtype=tf.int32))\n")


def test_composite_parts_stay_small() -> None:
    """Row lengths are kept for a bounded number of rows (memo keys stay small): past the
    bound the partition is unknown, so ``to_tensor`` has an unknown width."""
    rows = ", ".join("[1]" for _ in range(5000))
    program = f"rt = tf.ragged.constant([{rows}])\nprobe = rt.to_tensor()\n"
    analysis = analyze(SETUP + program, "big.py")
    shapes = {f.name: f.shape for f in analysis.assignments}
    assert shapes["rt"] == (5000, DYNAMIC)
    assert shapes["probe"] == (5000, None)


def test_parts_hold_the_partition() -> None:
    analysis = analyze(SETUP + "rt = tf.ragged.constant([[1, 2], [3]])\n", "p.py")
    assert analysis.assignments[0].kind == "ragged"
    from shapelens.domain.values import Const, Seq
    from shapelens.shapefns import Call
    from shapelens.shapefns.tf_ragged import ragged_constant, rows_of
    literal = Seq((Seq((Const(1), Const(2)), "list"), Seq((Const(3),), "list")), "list")
    rt = ragged_constant(Call("tf.ragged.constant", [literal]))
    assert isinstance(rt, Tensor) and rows_of(rt) == ((2, 1),)
    assert rt.parts is not None and rt.parts[0].shape == (3,)


def test_a_loop_over_rows_sees_any_row() -> None:
    """``for row in rt``: rows of different lengths leave the element's length unknown
    (not row 0's); rows of one length keep it; ``rt[0]`` is row 0."""
    program = ("rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])\n"
               "first = rt[0]\n"
               "for row in rt:\n"
               "    r = row\n"
               "square = tf.ragged.constant([[1, 2], [3, 4]])\n"
               "for row in square:\n"
               "    s = row\n")
    shapes = {f.name: f.shape for f in analyze(SETUP + program, "loop.py").assignments}
    assert shapes["first"] == (2,)
    assert shapes["r"] == (None,)
    assert shapes["s"] == (2,)


def test_in_a_tf_function_partition_sizes_are_not_static() -> None:
    """TF's static shapes in a ``tf.function``: ``to_tensor()`` is ``(3, None)``,
    ``to_sparse()`` ``(None, None)``, a sparse ``expand_dims`` ``(1, None, None)``; the engine
    claims no size there (eager execution knows them: ``(3, 3)``)."""
    program = ("@tf.function\n"
               "def f():\n"
               "    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])\n"
               "    dense = rt.to_tensor()\n"
               "    sp = rt.to_sparse()\n"
               "    st = tf.sparse.expand_dims(tf.sparse.from_dense(tf.zeros([3, 4])), 0)\n"
               "    return dense\n"
               "f()\n")
    shapes = {f.name: f.shape for f in analyze(SETUP + program, "graph.py").assignments}
    assert shapes["rt"] == (3, DYNAMIC)
    assert shapes["dense"] == (3, None)
    assert shapes["sp"] == (None, None)
    assert shapes["st"] == (1, None, None)


def test_messages_name_the_op_as_written() -> None:
    """(Each program stops at its error, as TF does: one finding each.)"""
    ragged = RT_LINE + "y = rt * tf.constant([[1, 2, 3, 4]] * 3)\n"
    sparse = ("z = tf.sparse.sparse_dense_matmul(tf.sparse.from_dense(tf.ones([3, 12])), "
              "tf.ones([13, 5]))\n")
    [first] = [f.message for f in analyze(SETUP + ragged, "r.py").findings]
    [second] = [f.message for f in analyze(SETUP + sparse, "s.py").findings]
    assert first.startswith("operator *: cannot broadcast ragged shapes (3, None) and (3, 4): "
                            "row lengths [2, 1, 3] are not all 4")
    assert second.startswith("tf.sparse.sparse_dense_matmul: inner dimensions differ")


RT_LINE = "rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])\n"


def test_keras_layers_that_differ_on_ragged_input_give_nothing() -> None:
    """Keras 3's Dense raises on a RaggedTensor (``len`` of it), an LSTM cannot index its
    ragged axis: their output is not claimed, and no dense rule judges the call; the layer
    counts as built (Keras builds it before ``call`` fails), so no SL314 follows."""
    program = ("import keras\nrf = tf.ragged.constant([[[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]]], "
               "ragged_rank=1)\ndense = keras.layers.Dense(3)\nout = dense(rf)\n"
               "seq = keras.layers.LSTM(3)(rf)\nweights = dense.trainable_variables\n")
    result = analyze(SETUP + program, "k.py")
    names = {f.name for f in result.assignments}
    assert "out" not in names and "seq" not in names and "rf" in names
    assert result.findings == []
