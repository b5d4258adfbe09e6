"""Notebooks: cells analysed as one program, answers on the cell documents.

Shapes flow from earlier cells to later ones (hover, inlay hints), a diagnostic lands in the
cell where the error is even when an earlier cell causes it, an edit in one cell changes the
diagnostics of later ones, and code actions edit the right cell. Every test runs as VS Code
(push diagnostics) and as Neovim (pull).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from .helpers import CONFIG, RecordingClient, initialize_params, pull_supported, rng
from .notebook_helpers import NotebookDoc, read_cells

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "notebooks"

SHAPES = [
    ("markdown", "# A CNN input, reshaped across cells"),
    ("code", "import tensorflow as tf\nimages = tf.zeros((8, 28, 28, 1))\n"),
    ("code", "%matplotlib inline\n!pip install tensorflow\nflat = tf.reshape(images, (8, 784))"),
    ("code", "%%time\nlogits = tf.matmul(flat, tf.zeros((784, 10)))\nout = logits"),
]
RESHAPE = [
    ("code", "import tensorflow as tf\nx = tf.zeros((4, 6))"),
    ("code", "y = tf.reshape(x, (5, 5))"),
]
TAPE = [
    ("code", "import tensorflow as tf\nrate = tf.constant(0.2)\nt = tf.constant([1.0, 2.0, 3.0])"),
    ("code", "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(tf.exp(-rate * t))"),
    ("code", "grad = tape.gradient(loss, rate)"),
]


def _card(label: str, line: str) -> str:
    return f"**`{label}`** · Tensor · `float32`\n```text\n{line}\n```"


async def _actions(client: RecordingClient, nb: NotebookDoc, index: int,
                   diag: types.Diagnostic) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=nb.cells[index].uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag])))
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


def _cell_edits(client: RecordingClient, action: types.CodeAction,
                nb: NotebookDoc) -> dict[int, list[types.TextEdit]]:
    """The action's edits by cell index, checking the versions the client will verify."""
    assert action.edit is not None
    caps = client.capabilities.workspace  # type: ignore[union-attr]
    index = {c.uri: i for i, c in enumerate(nb.cells)}
    if caps and caps.workspace_edit and caps.workspace_edit.document_changes:
        out = {}
        for change in action.edit.document_changes or []:
            assert isinstance(change, types.TextDocumentEdit)
            i = index[change.text_document.uri]
            assert change.text_document.version == nb.cells[i].version
            out[i] = list(change.edits)
        return out  # type: ignore[return-value]
    return {index[uri]: list(edits) for uri, edits in (action.edit.changes or {}).items()}


async def test_shapes_flow_across_cells_and_magics_are_skipped(client: RecordingClient) -> None:
    nb = NotebookDoc(client, "shapes.ipynb", SHAPES).open()
    try:
        for index in (1, 2, 3):  # cell 0 is markdown: not part of the program
            assert await nb.diagnostics(index) == [], index  # no SL901 for %/! lines
        hover = await nb.hover(3, 2, 6)  # `out = logits` in cell 4: logits is from line 2
        assert hover == types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=_card(
                "logits", "(8, 10)  ← tf.matmul(flat, tf.zeros((784, 10))) on (8, 784), "
                "(784, 10)  (cell 4, line 2)")),
            range=rng(2, 6, 2, 12))
        hover = await nb.hover(2, 2, 20)  # `images` in cell 3, made in cell 2
        assert hover is not None and hover.range == rng(2, 18, 2, 24)
        assert "(8, 28, 28, 1)  ← tf.zeros((8, 28, 28, 1))  (cell 2, line 2)" in \
            hover.contents.value  # type: ignore[union-attr]
        hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=nb.cells[2].uri),
            range=rng(0, 0, 3, 0)))
        assert [(h.position, h.label) for h in hints or []] == [
            (types.Position(line=2, character=4), ": (8, 784)")]
        assert await nb.hover(0, 0, 2) is None  # markdown is not code
    finally:
        nb.close()


async def test_a_tape_sees_the_variables_of_earlier_cells(client: RecordingClient) -> None:
    cells = [("code", "import tensorflow as tf\nw = tf.Variable(tf.ones((3, 2)))\n"
                      "x = tf.ones((4, 3))"),
             ("code", "with tf.GradientTape() as tape:\n    y = tf.reduce_sum(x @ w)"),
             ("code", "g = tape.gradient(y, w)")]
    nb = NotebookDoc(client, "tape_vars.ipynb", cells).open()
    try:
        tape = await nb.hover(2, 0, 5)
        assert tape is not None and tape.range == rng(0, 4, 0, 8)
        assert tape.contents.value == (  # type: ignore[union-attr]
            "**`tape`** · GradientTape\n\nwatches `w` (cell 2, line 1)")
        gradient = await nb.hover(2, 0, 12)
        assert gradient is not None and gradient.range == rng(0, 4, 0, 23)
        assert "- `w` → `(3, 2)`" in gradient.contents.value  # type: ignore[union-attr]
        assert [await nb.diagnostics(i) for i in range(3)] == [[], [], []]
    finally:
        nb.close()


