"""Lookup/text layers give int64 indices and ``model.get_layer`` gives the engine's own layer
object, held to what TensorFlow 2.21 / Keras 3 gives (``keras_lookup_cases.py``; the oracle
checks them under TF), plus what must stay unknown: other output modes, Keras' automatic
names, a functional model's layer order, a sub-layer the engine cannot see."""

from __future__ import annotations

import pytest
from case_probe import probe
from keras_lookup_cases import CASES, ERRORS, SETUP, UNKNOWN

from shapelens.core.keras.get_layer import can_be_named, snake_case
from shapelens.domain.values import Const, LayerValue
from shapelens.shapefns._common import Call
from shapelens.shapefns.keras_common import LAYERS


def _probe(program: str) -> tuple[str, list[tuple[str, int]]]:
    return probe(SETUP, program, lambda kind: "keras" if kind == "keras" else "tensor")


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_value_is_tensorflows(name: str, program: str, expected: str) -> None:
    shown, found = _probe(program)
    assert shown == expected
    assert found == []


@pytest.mark.parametrize(("name", "program", "code"), ERRORS, ids=[c[0] for c in ERRORS])
def test_refused_program_is_found_at_its_line(name: str, program: str, code: str) -> None:
    _, found = _probe(program)
    last = (SETUP + program).count("\n") + 1
    assert found == [(code, last)]


@pytest.mark.parametrize(("name", "program"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_unproven_stays_unknown_and_silent(name: str, program: str) -> None:
    assert _probe(program) == ("unknown", [])


def test_text_vectorization_without_length_on_data_has_an_unknown_width() -> None:
    """Eagerly the row length is the longest row's token count: data, so unknown (``?``)."""
    program = ('probe = keras.layers.TextVectorization(vocabulary=["a"])('
               'tf.constant(["a b", "c d e"]))')
    assert _probe(program) == ("tensor int64 (2, ?)", [])


def test_other_layers_still_give_float32() -> None:
    assert _probe("probe = keras.layers.Dense(3)(tf.zeros((2, 4), tf.float64))") == \
        ("tensor float32 (2, 3)", [])


def test_a_text_vectorization_with_split_or_ngrams_it_cannot_read_is_unknown() -> None:
    for extra in ('split=str.split', "ngrams=2", "ragged=flag"):
        program = (f"flag = bool(len(__name__))\nprobe = keras.layers.TextVectorization("
                   f'vocabulary=["a"], output_sequence_length=3, {extra})('
                   'tf.constant(["a b"]))')
        assert _probe(program)[0] == "unknown", extra


def test_keras_automatic_names_are_snake_case_of_the_class() -> None:
    """The names Keras 3.15 gives (probed): ``naming.to_snake_case``."""
    assert {n: snake_case(n) for n in ("Dense", "Conv2D", "StringLookup", "ReLU", "PReLU",
                                       "GlobalAveragePooling2D", "Conv1DTranspose", "LSTM",
                                       "UpSampling2D")} == {
        "Dense": "dense", "Conv2D": "conv2d", "StringLookup": "string_lookup", "ReLU": "re_lu",
        "PReLU": "p_re_lu", "GlobalAveragePooling2D": "global_average_pooling2d",
        "Conv1DTranspose": "conv1d_transpose", "LSTM": "lstm", "UpSampling2D": "up_sampling2d"}


def test_a_layer_without_a_name_may_have_any_automatic_name_of_its_class() -> None:
    dense = LayerValue(LAYERS["keras.layers.Dense"], Call("keras.layers.Dense", [Const(3)], {}))
    assert can_be_named(dense, "dense") and can_be_named(dense, "dense_17")
    assert not can_be_named(dense, "encoder") and not can_be_named(dense, "dense1")
    named = LayerValue(LAYERS["keras.layers.Dense"],
                       Call("keras.layers.Dense", [Const(3)], {"name": Const("enc")}))
    assert can_be_named(named, "enc") and not can_be_named(named, "dense")


def test_get_layer_by_name_is_the_same_object_as_the_layer() -> None:
    """The layer built in the graph is returned (its built shape is kept): a call with
    another width is SL201 where TF raises, the same width is silent."""
    program = ("inp = keras.Input((4,))\nd = keras.layers.Dense(8, name='h')\n"
               "m = keras.Model(inp, d(inp))\nsame = m.get_layer('h') is d\n"
               "probe = m.get_layer('h')(tf.zeros((3, 4)))")
    assert _probe(program) == ("tensor float32 (3, 8)", [])
