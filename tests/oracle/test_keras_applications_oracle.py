"""The programs of ``tests/unit/keras_applications_cases.py`` under TensorFlow 2.21 / Keras 3:
each ``probe`` is the model (input and output shape) or tensor the table says Keras makes, the
engine's tensor values are consistent with TF's, the unknown and silent cases run (a gradient
through the model is never None), the refused builders raise (before any download: every
model is built with ``weights=None``) and the wrong inputs raise the error the finding's code
names. One TF subprocess for all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import assert_raises_as_predicted, run_cases
from test_api_calls_more_oracle import consistent

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from keras_applications_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    FINDINGS,
    RAISES,
    SETUP,
    SILENT,
    UNKNOWN,
)

pytestmark = pytest.mark.oracle

# A Keras model as ``model <input shape> -> <output shape>``; a KerasTensor, tensor or array
# as ``<kind> <dtype> <shape>``; an int as ``const <n>``.
DESCRIBE = '''
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import warnings
warnings.filterwarnings("ignore")
import numpy as np
import keras
import tensorflow as tf

def shape(s):
    dims = ["None" if d is None else str(d) for d in tuple(s)]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"

def describe(v):
    if isinstance(v, keras.Model):
        return f"model {shape(v.input.shape)} -> {shape(v.output.shape)}"
    if isinstance(v, keras.KerasTensor):
        return f"keras {v.dtype} {shape(v.shape)}"
    if isinstance(v, bool | int):
        return f"const {v!r}"
    if isinstance(v, np.ndarray):
        return f"ndarray {v.dtype.name} {shape(v.shape)}"
    if isinstance(v, tf.Tensor):
        return f"tensor {v.dtype.name} {shape(v.shape)}"
    return type(v).__name__
'''


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(c[0], SETUP + c[1] + "\n")
                for c in [*CASES, *UNKNOWN, *RAISES, *FINDINGS, *SILENT]]
    return run_cases(DESCRIBE, programs)


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_keras_makes_the_expected_value(tf_results: dict[str, tuple[str, str]], name: str,
                                        program: str, engine: str, tf: str) -> None:
    assert tf_results[name] == ("ok", tf)
    if engine.startswith(("tensor ", "ndarray ", "keras ")):
        assert consistent(engine, tf)
    else:
        assert engine == tf


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN])
def test_unknown_cases_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok"


@pytest.mark.parametrize("name", [c[0] for c in SILENT])
def test_silent_cases_run_without_a_none_gradient(tf_results: dict[str, tuple[str, str]],
                                                  name: str) -> None:
    status, text = tf_results[name]
    assert status == "ok", text[:300]
    assert text in ("const 0", "tensor float32 (1, 6, 6, 576)"), text


@pytest.mark.parametrize(("name", "error"), [(c[0], c[2]) for c in RAISES])
def test_refused_builders_raise(tf_results: dict[str, tuple[str, str]], name: str,
                                error: str) -> None:
    assert tf_results[name][0] == error, tf_results[name]


@pytest.mark.parametrize(("name", "code"), [(c[0], c[2]) for c in FINDINGS])
def test_wrong_inputs_raise_as_the_finding_says(tf_results: dict[str, tuple[str, str]],
                                                name: str, code: str) -> None:
    assert_raises_as_predicted(name, tf_results[name], code)
