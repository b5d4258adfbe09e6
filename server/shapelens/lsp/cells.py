"""Where a notebook's program lines live, and LSP values moved between program and cells.

A notebook is analysed as one program (``shapelens.notebook.cells_program``): each code cell
is a contiguous run of program lines with the same text and columns (only magics and shell
lines are blanked, in place). So moving a position between a cell and the program is a line
offset and nothing else: columns, in whatever encoding the client negotiated, are the same.

``Layout`` records the runs of one notebook version; ``Mapper`` pairs it with the analysed
program's lines and converts the values the features exchange: positions and ranges of
requests (cell → program, clamped into the cell) and ranges, diagnostics and workspace edits
of answers (program → the cell each lies in). Everything here is pure: no I/O, no server.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote

import attrs
from lsprotocol import types

from ..core.results import requote_lines
from .convert import Positions

FAR = 1 << 30  # "to the end of the line": Positions clamps a column past the line end


@dataclass(frozen=True)
class Cell:
    """One code cell's run of program lines."""

    uri: str  # the cell's text document, exactly as the client sent it
    number: int  # 1-based position among the notebook's cells: "cell 3" in hover cards
    version: int | None  # the cell document's version this layout was built from
    start: int  # 0-based program line of the cell's first line
    count: int  # program lines the cell contributes (a final line break adds none)


class Layout:
    """The cells of one notebook version, in program order."""

    def __init__(self, uri: str, cells: Sequence[Cell]):
        self.uri = uri
        self.cells = list(cells)
        self.by_uri = {unquote(cell.uri): cell for cell in self.cells}
        self._filled = [cell for cell in self.cells if cell.count]
        self._starts = [cell.start for cell in self._filled]
        self.lines = sum(cell.count for cell in self.cells)  # program lines held by cells

    def cell(self, uri: str) -> Cell | None:
        return self.by_uri.get(unquote(uri))

    def cell_at(self, line: int) -> Cell | None:
        """The cell holding 0-based program line ``line`` (``None`` past the last one)."""
        i = bisect.bisect_right(self._starts, line) - 1
        if i < 0 or line >= self._filled[i].start + self._filled[i].count:
            return None
        return self._filled[i]

    def label(self, line: int) -> str:
        """How a hover card names 1-based program ``line``: ``cell 3, line 2``."""
        cell = self.cell_at(line - 1)
        return f"line {line}" if cell is None else \
            f"cell {cell.number}, line {line - cell.start}"


