"""The open notebooks as ``Documents`` sees them: each one program (``Snapshot``) at a revision,
and the diagnostics pushed for its cells (``Notebooks``).

A notebook notification bumps the revision; ``snapshot`` joins the python code cells into one
module (``shapelens.notebook.cells_program``, as the CLI does) and records where each cell's
lines went (``cells.Layout``). Answering requests on cells is ``notebooks``' job.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace import PositionCodec

from ..notebook import cells_program
from .cells import Cell, Layout, Mapper
from .publisher import diagnostic_items, uses_pull
from .results import Result

if TYPE_CHECKING:
    from .host import Host

SYNC = types.NotebookDocumentSyncOptions(notebook_selector=[
    types.NotebookDocumentFilterWithNotebook(
        notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")])])
PYTHON = frozenset({"python", ""})  # a cell without a language is the notebook's, python
_LINE_BREAK = re.compile(r"\r\n|\r")


@dataclass(frozen=True)
class Snapshot:
    """One revision of a notebook as ``Documents`` sees a document (``results.Source``)."""

    uri: str
    version: int  # the revision: bumped by every notebook notification
    source: str  # the python cells as one program
    path: str
    position_codec: PositionCodec
    layout: Layout


class Notebooks:
    """The open notebooks' revisions and snapshots, and what was pushed for their cells."""

    def __init__(self, server: Host):
        self.server = server
        self._counter = itertools.count(1)
        self.revisions: dict[str, int] = {}
        self._snapshots: dict[str, Snapshot] = {}
        # Per notebook: a cell's text -> its lines in the program (see ``_program``).
        self._cells: dict[str, dict[str, list[str]]] = {}
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
        self._cells.pop(unquote(uri), None)

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
            text = doc.source
            texts.append(_LINE_BREAK.sub("\n", text) if "\r" in text else text)  # as LSP counts
            found.append((cell.document, number, doc.version))
        source, counts = self._program(unquote(notebook.uri), texts)
        cells, start = [], 0
        for (cell_uri, number, version), count in zip(found, counts, strict=True):
            cells.append(Cell(cell_uri, number, version, start, count))
            start += count
        return Snapshot(notebook.uri, revision, source, to_fs_path(notebook.uri) or
                        notebook.uri, workspace.position_codec, Layout(notebook.uri, cells))

    def _program(self, key: str, texts: list[str]) -> tuple[str, list[int]]:
        """``cells_program(texts)``: its source and each cell's number of lines, with the
        lines of a cell whose text did not change since the last revision taken from then.
        An edit changes one cell, and reading every cell as IPython does took ~5 ms per
        keystroke in a 2,000-line notebook; a cell's lines depend on its text alone."""
        before = self._cells.get(key, {})
        kept: dict[str, list[str]] = {}
        parts: list[str] = []
        counts: list[int] = []
        for text in texts:
            lines = kept.get(text)
            if lines is None:
                lines = before.get(text)
            if lines is None:
                alone = cells_program([text])
                lines = alone.source.split("\n")[:len(alone.lines)]
            kept[text] = lines
            parts += lines
            counts.append(len(lines))
        self._cells[key] = kept
        return "\n".join(parts) + "\n", counts

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
    import hashlib  # here: only notebooks need it, and the server's start-up does not

    return hashlib.sha1(repr(items).encode("utf-8")).hexdigest()[:16]