async def test_a_later_cell_gets_the_error_an_earlier_cell_causes(
        client: RecordingClient) -> None:
    nb = NotebookDoc(client, "reshape.ipynb", RESHAPE).open()
    try:
        assert await nb.diagnostics(0) == []
        (diag,) = await nb.diagnostics(1)
        assert (diag.code, diag.range) == ("SL101", rng(0, 4, 0, 25))
        assert "24" in diag.message and "25" in diag.message
    finally:
        nb.close()


async def test_editing_a_cell_changes_a_later_cells_diagnostics(
        client: RecordingClient) -> None:
    nb = NotebookDoc(client, "edit.ipynb", RESHAPE).open()
    try:
        assert [d.code for d in await nb.diagnostics(1)] == ["SL101"]
        nb.edit(0, (1, 13), (1, 19), "(5, 5)")  # x = tf.zeros((5, 5))
        assert await nb.diagnostics(1) == []
        nb.edit(0, (1, 13), (1, 19), "(2, 3)")
        assert [d.code for d in await nb.diagnostics(1)] == ["SL101"]
        assert await nb.diagnostics(0) == []
    finally:
        nb.close()


async def test_adding_and_removing_cells(client: RecordingClient) -> None:
    """A cell inserted before the error moves nothing; removing the error's cell clears it."""
    nb = NotebookDoc(client, "cells.ipynb", RESHAPE).open()
    try:
        nb.splice(1, 0, [("code", "x = tf.zeros((25,))")])
        assert await nb.diagnostics(2) == []
        nb.splice(2, 0, [("code", "x = tf.ones((3, 3))")])
        assert [d.code for d in await nb.diagnostics(3)] == ["SL101"]
        (removed,) = nb.splice(3, 1, [])
        assert await nb.diagnostics(2) == []
        if not pull_supported(client):  # push: the removed cell's squiggles are cleared
            assert not nb.published(removed.uri)[-1].diagnostics
    finally:
        nb.close()
    if not pull_supported(client):
        await client.wait_until(lambda: all(
            nb.published(c.uri) and not nb.published(c.uri)[-1].diagnostics
            for c in nb.cells))


async def test_add_watch_fix_in_the_tape_cell_and_ignore_in_the_gradient_cell(
        client: RecordingClient) -> None:
    """The tape (cell 2) sees `rate` from cell 1; SL301 is on the gradient call in cell 3,
    and its fix inserts `tape.watch(rate)` into the tape's block, in cell 2."""
    nb = NotebookDoc(client, "tape.ipynb", TAPE).open()
    try:
        (diag,) = await nb.diagnostics(2)
        assert (diag.code, diag.range) == ("SL301", rng(0, 7, 0, 32))
        fix, variable, ignore = await _actions(client, nb, 2, diag)
        assert (fix.title, fix.is_preferred) == ("shapelens (SL301): Add tape.watch(rate)", True)
        assert (variable.title, variable.is_preferred) == (
            "shapelens (SL301): Create rate as a tf.Variable", None)  # the alternative fix
        assert fix.diagnostics == (diag,) or fix.diagnostics == [diag]
        assert _cell_edits(client, fix, nb) == {1: [types.TextEdit(
            range=rng(1, 0, 1, 0), new_text="    tape.watch(rate)\n")]}
        assert _cell_edits(client, ignore, nb) == {2: [types.TextEdit(
            range=rng(0, 32, 0, 32), new_text="  # shapelens: ignore[SL301]")]}
        (edit,) = _cell_edits(client, fix, nb)[1]
        nb.edit(1, (1, 0), (1, 0), edit.new_text)
        assert await nb.diagnostics(2) == []
        assert await nb.diagnostics(1) == []
    finally:
        nb.close()


async def test_ignore_action_applied_inside_a_cell(client: RecordingClient) -> None:
    nb = NotebookDoc(client, "ignore.ipynb", RESHAPE).open()
    try:
        (diag,) = await nb.diagnostics(1)
        (ignore,) = await _actions(client, nb, 1, diag)
        assert ignore.title == "Ignore SL101 on this line"
        ((index, (edit,)),) = _cell_edits(client, ignore, nb).items()
        assert (index, edit.range) == (1, rng(0, 25, 0, 25))
        nb.edit(1, (0, 25), (0, 25), edit.new_text)
        assert await nb.diagnostics(1) == []
    finally:
        nb.close()


