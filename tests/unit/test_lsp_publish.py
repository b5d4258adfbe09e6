"""Pushed diagnostics are serialised once per item: the JSON the server writes is exactly
what pygls' own conversion of ``PublishDiagnosticsParams`` gives, and an item kept from the
previous analysis is not converted again."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter

from shapelens.lsp.diagnostics import Publisher

CONVERTER = get_converter()


def item(line: int, code: str = "SL101", related: bool = False) -> types.Diagnostic:
    where = types.Range(start=types.Position(line=line, character=4),
                        end=types.Position(line=line, character=20))
    return types.Diagnostic(
        range=where, message=f"reshape: 12 values into (5,) on line {line}", source="shapelens",
        severity=types.DiagnosticSeverity.Error, code=code,
        code_description=types.CodeDescription(href=f"https://example.org/{code}"),
        tags=[types.DiagnosticTag.Deprecated] if code == "SL211" else None,
        related_information=[types.DiagnosticRelatedInformation(
            location=types.Location(uri="file:///t.py", range=where), message="first here")]
        if related else None,
        data={"fix": "watch", "args": [["with_line", 3]]})


class Counting:
    """The protocol's converter, counting what it converts."""

    def __init__(self) -> None:
        self.converted: list[Any] = []

    def unstructure(self, obj: Any) -> Any:
        self.converted.append(obj)
        return CONVERTER.unstructure(obj)


def publisher() -> tuple[Publisher, Counting]:
    counting = Counting()
    ls = SimpleNamespace(protocol=SimpleNamespace(_converter=counting, _send_data=None))
    return Publisher(ls), counting  # type: ignore[arg-type]


def test_the_message_is_what_pygls_would_send() -> None:
    pub, _ = publisher()
    items = [item(3), item(7, "SL211"), item(9, related=True)]
    for version in (4, None):
        message = pub.message("file:///t.py", version, items)
        assert message is not None
        reference = CONVERTER.unstructure(types.PublishDiagnosticsNotification(
            params=types.PublishDiagnosticsParams(uri="file:///t.py", version=version,
                                                  diagnostics=items)))
        assert json.loads(json.dumps(message)) == json.loads(json.dumps(reference))


def test_items_kept_from_the_last_publish_are_not_converted_again() -> None:
    pub, counting = publisher()
    first, second = item(3), item(7)
    pub.message("file:///t.py", 1, [first, second])
    assert counting.converted == [first, second]
    third = item(8)
    message = pub.message("file:///t.py", 2, [first, third])
    assert counting.converted == [first, second, third]  # only the new one
    assert message is not None and len(message["params"]["diagnostics"]) == 2
    pub.message("file:///other.py", 1, [first])  # per document
    assert counting.converted[-1] is first


def test_without_the_converter_it_leaves_conversion_to_pygls() -> None:
    pub = Publisher(SimpleNamespace(protocol=SimpleNamespace()))  # type: ignore[arg-type]
    assert pub.message("file:///t.py", 1, [item(3)]) is None


def test_the_written_text_is_what_pygls_would_write() -> None:
    pub, _ = publisher()
    items = [item(3), item(7, "SL211"), item(9, related=True)]
    for version in (4, None):
        body = pub.body("file:///t.py", version, items)
        message = pub.message("file:///t.py", version, items)
        assert body is not None and message is not None
        assert body == json.dumps(message)  # pygls' _send_data: json.dumps(data)
    assert pub.body("file:///t.py", 5, []) == json.dumps(pub.message("file:///t.py", 5, []))


def test_an_item_kept_is_not_encoded_again() -> None:
    pub, _ = publisher()
    first, second = item(3), item(7)
    pub.body("file:///t.py", 1, [first, second])
    kept = pub._wire["file:///t.py"][id(first)]
    text = kept.text
    pub.body("file:///t.py", 2, [first, item(8)])
    assert pub._wire["file:///t.py"][id(first)] is kept and kept.text is text


class Writer:
    def __init__(self) -> None:
        self.data: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.data.append(data)


def test_it_writes_with_pygls_headers() -> None:
    writer = Writer()
    protocol = SimpleNamespace(_converter=CONVERTER, _send_data=None, writer=writer,
                               _include_headers=True, CHARSET="utf-8",
                               CONTENT_TYPE="application/vscode-jsonrpc")
    pub = Publisher(SimpleNamespace(protocol=protocol))  # type: ignore[arg-type]
    body = pub.body("file:///t.py", 1, [item(3)])
    assert body is not None and pub._write(body)
    header, _, sent = writer.data[0].partition(b"\r\n\r\n")
    assert json.loads(sent) == json.loads(body)
    assert header.split(b"\r\n") == [
        f"Content-Length: {len(sent)}".encode(),
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8"]
    assert not Publisher(SimpleNamespace(protocol=SimpleNamespace(  # type: ignore[arg-type]
        _converter=CONVERTER, _send_data=None)))._write(body)  # no writer: pygls sends it


BUGGY = '''import tensorflow as tf

a = tf.reshape(tf.zeros((3, 4)), (5,))
b = tf.zeros((2,))


def later():
    return tf.reshape(tf.zeros((2, 3)), (7,))
'''


def test_an_edit_elsewhere_keeps_the_findings_and_their_items() -> None:
    """A replayed statement keeps its finding object (``analysis._collect``), and the
    conversion to LSP is kept by identity (``publisher.diagnostic_items``)."""
    from pygls.workspace import PositionCodec

    from shapelens.core import Config, Session, analyze
    from shapelens.lsp.convert import Positions
    from shapelens.lsp.publisher import diagnostic_items
    from shapelens.lsp.results import Result

    ls = SimpleNamespace(settings=SimpleNamespace(enable=True, severity={}),
                         client_capabilities=types.ClientCapabilities())
    session = Session()

    def items(text: str, version: int) -> tuple[list[Any], list[types.Diagnostic]]:
        found = analyze(text, "kept.py", session=session)
        result = Result("file:///kept.py", (version, 0, 0), text, found,
                        Positions(text, PositionCodec()), Config())
        return found.findings, diagnostic_items(ls, result)  # type: ignore[arg-type]

    findings, first = items(BUGGY, 1)
    assert [f.code for f in findings] == ["SL101", "SL101"]
    again, second = items(BUGGY.replace("(2,)", "(3,)"), 2)  # b's line only
    assert all(a is b for a, b in zip(findings, again, strict=True))
    assert all(a is b for a, b in zip(first, second, strict=True))
    moved, third = items(BUGGY.replace("(5,)", "(6,)"), 3)  # a's finding is new
    assert moved[0] is not findings[0] and "[6]" in third[0].message
    assert moved[1] is findings[1] and third[1] is first[1]
