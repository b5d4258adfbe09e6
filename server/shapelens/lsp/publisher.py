"""Diagnostics as LSP items, and pushing them: ``diagnostic_items`` converts one analysis
under the current settings (both delivery paths use it, so they can never disagree);
``Publisher`` pushes each current analysis once (``textDocument/publishDiagnostics``) when
the client cannot pull, and asks pull clients to pull again when something changed.
The pull request itself is answered in ``diagnostics``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import TYPE_CHECKING, Any

import attrs
from lsprotocol import types

from ..core.results import Finding, requote_lines
from .convert import DiagnosticSupport, diagnostic
from .results import Key, Result

if TYPE_CHECKING:
    from .host import Host


def uses_pull(ls: Host) -> bool:
    text = ls.client_capabilities.text_document
    return text is not None and text.diagnostic is not None


def result_id(uri: str, key: Key) -> str:
    """``uri@version#generation``, plus ``~epoch`` once the client reused a version."""
    epoch = key[2] if len(key) > 2 else 0
    return f"{uri}@{key[0]}#{key[1]}" + (f"~{epoch}" if epoch else "")


def diagnostic_items(ls: Host, result: Result) -> list[types.Diagnostic]:
    """The LSP diagnostics of one analysis under the current settings."""
    settings = ls.settings
    if not settings.enable:
        return []
    support = DiagnosticSupport.of(ls.client_capabilities)
    # An edit leaves most findings as they were, the very same objects (``analysis._collect``
    # keeps them): their converted form is kept per document, valid while the lines they
    # point at read the same (positions are counted on them).
    previous = _converted.get(result.uri, {})
    kept: dict[int, _Converted] = {}
    items = []
    lines = result.positions.lines
    count = len(lines)
    for f in result.analysis.findings:
        override = settings.severity.get(f.code)
        spans = (f.span, *[where for where, _ in f.related])
        texts = tuple([lines[n - 1] if 0 < n <= count else "" for span in spans
                       for n in (span.line, span.end_line)])
        cached = previous.get(id(f))
        if cached is not None and cached[0] is f and cached[1] == override and \
                cached[2] == support and cached[3] == texts:
            item = cached[4]
        else:
            item = diagnostic(f, result.positions, result.uri, override, support)
        kept[id(f)] = (f, override, support, texts, item)
        items.append(item)
    _converted[result.uri] = kept
    cells = result.virtual_cells
    if cells is not None:  # jupyterlab-lsp's one document for a notebook: lines by cell
        items = [attrs.evolve(item, message=requote_lines(item.message, result.where))
                 for item in items]
    return items


# (finding, severity override, support, the texts of its lines, its item), by id(finding)
_Converted = tuple[Finding, "str | None", DiagnosticSupport, tuple[str, ...], types.Diagnostic]
_converted: dict[str, dict[int, _Converted]] = {}


class _Wire:
    """One published item, its JSON data, and that data's JSON text (dumped when first
    needed): kept while the item stays the same object."""

    __slots__ = ("_text", "data", "item")

    def __init__(self, item: types.Diagnostic, data: Any) -> None:
        self.item = item
        self.data = data
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = json.dumps(self.data)
        return self._text


