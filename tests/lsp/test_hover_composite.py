"""Hover cards of ragged and sparse tensors: the ragged axis is TF's ``None``, not ``?``."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import RecordingClient, assert_hover, card, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]

CASES = [
    # (position, expected markdown, expected range) in ragged_tokens.py
    ((2, 0), card("tokens", "int32", "(4, None)  ← tf.ragged.constant([[1], [2, 3], [], [4]])",
                  kind="RaggedTensor"), rng(2, 0, 2, 6)),
    ((3, 0), card("padded", "int32", "(4, 2)  ← tokens.to_tensor() on (4, None)"),
     rng(3, 0, 3, 6)),
    ((4, 0), card("counts", "float32", "(4, 8)  ← tf.SparseTensor([[0, 1]], [1.0], [4, 8])",
                  kind="SparseTensor"), rng(4, 0, 4, 6)),
]


@pytest.mark.parametrize(("position", "markdown", "range_"), CASES,
                         ids=["ragged", "to_tensor", "sparse"])
async def test_composite_cards(client: RecordingClient, position: tuple[int, int],
                               markdown: str, range_: types.Range) -> None:
    await assert_hover(client, "ragged_tokens.py", position, markdown, range_)
