"""Code actions from a made-up analysis: fixes, preference, fix-all (no server)."""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace import PositionCodec

from shapelens.core import Analysis, Config, Finding, Fix, Span
from shapelens.lsp.code_actions import FIX_ALL, actions_for
from shapelens.lsp.convert import Positions
from shapelens.lsp.documents import Result

SOURCE = "a = f(1)\nb = g(2)\nc = h(3)\n"
URI = "file:///m.py"


def _result(*findings: Finding) -> Result:
    return Result(URI, (3, 0), SOURCE, Analysis("m.py", findings=list(findings)),
                  Positions(SOURCE, PositionCodec()), Config())


def _params(only: list[str] | None, line: int = 0) -> types.CodeActionParams:
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        range=types.Range(start=types.Position(line=line, character=0),
                          end=types.Position(line=line, character=8)),
        context=types.CodeActionContext(diagnostics=[], only=only))


def _changes(action: types.CodeAction) -> list[tuple[int, int, str]]:
    assert action.edit is not None and action.edit.changes is not None
    return [(e.range.start.line, e.range.start.character, e.new_text)
            for e in action.edit.changes[URI]]


CAPS = types.ClientCapabilities()
SAFE = Finding("SL101", "m", Span(1, 4, 1, 8), fix=Fix("suppress", "Silence", True))
UNSAFE = Finding("SL102", "m", Span(2, 4, 2, 8), fix=Fix("suppress", "Silence", False))
PLAIN = Finding("SL103", "m", Span(3, 4, 3, 8))


def test_fix_is_preferred_only_when_safe() -> None:
    safe = actions_for(_result(SAFE), _params(["quickfix"]), CAPS)
    assert [(a.title, a.is_preferred) for a in safe] == [
        ("shapelens (SL101): Silence", True), ("Ignore SL101 on this line", None)]
    unsafe = actions_for(_result(UNSAFE), _params(["quickfix"], line=1), CAPS)
    assert [(a.title, a.is_preferred) for a in unsafe] == [
        ("shapelens (SL102): Silence", None), ("Ignore SL102 on this line", None)]


def test_fix_all_applies_only_safe_fixes() -> None:
    (action,) = actions_for(_result(SAFE, UNSAFE, PLAIN), _params([FIX_ALL]), CAPS)
    assert (action.title, action.kind) == ("shapelens: fix all safe problems", FIX_ALL)
    assert _changes(action) == [(0, 8, "  # shapelens: ignore[SL101]")]
    assert actions_for(_result(PLAIN), _params(["source"]), CAPS) == []


def test_versioned_edits_when_supported() -> None:
    caps = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)))
    (action,) = actions_for(_result(PLAIN), _params(None, line=2), caps)
    assert action.edit is not None and action.edit.document_changes is not None
    change = action.edit.document_changes[0]
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document == types.OptionalVersionedTextDocumentIdentifier(uri=URI,
                                                                                 version=3)
