"""The cases of ``tests/unit/layer_attr_cases.py`` run under real TensorFlow / Keras 3: every
layer attribute the engine is held to there is what TF makes (kind, dtype, static shape),
every program it must leave unknown runs, every undefined attribute raises AttributeError,
and every gradient it takes as connected (or certainly unconnected) is so in TF.

All programs run in one TensorFlow subprocess; it prints one JSON line per case.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import DESCRIBE_TENSORS, run_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from layer_attr_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    CONNECTED,
    CONNECTED_CHECK,
    LAZY,
    SETUP,
    UNCONNECTED,
    UNCONNECTED_CHECK,
    UNDEFINED,
    UNKNOWN,
)

pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(name, SETUP + program + "\n") for name, program, _ in CASES]
    programs += [(name, SETUP + program + "\n") for name, program in UNKNOWN + UNDEFINED]
    programs += [(name, SETUP + program + CONNECTED_CHECK) for name, program in CONNECTED]
    programs += [(name, SETUP + program + UNCONNECTED_CHECK) for name, program in UNCONNECTED]
    programs.append(("lazy_output", SETUP + LAZY + 'probe = lazy.get_layer("h2").output\n'))
    return run_cases(DESCRIBE_TENSORS, programs)


@pytest.mark.parametrize(("name", "expected"), [(c[0], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]],
                                             name: str, expected: str) -> None:
    assert tf_results[name] == ("ok", expected)


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN + CONNECTED + UNCONNECTED])
def test_programs_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    """Left unknown, or gradients as the engine says (the programs assert it)."""
    assert tf_results[name][0] == "ok", tf_results[name]


@pytest.mark.parametrize("name", [c[0] for c in UNDEFINED])
def test_undefined_attributes_raise(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "AttributeError", tf_results[name]


def test_a_lazily_built_sequential_has_its_first_batch_size(
        tf_results: dict[str, tuple[str, str]]) -> None:
    """The engine leaves that axis unknown (``fit`` would not tell it)."""
    assert tf_results["lazy_output"] == ("ok", "keras float32 (3, 7)")
