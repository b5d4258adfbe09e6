"""Code actions: "ignore on this line", fixes carried in Diagnostic.data, fix-all, round trip."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import WORKSPACE, Doc, RecordingClient, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


async def _actions(client: RecordingClient, doc: Doc, range_: types.Range,
                   diagnostics: list[types.Diagnostic],
                   only: list[str] | None = None) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), range=range_,
        context=types.CodeActionContext(diagnostics=diagnostics, only=only)))
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


def _edits(client: RecordingClient, action: types.CodeAction,
           doc: Doc) -> list[types.TextEdit]:
    """The edits of an action, checking the form the client asked for."""
    edit = action.edit
    assert edit is not None
    workspace = client.capabilities.workspace  # type: ignore[union-attr]
    if workspace and workspace.workspace_edit and workspace.workspace_edit.document_changes:
        assert edit.changes is None and edit.document_changes is not None
        (change,) = edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document == types.OptionalVersionedTextDocumentIdentifier(
            uri=doc.uri, version=doc.version)
        return list(change.edits)  # type: ignore[arg-type]
    assert edit.document_changes is None and edit.changes is not None
    return list(edit.changes[doc.uri])


async def test_ignore_on_this_line(client: RecordingClient) -> None:
    doc = Doc(client, "reshape_bug.py").open()
    try:
        (diag,) = await doc.diagnostics()
        (action,) = await _actions(client, doc, diag.range, [diag])
        assert (action.title, action.kind, action.is_preferred) == (
            "Ignore SL101 on this line", types.CodeActionKind.QuickFix, None)
        assert action.diagnostics == (diag,)
        assert _edits(client, action, doc) == [types.TextEdit(
            range=rng(5, 41, 5, 41), new_text="  # shapelens: ignore[SL101]")]
    finally:
        doc.close()


async def test_ignore_extends_an_existing_comment(client: RecordingClient) -> None:
    """suppressed.py line 4 already has `# shapelens: ignore[SL101]`."""
    doc = Doc(client, "suppressed.py").open()
    try:
        (diag,) = await doc.diagnostics()
        (action,) = await _actions(client, doc, diag.range, [diag])
        assert action.title == "Ignore SL102 on this line"
        assert _edits(client, action, doc) == [types.TextEdit(
            range=rng(3, 56, 3, 61), new_text="SL101, SL102")]
    finally:
        doc.close()


async def test_applying_the_action_removes_the_diagnostic(client: RecordingClient) -> None:
    doc = Doc(client, "reshape_bug.py").open()
    try:
        (diag,) = await doc.diagnostics()
        (action,) = await _actions(client, doc, diag.range, [diag])
        (edit,) = _edits(client, action, doc)
        doc.change((edit.range.start.line, edit.range.start.character),
                   (edit.range.end.line, edit.range.end.character), edit.new_text)
        assert await doc.diagnostics() == []
    finally:
        doc.close()


async def test_fix_from_diagnostic_data_is_a_preferred_quick_fix(
        client: RecordingClient) -> None:
    """A diagnostic whose data carries a safe fix gets it as the preferred action."""
    doc = Doc(client, "reshape_bug.py").open()
    try:
        (diag,) = await doc.diagnostics()
        diag.data = {"code": "SL101", "fix": {"fixId": "suppress", "title": "Silence it",
                                              "safe": True, "args": []}}
        fix, ignore = await _actions(client, doc, diag.range, [diag])
        assert (fix.title, fix.kind, fix.is_preferred) == (
            "shapelens (SL101): Silence it", types.CodeActionKind.QuickFix, True)
        assert _edits(client, fix, doc) == _edits(client, ignore, doc)
    finally:
        doc.close()


async def test_actions_without_client_context(client: RecordingClient) -> None:
    """A client that sends no diagnostics still gets the actions for the range."""
    doc = Doc(client, "reshape_bug.py").open()
    try:
        actions = await _actions(client, doc, rng(5, 10, 5, 10), [])
        assert [a.title for a in actions] == ["Ignore SL101 on this line"]
        assert await _actions(client, doc, rng(2, 0, 2, 5), []) == []
    finally:
        doc.close()


async def test_only_filters_kinds(client: RecordingClient) -> None:
    doc = Doc(client, "reshape_bug.py").open()
    try:
        (diag,) = await doc.diagnostics()
        # reshape_bug.py has no fixable finding: "fix all" has nothing to do.
        assert await _actions(client, doc, diag.range, [diag], only=["source.fixAll"]) == []
        quick = await _actions(client, doc, diag.range, [diag], only=["quickfix"])
        assert [a.title for a in quick] == ["Ignore SL101 on this line"]
    finally:
        doc.close()


WATCH = types.TextEdit(range=rng(5, 0, 5, 0), new_text="    tape.watch(rate)\n")


async def test_engine_fix_travels_in_diagnostic_data(client: RecordingClient) -> None:
    """tape_watch.py: SL301 carries the add-watch fix; it is the preferred quick fix. Its
    alternative (create the constant as a tf.Variable) travels too and is offered after it,
    not preferred."""
    doc = Doc(client, "tape_watch.py").open()
    try:
        (diag,) = await doc.diagnostics()
        assert (diag.code, diag.severity, diag.range) == (
            "SL301", types.DiagnosticSeverity.Warning, rng(6, 7, 6, 32))
        args = [["name", "rate"], ["tape", "tape"], ["with_line", 5]]
        assert diag.data == {"code": "SL301", "fix": {
            "fixId": "add-watch", "title": "Add tape.watch(rate)", "safe": True,
            "args": args}, "alternatives": [{
                "fixId": "constant-to-variable", "title": "Create rate as a tf.Variable",
                "safe": False, "args": args}]}
        fix, variable, ignore = await _actions(client, doc, diag.range, [diag])
        assert (fix.title, fix.is_preferred) == ("shapelens (SL301): Add tape.watch(rate)", True)
        assert _edits(client, fix, doc) == [WATCH]
        assert (variable.title, variable.is_preferred) == (
            "shapelens (SL301): Create rate as a tf.Variable", None)
        assert _edits(client, variable, doc) == [
            types.TextEdit(range=rng(2, 10, 2, 18), new_text="Variable")]
        assert ignore.title == "Ignore SL301 on this line"
    finally:
        doc.close()


async def test_fix_all_applies_the_safe_fixes(client: RecordingClient) -> None:
    doc = Doc(client, "tape_watch.py").open()
    try:
        (action,) = await _actions(client, doc, rng(0, 0, 0, 0), [],
                                   only=["source.fixAll.shapelens"])
        assert (action.title, action.kind) == ("shapelens: fix all safe problems",
                                               "source.fixAll.shapelens")
        assert _edits(client, action, doc) == [WATCH]
        doc.change((5, 0), (5, 0), WATCH.new_text)
        assert await doc.diagnostics() == []
    finally:
        doc.close()


FILLER = "".join(f"def helper_{i}(a):\n    return a + {i}\n\n\n" for i in range(150))


async def test_quick_fix_in_a_long_file_follows_the_edits(client: RecordingClient) -> None:
    """The fix is computed on the statements it touches (and once per version): in a long
    file it lands where the whole-module fixer puts it, and after an edit above it, one line
    lower."""
    text = FILLER + (WORKSPACE / "tape_watch.py").read_text() + FILLER
    doc = Doc(client, "tape_watch.py", text=text).open()
    offset = FILLER.count("\n")
    try:
        for shift in (0, 1):
            (diag,) = await doc.diagnostics()
            assert diag.range.start.line == 6 + offset + shift
            for _ in range(2):  # the second answer comes from the version's cache
                fix, _variable, _ignore = await _actions(client, doc, diag.range, [diag])
                assert _edits(client, fix, doc) == [types.TextEdit(
                    range=rng(5 + offset + shift, 0, 5 + offset + shift, 0),
                    new_text="    tape.watch(rate)\n")]
            doc.change((0, 0), (0, 0), "# a new first line\n")
    finally:
        doc.close()
