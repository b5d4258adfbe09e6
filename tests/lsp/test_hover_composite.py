"""Hover cards of ragged and sparse tensors: the ragged axis is TF's ``None``, not ``?``."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import Doc, RecordingClient, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]

CASES = [
    # (position, expected markdown, expected range) in ragged_tokens.py
    ((2, 0), "**`tokens`** · RaggedTensor · `int32`\n```text\n"
     "(4, None)  ← tf.ragged.constant([[1], [2, 3], [], [4]])\n```", rng(2, 0, 2, 6)),
    ((3, 0), "**`padded`** · Tensor · `int32`\n```text\n"
     "(4, 2)  ← tokens.to_tensor() on (4, None)\n```", rng(3, 0, 3, 6)),
    ((4, 0), "**`counts`** · SparseTensor · `float32`\n```text\n"
     "(4, 8)  ← tf.SparseTensor([[0, 1]], [1.0], [4, 8])\n```", rng(4, 0, 4, 6)),
]


@pytest.mark.parametrize(("position", "markdown", "range_"), CASES,
                         ids=["ragged", "to_tensor", "sparse"])
async def test_composite_cards(client: RecordingClient, position: tuple[int, int],
                               markdown: str, range_: types.Range) -> None:
    doc = Doc(client, "ragged_tokens.py").open()
    try:
        hover = await doc.hover(*position)
        assert hover == types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
            range=range_)
    finally:
        doc.close()
