"""Position conversion and Finding <-> Diagnostic, without a server."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.workspace import PositionCodec

from shapelens.core import Finding, Fix, Span
from shapelens.domain.shapes import DYNAMIC
from shapelens.lsp.convert import (
    DiagnosticSupport,
    Positions,
    diagnostic,
    finding_from_diagnostic,
    shape_text,
)
from shapelens.rules.catalogue import BY_CODE

SOURCE = 'a = "😋é"; b = 1\r\nsecond\n'
UTF = {"utf-8": types.PositionEncodingKind.Utf8, "utf-16": types.PositionEncodingKind.Utf16,
       "utf-32": types.PositionEncodingKind.Utf32}


@pytest.mark.parametrize(("encoding", "character"), [("utf-8", 15), ("utf-16", 12),
                                                     ("utf-32", 11)])
def test_positions_round_trip(encoding: str, character: int) -> None:
    """Code point 11 (after `b`) follows 😋 (4/2/1 units) and é (2/1/1 units)."""
    positions = Positions(SOURCE, PositionCodec(UTF[encoding]))
    pos = positions.position(1, 11)
    assert pos == types.Position(line=0, character=character)
    assert positions.from_position(pos) == (1, 11)


def test_positions_outside_the_document() -> None:
    positions = Positions(SOURCE, PositionCodec())
    assert positions.lines == ['a = "😋é"; b = 1', "second", ""]  # \r\n is one break
    assert positions.from_position(types.Position(line=3, character=0)) is None
    assert positions.from_position(types.Position(line=1, character=99)) == (2, 6)
    assert positions.position(99, 0) == types.Position(line=2, character=0)
    assert positions.col_from_bytes(1, len('a = "😋é"; '.encode())) == 10


def test_shape_text() -> None:
    assert [shape_text(s) for s in [(None, "batch", 3), (4,), (), None, (DYNAMIC, None)]] == [
        "(?, batch, 3)", "(4,)", "()", "(?…)", "(None, ?)"]


def test_diagnostic_fields_and_round_trip() -> None:
    finding = Finding("SL211", "use keras.Input", Span(2, 0, 2, 6), "hint",
                      fix=Fix("move-input", "Use keras.Input", True, (("shape", (28, 28)),)),
                      related=((Span(1, 0, 1, 1), "`a` is (None, 10) here"),))
    positions = Positions(SOURCE, PositionCodec())
    diag = diagnostic(finding, positions, "file:///x.py", severity="warning")
    rng = types.Range(start=types.Position(line=1, character=0),
                      end=types.Position(line=1, character=6))
    assert diag == types.Diagnostic(
        range=rng, message="use keras.Input", severity=types.DiagnosticSeverity.Warning,
        code="SL211", code_description=types.CodeDescription(href=BY_CODE["SL211"].url),
        source="shapelens", tags=[types.DiagnosticTag.Deprecated],
        related_information=[types.DiagnosticRelatedInformation(
            location=types.Location(uri="file:///x.py", range=types.Range(
                start=types.Position(line=0, character=0),
                end=types.Position(line=0, character=1))),
            message="`a` is (None, 10) here")],
        data={"code": "SL211", "fix": {"fixId": "move-input", "title": "Use keras.Input",
                                       "safe": True, "args": [["shape", [28, 28]]]}})
    rebuilt = finding_from_diagnostic(diag, positions)
    assert rebuilt == Finding("SL211", "use keras.Input", Span(2, 0, 2, 6), fix=finding.fix)

    bare = diagnostic(finding, positions, "file:///x.py",
                      support=DiagnosticSupport(related_information=False, tags=False))
    assert bare.related_information is None and bare.tags is None
    other = types.Diagnostic(range=rng, message="m", source="ruff", code="F401")
    assert finding_from_diagnostic(other, positions) is None
