"""A notebook's program is rebuilt on every notebook change from the lines each cell had at
the last revision when its text is unchanged (``Notebooks._program``): whatever the cells and
their edits, the result is ``cells_program``'s, and an unchanged cell is not read again."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shapelens.lsp.notebook_store as store
from shapelens.lsp.notebook_store import Notebooks
from shapelens.notebook import cells_program

PIECES = ["x = 1", "\n", "%matplotlib inline", "!pip install tf", "ls ./data", "%%bash",
          "    y = x", "\\", "tf.keras.Input?", "def f():", "(", ")", "'''", "", " "]
cells = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
revisions = st.lists(st.lists(cells, max_size=5), min_size=1, max_size=5)


def notebooks() -> Notebooks:
    return Notebooks(SimpleNamespace())  # type: ignore[arg-type]  # _program needs no server


@settings(max_examples=300, deadline=None)
@given(revisions)
def test_the_program_is_cells_program_at_every_revision(texts_by_revision: list[list[str]],
                                                        ) -> None:
    books = notebooks()
    for texts in texts_by_revision:
        source, counts = books._program("nb", texts)
        program = cells_program(texts)
        per_cell = Counter(loc.cell for loc in program.lines)
        assert source == program.source
        assert counts == [per_cell[number] for number in range(1, len(texts) + 1)]


def test_an_unchanged_cell_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[list[str]] = []

    def counting(texts: list[str]) -> Any:
        read.append(list(texts))
        return cells_program(texts)

    monkeypatch.setattr(store, "cells_program", counting)
    books = notebooks()
    first = ["import tensorflow as tf\n", "%matplotlib inline\nx = tf.zeros((2, 3))\n",
             "y = x + 1\n"]
    books._program("nb", first)
    assert len(read) == 3
    read.clear()
    second = [first[0], first[1].replace("3", "4"), first[2]]
    source, counts = books._program("nb", second)
    assert read == [[second[1]]]  # only the edited cell
    assert source == cells_program(second).source and counts == [1, 2, 1]
    books.forget("nb")
    read.clear()
    books._program("nb", second)
    assert len(read) == 3  # a closed notebook's cells are not kept
