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
