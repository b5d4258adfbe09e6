"""Hover on a subclassed Keras layer (subclassed_layer.py): its call's output has the shape
``call`` computes with the weights its ``build`` made on the first call (TF: ``y.shape`` is
(2, 4), the kernel (3, 4)); the dtype follows the layer's policy, which the engine does not
see, so it shows ``?``."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import RecordingClient, assert_hover, card, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize(("position", "markdown", "range_"), [
    ((19, 0), card("y", "?", "(2, 4)  ← Linear on (2, 3)"), rng(19, 0, 19, 1)),
    ((15, 39), card("self.w", "?", "(3, 4)  ← self.w", kind="Variable"), rng(15, 34, 15, 40)),
], ids=["layer-output", "weight-in-call"])
async def test_subclassed_layer_cards(client: RecordingClient, position: tuple[int, int],
                                      markdown: str, range_: types.Range) -> None:
    await assert_hover(client, "subclassed_layer.py", position, markdown, range_)
