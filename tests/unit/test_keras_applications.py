"""``core/keras/applications.py`` through the engine: each case program's ``probe`` is the value
``keras_applications_cases.py`` gives (TF's own value is checked by the oracle), unreadable or
refused arguments leave it unknown without a finding, the model's inner layers stay unknown, a
wrong input is reported where Keras raises, gradients through the model are never a false
None, and no program gets a finding when any single value in it is made unknown."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from keras_applications_cases import CASES, FINDINGS, RAISES, SETUP, SILENT, UNKNOWN
from test_api_calls_more import describe, engine_probe

from shapelens.core import analyze
from shapelens.core.keras.applications import BUILDERS
from shapelens.domain.shapes import format_shape
from shapelens.domain.values import UNKNOWN as UNKNOWN_VALUE
from shapelens.domain.values import ModelValue, Tensor, Value


def show(v: Value) -> str:
    """A model as the table writes it (``model <input> -> <output>``), else ``describe``."""
    if isinstance(v, ModelValue) and v.inputs and isinstance(v.inputs[0], Tensor) and \
            isinstance(v.outputs, Tensor):
        return f"model {format_shape(v.inputs[0].shape)} -> {format_shape(v.outputs.shape)}"
    return describe(v)


def probe(program: str) -> Value:
    return engine_probe(program.replace(SETUP, ""))


def _line_of_probe(program: str) -> int:
    lines = (SETUP + program).splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.startswith("probe ="))


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_engine_value(name: str, program: str, engine: str, tf: str) -> None:
    assert show(probe(program)) == engine
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_unknown_stays_unknown(name: str, program: str) -> None:
    value = probe(program)
    assert value is UNKNOWN_VALUE or show(value) == "list of 0+ values", show(value)
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program", "error"), RAISES, ids=[c[0] for c in RAISES])
def test_refused_builders_are_unknown_and_silent(name: str, program: str, error: str) -> None:
    assert probe(program) is UNKNOWN_VALUE
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program", "code"), FINDINGS, ids=[c[0] for c in FINDINGS])
def test_wrong_input_is_found_where_keras_raises(name: str, program: str, code: str) -> None:
    found = [(f.code, f.span.line) for f in analyze(SETUP + program + "\n").findings]
    assert found == [(code, _line_of_probe(program))]


@pytest.mark.parametrize(("name", "program"), SILENT, ids=[c[0] for c in SILENT])
def test_silent_cases_get_no_finding(name: str, program: str) -> None:
    assert not analyze(SETUP + program + "\n").findings


def test_an_unreachable_weights_gradient_is_still_found() -> None:
    """The model stands for its own weights only: a variable it never reads still gets its
    None gradient (SL303) through a loss made by the model."""
    program = SETUP + (
        "base = keras.applications.VGG16(include_top=False, weights=None, "
        "input_shape=(32, 32, 3))\n"
        "w = tf.Variable(tf.ones((3,)))\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = tf.reduce_mean(base(tf.zeros((2, 32, 32, 3))))\n"
        "g = tape.gradient(loss, w)\n"
        "update = w - 0.1 * g\n")
    assert "SL303" in {f.code for f in analyze(program).findings}


def test_every_spelling_is_registered() -> None:
    """The spellings real code uses, through ``tf.keras`` or the architecture's module."""
    for name in ("keras.applications.VGG19", "keras.applications.MobileNetV2",
                 "keras.applications.mobilenet_v2.MobileNetV2",
                 "keras.applications.resnet50.ResNet50", "keras.applications.vgg16.VGG16",
                 "keras.applications.efficientnet.EfficientNetB7"):
        assert name in BUILDERS
    imported = probe("from tensorflow.keras.applications import VGG19\n"
                     "probe = VGG19(include_top=False, weights=None)")
    assert show(imported) == "model (None, None, None, 3) -> (None, None, None, 512)"


@pytest.mark.parametrize(("name", "program"),
                         [(c[0], c[1]) for c in [*CASES, *UNKNOWN, *FINDINGS, *SILENT]],
                         ids=[c[0] for c in [*CASES, *UNKNOWN, *FINDINGS, *SILENT]])
def test_ignorance_never_adds_a_finding(name: str, program: str) -> None:
    """Any one value of the program replaced by an unknown one adds no finding."""
    tests = str(Path(__file__).resolve().parents[1])
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from test_metamorphic import check_program  # pyright: ignore[reportMissingImports]

    check_program(SETUP + program + "\n", name, 30)


def test_decode_predictions() -> None:
    """One list per sample (its ``(id, name, score)`` tuples); Keras refuses anything but
    ``(samples, 1000)`` scores: unknown. (Not run under TF: Keras downloads the class index.)"""
    decode = "probe = keras.applications.vgg19.decode_predictions"
    assert show(probe(f"{decode}(np.zeros((2, 1000)))")) == "list of 2+ lists"
    assert probe(f"{decode}(np.zeros((2, 10)))") is UNKNOWN_VALUE
    assert not analyze(SETUP + f"{decode}(np.zeros((2, 10)))\n").findings


def test_model_tables() -> None:
    """The application model has no per-layer table (its layers are not modelled, so no hover
    claims a parameter count); a model holding it lists it as one Functional row with its
    output shape and an unknown count."""
    program = SETUP + (
        "base = keras.applications.VGG16(include_top=False, weights=None, "
        "input_shape=(32, 32, 3))\n"
        "model = keras.Sequential([keras.Input((32, 32, 3)), base, keras.layers.Flatten(), "
        "keras.layers.Dense(2)])\n")
    facts = {m.name: m for m in analyze(program).models}
    assert set(facts) == {"model"}
    rows = [(r.layer, format_shape(r.output_shape), r.params) for r in facts["model"].layers]
    assert rows == [("Functional", "(None, 1, 1, 512)", None), ("Flatten", "(None, 512)", 0),
                    ("Dense", "(None, 2)", 1026)]
    assert facts["model"].total_params is None
