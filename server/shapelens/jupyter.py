"""ShapeLens declared to jupyter-lsp, so JupyterLab finds it with no configuration.

jupyter-lsp (the server half of jupyterlab-lsp) looks up the entry point group
``jupyter_lsp_spec_v1`` when JupyterLab starts; ``pyproject.toml`` points it at :func:`spec`.
The spec runs ``python -m shapelens serve`` with the interpreter of the Jupyter server, which
is the environment ``pip install shapelens jupyterlab jupyterlab-lsp`` put all three in.

jupyterlab-lsp sends a notebook's code cells to the server as one virtual ``.py``-like
document (cells two blank lines apart, magics rewritten line for line) and maps positions
back to cells itself; the server reads the text from the messages, so nothing has to be
written to disk (``requires_documents_on_disk``).

This module imports nothing from Jupyter: jupyter-lsp loads it for ``spec``; the language
server uses the rest to read the virtual document jupyterlab-lsp sends.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from typing import Any

from .notebook import clean_cell

KEY = "shapelens"
SPEC_VERSION = 2  # jupyter-lsp's spec schema version ("current-version" in its schema)


def spec(manager: Any = None) -> dict[str, dict[str, Any]]:
    """The language server spec jupyter-lsp validates and offers to JupyterLab.

    ``manager`` is jupyter-lsp's LanguageServerManager; the spec does not depend on it.
    ``sys.executable`` is the Jupyter server's interpreter, where this package is installed
    (jupyter-lsp imported this module from it)."""
    del manager
    return {
        KEY: {
            "argv": [sys.executable, "-m", "shapelens", "serve"],
            "languages": ["python"],
            "mime_types": ["text/python", "text/x-ipython"],
            "display_name": "ShapeLens",
            "version": SPEC_VERSION,
            "requires_documents_on_disk": False,
            "env": {"PYTHONUNBUFFERED": "1"},
            "install": {"pip": "pip install shapelens"},
        }
    }


# -- jupyterlab-lsp's virtual document -------------------------------------------------------
#
# jupyterlab-lsp (5.x) opens a notebook on the server as one text document under the
# notebook's own URI (``nb.ipynb``): every cell is a block of lines (a code cell's lines with
# magics rewritten one for one, ``%%time``/``%%capture`` cells one line longer for their
# ``# END_CELL_MAGIC``; any other cell one empty line), the blocks two empty lines apart and the
# last one followed by a newline. Positions map back to cells in the browser, but the text of
# a message or a hover card that names another line ("(line 9)") would name a line of that
# virtual document, which the user never sees. ``virtual_cells`` finds each cell's block by
# laying out the notebook saved on disk and comparing it with the text: cells before and after
# an edited (unsaved) cell still line up, so one changed cell is placed too, unless the edit
# holds two empty lines in a row (which a new cell would too). Anything else (cells added or
# removed since the save, an unreadable file) gives ``None``: lines keep their plain numbers.

GAP = 2  # jupyterlab-lsp's blankLinesBetweenCells
_UNWRAPPED = ("time", "capture")  # its cell magics kept as Python, with a closing line
_REWRITTEN = ("%", "!", "?", '"""')  # a cell line with one of these may be rewritten


def _cell_lines(cell: object) -> tuple[list[str], bool] | None:
    """A cell's lines and whether it is code (``None`` for a malformed cell)."""
    if not isinstance(cell, dict):
        return None
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(part) for part in source)
    if not isinstance(source, str):
        return None
    return source.split("\n"), cell.get("cell_type") == "code"


def _block(cell: object) -> list[str | None] | None:
    """The lines jupyterlab-lsp writes for ``cell``; ``None`` items match any line."""
    parsed = _cell_lines(cell)
    if parsed is None:
        return None
    lines, code = parsed
    if not code:
        return [""]
    block: list[str | None] = [None if any(m in line for m in _REWRITTEN) else line
                               for line in lines]
    magic = lines[0].split()[0][2:] if len(lines) > 1 and lines[0].startswith("%%") \
        and lines[0].strip() != "%%" else None
    if magic is not None:
        block = [None] * len(lines)  # the cell body may be quoted into a string
        if magic in _UNWRAPPED:
            block.append("# END_CELL_MAGIC")
    return block


