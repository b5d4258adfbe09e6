"""The text reports: ``full`` (the default: each finding with its source lines, a caret span
under the exact range, the places it refers to and its fix, as ruff shows them) and
``concise`` (one line per finding).

Both start each finding with the same ``path:line:col: CODE [severity] message`` line, so
whatever reads those lines reads either. Source lines are shown the way a terminal can show
them safely: tabs expanded, control and bidirectional-override characters replaced by visible
symbols (a file must not be able to move the cursor or reorder the report), wide characters
counted twice so carets stay under the range.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..report import location, summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..core.results import Finding, Span
    from ..report import FileFinding

TAB = 4
MAX_LINES = 6  # a longer multi-line range shows its first and last lines only
MAX_FRAME_FILE = 16 * 1024 * 1024  # bytes; a larger file's findings have no frame
_NEWLINE = re.compile(r"\r\n|\r|\n")  # Python's line ends (not str.splitlines' \f, \x1c...)
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SEVERITY = {"error": "31", "warning": "33", "information": "36", "hint": "36"}
BOLD, BLUE, CYAN = "1", "34", "36"


class Style:
    """ANSI colours, or plain text when colour is off (one switch for every renderer)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *codes: str) -> str:
        if not self.enabled or not text or not codes:
            return text
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


def header(result: FileFinding, style: Style) -> str:
    """``path:line:col: CODE [severity] message``: the concise line, coloured if asked."""
    f = result.finding
    colour = _SEVERITY.get(f.severity, BOLD)
    path, _, rest = location(result).partition(":")
    return (f"{style(path, BOLD)}:{rest} {style(f.code, BOLD, colour)} "
            f"[{style(f.severity, colour)}] {f.message}")


def concise(results: list[FileFinding], style: Style) -> str:
    return "\n".join([*(header(r, style) for r in results), style(summary(results), BOLD)])


def full(results: list[FileFinding], style: Style) -> str:
    """Each finding with its code frame, a blank line between findings, then the summary."""
    views: dict[str, SourceView | None] = {}
    blocks = []
    for result in results:
        if result.path not in views:
            views[result.path] = load_view(result.path)
        blocks.append("\n".join([header(result, style),
                                 *_frames(result, views[result.path], style)]))
    return "\n\n".join([*blocks, style(summary(results), BOLD)])


class SourceView:
    """The lines a frame shows, numbered as the user sees them. For a notebook, the lines are
    the analysed program's and each is labelled with its cell and in-cell line."""

    def __init__(self, lines: list[str], cells: list[tuple[int, int]] | None = None) -> None:
        self.lines = lines
        self.cells = cells  # notebooks: (cell, line in cell) of each program line
        self._program = {c: i + 1 for i, c in enumerate(cells)} if cells else {}

    def program_line(self, finding: Finding, line: int) -> int | None:
        """Where line ``line`` of ``finding`` is among ``lines`` (1-based)."""
        if self.cells is None:
            return line if 1 <= line <= len(self.lines) else None
        return self._program.get((finding.cell or 0, line))

    def label(self, line: int) -> int:
        return self.cells[line - 1][1] if self.cells else line

    def where(self, line: int, col: int) -> str:
        """``line:col`` (``cell N:line:col`` in a notebook), 1-based."""
        cell = f"cell {self.cells[line - 1][0]}:" if self.cells else ""
        return f"{cell}{self.label(line)}:{col + 1}"


def load_view(path: str) -> SourceView | None:
    """The file as its analysis saw it; None if it cannot be read now (then no frame). Only
    a regular file of a sensible size is read again: a named pipe would block, and a huge
    file is not worth reading twice for a few lines."""
    from ..sources import UnreadableSource, read_source

    try:
        if not Path(path).is_file() or Path(path).stat().st_size > MAX_FRAME_FILE:
            return None
        text = read_source(Path(path))
        if path.endswith(".ipynb"):
            from ..notebook import read_notebook

            program = read_notebook(text)
            return SourceView(_NEWLINE.split(program.source),
                              [(c.cell, c.line) for c in program.lines])
    except (OSError, UnreadableSource, ValueError):
        return None
    return SourceView(_NEWLINE.split(text))


