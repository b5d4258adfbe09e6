"""Hover and inlay hints on TF1 graph-mode code: a placeholder's ``None`` dims show as TF
prints them, and a value fetched from the graph (``Tensor.eval``) is a NumPy array."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import Doc, RecordingClient, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


async def test_placeholder_and_fetched_hints(client: RecordingClient) -> None:
    doc = Doc(client, "tf1_feed.py").open()
    try:
        hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri), range=rng(0, 0, 6, 0)))
        labels = [(h.position.line, h.label) for h in hints or []]
        assert labels == [(2, ": (None, 784)"), (3, ": (784, 10)"), (4, ": (None, 10)"),
                          (5, ": (784, 10)")]
    finally:
        doc.close()


async def test_placeholder_hover(client: RecordingClient) -> None:
    doc = Doc(client, "tf1_feed.py").open()
    try:
        hover = await doc.hover(2, 0)
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value.startswith("**`x`** · Tensor · `float32`")
        assert "(None, 784)" in hover.contents.value
        fetched = await doc.hover(5, 0)
        assert fetched is not None and isinstance(fetched.contents, types.MarkupContent)
        assert fetched.contents.value.startswith("**`weights`** · ndarray · `float32`")
        assert "(784, 10)" in fetched.contents.value
    finally:
        doc.close()
