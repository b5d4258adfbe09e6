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


def test_cells_with_no_code_line_shift_nothing(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A cell that is only a shell line (``!pip install``) or empty contributes no line to
    the program: the cells after it keep their own positions (the TensorFlow docs have one
    such cell in every third notebook)."""
    path = _write(tmp_path, [("code", "!pip install -q tf_nightly\n"), ("code", ""),
                             ("code", "import tensorflow as tf\nx = tf.zeros((2, 3))\n"
                                      "y = tf.reshape(x, (4,))\n"),
                             ("code", "z = 1\nw = 2\n")])
    program = read_notebook(path.read_text(encoding="utf-8"))
    assert len(program.lines) == program.source.count("\n")
    assert main(["check", str(path)]) == 1
    assert f"{path}:cell 3:3:5: SL101 [error]" in capsys.readouterr().out


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


def test_escapes_follow_ipython_logical_lines() -> None:
    """A ``!``/``%`` escape continued by a trailing backslash takes its continuation lines
    with it (the TF docs split long ``!saved_model_cli`` commands that way); a ``%`` inside
    an open bracket is Python's formatting operator, not a magic."""
    assert clean_cell("!saved_model_cli run --dir d \\\n --tag_set serve\nx = 1\n") == \
        "\n\nx = 1\n"
    assert clean_cell("%env A=1 \\\n  B=2\n") == "\n\n"
    kept = "print('Epoch: %d'\n      %(3))\n"
    assert clean_cell(kept) == kept
    assert clean_cell('s = """\n!not a shell line\n"""\n') == 's = """\n!not a shell line\n"""\n'
    assert clean_cell("files = !ls\n") == "\n"


def test_escape_inside_a_block_stays_a_statement() -> None:
    assert clean_cell("for i in range(2):\n  !echo hi\nq = 1\n") == \
        "for i in range(2):\n  pass\nq = 1\n"


def test_help_requests_are_blanked() -> None:
    assert clean_cell("tf.keras.Input?\nx??\n?tf.reshape\ny = 1\n") == "\n\n\ny = 1\n"
    assert clean_cell("y = x if a else b\n") == "y = x if a else b\n"


def test_an_indented_first_line_indents_the_cell_and_columns_are_kept() -> None:
    """IPython removes the first line's indent from the cell (``leading_indent``); the
    program keeps every column by masking that indent with form feeds."""
    import ast

    body = clean_cell(" for x in range(3):\n   print(x)\n")
    tree = ast.parse(body)
    loop = tree.body[0]
    assert isinstance(loop, ast.For) and loop.col_offset == 1
    assert loop.body[0].col_offset == 3


def test_ipython_syntax_is_no_syntax_error(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, [
        ("code", "!pip install -q tf \\\n   keras\n"),
        ("code", " import tensorflow as tf\n x = tf.zeros((2, 3))\n"),
        ("code", "tf.keras.Input?\n"),
        ("code", "print('rows: %d'\n      % x.shape[0])\ny = tf.reshape(x, (4,))\n"),
    ])
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "SL901" not in out
    assert f"{path}:cell 4:3:5: SL101 [error]" in out


def test_automagic_runs_a_one_line_cell_as_a_magic() -> None:
    """IPython's prefilter (automagic) sees only one-line cells: `ls ./data` alone in a cell
    is the %ls magic; in a longer cell, or as an assignment or attribute, it is Python."""
    assert clean_cell("ls ./data/train/") == ""
    assert clean_cell("pip install -q keras\n") == "\n"
    assert clean_cell("time = 5") == "time = 5"
    assert clean_cell("time.sleep(1)") == "time.sleep(1)"
    assert clean_cell("x = 1\nls -la\n") == "x = 1\nls -la\n"
