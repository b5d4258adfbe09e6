"""A notebook document in the test client: open, edit cells, add/remove cells, close.

Cells get URIs the way VS Code makes them (``vscode-notebook-cell:`` + the notebook path + a
percent-encoded fragment), so the server's handling of client-made cell URIs is exercised.
Diagnostics of a cell are pulled, or read from what was pushed, as the client supports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from .helpers import WORKSPACE, RecordingClient, pull_supported

NOTEBOOK_TYPE = "jupyter-notebook"


@dataclass
class CellDoc:
    uri: str
    text: str
    kind: types.NotebookCellKind = types.NotebookCellKind.Code
    language: str = "python"
    version: int = 1

    def item(self) -> types.TextDocumentItem:
        return types.TextDocumentItem(uri=self.uri, language_id=self.language,
                                      version=self.version, text=self.text)

    def cell(self) -> types.NotebookCell:
        return types.NotebookCell(kind=self.kind, document=self.uri)


def read_cells(path: Path) -> list[tuple[str, str]]:
    """(kind, source) of every cell of an .ipynb file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list)
             else c["source"]) for c in data["cells"]]


class NotebookDoc:
    """An open notebook; ``cells`` are ``(kind, text)`` with kind ``code`` or ``markdown``."""

    def __init__(self, client: RecordingClient, name: str, cells: list[tuple[str, str]],
                 path: Path | None = None):
        self.client = client
        self.path = path or WORKSPACE / "notebooks" / name
        self.uri = self.path.as_uri()
        self.version = 1
        self.since = 0
        self._made = 0
        self.cells = [self._new(kind, text) for kind, text in cells]

    def _new(self, kind: str, text: str) -> CellDoc:
        self._made += 1
        fragment = f"W{self._made}sZmlsZQ%3D%3D"  # like VS Code: base64 padding, encoded
        if kind == "code":
            return CellDoc(f"vscode-notebook-cell:{self.path.as_posix()}#{fragment}", text)
        return CellDoc(f"vscode-notebook-cell:{self.path.as_posix()}#{fragment}", text,
                       types.NotebookCellKind.Markup, "markdown")

    def open(self) -> NotebookDoc:
        self.since = len(self.client.published)
        self.client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=self.uri, notebook_type=NOTEBOOK_TYPE, version=self.version,
                cells=[c.cell() for c in self.cells]),
            cell_text_documents=[c.item() for c in self.cells]))
        return self

    def _notify(self, change: types.NotebookDocumentChangeEvent) -> None:
        self.version += 1
        self.client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                version=self.version, uri=self.uri),
            change=change))

    def edit(self, index: int, start: tuple[int, int], end: tuple[int, int],
             new_text: str) -> None:
        """An incremental edit of cell ``index`` (0-based, like the positions)."""
        cell = self.cells[index]
        cell.version += 1
        self._notify(types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            text_content=[types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cell.uri,
                                                               version=cell.version),
                changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=start[0], character=start[1]),
                                      end=types.Position(line=end[0], character=end[1])),
                    text=new_text)])])))

    def splice(self, start: int, delete: int, new: list[tuple[str, str]]) -> list[CellDoc]:
        """Replace ``delete`` cells at ``start`` with new cells; returns the removed ones."""
        added = [self._new(kind, text) for kind, text in new]
        removed = self.cells[start:start + delete]
        self.cells[start:start + delete] = added
        self._notify(types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(start=start, delete_count=delete,
                                                    cells=[c.cell() for c in added]),
                did_open=[c.item() for c in added],
                did_close=[types.TextDocumentIdentifier(uri=c.uri) for c in removed]))))
        return removed

    def close(self) -> None:
        self.client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=self.uri),
            cell_text_documents=[types.TextDocumentIdentifier(uri=c.uri) for c in self.cells]))

    async def diagnostics(self, index: int) -> list[types.Diagnostic]:
        """The current diagnostics of cell ``index``, pulled or pushed."""
        cell = self.cells[index]
        if pull_supported(self.client):
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=cell.uri)))
            assert report.kind == "full"
            return list(report.items)
        # Push: a request on the notebook is answered after the analysis it waited for was
        # published, so once it returns the last publish of this cell is the current one.
        await self.hover(index, 0, 0)
        found = [p for p in self.client.published[self.since:] if p.uri == cell.uri]
        assert found, f"nothing published for cell {index}"
        assert found[-1].version == cell.version
        return list(found[-1].diagnostics)

    def published(self, uri: str) -> list[types.PublishDiagnosticsParams]:
        """Everything pushed for ``uri`` since the notebook was opened."""
        return [p for p in self.client.published[self.since:] if p.uri == uri]

    async def hover(self, index: int, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=self.cells[index].uri),
            position=types.Position(line=line, character=character)))
