"""Inlay hints: `: (4, 2)` right after each tensor target, only inside the requested range."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import Doc, RecordingClient, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


async def _hints(client: RecordingClient, doc: Doc,
                 range_: types.Range) -> list[types.InlayHint]:
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), range=range_))
    return list(hints or [])


def _hint(line: int, character: int, label: str, doc: Doc, fact_col: int = 0) -> types.InlayHint:
    return types.InlayHint(
        position=types.Position(line=line, character=character), label=label,
        kind=types.InlayHintKind.Type,
        data={"uri": doc.uri, "version": doc.version, "line": line + 1, "col": fact_col})


async def test_whole_document(client: RecordingClient) -> None:
    doc = Doc(client, "reshape_bug.py").open()
    try:
        assert await _hints(client, doc, rng(0, 0, 6, 0)) == [
            _hint(2, 1, ": (4, 2)", doc), _hint(3, 1, ": (2, 4)", doc),
            _hint(4, 1, ": (4, 4)", doc)]
    finally:
        doc.close()


async def test_only_the_requested_range_at_absolute_positions(client: RecordingClient) -> None:
    """A range starting on line 3 must not shift hints to lines 0 and 1."""
    doc = Doc(client, "reshape_bug.py").open()
    try:
        assert await _hints(client, doc, rng(3, 0, 4, 30)) == [
            _hint(3, 1, ": (2, 4)", doc), _hint(4, 1, ": (4, 4)", doc)]
        assert await _hints(client, doc, rng(5, 0, 6, 0)) == []
    finally:
        doc.close()


async def test_positions_in_client_units(client: RecordingClient) -> None:
    """`héllo` is 5 UTF-16 units but 6 UTF-8 bytes long."""
    doc = Doc(client, "shapes.py").open()
    try:
        encoding = client.initialize_result.capabilities.position_encoding  # type: ignore
        end = {"utf-16": 5, "utf-8": 6, "utf-32": 5}[encoding]
        assert await _hints(client, doc, rng(0, 0, 4, 0)) == [
            _hint(2, end, ": (2, 3)", doc), _hint(3, 1, ": (2, 3)", doc)]
    finally:
        doc.close()


async def test_resolve_adds_the_hover_card_as_tooltip(client: RecordingClient) -> None:
    doc = Doc(client, "reshape_bug.py").open()
    try:
        hint = (await _hints(client, doc, rng(4, 0, 4, 30)))[0]
        resolved = await client.inlay_hint_resolve_async(hint)
        assert resolved.tooltip == types.MarkupContent(
            kind=types.MarkupKind.Markdown,
            value="**`z`** · Tensor · `float32`\n```text\n"
                  "(4, 4)  ← tf.matmul(y, w) on (4, 2), (2, 4)\n```")
    finally:
        doc.close()


async def test_syntax_error_keeps_other_hints(client: RecordingClient) -> None:
    doc = Doc(client, "reshape_bug.py").open()
    try:
        doc.change((3, 21), (3, 25), "")  # line 4 no longer parses
        hints = await _hints(client, doc, rng(0, 0, 6, 0))
        assert [(h.position.line, h.label) for h in hints] == [(2, ": (4, 2)")]
    finally:
        doc.close()