class Mapper:
    """Conversions for one analysed notebook version (its ``Layout`` and program lines)."""

    def __init__(self, layout: Layout, positions: Positions):
        self.layout = layout
        self.positions = positions

    # -- requests: cell -> program --------------------------------------------------------
    def position_in(self, cell: Cell, pos: types.Position) -> types.Position | None:
        """A cell position in the program; ``None`` outside the cell's lines."""
        if not 0 <= pos.line < cell.count:
            return None
        return types.Position(line=cell.start + pos.line, character=pos.character)

    def range_in(self, cell: Cell, rng: types.Range) -> types.Range | None:
        """A cell range in the program, clamped to the cell (``None`` for an empty cell)."""
        if not cell.count:
            return None
        return types.Range(start=self._clamped(cell, rng.start), end=self._clamped(cell, rng.end))

    def _clamped(self, cell: Cell, pos: types.Position) -> types.Position:
        if pos.line >= cell.count:
            return types.Position(line=cell.start + cell.count - 1, character=FAR)
        return types.Position(line=cell.start + max(pos.line, 0), character=pos.character)

    def diagnostic_in(self, cell: Cell, diag: types.Diagnostic) -> types.Diagnostic:
        """A client's diagnostic of ``cell`` in program coordinates (for code actions)."""
        rng = self.range_in(cell, diag.range)
        return diag if rng is None else attrs.evolve(diag, range=rng)

    # -- answers: program -> cell ---------------------------------------------------------
    def to_cell(self, pos: types.Position) -> tuple[Cell, types.Position] | None:
        cell = self.layout.cell_at(pos.line)
        if cell is None:
            return None
        return cell, types.Position(line=pos.line - cell.start, character=pos.character)

    def _line_end(self, cell: Cell) -> types.Position:
        """The end of the cell's last line, in cell coordinates and client units."""
        last = cell.start + cell.count - 1
        end = self.positions.position(last + 1, len(self.positions.lines[last]))
        return types.Position(line=cell.count - 1, character=end.character)

    def range_to_cell(self, rng: types.Range,
                      prefer: Cell | None = None) -> tuple[Cell, types.Range, str] | None:
        """The cell a program range starts in, the range there (its end clamped into that
        cell) and a prefix for inserted text.

        An insertion at the very start of a cell is equally the end of the cell before; with
        ``prefer`` naming that earlier cell (the fix's own cell), it goes there: after the
        last line, which has no line break in most editors, hence the ``"\\n"`` prefix. The
        program's end (where the core points at a missing last line) is the last cell's end.
        """
        start = self.to_cell(rng.start)
        last = self.layout.cell_at(self.layout.lines - 1)
        if start is None and last is not None and rng.start.line >= self.layout.lines:
            end = self._line_end(last)  # the end of the program is the end of the last cell
            return last, types.Range(start=end, end=end), "\n" if rng.start == rng.end else ""
        if start is None:
            return None
        cell, begin = start
        before = self.layout.cell_at(cell.start - 1) if begin == types.Position(0, 0) else None
        if rng.start == rng.end and prefer is not None and before == prefer:
            end = self._line_end(prefer)
            return prefer, types.Range(start=end, end=end), "\n"
        stop = self.to_cell(rng.end)
        if stop is None or stop[0] != cell:
            return cell, types.Range(start=begin, end=self._line_end(cell)), ""
        return cell, types.Range(start=begin, end=stop[1]), ""

    def diagnostic_to_cell(self, diag: types.Diagnostic) -> tuple[Cell, types.Diagnostic] | None:
        """A program diagnostic on its cell; related locations move to their own cells."""
        hit = self.range_to_cell(diag.range)
        if hit is None:
            return None
        related = None
        if diag.related_information is not None:
            related = []
            for info in diag.related_information:
                there = self.range_to_cell(info.location.range) \
                    if info.location.uri == self.layout.uri else None
                location = info.location if there is None else \
                    types.Location(uri=there[0].uri, range=there[1])
                related.append(attrs.evolve(info, location=location))
        message = requote_lines(diag.message, self.layout.label)
        return hit[0], attrs.evolve(diag, range=hit[1], related_information=related,
                                    message=message)

    def edit_to_cells(self, edit: types.WorkspaceEdit,
                      prefer: Cell | None = None) -> types.WorkspaceEdit:
        """A workspace edit of the program as edits of the cells it touches (same form:
        versioned ``documentChanges`` with each cell's version, or plain ``changes``)."""
        if edit.document_changes is not None:
            raw = [e for change in edit.document_changes
                   if isinstance(change, types.TextDocumentEdit) for e in change.edits]
        else:
            raw = list((edit.changes or {}).get(self.layout.uri, []))
        grouped: dict[str, tuple[Cell, list[types.TextEdit]]] = {}
        for text_edit in raw:
            hit = self.range_to_cell(text_edit.range, prefer)
            if hit is None or not isinstance(text_edit, types.TextEdit):
                continue
            cell, rng, prefix = hit
            new_text = prefix + text_edit.new_text.removesuffix("\n") if prefix else \
                text_edit.new_text
            grouped.setdefault(cell.uri, (cell, []))[1].append(
                types.TextEdit(range=rng, new_text=new_text))
        if edit.document_changes is not None:
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=cell.uri, version=cell.version), edits=list(edits))
                for cell, edits in grouped.values()])
        return types.WorkspaceEdit(changes={uri: edits for uri, (_, edits) in grouped.items()})
