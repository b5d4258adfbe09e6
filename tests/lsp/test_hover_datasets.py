"""Hover on the elements of a ``tf.data`` pipeline (dataset_pipeline.py): a ``for x, y in ds``
target shows the element's shape. 60 rows in batches of 16: an eager loop holds its first
batch, (16, 28, 28), when the target is first bound (the last batch has 12 rows); in a
``tf.function`` the loop sees the element spec, whose batch dim is TF's static ``None``."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import RecordingClient, assert_hover, card, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize(("position", "markdown", "range_"), [
    ((6, 4), card("x", "float32", "(16, 28, 28)"), rng(6, 4, 6, 5)),
    ((6, 7), card("y", "int64", "(16,)"), rng(6, 7, 6, 8)),
    ((12, 8), card("xb", "float32", "(None, 28, 28)"), rng(12, 8, 12, 10)),
], ids=["eager-x", "eager-y", "tf-function"])
async def test_dataset_element_cards(client: RecordingClient, position: tuple[int, int],
                                     markdown: str, range_: types.Range) -> None:
    await assert_hover(client, "dataset_pipeline.py", position, markdown, range_)
