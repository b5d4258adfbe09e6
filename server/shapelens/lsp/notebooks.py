"""Jupyter notebooks: the python cells analysed as one program, answered cell by cell.

LSP 3.17 syncs a notebook as a ``NotebookDocument`` (its cells, in order) plus one text
document per cell, which pygls keeps in its workspace. Users write a notebook top to bottom,
so a tensor made in cell 3 must have its shape on hover in cell 7, and a ``GradientTape`` in
one cell must see the variables of earlier cells: the python code cells are joined into one
module in cell order by ``shapelens.notebook.cells_program``, the same builder the CLI uses,
so magics and shell lines (``%timeit``, ``%%time``, ``!pip install``) are blanked, in place,
exactly as ``shapelens check nb.ipynb`` blanks them.

* **One analysis per notebook.** A ``notebook_store.Snapshot`` (the program, a revision, the cells'
  ``Layout``) stands in for a text document in ``Documents``, so a notebook is debounced,
  analysed off the event loop, cached and superseded exactly like a file. The revision is
  bumped by every notebook notification. Its ``Session`` (``core/incremental/session.py``) replays
  the statements an edit cannot have changed, so an edit in one cell re-analyses only from
  that cell on, and there only what reads what changed.
* **Cells.** Requests on a cell document are moved into the program (a line offset,
  ``cells.Mapper``), answered by the same feature code as files (``hover.hover_at``,
  ``inlay_hints.hints_in``, ``code_actions.actions_for``), and every range of the answer is
  moved back to the cell it lies in; a fix may edit another cell (a ``tape.watch`` goes into
  the cell of the tape).
* **Diagnostics** are split per cell: pushed per cell document (only those that changed, and
  empty for removed cells), or pulled per cell with a content digest as ``resultId``; after a
  re-analysis pull clients are asked to refresh, since an edit in one cell changes the
  diagnostics of later ones.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

import attrs
from lsprotocol import types

from .. import structs
from . import hover, inlay_hints
from .cells import Cell, Mapper
from .notebook_store import digest
from .results import Result

if TYPE_CHECKING:
    from .state import ShapeLensServer

P = TypeVar("P")
R = TypeVar("R")


# -- notebook sync ------------------------------------------------------------------------
def did_open(ls: ShapeLensServer, params: types.DidOpenNotebookDocumentParams) -> None:
    ls.notebooks.touch(params.notebook_document.uri)
    ls.documents.schedule(params.notebook_document.uri, immediately=True)


def did_change(ls: ShapeLensServer, params: types.DidChangeNotebookDocumentParams) -> None:
    ls.notebooks.touch(params.notebook_document.uri)
    ls.documents.schedule(params.notebook_document.uri)


def did_close(ls: ShapeLensServer, params: types.DidCloseNotebookDocumentParams) -> None:
    ls.documents.close(params.notebook_document.uri)
    ls.notebooks.forget(params.notebook_document.uri)
    ls.notebooks.clear(params.notebook_document.uri)


# -- requests on cells --------------------------------------------------------------------
def cell_aware(plain: Callable[[ShapeLensServer, P], Awaitable[R]],
               in_cell: Callable[[ShapeLensServer, P], Awaitable[R]]
               ) -> Callable[[ShapeLensServer, P], Awaitable[R]]:
    """The handler for a text-document request: ``in_cell`` for a notebook cell."""

    @functools.wraps(plain)
    async def handler(ls: ShapeLensServer, params: Any) -> R:
        if ls.notebooks.owner(params.text_document.uri) is not None:
            return await in_cell(ls, params)
        return await plain(ls, params)

    return handler


async def _cell_result(ls: ShapeLensServer,
                       cell_uri: str) -> tuple[Result, Mapper, Cell] | None:
    """The analysis of the notebook owning ``cell_uri``, with the cell and a mapper."""
    owner = ls.notebooks.owner(cell_uri)
    result = await ls.documents.get(owner) if owner is not None else None
    if result is None or result.layout is None or not ls.settings.enable:
        return None
    cell = result.layout.cell(cell_uri)
    if cell is None:  # a markdown or non-python cell: not part of the program
        return None
    return result, Mapper(result.layout, result.positions), cell


async def cell_hover(ls: ShapeLensServer, params: types.HoverParams) -> types.Hover | None:
    found = await _cell_result(ls, params.text_document.uri)
    position = found[1].position_in(found[2], params.position) if found else None
    if found is None or position is None:
        return None
    answer = hover.hover_at(ls, found[0], position)
    hit = found[1].range_to_cell(answer.range) if answer and answer.range else None
    if answer is None or hit is None:
        return answer
    return attrs.evolve(answer, range=hit[1] if hit[0] == found[2] else None)


async def cell_inlay_hints(ls: ShapeLensServer,
                           params: types.InlayHintParams) -> list[types.InlayHint] | None:
    settings = ls.settings
    found = await _cell_result(ls, params.text_document.uri)
    rng = found[1].range_in(found[2], params.range) if found else None
    if found is None or rng is None or not settings.inlay_hints.enable:
        return None
    result, mapper, cell = found
    hints = []
    for hint in inlay_hints.hints_in(ls, result, rng):
        hit = mapper.to_cell(hint.position)
        if hit is not None and hit[0] == cell:
            hint.position = hit[1]
            hints.append(hint)
    return hints


async def cell_code_actions(ls: ShapeLensServer, params: types.CodeActionParams
                            ) -> list[types.CodeAction] | None:
    """Quick fixes and fix-all for one cell: fix-all fixes that cell's findings only (editors
    ask each cell of a notebook in turn), a quick fix may edit the cell a fix belongs in."""
    from . import code_actions  # imports the fixers: not at start-up

    found = await _cell_result(ls, params.text_document.uri)
    rng = found[1].range_in(found[2], params.range) if found else None
    if found is None or rng is None:
        return None
    result, mapper, cell = found
    mine = [f for f in result.analysis.findings
            if mapper.layout.cell_at(f.span.line - 1) == cell]
    view = replace(result, analysis=structs.replace(result.analysis, findings=mine), cache={})
    context = attrs.evolve(params.context, diagnostics=[
        mapper.diagnostic_in(cell, d) for d in params.context.diagnostics])
    program = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=result.uri), range=rng, context=context)
    actions = code_actions.actions_for(view, program, ls.client_capabilities)
    for action in actions:
        if action.edit is not None:
            action.edit = mapper.edit_to_cells(action.edit, prefer=cell)
        if action.diagnostics:
            action.diagnostics = [hit[1] for d in action.diagnostics
                                  if (hit := mapper.diagnostic_to_cell(d)) is not None]
    return actions or None


async def cell_pull(ls: ShapeLensServer, params: types.DocumentDiagnosticParams
                    ) -> types.DocumentDiagnosticReport:
    """``textDocument/diagnostic`` for a cell: its share of the notebook's diagnostics."""
    found = await _cell_result(ls, params.text_document.uri)
    if found is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    items = ls.notebooks.cell_items(found[0])[unquote(found[2].uri)]
    rid = digest(items)
    if params.previous_result_id == rid:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=rid)
