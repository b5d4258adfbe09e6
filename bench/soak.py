"""Soak: 10,000 random edits across five open documents, with hovers and code actions.

Usage::

    python bench/soak.py                       # 10,000 edits, five 500-line files
    python bench/soak.py --edits 2000 --lines 2000 --out /tmp/soak.md

One server (stdio, debounce 0). Edits come in bursts of 1 to 8 without waiting (so most
versions are superseded before they are analysed), then the client waits for the last
version's diagnostics and asks for a hover at a random place and the code actions of a random
line with the diagnostics published there (every 50th time, fix-all). Edits insert,
delete and replace text anywhere, breaking the syntax and repairing it; now and then a
document is reset to its original text with a full-text change. The client keeps its own
copy of every document.

Checked at the end, and written to ``bench/SOAK.md``:

* memory stays flat: the server's RSS, sampled every 500 edits, after the first 1,000;
* answers stay correct: each document's last published diagnostics equal a from-scratch
  ``analyze()`` of the client's text (nothing lost or misplaced);
* no request failed except with ``ContentModified`` (a newer edit won), and the server logged
  no exception.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import build  # noqa: E402
from lspclient import Document, LspProcess  # noqa: E402

from shapelens.core import analyze  # noqa: E402

JUNK = ["(", ")", "[", "]", ":", "\n", "    ", "tf.", "'''", "#", ",", "=", "😀", "数据",
        "x = tf.zeros((2, 3))\n", "y = tf.reshape(x, [7])\n", "1", "0", "", "def f(t):\n"]
CONTENT_MODIFIED = -32801
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def to_position(text: str, offset: int) -> dict[str, int]:
    line, start = 0, 0
    for match in LINE_BREAK.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


class SoakDoc(Document):
    """A document edited at arbitrary offsets (multi-line, non-ASCII)."""

    def __init__(self, server: LspProcess, path: Path, text: str):
        super().__init__(server, path, text)
        self.original = text
        self.body = text

    @property
    def text(self) -> str:
        return self.body

    def edit(self, start: int, end: int, new: str) -> int:
        self.version += 1
        rng = {"start": to_position(self.body, start), "end": to_position(self.body, end)}
        self.body = self.body[:start] + new + self.body[end:]
        self.server.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [{"range": rng, "text": new}]})
        return self.version

    def reset(self) -> int:
        self.version += 1
        self.body = self.original
        self.server.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [{"text": self.body}]})
        return self.version


@dataclass
class SoakResult:
    edits: int
    docs: int
    lines: int
    seed: int
    seconds: float = 0.0
    requests: int = 0
    content_modified: int = 0
    resets: int = 0
    hwm: float = 0.0
    memory: list[tuple[int, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)

    @property
    def growth(self) -> float:
        """RSS change (MiB) from the first samples after 1,000 edits to the last ones."""
        steady = [rss for n, rss in self.memory if n >= 1000] or [rss for _, rss in self.memory]
        return statistics.median(steady[-3:]) - statistics.median(steady[:3])

    @property
    def ok(self) -> bool:
        return not (self.mismatches or self.failures or self.tracebacks) and self.growth <= 10


async def soak(edits: int, docs_count: int, lines: int, seed: int) -> SoakResult:
    rng = random.Random(seed)
    result = SoakResult(edits, docs_count, lines, seed)
    with tempfile.TemporaryDirectory(prefix="shapelens-soak-") as tmp:
        server = LspProcess(Path(tmp))
        await server.start()
        docs = []
        for i in range(docs_count):
            path = Path(tmp) / f"soak_{i}.py"
            doc = SoakDoc(server, path, build(lines, seed=100 + i))
            await doc.open()
            docs.append(doc)
        result.memory.append((0, server.memory_kib()[0] / 1024))
        start = time.perf_counter()
        done = 0
        next_sample = 500
        while done < edits:
            doc = rng.choice(docs)
            for _ in range(min(rng.randint(1, 8), edits - done)):
                if rng.random() < 0.004:
                    doc.reset()
                    result.resets += 1
                else:
                    text = doc.body
                    a = rng.randint(0, len(text))
                    b = min(len(text), a + rng.choice([0, 0, 1, 3, 20]))
                    doc.edit(a, b, rng.choice(JUNK))
                done += 1
            await server.expect(doc.uri, doc.version)
            await ask(server, doc, rng, result)
            if done >= next_sample:
                result.memory.append((done, server.memory_kib()[0] / 1024))
                next_sample += 500
                print(f"  {done:>6} edits, RSS {result.memory[-1][1]:.0f} MiB", flush=True)
        result.seconds = time.perf_counter() - start
        for doc in docs:  # settle every document, then compare with a fresh analysis
            final = await asyncio.wait_for(server.expect(doc.uri, doc.version), 60)
            got = [(d["code"], d["range"]["start"]["line"], d["message"])
                   for d in final.diagnostics]
            want = [(f.code, f.span.line - 1, f.message)
                    for f in analyze(doc.body, str(doc.uri)).findings]
            if sorted(got) != sorted(want):
                result.mismatches.append(f"{doc.uri}: server {sorted(got)[:3]} vs "
                                         f"{sorted(want)[:3]}")
        result.hwm = server.memory_kib()[1] / 1024
        await server.stop()
    result.tracebacks = [line for line in server.stderr_lines if "Traceback" in line]
    return result


async def ask(server: LspProcess, doc: SoakDoc, rng: random.Random, result: SoakResult) -> None:
    """A hover at a random place and the code actions of a random line, with the diagnostics
    published there (what a light bulb asks); every 50th time, fix-all of the whole file."""
    published = [p for p in server.published if p.uri == doc.uri][-1].diagnostics
    line = rng.randint(0, doc.body.count("\n"))
    here = [d for d in published if d["range"]["start"]["line"] <= line
            <= d["range"]["end"]["line"]]
    actions = {"textDocument": doc.ident(),
               "range": {"start": {"line": line, "character": 0},
                         "end": {"line": line + 1, "character": 0}},
               "context": {"diagnostics": here}}
    if result.requests % 100 == 98:
        actions = {**actions, "range": {"start": to_position(doc.body, 0),
                                        "end": to_position(doc.body, len(doc.body))},
                   "context": {"diagnostics": published, "only": ["source.fixAll"]}}
    for method, params in [
        ("textDocument/hover", {"textDocument": doc.ident(), "position": to_position(
            doc.body, rng.randint(0, len(doc.body)))}),
        ("textDocument/codeAction", actions),
    ]:
        result.requests += 1
        try:
            await asyncio.wait_for(server.request(method, params), 120)
        except RuntimeError as err:
            error = err.args[0] if err.args else {}
            if isinstance(error, dict) and error.get("code") == CONTENT_MODIFIED:
                result.content_modified += 1
            else:
                result.failures.append(f"{method}: {err}")


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def report(r: SoakResult) -> str:
    lines = [
        "# ShapeLens soak results", "",
        "Generated by `python bench/soak.py` — rerun it rather than editing.", "",
        f"- **date**: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC}",
        f"- **run**: {r.edits:,} edits across {r.docs} documents of {r.lines:,} lines "
        f"(seed {r.seed}), {r.resets} full-text resets, {r.requests:,} hover/code-action "
        f"requests, {r.seconds:,.0f} s",
        "", "| check | result | verdict |", "| --- | --- | --- |",
        f"| RSS growth after the first 1,000 edits | {r.growth:+.1f} MiB (peak {r.hwm:.0f} "
        f"MiB) | {verdict(r.growth <= 10)} (flat: ≤ 10 MiB) |",
        f"| final diagnostics equal a from-scratch analysis | {len(r.mismatches)} of "
        f"{r.docs} documents differ | {verdict(not r.mismatches)} |",
        f"| requests failed (other than ContentModified) | {len(r.failures)} "
        f"({r.content_modified} ContentModified) | {verdict(not r.failures)} |",
        f"| exceptions in the server log | {len(r.tracebacks)} | "
        f"{verdict(not r.tracebacks)} |",
        "", "RSS samples (edits → MiB): " +
        ", ".join(f"{n:,} → {rss:.0f}" for n, rss in r.memory), ""]
    for name, items in (("mismatch", r.mismatches), ("failure", r.failures),
                        ("traceback", r.tracebacks)):
        lines += [f"- {name}: {item}" for item in items[:10]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--docs", type=int, default=5)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=HERE / "SOAK.md")
    args = parser.parse_args(argv)
    result = asyncio.run(soak(args.edits, args.docs, args.lines, args.seed))
    text = report(result)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
