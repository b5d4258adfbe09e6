"""Diagnostics, pulled or pushed: one conversion, two delivery paths.

* **Pull** (``textDocument/diagnostic``, LSP 3.17) when the client declares
  ``textDocument.diagnostic``: the client asks, the server answers with a full report and a
  ``resultId`` of ``uri@version#generation``; when the client's ``previousResultId`` is still
  current the answer is an ``unchanged`` report, so nothing is re-sent or re-rendered. The
  server then never publishes.
* **Push** (``textDocument/publishDiagnostics``) otherwise: each analysis whose key is still
  current is published once, with the document version so clients can drop late arrivals;
  closing a document publishes an empty list.

Both paths build their items with ``publisher.diagnostic_items``, so they can never disagree;
``publisher.Publisher`` does the pushing, this module answers the pull request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from .publisher import Publisher, diagnostic_items, result_id, uses_pull

if TYPE_CHECKING:
    from .state import ShapeLensServer

IDENTIFIER = "shapelens"
OPTIONS = types.DiagnosticOptions(identifier=IDENTIFIER, inter_file_dependencies=False,
                                  workspace_diagnostics=False)


async def pull(ls: ShapeLensServer,
               params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    """``textDocument/diagnostic``: a full or unchanged report for an open document."""
    uri = params.text_document.uri
    result = await ls.documents.get(uri)
    if result is None:  # not open: nothing to say, and no error either
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    rid = result_id(uri, result.key)
    if params.previous_result_id == rid:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return types.RelatedFullDocumentDiagnosticReport(items=diagnostic_items(ls, result),
                                                     result_id=rid)


__all__ = ["IDENTIFIER", "OPTIONS", "Publisher", "diagnostic_items", "pull", "result_id",
           "uses_pull"]
