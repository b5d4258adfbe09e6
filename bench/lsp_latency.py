"""Latency of the language server, measured through the protocol (not a test).

Starts ``python -m shapelens serve`` over stdio with a pygls client, opens the largest
fixture under ``fixtures/`` with ``debounce = 0``, and measures:

* ``didChange → diagnostics``: from sending an edit to receiving ``publishDiagnostics`` for
  that version (one edit at a time; each edit toggles a trailing comment, so every version
  is a full re-analysis of the file);
* ``burst of 10 → diagnostics``: ten edits sent back to back, until the last version's
  diagnostics arrive (older versions may be skipped, never published after it);
* ``hover (cached)``: a hover on an assignment target of an already analysed version;
* ``hover right after edit``: a hover sent immediately after an edit, so it includes the
  analysis of the new version.

Usage: ``python bench/lsp_latency.py [--edits 200] [--hovers 200] [--file PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from shapelens.core import analyze

ROOT = Path(__file__).resolve().parents[1]


def largest_fixture() -> Path:
    return max((ROOT / "fixtures").rglob("*.py"), key=lambda p: (p.stat().st_size, str(p)))


class Bench:
    def __init__(self, path: Path):
        self.path = path
        self.uri = path.resolve().as_uri()
        self.lines = path.read_text(encoding="utf-8").splitlines()
        self.version = 1
        self.waiting: dict[int, asyncio.Future[float]] = {}
        self.client = LanguageClient("shapelens-bench", "0")

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            future = self.waiting.pop(params.version or -1, None)
            if future is not None and not future.done():
                future.set_result(time.perf_counter())

    async def start(self) -> None:
        await self.client.start_io(sys.executable, "-m", "shapelens", "serve")
        caps = types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                version_support=True)))
        await self.client.initialize_async(types.InitializeParams(
            capabilities=caps, root_uri=ROOT.as_uri(),
            initialization_options={"debounce": 0}))
        self.client.initialized(types.InitializedParams())
        ready = self._expect(1)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=self.uri, language_id="python",
                                                 version=1, text="\n".join(self.lines))))
        await ready

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    def _expect(self, version: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[version] = future
        return future

    def edit(self) -> int:
        """Toggle a comment at the end of the last line; returns the new version."""
        self.version += 1
        last = len(self.lines) - 1
        text = self.lines[last]
        marker = "  # bench"
        if text.endswith(marker):
            start, new = len(text) - len(marker), ""
        else:
            start, new = len(text), marker
        self.lines[last] = text[:start] + new
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri,
                                                                version=self.version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=last, character=start),
                                  end=types.Position(line=last, character=len(text))),
                text=new)]))
        return self.version

    async def change_to_diagnostics(self, n: int) -> list[float]:
        out = []
        for _ in range(n):
            future = self._expect(self.version + 1)
            sent = time.perf_counter()
            self.edit()
            out.append(await future - sent)
        return out

    async def bursts(self, n: int, size: int = 10) -> list[float]:
        out = []
        for _ in range(n):
            sent = time.perf_counter()
            for _ in range(size - 1):
                self.edit()
            future = self._expect(self.version + 1)
            self.edit()
            out.append(await future - sent)
            self.waiting.clear()
        return out

    async def hovers(self, n: int, after_edit: bool) -> list[float]:
        facts = analyze("\n".join(self.lines), str(self.path)).assignments
        targets = [(f.line - 1, f.col) for f in facts] or [(0, 0)]
        out = []
        for i in range(n):
            line, col = targets[i % len(targets)]
            if after_edit:
                settled = self._expect(self.version + 1)
                self.edit()
            sent = time.perf_counter()
            result = await self.client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri),
                position=types.Position(line=line, character=col)))
            out.append(time.perf_counter() - sent)
            if result is None and facts:
                raise SystemExit(f"no hover at {line}:{col}")
            if after_edit:
                await settled
        return out


def row(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (f"{name:<28} {len(ms):>5} {statistics.median(ms):>9.1f} {p95:>9.1f} "
            f"{ms[-1]:>9.1f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--hovers", type=int, default=200)
    parser.add_argument("--file", type=Path, default=None)
    args = parser.parse_args()
    path = args.file or largest_fixture()
    bench = Bench(path)
    await bench.start()
    try:
        await bench.change_to_diagnostics(10)  # warm up
        results = [
            ("didChange → diagnostics", await bench.change_to_diagnostics(args.edits)),
            ("burst of 10 → diagnostics", await bench.bursts(max(1, args.edits // 10))),
            ("hover (cached)", await bench.hovers(args.hovers, after_edit=False)),
            ("hover right after edit", await bench.hovers(args.hovers, after_edit=True)),
        ]
    finally:
        await bench.stop()
    size = path.stat().st_size
    shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
    print(f"file: {shown} ({size:,} bytes, {len(bench.lines)} lines), "
          "debounce 0, stdio")
    print(f"{'metric':<28} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for name, samples in results:
        print(row(name, samples))


if __name__ == "__main__":
    asyncio.run(main())
