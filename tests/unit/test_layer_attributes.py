"""A Keras layer object's ``output``/``input``, weights and ``trainable_variables``, and a
Sequential's ``inputs``/``outputs``, held to what TensorFlow 2.21 / Keras 3 gives
(``layer_attr_cases.py``; the oracle runs them under TF), plus the gradient links: a loss
computed through a model reaches its inner layers' variables (no SL303), one computed by an
unrelated model does not."""

from __future__ import annotations

import random

import pytest
from case_probe import probe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layer_attr_cases import (
    CASES,
    CONNECTED,
    LAZY,
    SEQ,
    SETUP,
    TAPE,
    UNCONNECTED,
    UNDEFINED,
    UNKNOWN,
)
from test_incremental import assert_same_as_scratch, edit

from shapelens.core import Session, analyze
from shapelens.core.keras.layer_attrs import layer_weights
from shapelens.domain.values import LayerValue
from shapelens.shapefns._common import Call
from shapelens.shapefns.keras_common import LAYERS


def _probe(program: str) -> tuple[str, list[tuple[str, int]]]:
    return probe(SETUP, program, lambda kind: "keras" if kind == "keras" else "tensor")


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_value_is_tensorflows(name: str, program: str, expected: str) -> None:
    assert _probe(program) == (expected, [])


@pytest.mark.parametrize(("name", "program"), UNKNOWN + UNDEFINED,
                         ids=[c[0] for c in UNKNOWN + UNDEFINED])
def test_unproven_stays_unknown_and_silent(name: str, program: str) -> None:
    assert _probe(program) == ("unknown", [])


def test_a_lazily_built_sequential_gives_its_nodes_an_unknown_batch() -> None:
    """Keras builds it on the first batch (``(3, 9)`` here: output ``(3, 7)``); through
    ``fit`` that batch's size is not known: the engine leaves that axis unknown."""
    assert _probe(LAZY + 'probe = lazy.get_layer("h2").output') == ("keras float32 (?, 7)", [])


def _gradient_findings(program: str) -> list[tuple[str, int]]:
    analysis = analyze(SETUP + program, "case.py")
    return [(f.code, f.span.line) for f in analysis.findings
            if f.code.startswith("SL3")]


@pytest.mark.parametrize(("name", "program"), CONNECTED, ids=[c[0] for c in CONNECTED])
def test_a_loss_through_a_model_reaches_its_layers_weights(name: str, program: str) -> None:
    assert _gradient_findings(program) == []


@pytest.mark.parametrize(("name", "program"), UNCONNECTED, ids=[c[0] for c in UNCONNECTED])
def test_a_loss_of_an_unrelated_model_does_not(name: str, program: str) -> None:
    last = (SETUP + program).count("\n")
    assert _gradient_findings(program) == [("SL303", last)]


def test_a_model_with_a_lambda_may_use_any_variable() -> None:
    """A ``Lambda``'s function ran when the graph was built and is not re-run by a model
    call: it may use any layer (here the very one), so no gradient is claimed None."""
    program = ('g = keras.layers.Dense(5, name="g")\n'
               "lam = keras.Sequential([keras.Input((5,)), keras.layers.Lambda("
               "lambda t: g(t))])\n" + TAPE.format(call="lam(x)",
                                                   sources="g.trainable_variables"))
    assert _gradient_findings(program) == []


def test_a_loss_computed_before_the_tape_is_still_found() -> None:
    """The classic SL303: nothing on the tape reaches the target at all."""
    program = SEQ + ("x = tf.ones((3, 5))\nloss = tf.reduce_mean(model(x))\n"
                     "with tf.GradientTape() as tape:\n    pass\n"
                     'grads = tape.gradient(loss, model.get_layer("h").trainable_variables)\n')
    assert _gradient_findings(program) == [("SL303", (SETUP + program).count("\n"))]


def _layer(name: str, *args: object, built: tuple[object, ...], **kwargs: object) -> LayerValue:
    from shapelens.domain.values import Const
    cfg = Call(f"keras.layers.{name}", [Const(a) for a in args],
               {k: Const(v) for k, v in kwargs.items()})
    layer = LayerValue(LAYERS[f"keras.layers.{name}"], cfg)
    layer.built_shape = built
    return layer


@pytest.mark.parametrize(("layer", "params"), [
    (_layer("Dense", 7, built=("batch", 5)), 42),
    (_layer("Dense", 7, built=("batch", 5), use_bias=False), 35),
    (_layer("Conv2D", 8, 3, built=("batch", 28, 28, 1)), 80),
    (_layer("Conv2DTranspose", 8, 3, built=("batch", 6, 6, 2)), 152),
    (_layer("Embedding", 100, 8, built=("batch", 5)), 800),
    (_layer("BatchNormalization", built=("batch", 6)), 24),
    (_layer("LayerNormalization", built=("batch", 3, 5)), 10),
    (_layer("LSTM", 5, built=("batch", 3, 4)), 200),
    (_layer("GRU", 4, built=("batch", 3, 5)), 132),
    (_layer("SimpleRNN", 4, built=("batch", 3, 5)), 40),
], ids=lambda v: v.rule.name if isinstance(v, LayerValue) else str(v))
def test_weights_add_up_to_the_parameter_count(layer: LayerValue, params: int) -> None:
    """Keras' ``count_params`` (probed) is the sum of the weights' sizes."""
    weights = layer_weights(layer)
    assert weights is not None
    total = 0
    for _, shape, _ in weights:
        size = 1
        for d in shape:
            assert isinstance(d, int)
            size *= d
        total += size
    assert total == params


def test_an_unbuilt_or_unknown_layer_has_no_weights_to_give() -> None:
    unbuilt = _layer("Dense", 7, built=())
    unbuilt.built_shape = None
    assert layer_weights(unbuilt) is None
    assert layer_weights(_layer("Conv2D", 8, 3, built=("batch", 28, 28, 3), groups=2)) is None
    assert layer_weights(_layer("Flatten", built=("batch", 3, 4))) == []


INCREMENTAL = SETUP + SEQ + LAZY + (
    'fx = keras.Model(inputs=model.inputs, outputs=model.get_layer("h").output)\n'
    "feats = fx(tf.ones((3, 5)))\n"
    'kernel = model.get_layer("h").kernel\n'
    "weights = model.layers[-1].weights\n"
    'lazy_out = lazy.get_layer("h2").output\n'
    "other = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])\n") + TAPE.format(
    call="model(x) + other(x)", sources='model.get_layer("h").trainable_variables') + \
    "with tf.GradientTape() as tape2:\n    loss2 = tf.reduce_mean(other(x))\n" \
    'grads2 = tape2.gradient(loss2, model.get_layer("h").trainable_variables)\n'


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_incremental_analysis_of_layer_attributes_equals_scratch(seed: int, steps: int) -> None:
    """Layers keep their first node and weights across replayed statements: after any
    edit sequence the analysis equals one from scratch (values, findings, gradients)."""
    rng = random.Random(seed)
    session = Session()
    text = INCREMENTAL
    assert_same_as_scratch(session, text)
    for _ in range(steps):
        text = edit(text, rng)
        assert_same_as_scratch(session, text)
    assert_same_as_scratch(session, INCREMENTAL)
