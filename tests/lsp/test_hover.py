"""Hover cards: exact Markdown for targets, uses, calls, diagnostics; silence elsewhere."""

from __future__ import annotations

import pytest
from lsprotocol import types

from shapelens.rules.catalogue import BY_CODE

from .helpers import Doc, RecordingClient, assert_hover, card, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


CASES = [
    # (position, expected markdown, expected range) in reshape_bug.py
    ((2, 0), card("y", "float32", "(4, 2)  ← tf.zeros((4, 2))"), rng(2, 0, 2, 1)),
    ((3, 0), card("w", "float32", "(2, 4)  ← tf.reshape(y, [2, 4]) on (4, 2)"), rng(3, 0, 3, 1)),
    ((4, 0), card("z", "float32", "(4, 4)  ← tf.matmul(y, w) on (4, 2), (2, 4)"),
     rng(4, 0, 4, 1)),
    ((4, 17), card("w", "float32", "(2, 4)  ← tf.reshape(y, [2, 4]) on (4, 2)  (line 4)"),
     rng(4, 17, 4, 18)),
    ((4, 6), card("tf.matmul(y, w)", "float32", "(4, 4)  ← tf.matmul(y, w) on (4, 2), (2, 4)"),
     rng(4, 4, 4, 19)),
]


@pytest.mark.parametrize(("position", "markdown", "range_"), CASES,
                         ids=["target", "reshape", "matmul", "use", "call"])
async def test_tensor_cards(client: RecordingClient, position: tuple[int, int], markdown: str,
                            range_: types.Range) -> None:
    await assert_hover(client, "reshape_bug.py", position, markdown, range_)


async def test_diagnostic_card_has_summary_and_link(client: RecordingClient) -> None:
    """On the SL101 call (whose result is unknown) the card is the rule alone."""
    doc = Doc(client, "reshape_bug.py").open()
    try:
        hover = await doc.hover(5, 10)
        rule = BY_CODE["SL101"]
        assert hover is not None
        assert hover.contents == types.MarkupContent(
            kind=types.MarkupKind.Markdown,
            value=f"**SL101** `reshape-size-mismatch`: {rule.summary} [docs]({rule.url})")
        assert hover.range == rng(5, 4, 5, 41)
    finally:
        doc.close()


async def test_hover_after_non_ascii_text(client: RecordingClient) -> None:
    """shapes.py line 4: `s = {"😋": héllo}["😋"] + ...`; hover `héllo` in client units."""
    doc = Doc(client, "shapes.py").open()
    try:
        encoding = client.initialize_result.capabilities.position_encoding  # type: ignore
        start = {"utf-16": 11, "utf-8": 13, "utf-32": 10}[encoding]
        width = {"utf-16": 5, "utf-8": 6, "utf-32": 5}[encoding]
        hover = await doc.hover(3, start + 1)
        assert hover is not None and hover.range == rng(3, start, 3, start + width)
        assert hover.contents.value == card(  # type: ignore[union-attr]
            "héllo", "float32", "(2, 3)  ← tf.ones((2, 3))  (line 3)")
    finally:
        doc.close()


@pytest.mark.parametrize("position", [(1, 0), (0, 3), (99, 0), (2, 500)],
                         ids=["blank", "import", "past-end", "past-line-end"])
async def test_silence_where_nothing_is_known(client: RecordingClient,
                                              position: tuple[int, int]) -> None:
    doc = Doc(client, "reshape_bug.py").open()
    try:
        assert await doc.hover(*position) is None
    finally:
        doc.close()


async def test_unopened_document(client: RecordingClient) -> None:
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri="file:///nowhere/missing.py"),
        position=types.Position(line=0, character=0)))
    assert hover is None


MODEL_CARD = "\n".join([
    "**`model`** · Sequential model · 2,116 params", "",
    "| layer | output shape | params |", "|:--|:--|--:|",
    "| LSTM | `(batch, 20, 16)` | 1,280 |",
    "| LSTM | `(batch, 8)` | 800 |",
    "| Dense | `(batch, 4)` | 36 |"])


@pytest.mark.parametrize(("position", "markdown", "range_"), [
    ((2, 2), MODEL_CARD, rng(2, 0, 2, 5)),
    ((8, 10), MODEL_CARD, rng(8, 8, 8, 13)),
    ((8, 0), card("probs", "float32", "(4, 4)  ← Dense(4, activation='softmax') on (4, 8)")
     .replace("Tensor", "ndarray"), rng(8, 0, 8, 5)),
], ids=["model-target", "model-use", "predict"])
async def test_keras_model_cards(client: RecordingClient, position: tuple[int, int],
                                 markdown: str, range_: types.Range) -> None:
    """keras_model.py: the model's per-layer table, like model.summary()."""
    await assert_hover(client, "keras_model.py", position, markdown, range_)


async def test_tape_and_gradient_cards(client: RecordingClient) -> None:
    """tape_watch.py: what the tape watches; why the gradient is None, with the rule."""
    doc = Doc(client, "tape_watch.py").open()
    try:
        tape = await doc.hover(4, 27)
        assert tape is not None and tape.range == rng(4, 26, 4, 30)
        assert tape.contents.value == (  # type: ignore[union-attr]
            "**`tape`** · GradientTape\n\nwatches nothing: no variable is read and nothing is "
            "passed to `watch` inside the block (line 5)")
        gradient = await doc.hover(6, 15)
        rule = BY_CODE["SL301"]
        assert gradient is not None and gradient.range == rng(6, 7, 6, 32)
        assert gradient.contents.value == (  # type: ignore[union-attr]
            "**`tape.gradient(loss, rate)`** · 1 gradient\n\n"
            "- `rate` → **None**: it is a tensor the tape never watched; call tape.watch(rate) "
            "inside the tape or make it a tf.Variable\n\n---\n\n"
            f"**SL301** `unwatched-source`: {rule.summary} [docs]({rule.url})")
    finally:
        doc.close()
