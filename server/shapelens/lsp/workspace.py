"""The open documents' text, kept exactly as the editor has it.

pygls' ``TextDocument`` splits lines with ``str.splitlines``, which also breaks at form feeds,
``\\x0b``, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028`` and ``\\u2029``; LSP positions count only
``\\n``, ``\\r\\n`` and ``\\r``. After a form feed (common in older Python sources) or a
``\\u2028`` pasted into a comment, every incremental edit below it landed on the wrong line,
and the server analysed (and offered fixes for) text the user never wrote.
``LspTextDocument`` splits lines the LSP way.

``ShapeLensWorkspace`` also

* ignores a ``didChange`` for a document that is not open (after ``didClose``, or never
  opened) instead of failing with ``KeyError`` and an error pop-up in the editor;
* counts an ``epoch`` per document that moves whenever the client's versions stop
  increasing (a change whose version is not newer, or a second ``didOpen``): analyses are
  cached by version, and without it a repeated version number would serve the analysis of
  older text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from ..core.incremental.reparse import ODD_BREAKS

log = logging.getLogger(__name__)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class LspTextDocument(TextDocument):
    """A ``TextDocument`` whose lines end only at ``\\n``, ``\\r\\n`` or ``\\r``."""

    epoch: int = 0
    _last_change: Any = None

    @property
    def lines(self) -> Sequence[str]:
        source = self.source
        if not any(c in source for c in ODD_BREAKS):  # no break that only splitlines sees
            return source.splitlines(keepends=True)
        return tuple(_LINE.findall(source))


    def _apply_incremental_change(
            self, change: types.TextDocumentContentChangePartial) -> None:
        """pygls' result, by slicing the text instead of rewriting it line by line in Python
        (a keystroke in a 10,000-line file cost milliseconds before its analysis began)."""
        lines = self.lines
        found = self._position_codec.range_from_client_units(lines, change.range)
        start, end = found.start, found.end
        if end.line >= len(lines) or (end.line, end.character) < (start.line, start.character):
            super()._apply_incremental_change(change)  # at the very end, or reversed
            return
        begin = sum(map(len, lines[:start.line]))
        stop = begin + sum(map(len, lines[start.line:end.line]))
        begin += min(start.character, len(lines[start.line]))
        stop += min(end.character, len(lines[end.line]))
        source = self.source
        self._source = source[:begin] + change.text + source[stop:]


class ShapeLensWorkspace(Workspace):
    """pygls' workspace with ``LspTextDocument``s (installed in ``initialize``)."""

    def _create_text_document(self, doc_uri: str, source: str | None = None,
                              version: int | None = None,
                              language_id: str | None = None) -> TextDocument:
        return LspTextDocument(doc_uri, source=source, version=version,
                               language_id=language_id, sync_kind=self._sync_kind,
                               position_codec=self._position_codec)

    def put_text_document(self, text_document: types.TextDocumentItem,
                          notebook_uri: str | None = None) -> None:
        old = self.text_documents.get(unquote(text_document.uri))
        super().put_text_document(text_document, notebook_uri)
        new = self.text_documents.get(unquote(text_document.uri))
        if old is not None and isinstance(new, LspTextDocument):  # opened twice
            new.epoch = getattr(old, "epoch", 0) + 1

    def update_text_document(self, text_doc: types.VersionedTextDocumentIdentifier,
                             change: types.TextDocumentContentChangeEvent) -> None:
        doc = self.text_documents.get(unquote(text_doc.uri))
        if doc is None:
            log.info("ignored a change to %s, which is not open", text_doc.uri)
            return
        if isinstance(doc, LspTextDocument) and text_doc is not doc._last_change:
            # The first change of a notification; its siblings share the identifier.
            if doc.version is not None and text_doc.version is not None \
                    and text_doc.version <= doc.version:
                log.info("version of %s went from %s to %s", text_doc.uri, doc.version,
                         text_doc.version)
                doc.epoch += 1
            doc._last_change = text_doc
        super().update_text_document(text_doc, change)


def install(workspace: Workspace) -> None:
    """Make the workspace pygls created in ``initialize`` a ``ShapeLensWorkspace``."""
    if not isinstance(workspace, ShapeLensWorkspace):
        workspace.__class__ = ShapeLensWorkspace
