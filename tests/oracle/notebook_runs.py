"""Notebook fixtures for ``tf_runner.py``: a notebook runs as the program ShapeLens analyses.

``read_program`` turns an ``.ipynb`` into its code cells as one program with
``shapelens.notebook.read_notebook``, the reader the CLI and the language server use
(magics and shell lines blanked in place, so every line keeps its number): the runner then
executes the cells in order in one namespace, as a kernel's "Run All" does, and its line
numbers are the engine's. ``add_cells`` adds the ``(cell, line in cell)`` of the error and of
each assignment to a record, through the same line map, which is where the annotations are
written and where an editor shows them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_program(path: Path) -> tuple[str, Any]:
    """A fixture's source, or a notebook's cells as one program with its line map."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text, None
    from shapelens.notebook import read_notebook  # the engine's reader: the same line map

    program = read_notebook(text)
    return program.source, program


def add_cells(result: dict[str, Any], program: Any) -> None:
    """Give a notebook's error and assignments their (cell, line in cell)."""
    result["notebook"] = True
    items = [*result["assignments"], *([result["error"]] if result["error"] else [])]
    for item in items:
        if isinstance(item.get("line"), int):
            where = program.locate(item["line"])
            item["cell"], item["cell_line"] = where.cell, where.line
