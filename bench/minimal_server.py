"""The floor of any pygls server's cold start (issue 18): a server that answers ``initialize``
and publishes one empty diagnostic list on ``didOpen``, nothing more.

Importing pygls and lsprotocol is most of a pygls server's start-up; ``run.py`` starts this
one the same way as ShapeLens (``python bench/minimal_server.py``, stdio) and reports
ShapeLens's cold start as a ratio to it. Command-line arguments are ignored.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("minimal", "0")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    """One empty list for the opened document: what a client waits for."""
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=params.text_document.uri, version=params.text_document.version, diagnostics=[]))


if __name__ == "__main__":
    server.start_io()
