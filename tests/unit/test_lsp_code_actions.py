"""Code actions from a made-up analysis: fixes, preference, fix-all (no server)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lsprotocol import types
from pygls.workspace import PositionCodec

from shapelens.core import Analysis, Config, Finding, Fix, Span
from shapelens.fixes import FIXERS, Edit, register
from shapelens.lsp.code_actions import FIX_ALL, actions_for
from shapelens.lsp.convert import Positions
from shapelens.lsp.documents import Result

SOURCE = "a = f(1)\nb = g(2)\nc = h(3)\n"
URI = "file:///m.py"


def _result(*findings: Finding) -> Result:
    return Result(URI, (3, 0, 0), SOURCE, Analysis("m.py", findings=list(findings)),
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


class _Rename:
    """A stand-in engine fixer: replaces the finding's span with ``args["to"]``."""

    fix_id = "test-rename"

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        return [Edit(finding.span, dict(finding.fix.args)["to"])]  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def rename_fixer() -> Iterator[None]:
    register(_Rename())
    yield
    del FIXERS["test-rename"]


CAPS = types.ClientCapabilities()
SAFE = Finding("SL101", "m", Span(1, 4, 1, 8), fix=Fix("test-rename", "Rename", True,
                                                      (("to", "F(1)"),)))
UNSAFE = Finding("SL102", "m", Span(2, 4, 2, 8), fix=Fix("test-rename", "Rename", False,
                                                        (("to", "G(2)"),)))
SUPPRESS = Finding("SL104", "m", Span(2, 0, 2, 1), fix=Fix("suppress", "Silence", True))
PLAIN = Finding("SL103", "m", Span(3, 4, 3, 8))


def test_fix_is_preferred_only_when_safe() -> None:
    safe = actions_for(_result(SAFE), _params(["quickfix"]), CAPS)
    assert [(a.title, a.is_preferred) for a in safe] == [
        ("shapelens (SL101): Rename", True), ("Ignore SL101 on this line", None)]
    assert _changes(safe[0]) == [(0, 4, "F(1)")]
    unsafe = actions_for(_result(UNSAFE), _params(["quickfix"], line=1), CAPS)
    assert [(a.title, a.is_preferred) for a in unsafe] == [
        ("shapelens (SL102): Rename", None), ("Ignore SL102 on this line", None)]


def test_fix_all_applies_only_safe_fixes_never_suppressions() -> None:
    result = _result(SAFE, UNSAFE, SUPPRESS, PLAIN)
    (action,) = actions_for(result, _params([FIX_ALL]), CAPS)
    assert (action.title, action.kind) == ("shapelens: fix all safe problems", FIX_ALL)
    assert _changes(action) == [(0, 4, "F(1)")]
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


ALTERNATIVE = Finding("SL105", "m", Span(1, 4, 1, 8),
                      fix=Fix("test-rename", "Rename", True, (("to", "F(1)"),)),
                      alternatives=(Fix("test-rename", "Rename differently", False,
                                        (("to", "K(1)"),)),))


def test_alternatives_are_extra_quick_fixes_never_preferred_nor_in_fix_all() -> None:
    actions = actions_for(_result(ALTERNATIVE), _params(["quickfix"]), CAPS)
    assert [(a.title, a.is_preferred) for a in actions] == [
        ("shapelens (SL105): Rename", True), ("shapelens (SL105): Rename differently", None),
        ("Ignore SL105 on this line", None)]
    assert _changes(actions[1]) == [(0, 4, "K(1)")]
    (fix_all,) = actions_for(_result(ALTERNATIVE), _params([FIX_ALL]), CAPS)
    assert _changes(fix_all) == [(0, 4, "F(1)")]


def test_alternatives_travel_in_diagnostic_data() -> None:
    from shapelens.lsp.convert import diagnostic, finding_from_diagnostic

    positions = Positions(SOURCE, PositionCodec())
    diag = diagnostic(ALTERNATIVE, positions, URI)
    assert isinstance(diag.data, dict)
    assert diag.data["alternatives"] == [{"fixId": "test-rename", "title": "Rename differently",
                                          "safe": False, "args": [["to", "K(1)"]]}]
    back = finding_from_diagnostic(diag, positions)
    assert back is not None
    assert (back.fix, back.alternatives) == (ALTERNATIVE.fix, ALTERNATIVE.alternatives)
    plain = diagnostic(SAFE, positions, URI).data
    assert isinstance(plain, dict) and "alternatives" not in plain
    # actions from the client's diagnostic (the alternative rebuilt from its data)
    params = _params(["quickfix"])
    params.context.diagnostics = [diag]
    titles = [a.title for a in actions_for(_result(), params, CAPS)]
    assert titles == ["shapelens (SL105): Rename", "shapelens (SL105): Rename differently",
                      "Ignore SL105 on this line"]


def test_a_fix_is_computed_once_per_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """The light bulb asks again and again on one version; fix-all reuses the quick fixes'
    edits. A new version (a new ``Result``) computes them again."""
    calls: list[int] = []
    real = _Rename.edits

    def counting(self: _Rename, source: str, finding: Finding) -> list[Edit]:
        calls.append(finding.span.line)
        return real(self, source, finding)

    monkeypatch.setattr(_Rename, "edits", counting)
    result = _result(SAFE, ALTERNATIVE)
    for _ in range(3):
        actions = actions_for(result, _params(["quickfix"]), CAPS)
        assert _changes(actions[0]) == [(0, 4, "F(1)")]
    actions_for(result, _params([FIX_ALL]), CAPS)
    assert sorted(calls) == [1, 1, 1]  # SAFE, ALTERNATIVE's fix and its alternative
    actions_for(_result(SAFE, ALTERNATIVE), _params(["quickfix"]), CAPS)
    assert len(calls) == 6


def test_engine_fixes_use_the_analysis_tree() -> None:
    """A real engine fix in a code action: computed from the analysis' ``ast`` tree."""
    from shapelens.core import analyze

    source = ("import tensorflow as tf\nx = tf.constant(3.0)\n"
              "with tf.GradientTape() as tape:\n    y = x * x\ng = tape.gradient(y, x)\n")
    analysis = analyze(source, "m.py")
    result = Result(URI, (1, 0, 0), source, analysis, Positions(source, PositionCodec()),
                    Config())
    params = _params(["quickfix"], line=4)
    actions = actions_for(result, params, CAPS)
    assert actions[0].title == "shapelens (SL301): Add tape.watch(x)"
    assert _changes(actions[0]) == [(3, 0, "    tape.watch(x)\n")]
    assert result.cache["fix_edits"]