BLOCK = ("code", "with tf.GradientTape() as tape:\n"
                 "    loss = tf.reduce_sum(tf.exp(-rate * t))\n"
                 "    grad = tape.gradient(loss, rate)\n"
                 "    other = loss * 2")


@pytest.mark.parametrize("last", [True, False], ids=["last-cell", "cell-followed"])
async def test_a_line_moved_after_a_block_that_ends_its_cell_stays_in_that_cell(
        client: RecordingClient, last: bool) -> None:
    """SL310's fix moves `tape.gradient` after the block; the block ends the cell (with no
    final line break, as editors keep cells), so the program's insertion point is the next
    cell's start or the program's end: the fix still edits this cell only."""
    cells = [TAPE[0], BLOCK] + ([] if last else [("code", "print(grad)")])
    nb = NotebookDoc(client, "move.ipynb", cells).open()
    try:
        diags = await nb.diagnostics(1)
        assert sorted(str(d.code) for d in diags) == ["SL301", "SL310"]
        sl310 = next(d for d in diags if d.code == "SL310")
        fix = next(a for a in await _actions(client, nb, 1, sl310) if "Move" in a.title)
        delete, insert = _cell_edits(client, fix, nb)[1]
        assert list(_cell_edits(client, fix, nb)) == [1]
        assert (delete.range, delete.new_text) == (rng(2, 0, 3, 0), "")
        assert (insert.range, insert.new_text) == (
            rng(3, 20, 3, 20), "\ngrad = tape.gradient(loss, rate)")
        nb.edit(1, (3, 20), (3, 20), insert.new_text)  # the later edit first
        nb.edit(1, (2, 0), (3, 0), "")
        assert [d.code for d in await nb.diagnostics(1)] == ["SL301"]
    finally:
        nb.close()


async def test_cnn_fixture_notebook(client: RecordingClient) -> None:
    """fixtures/notebooks: the buggy CNN's error is in the cell the oracle proves it in."""
    path = FIXTURES / "mnist_cnn_SL202.ipynb"
    nb = NotebookDoc(client, path.name, read_cells(path), path=path).open()
    try:
        found = {}
        for index, cell in enumerate(nb.cells):
            if cell.kind == types.NotebookCellKind.Code:
                for diag in await nb.diagnostics(index):
                    found[(index, diag.range.start.line)] = diag.code
        expected = {(i, n): "SL202" for i, cell in enumerate(nb.cells)
                    for n, line in enumerate(cell.text.splitlines()) if "expect: SL202" in line}
        assert found == expected and expected
    finally:
        nb.close()


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines()) if needle in line)


@pytest.mark.parametrize(("name", "targets"), [
    ("resized_photos_SL207.ipynb", "labels = "), ("mask_labels_SL207.ipynb", "targets = "),
    ("resized_scans_SL206.ipynb", "images = ")])
async def test_fit_error_points_at_the_data_cell(client: RecordingClient, name: str,
                                                 targets: str) -> None:
    """fixtures/notebooks, data cell -> fit cell three cells later: the error (targets
    SL207, inputs SL206) is on the fit line where TF raises (the oracle proves that cell and
    line), and its related information points at the line of the data cell that made the
    mismatched value."""
    code = name.rsplit("_", 1)[1].split(".")[0]
    path = FIXTURES / name
    nb = NotebookDoc(client, path.name, read_cells(path), path=path).open()
    try:
        found = [(i, d) for i, cell in enumerate(nb.cells)
                 if cell.kind == types.NotebookCellKind.Code
                 for d in await nb.diagnostics(i)]
        ((fit_cell, diag),) = found
        assert diag.code == code
        assert diag.range.start.line == _line_of(nb.cells[fit_cell].text, f"expect: {code}")
        data_cell = next(i for i, cell in enumerate(nb.cells) if targets in cell.text)
        assert fit_cell == data_cell + 3
        (info,) = diag.related_information or []
        assert info.location.uri == nb.cells[data_cell].uri
        assert info.location.range.start.line == _line_of(nb.cells[data_cell].text, targets)
        assert "get their shape" in info.message
    finally:
        nb.close()


