"""Protocol-level behaviour on the shared servers: watched pyproject.toml, cancellation."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from .helpers import Doc, RecordingClient, pull_supported

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


async def test_pyproject_changes_are_watched(client: RecordingClient, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.shapelens]\nignore = ["SL101"]\n')
    source = tmp_path / "model.py"
    source.write_text("import tensorflow as tf\n\nx = tf.reshape(tf.zeros((2, 3)), [5])\n")
    doc = Doc(client, str(source)).open()
    try:
        assert await doc.diagnostics() == []
        before = len(client.published)
        pyproject.write_text("[tool.shapelens]\nignore = []\n")
        _changed(client, pyproject)
        if pull_supported(client):  # handled in order: the next pull sees the new rules
            assert [d.code for d in await doc.diagnostics()] == ["SL101"]
        else:
            published = await client.wait_until(lambda: [
                p for p in client.published[before:] if p.uri == doc.uri and p.diagnostics])
            assert [d.code for d in published[-1].diagnostics] == ["SL101"]

        pyproject.write_text("[tool.shapelens]\nunknown-key = 1\n")
        _changed(client, pyproject)
        message = "ShapeLens: [tool.shapelens] unknown key(s): unknown-key; using the default rules"
        await client.wait_until(lambda: [m for m in client.messages if m.message == message])
    finally:
        doc.close()


def _changed(client: RecordingClient, path: Path) -> None:
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)]))


async def test_cancel_request(client: RecordingClient) -> None:
    """A hover waiting on a long analysis is cancelled, and the server stays healthy."""
    lines = "".join(f"a{i} = tf.reshape(tf.zeros((4, {i % 7 + 1})), [-1, 2])\n"
                    for i in range(1000))
    doc = Doc(client, "reshape_bug.py", text="import tensorflow as tf\n" + lines).open()
    try:
        params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=doc.uri),
                                   position=types.Position(line=1, character=0))
        request = client.protocol.send_request(types.TEXT_DOCUMENT_HOVER, params,
                                               msg_id="hover-to-cancel")
        client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="hover-to-cancel"))
        with pytest.raises(JsonRpcRequestCancelled):
            await asyncio.wrap_future(request)
        hover = await doc.hover(1, 0)  # the analysis itself went on
        assert hover is not None
        assert hover.contents.value.startswith("**`a0`**")  # type: ignore[union-attr]
    finally:
        doc.close()


async def test_huge_file_is_reported_not_analysed(client: RecordingClient) -> None:
    """Over max-file-size (2 MiB): one SL902 note, no hover, no hints, no crash."""
    text = "import tensorflow as tf\n" + "x = tf.zeros((2, 2))  # padding padding\n" * 60_000
    doc = Doc(client, "reshape_bug.py", text=text).open()
    try:
        (diag,) = await doc.diagnostics()
        assert (diag.code, diag.severity, diag.range) == (
            "SL902", types.DiagnosticSeverity.Information,
            types.Range(start=types.Position(line=0, character=0),
                        end=types.Position(line=0, character=0)))
        assert await doc.hover(1, 0) is None
        hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri),
            range=types.Range(start=types.Position(line=0, character=0),
                              end=types.Position(line=10, character=0))))
        assert not hints
    finally:
        doc.close()
