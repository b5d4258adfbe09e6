"""The programs of ``tests/unit/keras_cells_cases.py`` under TensorFlow 2.21 / Keras 3: each
``probe`` is the value the table says TF makes and the engine's value is consistent with it
(same structure, kinds and dtypes, every dim the engine claims), the unknown cases run, the
programs the engine reports raise the exception the finding's rule names, and the refused
ones raise theirs. One TF subprocess for all."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from case_runner import assert_raises_as_predicted, run_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from keras_cells_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    FINDINGS,
    GRADIENTS,
    MODEL_TABLES,
    REFUSED,
    SETUP,
    UNKNOWN,
    table_text,
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
    if isinstance(v, (list, tuple)):
        kind = "list" if isinstance(v, list) else "tuple"  # (Keras' TrackedList is a list)
        return f"{kind}[" + ", ".join(describe(i) for i in v) + "]"
    if isinstance(v, str):
        return f"str {v}"
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, int):
        return f"int {v}"
    if isinstance(v, keras.KerasTensor):
        return f"keras {v.dtype} {shape(v.shape)}"
    if isinstance(v, keras.Variable):
        return f"variable {v.dtype} {shape(v.shape)}"
    return f"tensor {tf.as_dtype(v.dtype).name} {shape(v.shape)}"
'''


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(c[0], SETUP + c[1] + "\n") for c in [*CASES, *UNKNOWN, *FINDINGS, *REFUSED,
                                                       *GRADIENTS, *MODEL_TABLES]]
    return run_cases(DESCRIBE, programs)


_ITEM = re.compile(r"(tensor|variable|keras) (\w+) \(([^()]*)\)|int \d+|[\[\],]|\w+")


def consistent(engine: str, tf: str) -> bool:
    """The engine's value claims nothing TF's contradicts: the same structure, kinds, dtypes
    and ints, and each dim the engine knows equal to TF's (``None``: any dim)."""
    e_items, t_items = list(_ITEM.finditer(engine)), list(_ITEM.finditer(tf))
    if len(e_items) != len(t_items):
        return False
    for e, t in zip(e_items, t_items, strict=True):
        if e.group(1) is None or t.group(1) is None:
            if e.group(0) != t.group(0):
                return False
            continue
        e_dims = [d for d in e.group(3).split(", ") if d]
        t_dims = [d for d in t.group(3).split(", ") if d]
        if e.group(1, 2) != t.group(1, 2) or len(e_dims) != len(t_dims) or \
                any(d not in ("None", u) for d, u in zip(e_dims, t_dims, strict=True)):
            return False
    return True


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]], name: str,
                                             program: str, engine: str, tf: str) -> None:
    assert tf_results[name] == ("ok", tf)
    assert consistent(engine, tf)


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN])
def test_unknown_cases_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok"


@pytest.mark.parametrize(("name", "error", "code"), [(c[0], c[2], c[3]) for c in FINDINGS],
                         ids=[c[0] for c in FINDINGS])
def test_reported_programs_raise_as_the_rule_says(tf_results: dict[str, tuple[str, str]],
                                                  name: str, error: str, code: str) -> None:
    assert tf_results[name][0] == error
    assert_raises_as_predicted(name, tf_results[name], code)


@pytest.mark.parametrize(("name", "error"), [(c[0], c[2]) for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_refused_programs_raise(tf_results: dict[str, tuple[str, str]], name: str,
                                error: str) -> None:
    assert tf_results[name][0] == error


@pytest.mark.parametrize(("name", "codes", "tf"), [(c[0], c[2], c[3]) for c in GRADIENTS],
                         ids=[c[0] for c in GRADIENTS])
def test_gradients_are_none_only_where_reported(tf_results: dict[str, tuple[str, str]],
                                                name: str, codes: list[str], tf: str) -> None:
    assert tf_results[name] == ("ok", tf)
    assert ("None" in tf) == ("SL303" in codes)


@pytest.mark.parametrize(("name", "rows"), [(c[0], c[2]) for c in MODEL_TABLES],
                         ids=[c[0] for c in MODEL_TABLES])
def test_keras_counts_the_cells_parameters(tf_results: dict[str, tuple[str, str]], name: str,
                                           rows: list[tuple[str, int]]) -> None:
    assert tf_results[name] == ("ok", table_text(rows))


def test_the_consistency_check_can_fail() -> None:
    assert consistent("tuple[tensor float32 (None, 3), int 3]",
                      "tuple[tensor float32 (2, 3), int 3]")
    assert not consistent("tuple[tensor float32 (2, 3)]", "list[tensor float32 (2, 3)]")
    assert not consistent("tensor float32 (2, 3)", "tensor float32 (2, 4)")
    assert not consistent("variable float32 (2,)", "tensor float32 (2,)")
    assert not consistent("int 3", "int 4")
