"""The open documents' text, kept exactly as the editor has it.

pygls' ``TextDocument`` splits lines with ``str.splitlines``, which also breaks at form feeds,
``\\x0b``, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028`` and ``\\u2029``; LSP positions count only
``\\n``, ``\\r\\n`` and ``\\r``. After a form feed (common in older Python sources) or a
``\\u2028`` pasted into a comment, every incremental edit below it landed on the wrong line,
and the server analysed (and offered fixes for) text the user never wrote.
``LspTextDocument`` splits lines the LSP way, and keeps them from edit to edit (``split``): a
keystroke splits only the lines it touches, and each version's analysis converts positions on
that list instead of splitting the whole text again.

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
from typing import Any, overload
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from ..core.incremental.reparse import ODD_BREAKS
from ..core.incremental.reparse import split_lines as python_lines
from .convert import split_lines

log = logging.getLogger(__name__)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class LspTextDocument(TextDocument):
    """A ``TextDocument`` whose lines end only at ``\\n``, ``\\r\\n`` or ``\\r``."""

    epoch: int = 0
    _last_change: Any = None
    # (a text, its lines as ``convert.split_lines`` gives them): see ``split``.
    _split: tuple[str, list[str]] | None = None
    # (a text, its lines as Python counts them, breaks kept): see ``python_lines``.
    _python: tuple[str, list[str]] | None = None

    @property
    def lines(self) -> Sequence[str]:
        source = self.source
        if not any(c in source for c in ODD_BREAKS):  # no break that only splitlines sees
            return source.splitlines(keepends=True)
        return tuple(_LINE.findall(source))

    def split(self) -> list[str]:
        """The current text's lines without their breaks (``convert.split_lines``), kept
        from edit to edit: a keystroke re-splits only the lines it touches, and an analysis
        takes this list for its ``Positions`` instead of splitting the text again (each cost
        about half a millisecond per keystroke in a 10,000-line file). A returned list is
        never changed (an edit makes a new one), so a snapshot may keep it."""
        source = self.source
        cached = self._split
        if cached is None or cached[0] is not source:
            cached = self._split = (source, split_lines(source))
        return cached[1]

    def python_lines(self) -> list[str]:
        """The current text's lines as the engine reads them (``reparse.split_lines``: with
        their breaks, no empty last line), kept from edit to edit like ``split``'s and
        handed to ``analyze(lines=...)`` so the session does not split the text again."""
        source = self.source
        cached = self._python
        if cached is None or cached[0] is not source:
            cached = self._python = (source, python_lines(source))
        return cached[1]

    def _apply_incremental_change(
            self, change: types.TextDocumentContentChangePartial) -> None:
        """pygls' result, by slicing the text instead of rewriting it line by line in Python
        (a keystroke in a 10,000-line file cost milliseconds before its analysis began).
        Without ``\\r`` every line ends in one ``\\n``: offsets come from the kept lines
        (``split``) and only the lines the change touches are split again."""
        source = self.source
        if "\r" in source or "\r" in change.text:
            self._apply_by_lines(change)
            return
        lines = self.split()
        ended = _Ended(lines)
        (line, col), (end_line, end_col) = (self._position(ended, change.range.start),
                                            self._position(ended, change.range.end))
        if end_line >= len(ended) or (end_line, end_col) < (line, col):
            super()._apply_incremental_change(change)  # at the very end, or reversed
            return
        first = _offset(lines, line, len(source))
        begin = first + min(col, ended.length(line))
        last = first + sum(map(len, lines[line:end_line])) + end_line - line
        stop = last + min(end_col, ended.length(end_line))
        text = source[:begin] + change.text + source[stop:]
        if stop > last + len(lines[end_line]):  # the line break after it went too
            last += len(lines[end_line]) + 1
            end_line += 1
        old_end = last + len(lines[end_line])  # where the touched lines ended
        new_end = old_end + len(change.text) - (stop - begin)
        split = lines.copy()
        touched = text[first:new_end].split("\n")
        split[line:end_line + 1] = touched
        python = self._python
        if python is not None and python[0] is source:  # kept: change the same lines
            ends = [piece + "\n" for piece in touched]
            kept = python[1].copy()
            if end_line == len(lines) - 1:  # to the end of the text: no break after it
                ends[-1] = touched[-1]
                if not ends[-1]:
                    ends.pop()
                kept[line:] = ends
            else:
                kept[line:end_line + 1] = ends
            self._python = (text, kept)
        self._source = text
        self._split = (text, split)

    def _position(self, ended: _Ended, position: types.Position) -> tuple[int, int]:
        """pygls' ``position_from_client_units``: (line, code-point column), its column
        clamped as pygls clamps it; on an ASCII line (a unit per character in every
        encoding) without its loop over the line's characters."""
        line, char = position.line, position.character
        if 0 <= line < len(ended) and ended.isascii(line):
            size = ended.length(line)  # > 0: an empty last line is not one of ``ended``
            return line, (size - 1 if char > size else max(char, 0))
        found = self._position_codec.position_from_client_units(ended, position)
        return found.line, found.character

    def _apply_by_lines(self, change: types.TextDocumentContentChangePartial) -> None:
        """``_apply_incremental_change`` for any line breaks, from the whole text's lines."""
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


class _Ended(Sequence[str]):
    """The lines of a text without ``\\r`` as ``LspTextDocument.lines`` gives them (with
    their ``\\n``, no empty last line), made from ``split``'s only where one is read."""

    __slots__ = ("_lines", "_count")

    def __init__(self, lines: list[str]):
        self._lines = lines
        self._count = len(lines) - (lines[-1] == "")

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._lines[index] + "\n" if index < len(self._lines) - 1 else \
            self._lines[index]

    def length(self, index: int) -> int:
        """``len(self[index])`` without building the line."""
        return len(self._lines[index]) + (index < len(self._lines) - 1)

    def isascii(self, index: int) -> bool:
        return self._lines[index].isascii()


def _offset(lines: list[str], line: int, size: int) -> int:
    """Where ``line`` starts in the ``size`` characters that ``lines`` (ending in one
    ``\\n`` each) make, summed from the nearer end of the text."""
    if line <= len(lines) // 2:
        return sum(map(len, lines[:line])) + line
    return size - sum(map(len, lines[line:])) - (len(lines) - 1 - line)


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
