"""Jupyter notebooks as one program: the code cells in order, magics and shell lines skipped.

A tensor made in cell 3 is known in cell 7 because the cells are analysed as one module; each
line of that module maps back to (cell number, line in cell) for reporting. Cell magics
(``%%time``) drop the whole cell only when the magic changes the language (``%%bash``);
otherwise the magic line is blanked and the cell body analysed. Line magics (``%timeit``) and
shell lines (``!pip install``) are blanked, keeping line numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

_FOREIGN_CELL_MAGICS = ("%%bash", "%%sh", "%%html", "%%javascript", "%%js", "%%latex",
                        "%%markdown", "%%writefile", "%%script", "%%perl", "%%ruby", "%%svg",
                        "%%sql", "%%R")


class NotebookError(ValueError):
    """The file is not a readable .ipynb (bad JSON or structure)."""


@dataclass(frozen=True)
class CellLine:
    cell: int  # 1-based number among all cells, as Jupyter shows execution order
    line: int  # 1-based line inside the cell


@dataclass
class NotebookProgram:
    source: str
    lines: list[CellLine]  # index i → where line i + 1 of ``source`` comes from

    def locate(self, line: int) -> CellLine:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return self.lines[-1] if self.lines else CellLine(1, line)


def _cell_text(cell: dict[str, object]) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(str(part) for part in source)
    return str(source)


def clean_cell(text: str) -> str:
    """Blank magics and shell escapes (keeping line numbers); drop foreign-language cells."""
    stripped = text.lstrip()
    if stripped.startswith(_FOREIGN_CELL_MAGICS):
        return "\n" * text.count("\n")
    out = []
    for line in text.split("\n"):
        head = line.lstrip()
        out.append("" if head.startswith(("%", "!")) or (head.endswith("?") and
                   head[:-1].isidentifier()) else line)
    return "\n".join(out)


def cells_program(cells: list[str]) -> NotebookProgram:
    """Code cells (already selected) → one program with a line map back to the cells."""
    parts: list[str] = []
    lines: list[CellLine] = []
    for number, text in enumerate(cells, start=1):
        body = clean_cell(text)
        cell_lines = body.split("\n")
        if cell_lines and cell_lines[-1] == "":
            cell_lines.pop()
        for i, line in enumerate(cell_lines, start=1):
            parts.append(line)
            lines.append(CellLine(number, i))
    return NotebookProgram("\n".join(parts) + "\n", lines)


def read_notebook(text: str) -> NotebookProgram:
    """Parse .ipynb JSON; non-code cells keep their numbers but contribute no lines."""
    try:
        data = json.loads(text)
        cells = data["cells"]
        if not isinstance(cells, list):
            raise TypeError("cells is not a list")
    except (ValueError, KeyError, TypeError) as err:
        raise NotebookError(f"not a Jupyter notebook: {err}") from err
    parts: list[str] = []
    lines: list[CellLine] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        program = cells_program([_cell_text(cell)])
        body = program.source.split("\n")[:-1]
        parts += body
        lines += [CellLine(number, loc.line) for loc in program.lines]
    return NotebookProgram("\n".join(parts) + "\n", lines)