async def test_matching_loss_fix_from_the_fit_cell_edits_the_compile_cell(
        client: RecordingClient) -> None:
    """The SL207's quick fix (one-hot labels with a sparse loss) edits the compile call one
    cell above the fit cell, and the error is gone once it is applied."""
    path = FIXTURES / "resized_photos_SL207.ipynb"
    nb = NotebookDoc(client, path.name, read_cells(path), path=path).open()
    try:
        fit_cell = next(i for i, c in enumerate(nb.cells) if "model.fit(" in c.text)
        compile_cell = next(i for i, c in enumerate(nb.cells) if "model.compile(" in c.text)
        (diag,) = await nb.diagnostics(fit_cell)
        fix = next(a for a in await _actions(client, nb, fit_cell, diag)
                   if "categorical_crossentropy" in a.title)
        assert fix.title == "shapelens (SL207): Use categorical_crossentropy for these targets"
        ((cell, (edit,)),) = _cell_edits(client, fix, nb).items()
        assert cell == compile_cell and edit.new_text == "categorical_crossentropy"
        nb.edit(cell, (edit.range.start.line, edit.range.start.character),
                (edit.range.end.line, edit.range.end.character), edit.new_text)
        assert await nb.diagnostics(fit_cell) == []
    finally:
        nb.close()


async def test_pull_client_is_asked_to_refresh_and_gets_unchanged_reports() -> None:
    """Own server: a pull client with refresh support and notebook capabilities (VS Code's
    real combination). The capability is advertised; an edit in cell 1 makes the server ask
    for a re-pull, since cell 2's diagnostics changed; result ids are per cell content."""
    client = await CONFIG.start()
    assert isinstance(client, RecordingClient)
    params = initialize_params("neovim")
    assert params.capabilities.workspace is not None
    params.capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True)
    params.capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities())
    result = await client.initialize_session(params)
    try:
        sync = result.capabilities.notebook_document_sync
        assert isinstance(sync, types.NotebookDocumentSyncOptions)
        assert [(s.notebook, list(s.cells)) for s in sync.notebook_selector] == [  # type: ignore
            ("jupyter-notebook", [types.NotebookCellLanguage(language="python")])]
        nb = NotebookDoc(client, "refresh.ipynb", RESHAPE).open()

        async def pull(index: int, previous: str | None = None) -> Any:
            return await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=nb.cells[index].uri),
                previous_result_id=previous))

        first, second = await pull(0), await pull(1)
        assert [d.code for d in second.items] == ["SL101"] and not first.items
        assert (await pull(1, second.result_id)).kind == "unchanged"
        refreshes = client.diagnostic_refresh_count
        nb.edit(0, (1, 13), (1, 19), "(5, 5)")
        assert (await pull(0, first.result_id)).kind == "unchanged"  # cell 1: still clean
        assert client.diagnostic_refresh_count > refreshes  # sent before that answer
        again = await pull(1, second.result_id)
        assert again.kind == "full" and not again.items
        nb.close()
    finally:
        await client.shutdown_session()
        await client.stop()


INCREMENTAL = [
    ("code", "import tensorflow as tf\nimport keras\nbatch = 8"),
    ("code", "model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(4)])\n"
             "w = tf.Variable(tf.ones((16, 4)))"),
    ("code", "x = tf.zeros((batch, 16))\nh = x * 2.0"),
    ("code", "scores = tf.matmul(h, w)\nlogits = model(x)"),
]


async def test_a_cell_edit_reanalyses_only_from_that_cell_on() -> None:
    """The server logs how many top-level statements each analysis ran and replayed: after
    an edit in cell 3 the four statements of cells 1-2 are replayed, not re-run, and the
    later cell still sees the edit (its diagnostic appears)."""
    from .test_settings import server

    async with server("visual_studio_code", {"logLevel": "info"}) as client:
        assert client.capabilities is not None
        client.capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities())
        nb = NotebookDoc(client, "incremental.ipynb", INCREMENTAL).open()
        try:
            assert await nb.diagnostics(3) == []
            nb.edit(2, (0, 21), (0, 23), "17")  # x = tf.zeros((batch, 17))
            diags = await nb.diagnostics(3)
            assert [d.code for d in diags] == ["SL102"]  # matmul (8, 17) @ (16, 4)

            def logged(version: int) -> list[str]:
                return [m.message for m in client.log_messages
                        if f"incremental.ipynb v{version} " in m.message]

            (first,) = await client.wait_until(lambda: logged(1))
            (second,) = await client.wait_until(lambda: logged(2))
            assert first.endswith("; 9 statement(s) run, 0 replayed"), first
            # cells 1-2 (imports, batch, model, w) are replayed; from cell 3 on, x, h and
            # scores read the edit, and logits follows a statement that now raises.
            assert second.endswith("; 4 statement(s) run, 5 replayed"), second
        finally:
            nb.close()
