"""Hover on a subclassed Keras layer (subclassed_layer.py): its call's output has the shape
``call`` computes with the weights its ``build`` made on the first call (TF: ``y.shape`` is
(2, 4), the kernel (3, 4)); the dtype follows the layer's policy, which the engine does not
see, so it shows ``?``."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import Doc, RecordingClient, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


def _card(label: str, kind: str, line: str) -> str:
    return f"**`{label}`** · {kind} · `?`\n```text\n{line}\n```"


@pytest.mark.parametrize(("position", "markdown", "range_"), [
    ((19, 0), _card("y", "Tensor", "(2, 4)  ← Linear on (2, 3)"), rng(19, 0, 19, 1)),
    ((15, 39), _card("self.w", "Variable", "(3, 4)  ← self.w"), rng(15, 34, 15, 40)),
], ids=["layer-output", "weight-in-call"])
async def test_subclassed_layer_cards(client: RecordingClient, position: tuple[int, int],
                                      markdown: str, range_: types.Range) -> None:
    doc = Doc(client, "subclassed_layer.py").open()
    try:
        hover = await doc.hover(*position)
        assert hover == types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
            range=range_)
    finally:
        doc.close()