class Publisher:
    """Push-mode bookkeeping: what was last published per document."""

    def __init__(self, ls: Host):
        self.ls = ls
        self.published: dict[str, Key] = {}
        # Per document: id(item) -> the item with its JSON forms, for the items last sent.
        self._wire: dict[str, dict[int, _Wire]] = {}
        self._sending: set[asyncio.Future[Any]] = set()

    def on_result(self, result: Result) -> None:
        """Called by ``Documents`` for every analysis of a still-current version."""
        if uses_pull(self.ls) or self.published.get(result.uri) == result.key:
            return
        self.published[result.uri] = result.key
        items = diagnostic_items(self.ls, result)
        body = self.body(result.uri, result.version, items)
        if body is not None and self._write(body):
            return
        message = self.message(result.uri, result.version, items)
        if message is None:
            self.ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=result.uri, version=result.version, diagnostics=items))
        else:
            self.ls.protocol._send_data(message)

    def message(self, uri: str, version: int | None,
                items: list[types.Diagnostic]) -> dict[str, Any] | None:
        """The ``publishDiagnostics`` notification as JSON data, each item converted once
        while it stays the same object (``diagnostic_items`` keeps unchanged ones): pygls
        would convert all of them for every keystroke, milliseconds in a long file. ``None``
        if pygls no longer has the converter this relies on (it then converts, as before)."""
        wire = self._items(uri, items)
        if wire is None:
            return None
        params: dict[str, Any] = {"uri": uri, "diagnostics": [w.data for w in wire]}
        if version is not None:
            params["version"] = version
        return {"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
                "params": params}

    def body(self, uri: str, version: int | None, items: list[types.Diagnostic]) -> str | None:
        """``message`` as the JSON text pygls would write (``json.dumps`` of it), joined from
        each item's text, dumped once while the item stays the same object: encoding ~150
        diagnostics (70 kB) for every keystroke cost milliseconds. ``None``: as ``message``."""
        wire = self._items(uri, items)
        if wire is None:
            return None
        diagnostics = ", ".join([w.text for w in wire])
        version_text = "" if version is None else f', "version": {json.dumps(version)}'
        return (f'{{"jsonrpc": "2.0", '
                f'"method": {json.dumps(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)}, '
                f'"params": {{"uri": {json.dumps(uri)}, "diagnostics": [{diagnostics}]'
                f'{version_text}}}}}')

    def _items(self, uri: str, items: list[types.Diagnostic]) -> list[_Wire] | None:
        """Each item's ``_Wire``, kept per document while the item stays the same object."""
        converter = getattr(self.ls.protocol, "_converter", None)
        if converter is None or not hasattr(self.ls.protocol, "_send_data"):
            return None
        previous = self._wire.get(uri, {})
        wire: dict[int, _Wire] = {}
        out = []
        for item in items:
            cached = previous.get(id(item))
            if cached is None or cached.item is not item:
                cached = _Wire(item, converter.unstructure(item))
            wire[id(item)] = cached
            out.append(cached)
        self._wire[uri] = wire
        return out

    def _write(self, body: str) -> bool:
        """Write ``body`` as pygls' ``_send_data`` does (header, encoding, an awaitable
        writer); False if this pygls has no such writer (then ``_send_data`` sends it)."""
        protocol = self.ls.protocol
        writer = getattr(protocol, "writer", None)
        charset = getattr(protocol, "CHARSET", None)
        if writer is None or not isinstance(charset, str) or \
                not isinstance(getattr(protocol, "_include_headers", None), bool):
            return False
        data = body.encode(charset)
        if protocol._include_headers:
            data = (f"Content-Length: {len(data)}\r\n"
                    f"Content-Type: {protocol.CONTENT_TYPE}; charset={charset}\r\n\r\n"
                    ).encode(charset) + data
        written = writer.write(data)
        if inspect.isawaitable(written):  # a websocket: keep the send alive until it is done
            sending = asyncio.ensure_future(written)
            self._sending.add(sending)
            sending.add_done_callback(self._sending.discard)
        return True

    def clear(self, uri: str) -> None:
        self.published.pop(uri, None)
        self._wire.pop(uri, None)
        _converted.pop(uri, None)
        if not uses_pull(self.ls):
            self.ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def refresh(self) -> None:
        """After a settings change: pull clients are asked to pull again, if they can."""
        if not uses_pull(self.ls):
            return
        workspace = self.ls.client_capabilities.workspace
        diagnostics = workspace.diagnostics if workspace else None
        if diagnostics is not None and diagnostics.refresh_support:
            self.ls.workspace_diagnostic_refresh(None)
