"""Ignorance never adds a finding, on the programs of ``keras_cells_cases.py``: replacing any
sampled value (a call result, an argument, a literal) by one the engine cannot know may remove
findings about cells, stacks and RNN layers, never add one (``tests/test_metamorphic.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from keras_cells_cases import CASES, FINDINGS, GRADIENTS, MODEL_TABLES, SETUP, UNKNOWN

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_metamorphic import check_program  # pyright: ignore[reportMissingImports]

PROGRAMS = [(c[0], c[1]) for c in [*CASES, *FINDINGS, *GRADIENTS, *MODEL_TABLES]] + UNKNOWN


@pytest.mark.parametrize(("name", "program"), PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_ignorance_never_adds_a_finding(name: str, program: str) -> None:
    check_program(SETUP + program + "\n", f"keras_cells:{name}", limit=40)