def _frames(result: FileFinding, view: SourceView | None, style: Style) -> list[str]:
    """The code frame of a finding, a frame per related place, and the fix title."""
    f = result.finding
    first = view.program_line(f, f.span.line) if view else None
    if view is None or first is None:
        return []
    last = view.program_line(f, f.span.end_line) or first
    related = [(s, text) for s, text in f.related if 1 <= s.line <= len(view.lines)]
    shown = [first, last, *(s.end_line for s, _ in related)]
    gutter = max(len(str(view.label(min(max(n, 1), len(view.lines)))))
                 for n in shown)
    colour = _SEVERITY.get(f.severity, BOLD)
    out = _frame(view, (first, f.span.col, last, f.span.end_col), gutter,
                 ("^", f.code, (BOLD, colour)), style)
    for span, text in related:
        out.append(f"{' ' * gutter}{style('::: ', BOLD, BLUE)}{result.path}:"
                   f"{view.where(span.line, span.col)}")
        out += _frame(view, _program_span(span, len(view.lines)), gutter,
                      ("-", text, (BOLD, BLUE)), style)
    if f.fix is not None:
        unsafe = "" if f.fix.safe else " (unsafe fix)"
        out.append(f"{' ' * gutter} {style('=', BOLD, BLUE)} {style('help', BOLD, CYAN)}: "
                   f"{f.fix.title}{unsafe}")
    return out


def _program_span(span: Span, count: int) -> tuple[int, int, int, int]:
    return span.line, span.col, min(max(span.end_line, span.line), count), span.end_col


def _frame(view: SourceView, span: tuple[int, int, int, int], gutter: int,
           marker: tuple[str, str, tuple[str, ...]], style: Style) -> list[str]:
    """Lines ``span`` covers with a mark under the range and a label after it (``marker``:
    the mark, the label, their colour); multi-line ranges are drawn as rustc and ruff draw
    them (an underscore rule into the start, a bar down the left)."""
    line, col, end_line, end_col = span
    mark, label, codes = marker
    bar = style("|", BOLD, BLUE)

    def row(n: int | None, text: str) -> str:
        number = style(str(view.label(n)).rjust(gutter), BOLD, BLUE) if n else " " * gutter
        return f"{number} {bar} {text}".rstrip()

    out = [row(None, "")]
    if end_line <= line:
        shown, offsets = visible(view.lines[line - 1])
        start = offsets[min(col, len(offsets) - 1)]
        stop = offsets[min(max(end_col, col), len(offsets) - 1)]
        out += [row(line, shown),
                row(None, " " * start + style(mark * max(1, stop - start) + " " + label, *codes))]
        return [*out, row(None, "")]
    shown, offsets = visible(view.lines[line - 1])
    start = offsets[min(col, len(offsets) - 1)]
    if start == 0 and col == 0:
        out.append(row(line, style("/", *codes) + " " + shown))
    else:
        out += [row(line, "  " + shown), row(None, " " + style("_" * (start + 1) + mark, *codes))]
    middle = list(range(line + 1, end_line + 1))
    if len(middle) > MAX_LINES:
        middle = [*middle[:MAX_LINES // 2], 0, *middle[-(MAX_LINES // 2):]]
    for n in middle:
        out.append(row(n, style("|", *codes) + " " + visible(view.lines[n - 1])[0]) if n
                   else "...")
    _, offsets = visible(view.lines[end_line - 1])
    last = offsets[min(max(end_col, 1), len(offsets)) - 1]  # where the range's last character is
    out.append(row(None, style("|" + "_" * (last + 1) + mark + " " + label, *codes)))
    return [*out, row(None, "")]


def visible(text: str) -> tuple[str, list[int]]:
    """``text`` as a terminal may show it, and the display column of each code-point
    offset (``len(text) + 1`` entries): tabs to the next stop, wide characters two cells,
    combining marks none, control and bidi characters one visible symbol each."""
    shown: list[str] = []
    offsets = [0]
    width = 0
    for ch in text:
        if ch == "\t":
            piece = " " * (TAB - width % TAB)
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            piece = chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else "\ufffd"
        else:
            piece = ch
        shown.append(piece)
        if len(piece) != 1:  # a tab's spaces
            width += len(piece)
        elif not unicodedata.combining(piece):
            width += 2 if unicodedata.east_asian_width(piece) in ("W", "F") else 1
        offsets.append(width)
    return "".join(shown), offsets
