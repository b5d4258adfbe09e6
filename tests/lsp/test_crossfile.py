"""Cross-file: a function imported from another workspace module is analysed from that
module, the open buffer winning over the disk, and editing it refreshes its dependants."""

from __future__ import annotations

import pytest

from .helpers import Doc, RecordingClient, pull_supported, uri_for

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


async def test_imported_function_shapes_and_dependant_refresh(client: RecordingClient) -> None:
    train = Doc(client, "crossfile", "train.py").open()
    batches = Doc(client, "crossfile", "batches.py").open()
    try:
        assert await train.diagnostics() == []  # (8, 28, 28) -> (8, 784) is fine
        hover = await train.hover(3, 1)  # `images`, from make_batch in batches.py
        assert hover is not None and "(8, 28, 28)" in str(hover.contents)
        # Edit the open buffer of batches.py (not saved): 28 x 27 no longer gives 784.
        since = len(client.published)
        batches.change((5, 28), (5, 30), "27")
        if pull_supported(client):
            items = await train.diagnostics()
        else:
            found = await client.wait_until(lambda: [
                p for p in client.published[since:]
                if p.uri == uri_for("crossfile", "train.py") and p.diagnostics])
            items = list(found[-1].diagnostics)
        assert [d.code for d in items] == ["SL101"]
        assert "input [8,28,27] has 6048 elements" in items[0].message
    finally:
        batches.close()
        train.close()
