"""jupyterlab-lsp's virtual document of a notebook, mapped back to cells (``shapelens.jupyter``).

``MNIST_VIRTUAL`` is the text jupyterlab-lsp 5.3 sent for
``fixtures/notebooks/mnist_cnn_SL202.ipynb`` (captured from a real JupyterLab 4.6 session):
magics rewritten line for line, the ``%%time`` cell wrapped in ``START``/``END_CELL_MAGIC``
comments, each markdown cell one empty line, cells two empty lines apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapelens.jupyter import (
    cell_label,
    is_virtual_notebook,
    saved_notebook,
    spec,
    virtual_cells,
    without_automagic,
)

ROOT = Path(__file__).resolve().parents[2]
MNIST = ROOT / "fixtures" / "notebooks" / "mnist_cnn_SL202.ipynb"
MNIST_VIRTUAL = "\n".join([
    '',
    '',
    '',
    'get_ipython().run_line_magic("matplotlib", " inline")',
    'import numpy as np',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    '',
    '',
    'get_ipython().getoutput("pip install --quiet tensorflow-cpu")',
    'get_ipython().run_line_magic("env", " TF_CPP_MIN_LOG_LEVEL=2")',
    '',
    '',
    '',
    '',
    '',
    'num_classes = 10',
    'image_size = 28',
    'pixels = np.random.randint(0, 256, size=(32, image_size, image_size), dtype=np.uint8)',
    'images = pixels.astype("float32") / 255.0  # shape: (32, 28, 28)',
    'labels = np.random.randint(0, num_classes, size=(32,))  # shape: (32,)',
    '',
    '',
    '',
    '',
    '',
    '# START_CELL_MAGIC("time", "")',
    ('model = keras.Sequential([keras.Input(shape=images.shape[1:]), layers.Conv2D(16,'
     ' 3, activation="relu"), layers.MaxPooling2D(), layers.Flatten(), layers.Dense(nu'
     'm_classes, activation="softmax")])  # expect: SL202'),
    '# END_CELL_MAGIC',
    '',
    '',
    'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])',
    'model.fit(images, labels, epochs=1, batch_size=16, verbose=0)',
]) + "\n"
# (cell number, first 0-based line, line count): markdown cells 1, 4 and 6 are one empty line;
# cell 7 (``%%time``) has one line more than in the notebook.
MNIST_CELLS = [(1, 0, 1), (2, 3, 4), (3, 9, 2), (4, 13, 1), (5, 16, 5), (6, 23, 1), (7, 26, 3),
               (8, 31, 2)]


def _edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_the_saved_notebook_lines_up_with_its_virtual_document() -> None:
    assert virtual_cells(MNIST_VIRTUAL, MNIST.read_text()) == MNIST_CELLS


def test_a_line_is_named_by_its_cell() -> None:
    # Virtual line 28 is `model = keras.Sequential(...)`, below `%%time` in cell 7.
    assert MNIST_VIRTUAL.split("\n")[27].startswith("model = keras.Sequential")
    assert cell_label(MNIST_CELLS, 28) == "cell 7, line 2"
    assert cell_label(MNIST_CELLS, 20) == "cell 5, line 4"
    assert cell_label(MNIST_CELLS, 2) == "line 2"  # between cells: no cell to name


def test_one_edited_cell_is_placed_between_the_unchanged_ones() -> None:
    # Unsaved: an empty line and a statement added to cell 5.
    edited = _edit(MNIST_VIRTUAL, "image_size = 28\n", "image_size = 28\n\nbatch = 32\n")
    cells = virtual_cells(edited, MNIST.read_text())
    assert cells is not None
    assert cells[4] == (5, 16, 7) and cells[5:] == [(6, 25, 1), (7, 28, 3), (8, 33, 2)]
    assert cells[:4] == MNIST_CELLS[:4]
    # The last cell edited, and the first.
    assert virtual_cells(_edit(MNIST_VIRTUAL, "verbose=0)\n", "verbose=0)\nmodel.summary()\n"),
                         MNIST.read_text())[-1] == (8, 31, 3)
    assert virtual_cells(_edit(MNIST_VIRTUAL, "\n", "# Title\n"),
                         MNIST.read_text())[0] == (1, 0, 1)


def test_anything_else_keeps_plain_line_numbers() -> None:
    saved = MNIST.read_text()
    two_cells = _edit(_edit(MNIST_VIRTUAL, "image_size = 28\n", "image_size = 29\n"),
                      "from tensorflow import keras\n", "import keras\n")
    assert virtual_cells(two_cells, saved) is None
    # A new cell, or an edit with two empty lines in a row (which reads the same): unknown.
    for old, new in (("model.compile(", "x = 1\n\n\nmodel.compile("),
                     ("image_size = 28\n", "image_size = 28\n\n\nbatch = 32\n"),
                     ("\n\n\nget_ipython()", "\n\n\nx = 1\n\n\nget_ipython()")):
        assert virtual_cells(_edit(MNIST_VIRTUAL, old, new), saved) is None, new
    deleted = _edit(MNIST_VIRTUAL, "\n\n\n\n\n# START", "\n\n# START")  # cell 6 (markdown) gone
    assert virtual_cells(deleted, saved) is None
    assert virtual_cells(MNIST_VIRTUAL.rstrip("\n"), saved) is None  # no closing newline
    assert virtual_cells(MNIST_VIRTUAL, "not json") is None
    assert virtual_cells(MNIST_VIRTUAL, json.dumps({"cells": [1, 2]})) is None
    assert virtual_cells(MNIST_VIRTUAL, json.dumps({"cells": []})) is None
    assert virtual_cells("", saved) is None


def test_only_jupyterlab_lsp_documents_are_taken_for_virtual_notebooks(tmp_path: Path) -> None:
    assert is_virtual_notebook("/w/nb.ipynb", MNIST_VIRTUAL)
    assert not is_virtual_notebook("/w/nb.ipynb", MNIST.read_text())  # the JSON itself
    assert not is_virtual_notebook("/w/nb.py", MNIST_VIRTUAL)
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(MNIST.read_text())
    assert saved_notebook(str(notebook)) == MNIST.read_text()
    notebook.write_text("{}")  # a save: read again
    assert saved_notebook(str(notebook)) == "{}"
    assert saved_notebook(str(tmp_path / "missing.ipynb")) is None


def test_one_line_automagic_cells_are_blanked_in_place() -> None:
    # `ls ./data` as a cell of its own (a gap on both sides) is IPython's automagic.
    text = _edit(MNIST_VIRTUAL, "num_classes = 10\n", "ls ./data\n\n\nnum_classes = 10\n")
    cleaned = without_automagic(text)
    assert cleaned == _edit(text, "ls ./data\n", "\n")
    assert without_automagic("cd /tmp\n") == "\n"  # the only cell
    # Inside a longer cell it is not automagic (Python's syntax error stays), and Python
    # lines, assignments to a magic's name included, are kept.
    for kept in ("x = 1\nls ./data\n", "ls ./data\nx = 1\n", "\n\n\nls = 3\n",
                 "\n\n\nx = 1\n", MNIST_VIRTUAL):
        assert without_automagic(kept) == kept


def test_the_spec_runs_this_interpreter() -> None:
    entry = spec()["shapelens"]
    assert entry["argv"] == [sys.executable, "-m", "shapelens", "serve"]
    assert entry["languages"] == ["python"] and entry["version"] == 2
