"""An open document's lines are split once and kept from edit to edit: a keystroke splits
only the lines it touches, and the analysis of each version converts positions on the very
list the document keeps (``LspTextDocument.split``), so nothing splits a long file again per
keystroke. Driven through the real server's message handling, in process."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from shapelens.core.incremental.reparse import split_lines as python_lines
from shapelens.lsp import transport
from shapelens.lsp.convert import split_lines
from shapelens.lsp.server import build_server
from shapelens.lsp.workspace import LspTextDocument

URI = "file:///kept/lines.py"
SOURCE = "".join(f"x{i} = tf.zeros(({i + 1}, 4))\n" for i in range(300))
SOURCE = "import tensorflow as tf\n" + SOURCE + "bad = tf.reshape(x0, (3,))\n"


class Written:
    """The server's output: every message it wrote, parsed."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def write(self, data: bytes) -> None:
        body = data.split(b"\r\n\r\n", 1)[-1]
        self.messages.append(json.loads(body))

    def close(self) -> None:
        pass

    def published(self, version: int) -> list[dict[str, Any]]:
        return [m["params"] for m in self.messages
                if m.get("method") == "textDocument/publishDiagnostics"
                and m["params"].get("version") == version]


def _send(server: Any, method: str, params: Any, msg_id: int | None = None) -> None:
    message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
    if msg_id is not None:
        message["id"] = msg_id
    transport.dispatch(server.protocol, json.dumps(message).encode())


def _change(server: Any, version: int, line: int, start: int, end: int, text: str) -> None:
    _send(server, "textDocument/didChange", {
        "textDocument": {"uri": URI, "version": version},
        "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                      "end": {"line": line, "character": end}},
                            "text": text}]})


async def _session() -> None:
    server = build_server()
    written = Written()
    server.protocol.set_writer(written)
    _send(server, "initialize", {"processId": None, "rootUri": None, "capabilities": {
        "textDocument": {"publishDiagnostics": {"versionSupport": True}}},
        "initializationOptions": {"debounce": 0}}, msg_id=1)
    _send(server, "initialized", {})
    _send(server, "textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "python", "version": 1, "text": SOURCE}})
    try:
        first = await server.documents.get(URI)
        doc = server.workspace.get_text_document(URI)
        assert isinstance(doc, LspTextDocument) and first is not None
        assert first.positions.lines is doc.split()
        before = doc.split()

        _change(server, 2, 150, 0, 1, "y")  # x149 = ... -> y149 = ...
        _change(server, 3, 10, 0, 0, "z = 1\n")  # a line break typed: the lines below move
        result = await server.documents.get(URI)
        assert result is not None and result.key[0] == 3
        lines = doc.split()
        assert lines == split_lines(doc.source)
        assert lines[151].startswith("y149 = ") and lines[10] == "z = 1"
        assert result.positions.lines is lines  # converted on the document's own lines
        session = server.documents.states[URI].session
        assert session is not None and session.lines is doc.python_lines()  # and analysed
        assert doc.python_lines() == python_lines(doc.source)
        assert before[150] == "x149 = tf.zeros((150, 4))"  # an earlier version's list kept
        untouched = [i for i in range(len(before)) if i not in (10, 150)]
        shift = [i + (i >= 10) for i in untouched]
        assert all(lines[j] is before[i] for i, j in zip(untouched, shift, strict=True))

        published = written.published(3)
        assert published and published[-1]["diagnostics"]
        bad = len(lines) - 2  # the reshape, on the last line of code
        assert {d["range"]["start"]["line"] for d in published[-1]["diagnostics"]} == {bad}
    finally:
        server.documents.shutdown()


def test_edits_reuse_the_kept_lines_end_to_end() -> None:
    asyncio.run(_session())
