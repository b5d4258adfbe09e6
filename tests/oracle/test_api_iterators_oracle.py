"""The programs of ``tests/unit/api_iterators_cases.py`` under TensorFlow 2.21 / Keras 3 /
NumPy 2: each ``probe`` is the value the table says TF makes, the engine's value for it is
consistent with TF's (same kind and dtype, every dim the engine claims), unknown cases run,
and refused programs raise the exception the table names. One TF subprocess for all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import run_cases
from test_api_calls_more_oracle import consistent

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from api_iterators_cases import (  # pyright: ignore[reportMissingImports]
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
    if isinstance(v, bool | int):
        return f"const {v!r}"
    if isinstance(v, np.ndarray | np.generic) and not isinstance(v, np.bool_):
        return f"ndarray {v.dtype.name} {shape(np.shape(v))}"
    if isinstance(v, tf.Tensor):
        return f"tensor {v.dtype.name} {shape(v.shape)}"
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
    if engine.startswith(("tensor ", "ndarray ")):
        assert consistent(engine, tf)
    elif engine.startswith("const "):
        assert engine == tf


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN])
def test_unknown_cases_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok"


@pytest.mark.parametrize(("name", "error"), [(c[0], c[2]) for c in RAISES],
                         ids=[c[0] for c in RAISES])
def test_refused_programs_raise(tf_results: dict[str, tuple[str, str]], name: str,
                                error: str) -> None:
    assert tf_results[name][0] == error


def test_every_limit_the_engine_gives_is_tfs() -> None:
    """Each dtype the engine answers ``.max``/``.min`` for: a NumPy scalar of that float
    dtype, or the Python int of that int dtype's limit (the engine's own table)."""
    from shapelens.core.interpreter.library_hooks import _FLOATS, _INT_LIMITS

    program = "import numpy as np\nimport tensorflow as tf\nbad = []\n"
    for name in sorted(_FLOATS):
        program += (f"for v in (tf.{name}.max, tf.{name}.min):\n"
                    f"    if type(v) is not np.{name}: bad.append('{name}')\n")
    for name, (low, high) in sorted(_INT_LIMITS.items()):
        program += (f"if (tf.{name}.min, tf.{name}.max) != ({low}, {high}) or "
                    f"type(tf.{name}.max) is not int: bad.append('{name}')\n")
    program += "probe = len(bad)\n"
    assert run_cases(DESCRIBE, [("limits", program)])["limits"] == ("ok", "const 0")
