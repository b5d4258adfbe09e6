"""Notebooks are analysed as one program in cell order; positions map back to cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shapelens.cli import main
from shapelens.notebook import NotebookError, clean_cell, read_notebook


def _write(tmp_path: Path, cells: list[tuple[str, str]]) -> Path:
    nb = {"cells": [{"cell_type": kind, "metadata": {}, "source": src.splitlines(True)}
                    for kind, src in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_magics_and_shell_lines_are_blanked_keeping_line_numbers() -> None:
    assert clean_cell("%timeit x\n!pip install tf\ny = 1\n") == "\n\ny = 1\n"
    assert clean_cell("%%bash\necho hi\n").strip() == ""
    assert clean_cell("%%time\nz = 2\n") == "\nz = 2\n"


def test_shapes_flow_across_cells_and_lines_map_back(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, [
        ("markdown", "# Title"),
        ("code", "import tensorflow as tf\nx = tf.zeros((2, 3))\n"),
        ("code", "%matplotlib inline\n!ls\ny = tf.reshape(x, (4,))\n"),
    ])
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:cell 3:3:5: SL101 [error]" in out
    assert main(["check", str(path), "--format", "json"]) == 1
    (item,) = json.loads(capsys.readouterr().out)
    assert (item["cell"], item["line"], item["column"]) == (3, 3, 5)
    assert main(["shapes", str(path), "--format", "json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert {"line": 2, "name": "x", "shape": [2, 3], "dtype": "float32", "cell": 2} in facts


def test_not_a_notebook_is_a_clear_finding(tmp_path: Path) -> None:
    with pytest.raises(NotebookError):
        read_notebook("{not json")
    path = tmp_path / "bad.ipynb"
    path.write_text("{}", encoding="utf-8")
    assert main(["check", str(path)]) == 1  # SL904, not a traceback


def test_shapes_table_names_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In-cell line numbers mean nothing without their cell."""
    path = _write(tmp_path, [("markdown", "# t"),
                             ("code", "import tensorflow as tf\nx = tf.zeros((2, 3))\n")])
    assert main(["shapes", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["cell", "line", "name", "shape", "dtype", "kind"]
    assert lines[3].split()[:4] == ["2", "2", "x", "(2,"]
