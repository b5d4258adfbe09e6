"""Jupyter notebooks: the python cells analysed as one program, answered cell by cell.

LSP 3.17 syncs a notebook as a ``NotebookDocument`` (its cells, in order) plus one text
document per cell, which pygls keeps in its workspace. Users write a notebook top to bottom,
so a tensor made in cell 3 must have its shape on hover in cell 7, and a ``GradientTape`` in
one cell must see the variables of earlier cells: the python code cells are joined into one
module in cell order by ``shapelens.notebook.cells_program``, the same builder the CLI uses,
so magics and shell lines (``%timeit``, ``%%time``, ``!pip install``) are blanked, in place,
exactly as ``shapelens check nb.ipynb`` blanks them.

* **One analysis per notebook.** A ``Snapshot`` (the program, a revision, the cells'
  ``Layout``) stands in for a text document in ``Documents``, so a notebook is debounced,
  analysed off the event loop, cached and superseded exactly like a file. The revision is
  bumped by every notebook notification. Its ``Session`` (``core/incremental.py``) replays
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
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

import attrs
from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace import PositionCodec

from .. import structs
from ..notebook import cells_program
from . import hover, inlay_hints
from .cells import Cell, Layout, Mapper
from .diagnostics import diagnostic_items, uses_pull
from .documents import Result

if TYPE_CHECKING:
    from .server import ShapeLensServer

SYNC = types.NotebookDocumentSyncOptions(notebook_selector=[
    types.NotebookDocumentFilterWithNotebook(
        notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")])])
PYTHON = frozenset({"python", ""})  # a cell without a language is the notebook's, python
_LINE_BREAK = re.compile(r"\r\n|\r")
P = TypeVar("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Snapshot:
    """One revision of a notebook as ``Documents`` sees a document (``documents.Source``)."""

    uri: str
    version: int  # the revision: bumped by every notebook notification
    source: str  # the python cells as one program
    path: str
    position_codec: PositionCodec
    layout: Layout


class Notebooks:
    """The open notebooks' revisions and snapshots, and what was pushed for their cells."""

    def __init__(self, server: ShapeLensServer):
        self.server = server
        self._counter = itertools.count(1)
        self.revisions: dict[str, int] = {}
        self._snapshots: dict[str, Snapshot] = {}
        self.published: dict[str, dict[str, tuple[int | None, str]]] = {}

    def touch(self, uri: str) -> None:
        """A notification changed the notebook: a new revision, analysed afresh."""
        if self.server.workspace.get_notebook_document(notebook_uri=uri) is None:
            return  # not open (a change after close): nothing to analyse
        self.revisions[unquote(uri)] = next(self._counter)
        self._snapshots.pop(unquote(uri), None)

    def forget(self, uri: str) -> None:
        self.revisions.pop(unquote(uri), None)
        self._snapshots.pop(unquote(uri), None)

    def owner(self, cell_uri: str) -> str | None:
        """The uri of the open notebook that ``cell_uri`` is a cell of, if any."""
        notebook = self.server.workspace.get_notebook_document(cell_uri=cell_uri)
        return notebook.uri if notebook is not None else None

    def snapshot(self, uri: str) -> Snapshot | None:
        """The current revision of notebook ``uri`` (``None`` for anything else)."""
        key = unquote(uri)
        revision = self.revisions.get(key)
        notebook = self.server.workspace.get_notebook_document(notebook_uri=key)
        if revision is None or notebook is None:
            return None
        cached = self._snapshots.get(key)
        if cached is None or cached.version != revision:
            cached = self._snapshots[key] = self._build(notebook, revision)
        return cached

    def _build(self, notebook: types.NotebookDocument, revision: int) -> Snapshot:
        workspace = self.server.workspace
        texts: list[str] = []
        found: list[tuple[str, int, int | None]] = []
        for number, cell in enumerate(notebook.cells, start=1):
            doc = workspace.text_documents.get(unquote(cell.document))
            if cell.kind != types.NotebookCellKind.Code or doc is None or \
                    (doc.language_id or "") not in PYTHON:
                continue
            texts.append(_LINE_BREAK.sub("\n", doc.source))  # as LSP counts lines
            found.append((cell.document, number, doc.version))
        program = cells_program(texts)
        counts = Counter(loc.cell for loc in program.lines)
        cells, start = [], 0
        for index, (cell_uri, number, version) in enumerate(found, start=1):
            cells.append(Cell(cell_uri, number, version, start, counts[index]))
            start += counts[index]
        return Snapshot(notebook.uri, revision, program.source, to_fs_path(notebook.uri) or
                        notebook.uri, workspace.position_codec, Layout(notebook.uri, cells))

    # -- diagnostics per cell ---------------------------------------------------------
    def cell_items(self, result: Result) -> dict[str, list[types.Diagnostic]]:
        """The diagnostics of every cell of ``result``, keyed by (unquoted) cell uri."""
        cached = result.cache.get("cell_items")
        if cached is None:
            assert result.layout is not None
            mapper = Mapper(result.layout, result.positions)
            cached = {key: [] for key in result.layout.by_uri}
            for diag in diagnostic_items(self.server, result):
                hit = mapper.diagnostic_to_cell(diag)
                if hit is not None:
                    cached[unquote(hit[0].uri)].append(hit[1])
            result.cache["cell_items"] = cached
        return cached

    def publish(self, result: Result) -> None:
        """Push mode: publish the cells whose diagnostics changed, clear removed cells.
        Pull mode: ask the client to pull again (other cells may have changed)."""
        if uses_pull(self.server):
            self.server.publisher.refresh()
            return
        assert result.layout is not None
        before = self.published.get(result.uri, {})
        now: dict[str, tuple[int | None, str]] = {}
        items = self.cell_items(result)
        for cell in result.layout.cells:
            diagnostics = items[unquote(cell.uri)]
            now[cell.uri] = (cell.version, digest(diagnostics))
            if before.get(cell.uri) != now[cell.uri]:
                self._send(cell.uri, cell.version, diagnostics)
        for gone in before.keys() - now.keys():
            self._send(gone, None, [])
        self.published[result.uri] = now

    def clear(self, uri: str) -> None:
        for cell_uri in self.published.pop(uri, {}):
            self._send(cell_uri, None, [])

    def _send(self, uri: str, version: int | None, items: list[types.Diagnostic]) -> None:
        self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=items))


def digest(items: list[types.Diagnostic]) -> str:
    """A short fingerprint of a cell's diagnostics: its pull ``resultId``, and what push
    compares to skip republishing a cell whose diagnostics did not change."""
    return hashlib.sha1(repr(items).encode("utf-8")).hexdigest()[:16]


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
