"""The programs of ``tests/unit/api_calls_more_cases.py`` under TensorFlow 2.21 / Keras 3 /
NumPy 2: each ``probe`` is the value the table says TF makes, the engine's value for it is
consistent with TF's (same kind and dtype, every dim the engine claims), unknown cases run,
and refused programs raise the exception the table names. One TF subprocess for all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import consistent, run_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from api_calls_more_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    RAISES,
    SETUP,
    UNKNOWN,
)

pytestmark = pytest.mark.oracle

DESCRIBE = '''
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf

def describe(v):
    if v is None:
        return "None"
    if isinstance(v, tf.data.Dataset):
        return "dataset"
    if isinstance(v, np.ndarray):
        return f"ndarray {v.dtype.name} {shape(v.shape)}"
    if isinstance(v, tf.Tensor):
        return f"tensor {v.dtype.name} {shape(v.shape)}"
    if isinstance(v, tf.RaggedTensor):
        return f"ragged {v.dtype.name} {shape(v.shape)}"
    return f"object {type(v).__module__}.{type(v).__qualname__}"

def shape(s):
    dims = ["None" if d is None else str(d) for d in tf.TensorShape(s).as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
'''


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(c[0], SETUP + c[1] + "\n") for c in CASES]
    programs += [(c[0], SETUP + c[1] + "\n") for c in [*UNKNOWN, *RAISES]]
    return run_cases(DESCRIBE, programs)



@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]], name: str,
                                             program: str, engine: str, tf: str) -> None:
    assert tf_results[name] == ("ok", tf)
    if engine.startswith(("tensor ", "ndarray ", "ragged ")):
        assert consistent(engine, tf)


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN])
def test_unknown_cases_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok"


@pytest.mark.parametrize(("name", "error"), [(c[0], c[2]) for c in RAISES],
                         ids=[c[0] for c in RAISES])
def test_refused_programs_raise(tf_results: dict[str, tuple[str, str]], name: str,
                                error: str) -> None:
    assert tf_results[name][0] == error


def test_the_consistency_check_can_fail() -> None:
    assert not consistent("tensor float32 (2, 3)", "tensor float32 (2, 4)")
    assert not consistent("tensor int32 *", "tensor int64 ()")
    assert consistent("tensor float32 (None, 3)", "tensor float32 (2, 3)")


def test_every_activation_name_is_keras_3s_own_function() -> None:
    """``keras.activations.get(name)`` is ``keras.activations.<name>`` for every name the
    engine reads (so a call of it is that function's rule)."""
    from shapelens.shapefns.api_calls_more import ACTIVATIONS

    names = sorted(ACTIVATIONS)
    # float32 when every name is Keras 3's own function, int32 otherwise
    program = (f"import keras\nimport tensorflow as tf\nnames = {names!r}\n"
               "same = all(keras.activations.get(n) is getattr(keras.activations, n) "
               "for n in names)\nprobe = tf.constant(1.0) if same else tf.constant(1)\n")
    results = run_cases(DESCRIBE, [("activations", program)])
    assert results["activations"] == ("ok", "tensor float32 ()")
