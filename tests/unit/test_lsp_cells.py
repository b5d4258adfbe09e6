"""Moving LSP values between a notebook's program and its cells (``lsp.cells``, pure)."""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace import PositionCodec

from shapelens.lsp.cells import Cell, Layout, Mapper
from shapelens.lsp.convert import Positions
from shapelens.notebook import cells_program

CELLS = ["import tensorflow as tf\nx = tf.zeros((2, 3))", "", "%%time\ny = x\nz = y\n", "w = 1"]


def _mapper() -> Mapper:
    program = cells_program(CELLS)
    cells, start = [], 0
    for i in range(len(CELLS)):
        count = sum(1 for loc in program.lines if loc.cell == i + 1)
        cells.append(Cell(f"cell:{i}", i + 2, 7, start, count))  # cell numbers after a title
        start += count
    return Mapper(Layout("file:///nb.ipynb", cells), Positions(program.source, PositionCodec()))


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def rng(a: int, b: int, c: int, d: int) -> types.Range:
    return types.Range(start=pos(a, b), end=pos(c, d))


def test_runs_of_lines_and_labels() -> None:
    mapper = _mapper()
    layout = mapper.layout
    assert [(c.start, c.count) for c in layout.cells] == [(0, 2), (2, 0), (2, 3), (5, 1)]
    assert layout.cell_at(3) == layout.cells[2] and layout.cell_at(6) is None
    assert layout.label(4) == "cell 4, line 2"
    assert layout.cell("cell%3A2") == layout.cells[2]  # clients may encode cell uris


def test_requests_move_into_the_program_and_are_clamped_to_the_cell() -> None:
    mapper = _mapper()
    third = mapper.layout.cells[2]
    assert mapper.position_in(third, pos(1, 4)) == pos(3, 4)
    assert mapper.position_in(third, pos(3, 0)) is None  # the empty line after the last
    assert mapper.range_in(third, rng(0, 0, 9, 0)) == rng(2, 0, 4, 1 << 30)
    assert mapper.range_in(mapper.layout.cells[1], rng(0, 0, 0, 0)) is None  # empty cell


def test_answers_move_to_their_cell() -> None:
    mapper = _mapper()
    cells = mapper.layout.cells
    assert mapper.range_to_cell(rng(3, 0, 3, 5)) == (cells[2], rng(1, 0, 1, 5), "")
    # A range running into the next cell ends at the end of its own cell's last line.
    assert mapper.range_to_cell(rng(4, 0, 5, 0)) == (cells[2], rng(2, 0, 2, 5), "")
    # An insertion at a cell boundary belongs to the cell the fix is for.
    assert mapper.range_to_cell(rng(5, 0, 5, 0)) == (cells[3], rng(0, 0, 0, 0), "")
    assert mapper.range_to_cell(rng(5, 0, 5, 0), prefer=cells[2]) == (
        cells[2], rng(2, 5, 2, 5), "\n")
    # The program's end (one past the last line) is the end of the last cell.
    assert mapper.range_to_cell(rng(6, 0, 6, 0)) == (cells[3], rng(0, 5, 0, 5), "\n")


def test_workspace_edits_are_split_by_cell_with_versions() -> None:
    mapper = _mapper()
    edits = [types.TextEdit(range=rng(1, 0, 1, 1), new_text="v"),
             types.TextEdit(range=rng(5, 0, 5, 0), new_text="print(z)\n")]
    versioned = types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(uri="file:///nb.ipynb",
                                                                    version=3),
        edits=list(edits))])
    out = mapper.edit_to_cells(versioned, prefer=mapper.layout.cells[2])
    assert out.document_changes == [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri="cell:0", version=7),
            edits=[types.TextEdit(range=rng(1, 0, 1, 1), new_text="v")]),
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri="cell:2", version=7),
            edits=[types.TextEdit(range=rng(2, 5, 2, 5), new_text="\nprint(z)")])]
    plain = mapper.edit_to_cells(types.WorkspaceEdit(changes={"file:///nb.ipynb": edits}))
    assert plain.changes == {"cell:0": [edits[0]],
                             "cell:3": [types.TextEdit(range=rng(0, 0, 0, 0),
                                                       new_text="print(z)\n")]}


def test_related_information_moves_to_its_cell() -> None:
    mapper = _mapper()
    diag = types.Diagnostic(range=rng(4, 4, 4, 5), message="m", related_information=[
        types.DiagnosticRelatedInformation(location=types.Location(
            uri="file:///nb.ipynb", range=rng(1, 0, 1, 1)), message="made here")])
    cell, moved = mapper.diagnostic_to_cell(diag)  # type: ignore[misc]
    assert cell.uri == "cell:2" and moved.range == rng(2, 4, 2, 5)
    (info,) = moved.related_information or []
    assert info.location == types.Location(uri="cell:0", range=rng(1, 0, 1, 1))


def test_lines_quoted_in_messages_are_named_by_cell() -> None:
    mapper = _mapper()
    diag = types.Diagnostic(range=rng(4, 0, 4, 1), message="x was made at line 2, used at "
                            "line 5")
    _, moved = mapper.diagnostic_to_cell(diag)  # type: ignore[misc]
    assert moved.message == "x was made at cell 2, line 2, used at cell 4, line 3"
