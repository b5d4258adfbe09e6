"""The programs of ``tests/unit/configs_cases.py`` under TensorFlow 2.21 / Keras 3: each
``probe`` is the value the table says TF makes (and the engine's tensor values are consistent
with it), unknown cases run, refused programs raise the exception the table names, and the
buggy programs run up to their last line, which raises. One TF subprocess for all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import consistent, run_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from configs_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    FINDINGS,
    RAISES,
    SETUP,
    UNKNOWN,
)

pytestmark = pytest.mark.oracle

DESCRIBE = '''
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
import tensorflow as tf

def shape(s):
    dims = ["None" if d is None else str(d) for d in tf.TensorShape(s).as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"

def describe(v):
    if isinstance(v, keras.KerasTensor):
        return f"keras {v.dtype} {shape(v.shape)}"
    if isinstance(v, tf.Tensor):
        return f"tensor {v.dtype.name} {shape(v.shape)}"
    if isinstance(v, keras.Model):
        return f"model {type(v).__name__} {'built' if v.built else 'unbuilt'}"
    if isinstance(v, keras.layers.Layer):
        return f"layer {type(v).__name__} {'built' if v.built else 'unbuilt'}"
    if isinstance(v, type):
        return f"class {v.__name__}"
    if isinstance(v, (list, tuple)):
        return "gradients none" if all(g is None for g in v) else "gradients some"
    return f"object {type(v).__qualname__}"
'''


def _without_last_line(program: str) -> str:
    return program.rsplit("\n", 1)[0] + "\n"


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(c[0], SETUP + c[1] + "\n") for c in [*CASES, *UNKNOWN, *RAISES, *FINDINGS]]
    programs += [(f"{c[0]}:before", SETUP + _without_last_line(c[1])) for c in FINDINGS]
    return run_cases(DESCRIBE, programs)



@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]], name: str,
                                             program: str, engine: str, tf: str) -> None:
    assert tf_results[name] == ("ok", tf)
    if engine.startswith(("tensor ", "keras ")):
        assert consistent(engine, tf)
    else:
        assert engine == tf


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN])
def test_unknown_cases_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok"


@pytest.mark.parametrize(("name", "error"), [(c[0], c[2]) for c in RAISES],
                         ids=[c[0] for c in RAISES])
def test_refused_programs_raise(tf_results: dict[str, tuple[str, str]], name: str,
                                error: str) -> None:
    assert tf_results[name][0] == error


@pytest.mark.parametrize(("name", "error"), [(c[0], c[3]) for c in FINDINGS],
                         ids=[c[0] for c in FINDINGS])
def test_buggy_programs_raise_at_their_last_line(tf_results: dict[str, tuple[str, str]],
                                                 name: str, error: str) -> None:
    assert tf_results[f"{name}:before"][0] == "ok"
    assert tf_results[name][0] == error


def test_the_consistency_check_can_fail() -> None:
    assert not consistent("tensor float32 (2, 3)", "tensor float32 (2, 4)")
    assert not consistent("tensor int32 (2,)", "tensor float32 (2,)")
    assert consistent("keras float32 (None, 2)", "keras float32 (None, 2)")
    assert consistent("tensor None (4, 5)", "tensor float32 (4, 5)")
