"""Jupyter notebooks as one program: the code cells in order, magics and shell lines skipped.

A tensor made in cell 3 is known in cell 7 because the cells are analysed as one module; each
line of that module maps back to (cell number, line in cell) for reporting. Cell magics
(``%%time``) drop the whole cell only when the magic changes the language (``%%bash``);
otherwise the magic line is blanked and the cell body analysed. Line magics (``%timeit``) and
shell lines (``!pip install``) are blanked, keeping line numbers.
"""

from __future__ import annotations

import json
import re
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
    """Blank magics and shell escapes (keeping line numbers); drop foreign-language cells.

    Follows IPython's input transformations where they decide what is Python: an indented
    first line indents the whole cell (``leading_indent``), a ``!``/``%`` escape or a help
    request (``tf.keras.Input?``) is a whole logical line, continued by a trailing ``\\``, and
    only where a statement can start (not inside brackets or a string).
    """
    stripped = text.lstrip()
    if stripped.startswith(_FOREIGN_CELL_MAGICS) or _is_automagic(text):
        return "\n" * text.count("\n")
    lines = _leading_indent(text.split("\n"))
    out: list[str] = []
    scanner = _Scanner()
    escaped = False  # inside a backslash-continued escape: the line belongs to it
    for line in lines:
        if escaped or (scanner.at_statement_start() and _is_escape(line)):
            body = line.lstrip(" \t\f")
            indent = line[:len(line) - len(body)]
            # IPython runs it as a statement: inside a block it must stay one (``pass``).
            nested = indent.rsplit("\f", 1)[-1] != ""  # indented past the form feeds
            out.append(indent + "pass" if nested and not escaped else "")
            escaped = line.rstrip().endswith("\\")
            continue
        out.append(line)
        scanner.feed(line)
    return "\n".join(out)


_HELP_RE = re.compile(r"^(\?{1,2}%{0,2}(?!\d)[\w*]+(\.(?!\d)[\w*]+)*|"
                      r"%{0,2}(?!\d)[\w*]+(\.(?!\d)[\w*]+)*\?{1,2})$")
_ASSIGN_ESCAPE_RE = re.compile(r"^[A-Za-z_][\w, ]*=\s*[!%]")  # files = !ls, t = %time f()


# Line magics and shell aliases IPython runs without their ``%`` (automagic, on by default):
# ``ls ./data``, ``pip install x``, ``cd /tmp`` alone in a cell.
_AUTOMAGIC = frozenset({
    "alias", "bookmark", "cat", "cd", "clear", "conda", "config", "cp", "dhist", "dirs", "env",
    "history", "ldir", "less", "lf", "lk", "ll", "load", "load_ext", "ls", "lsmagic", "lx",
    "man", "matplotlib", "mkdir", "more", "mv", "pdb", "pip", "popd", "pushd", "pwd", "pycat",
    "pylab", "reload_ext", "reset", "rm", "rmdir", "run", "set_env", "store", "sx", "system",
    "tb", "time", "timeit", "unalias", "unload_ext", "who", "whos", "xdel", "xmode"})
_AUTOMAGIC_RE = re.compile(r"^(\w+)(?:\s+[^=,\s].*)?$")  # `name args`, not `name = ...`


def _is_automagic(cell: str) -> bool:
    """IPython applies automagic only to a cell of one line (its prefilter step), where the
    first word names a magic and what follows is not an assignment."""
    head = cell.strip()
    match = _AUTOMAGIC_RE.match(head) if "\n" not in head else None
    return match is not None and match[1] in _AUTOMAGIC


def _is_escape(line: str) -> bool:
    """A line IPython runs as a shell command, a magic or a help request, not as Python."""
    head = line.strip()
    return head.startswith(("%", "!")) or bool(_HELP_RE.match(head)) or \
        bool(_ASSIGN_ESCAPE_RE.match(head))


def _leading_indent(lines: list[str]) -> list[str]:
    """IPython's ``leading_indent``: when the first non-blank line is indented, that indent
    is removed from every line that starts with it. To keep every column where the user sees
    it, the indent is replaced by form feeds, not deleted: a form feed at the start of a line
    resets CPython's indentation count, so ``\\f\\f  x`` is indented by 2 and ``x`` stays at
    column 4."""
    first = next((line for line in lines if line.strip()), "")
    indent = first[:len(first) - len(first.lstrip(" \t"))]
    if not indent:
        return lines
    mask = "\f" * len(indent)
    return [mask + line[len(indent):] if line.startswith(indent) else line for line in lines]


class _Scanner:
    """Just enough of Python's tokenizer to know whether a line starts a statement: open
    brackets, an unterminated triple-quoted string and a trailing backslash continue it."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the open triple quote
        self.continued = False

    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        while i < n:
            if self.quote is not None:
                end = line.find(self.quote, i)
                while end > 0 and _escaped(line, end):
                    end = line.find(self.quote, end + 1)
                if end < 0:
                    break
                self.quote, i = None, end + 3
                continue
            c = line[i]
            if c == "#":
                break
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            elif c in "'\"":
                if line.startswith(c * 3, i):
                    self.quote, i = c * 3, i + 3
                    continue
                i = _string_end(line, i, c)
            i += 1
        self.continued = self.quote is None and line.endswith("\\")


def _escaped(line: str, at: int) -> bool:
    """Is the character at ``at`` escaped by an odd run of backslashes?"""
    run = 0
    while at - run - 1 >= 0 and line[at - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def _string_end(line: str, start: int, quote: str) -> int:
    """Index of the quote closing a one-line string opened at ``start`` (or the line end)."""
    i = start + 1
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            return i
        i += 1
    return len(line)


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
        # One line per mapped line: a cell that is only ``!pip install`` or empty maps none.
        body = program.source.split("\n")[:len(program.lines)]
        parts += body
        lines += [CellLine(number, loc.line) for loc in program.lines]
    return NotebookProgram("\n".join(parts) + "\n", lines)
