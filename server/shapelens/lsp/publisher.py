"""Diagnostics as LSP items, and pushing them: ``diagnostic_items`` converts one analysis
under the current settings (both delivery paths use it, so they can never disagree);
``Publisher`` pushes each current analysis once (``textDocument/publishDiagnostics``) when
the client cannot pull, and asks pull clients to pull again when something changed.
The pull request itself is answered in ``diagnostics``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
from lsprotocol import types

from ..core.results import requote_lines
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
    # An edit leaves most findings as they were: their converted form is kept per document,
    # valid while the lines they point at read the same (positions are counted on them).
    previous = _converted.get(result.uri, {})
    kept: dict[Any, tuple[tuple[str, ...], types.Diagnostic]] = {}
    items = []
    lines = result.positions.lines
    for f in result.analysis.findings:
        override = settings.severity.get(f.code)
        texts = tuple(lines[n - 1] if 0 < n <= len(lines) else "" for span in
                      (f.span, *(s for s, _ in f.related)) for n in (span.line, span.end_line))
        try:
            key: Any = (f, override, support)
            cached = previous.get(key)
        except TypeError:  # a fix argument that cannot be hashed: convert every time
            key, cached = None, None
        if cached is not None and cached[0] == texts:
            item = cached[1]
        else:
            item = diagnostic(f, result.positions, result.uri, override, support)
        if key is not None:
            kept[key] = (texts, item)
        items.append(item)
    _converted[result.uri] = kept
    cells = result.virtual_cells
    if cells is not None:  # jupyterlab-lsp's one document for a notebook: lines by cell
        items = [attrs.evolve(item, message=requote_lines(item.message, result.where))
                 for item in items]
    return items


_converted: dict[str, dict[Any, tuple[tuple[str, ...], types.Diagnostic]]] = {}


class Publisher:
    """Push-mode bookkeeping: what was last published per document."""

    def __init__(self, ls: Host):
        self.ls = ls
        self.published: dict[str, Key] = {}
        # Per document: id(item) -> (item, its JSON form), for the items last published.
        self._wire: dict[str, dict[int, tuple[types.Diagnostic, Any]]] = {}

    def on_result(self, result: Result) -> None:
        """Called by ``Documents`` for every analysis of a still-current version."""
        if uses_pull(self.ls) or self.published.get(result.uri) == result.key:
            return
        self.published[result.uri] = result.key
        items = diagnostic_items(self.ls, result)
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
        converter = getattr(self.ls.protocol, "_converter", None)
        if converter is None or not hasattr(self.ls.protocol, "_send_data"):
            return None
        previous = self._wire.get(uri, {})
        wire: dict[int, tuple[types.Diagnostic, Any]] = {}
        data = []
        for item in items:
            cached = previous.get(id(item))
            if cached is None or cached[0] is not item:
                cached = (item, converter.unstructure(item))
            wire[id(item)] = cached
            data.append(cached[1])
        self._wire[uri] = wire
        params: dict[str, Any] = {"uri": uri, "diagnostics": data}
        if version is not None:
            params["version"] = version
        return {"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
                "params": params}

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
