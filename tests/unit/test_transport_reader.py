"""``PipeReader``: stdin read by the event loop, with the reader interface pygls' thread-pool
reader has (a line, or exactly ``n`` bytes; short only at the end of input)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from shapelens.lsp import transport
from shapelens.lsp.transport import PipeReader

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pipes are not watched there")


def test_lines_bodies_and_the_end_of_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "LINE_LIMIT", 64)

    async def main() -> list[bytes]:
        read_end, write_end = os.pipe()
        with os.fdopen(read_end, "rb", buffering=0) as stdin:
            reader = await PipeReader.connect(stdin)
            assert reader is not None
            os.write(write_end, b"Content-Length: 5\r\n\r\nhello" + b"x" * 200 + b"\r\n")
            os.write(write_end, b"Content-Length: 9\r\n\r\nabc")
            os.close(write_end)
            return [await reader.readline(), await reader.readline(),
                    await reader.readexactly(5), await reader.readline(),
                    await reader.readline(), await reader.readline(),
                    await reader.readexactly(9), await reader.readline()]

    got = asyncio.run(main())
    assert got[:3] == [b"Content-Length: 5\r\n", b"\r\n", b"hello"]
    assert got[3] == b"(overlong line)\n"  # 200 bytes of garbage: dropped, not a header
    assert got[4:6] == [b"Content-Length: 9\r\n", b"\r\n"]
    assert got[6] == b"abc"  # the input ended inside the body
    assert got[7] == b""


def test_a_regular_file_is_left_to_the_thread_reader(tmp_path: Path) -> None:
    path = tmp_path / "input"
    path.write_bytes(b"Content-Length: 2\r\n\r\n{}")

    async def main() -> PipeReader | None:
        with path.open("rb") as stdin:
            return await PipeReader.connect(stdin)

    assert asyncio.run(main()) is None
