"""Diagnostics end to end: exact ranges and fields, push vs pull, edits, errors, close.

VS Code 1.65's captured capabilities have no pull support, so it gets
``publishDiagnostics``; Neovim 0.11's declare ``textDocument.diagnostic``, so it pulls and
must never receive a publish. Fixtures live in ``workspace/``.
"""

from __future__ import annotations

import pytest
from lsprotocol import types

from shapelens.rules.catalogue import BY_CODE

from .helpers import Doc, RecordingClient, pull_supported, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]

SL101_MESSAGE = "tf.reshape: input [1] has 1 element but shape [400] needs 400"


def _expected_sl101(range_: types.Range) -> types.Diagnostic:
    return types.Diagnostic(
        range=range_, message=SL101_MESSAGE, severity=types.DiagnosticSeverity.Error,
        code="SL101", code_description=types.CodeDescription(href=BY_CODE["SL101"].url),
        source="shapelens", data={"code": "SL101"})


async def test_reshape_bug_exact_diagnostic(client: RecordingClient) -> None:
    """reshape_bug.py: one SL101 over `tf.reshape(...)` on line 6, every field set."""
    doc = Doc(client, "reshape_bug.py").open()
    try:
        assert await doc.diagnostics() == [_expected_sl101(rng(5, 4, 5, 41))]
    finally:
        doc.close()


async def test_ranges_use_the_negotiated_encoding(client: RecordingClient) -> None:
    """unicode_names.py: `{"😋é": ...}` puts the call at code point 15 of line 3."""
    doc = Doc(client, "unicode_names.py").open()
    try:
        encoding = client.initialize_result.capabilities.position_encoding  # type: ignore
        # 😋 is 2 UTF-16 units / 4 UTF-8 bytes; é is 1 unit / 2 bytes.
        start = {"utf-16": 16, "utf-8": 19, "utf-32": 15}[encoding]
        assert await doc.diagnostics() == [_expected_sl101(rng(2, start, 2, start + 37))]
    finally:
        doc.close()


async def test_push_or_pull_as_the_client_supports(client: RecordingClient) -> None:
    """Push carries the version; pull answers `unchanged` for a current result id."""
    doc = Doc(client, "reshape_bug.py").open()
    try:
        if not pull_supported(client):
            assert len(await client.published_for(doc.uri, 1, doc.since)) == 1
            return
        ident = types.TextDocumentIdentifier(uri=doc.uri)
        first = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=ident))
        assert first.kind == "full" and first.result_id == f"{doc.uri}@1#0"
        again = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=ident,
                                           previous_result_id=first.result_id))
        assert again == types.RelatedUnchangedDocumentDiagnosticReport(
            result_id=first.result_id)
        doc.change((5, 36), (5, 39), "1")  # [400] -> [1]: fixed
        fixed = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=ident,
                                           previous_result_id=first.result_id))
        assert fixed == types.RelatedFullDocumentDiagnosticReport(items=(),
                                                                  result_id=f"{doc.uri}@2#0")
        assert all(p.uri != doc.uri for p in client.published), "pull client got a push"
    finally:
        doc.close()


async def test_no_stale_diagnostics_after_quick_edits(client: RecordingClient) -> None:
    """21 edits without waiting: results only for the newest version, never older."""
    doc = Doc(client, "reshape_bug.py").open()
    try:
        for i in range(21):  # toggle [400] <-> [1]; the last edit (i = 20) leaves [1]
            doc.change((5, 36), (5, 39 if i % 2 == 0 else 37), "1" if i % 2 == 0 else "400")
        assert doc.version == 22
        assert await doc.diagnostics() == []
        versions = [p.version for p in client.published[doc.since:]
                    if p.uri == doc.uri and p.version is not None]  # None: an earlier close
        assert versions == sorted(versions), f"an older version was published: {versions}"
        if not pull_supported(client):
            assert versions[-1] == 22
    finally:
        doc.close()


async def test_syntax_error_mid_edit_keeps_the_rest(client: RecordingClient) -> None:
    """Typing `w = tf.reshape(y, [2,` breaks line 4 only; SL101 on line 6 stays."""
    doc = Doc(client, "reshape_bug.py").open()
    try:
        await doc.diagnostics()
        doc.change((3, 21), (3, 25), "")  # "w = tf.reshape(y, [2, 4])" -> "w = tf.reshape(y, [2,"
        diagnostics = await doc.diagnostics()
        assert [(d.code, d.range, d.message) for d in diagnostics] == [
            ("SL901", rng(3, 18, 3, 21), "SyntaxError: '[' was never closed"),
            ("SL101", rng(5, 4, 5, 41), SL101_MESSAGE),
        ]
        hover = await doc.hover(2, 0)  # `y` still has its shape
        assert hover is not None and "(4, 2)" in hover.contents.value  # type: ignore[union-attr]
    finally:
        doc.close()


async def test_project_and_comment_suppressions(client: RecordingClient) -> None:
    """strict/pyproject.toml ignores SL101; `# shapelens: ignore[SL101]` does not hide SL102."""
    strict = Doc(client, "strict", "project_rules.py").open()
    suppressed = Doc(client, "suppressed.py").open()
    try:
        assert await strict.diagnostics() == []
        assert [(d.code, d.range) for d in await suppressed.diagnostics()] == [
            ("SL102", rng(3, 4, 3, 34))]
    finally:
        strict.close()
        suppressed.close()


async def test_close_clears_pushed_diagnostics(client: RecordingClient) -> None:
    doc = Doc(client, "reshape_bug.py").open()
    await doc.diagnostics()
    doc.close()
    if pull_supported(client):
        return
    cleared = await client.wait_until(lambda: [p for p in client.published[doc.since:]
                                               if p.uri == doc.uri and p.version is None])
    assert list(cleared[-1].diagnostics) == []


async def test_unopened_document_gets_nothing(client: RecordingClient) -> None:
    """Requests for a file the client never opened: empty answers, no errors."""
    ident = types.TextDocumentIdentifier(uri="file:///nowhere/missing.py")
    whole = rng(0, 0, 10, 0)
    if pull_supported(client):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=ident))
        assert report == types.RelatedFullDocumentDiagnosticReport(items=())
    assert await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=ident, range=whole)) is None
    assert await client.text_document_code_action_async(types.CodeActionParams(
        text_document=ident, range=whole,
        context=types.CodeActionContext(diagnostics=[]))) is None