def _fits(text: list[str], start: int, block: list[str | None]) -> bool:
    if start < 0 or start + len(block) > len(text):
        return False
    return all(want is None or want == text[start + i] for i, want in enumerate(block))


def _gap_after(text: list[str], end: int, last: bool) -> bool:
    """The empty lines after a block ending (exclusive) at ``end``."""
    want = 1 if last else GAP
    return end + want <= len(text) and all(not text[end + i] for i in range(want)) \
        and (not last or end + 1 == len(text))


@functools.lru_cache(maxsize=8)
def _blocks(notebook: str) -> list[list[str | None]] | None:
    """Each cell's expected lines; cached, as a notebook with outputs may be megabytes of JSON
    (``saved_notebook`` hands back the same string, whose hash Python keeps)."""
    try:
        cells = json.loads(notebook)["cells"]
    except (ValueError, KeyError, TypeError):
        return None
    blocks = [_block(cell) for cell in cells] if isinstance(cells, list) else [None]
    if not blocks or any(block is None for block in blocks):
        return None
    return [block for block in blocks if block is not None]


def virtual_cells(text: str, notebook: str) -> list[tuple[int, int, int]] | None:
    """``(cell number, first 0-based line, line count)`` of each cell of ``notebook`` (the
    saved ``.ipynb`` JSON) in ``text``, jupyterlab-lsp's virtual document of it; ``None`` when
    the text is not a layout of those cells with at most one of them changed."""
    blocks = _blocks(notebook)
    if blocks is None:
        return None
    lines, count = text.split("\n"), len(blocks)
    head: list[tuple[int, int, int]] = []
    start = 0
    for number, block in enumerate(blocks, start=1):
        end = start + len(block)
        if not (_fits(lines, start, block) and _gap_after(lines, end, number == count)):
            break
        head.append((number, start, len(block)))
        start = end + GAP
    if len(head) == count:
        return head
    tail: list[tuple[int, int, int]] = []
    end = len(lines) - 1  # the last block's closing newline
    for number in range(count, len(head) + 1, -1):
        block = blocks[number - 1]
        first = end - len(block)
        if not (_fits(lines, first, block) and _gap_after(lines, end, number == count)):
            return None  # two or more cells differ from the saved notebook
        tail.insert(0, (number, first, len(block)))
        end = first - GAP
    # One cell left between them holds whatever lies between their gaps, unless that has a
    # gap of its own: then a cell may have been added, and every later number would be off.
    size = end - start
    if size < 1 or not _gap_after(lines, end, len(head) + 1 == count) or \
            any(not lines[i] and not lines[i + 1] for i in range(start, end - 1)):
        return None
    return [*head, (len(head) + 1, start, size), *tail]


def cell_label(cells: list[tuple[int, int, int]], line: int) -> str:
    """How a message names 1-based ``line`` of the virtual document: ``cell 3, line 2``."""
    for number, start, size in cells:
        if start <= line - 1 < start + size:
            return f"cell {number}, line {line - start}"
    return f"line {line}"


def is_virtual_notebook(path: str, text: str) -> bool:
    """A text document named ``*.ipynb`` whose text is not notebook JSON: jupyterlab-lsp's."""
    return path.endswith(".ipynb") and not text.lstrip().startswith("{")


_SAVED: dict[str, tuple[tuple[int, int], str]] = {}  # path -> ((mtime_ns, size), text)


def saved_notebook(path: str) -> str | None:
    """The notebook file's text, re-read only when it changed on disk."""
    try:
        stat = os.stat(path)
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = _SAVED.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return None
    _SAVED[path] = (stamp, text)
    return text


def without_automagic(text: str) -> str:
    """jupyterlab-lsp's virtual document with its one-line automagic cells (``ls ./data``,
    ``cd /tmp``) blanked, as ``shapelens check`` blanks them in the notebook: IPython runs them,
    Python would call them a syntax error. A line stands for a one-line cell when a cell gap
    (or the document's start or end) lies on both sides; blanking keeps every position."""
    lines = text.split("\n")
    last = len(lines) - 1
    for i, line in enumerate(lines):
        alone_before = i == 0 or (i >= GAP and not lines[i - 1] and not lines[i - 2])
        alone_after = i < last and not lines[i + 1] and (i + 1 == last or not lines[i + 2])
        if alone_before and alone_after and line.strip() and not clean_cell(line).strip():
            lines[i] = ""
    return "\n".join(lines)
