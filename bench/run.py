"""ShapeLens benchmark: one command, one table, ``bench/RESULTS.md`` (never a timed test).

Usage::

    python bench/run.py            # full run, about 7 minutes on 2 CPUs
    python bench/run.py --quick    # fewer samples, about 2-3 minutes
    python bench/run.py --only cli,tf --out /tmp/r.md   # some sections, elsewhere

Everything is measured in one run on one machine, against the real server over stdio
(``python -m shapelens serve``, debounce 0) and the real CLI in subprocesses:

* ``edit``: time from sending a ``didChange`` of one character (a digit of a number inside
  a function body, near the top and near the end of the file; see ``corpus.Edit``) to the
  arrival of that version's ``publishDiagnostics``; files of 500, 2,000 and 10,000 lines
  built from the fixtures (``corpus.build``) and every fixture itself;
* ``Enter/Backspace``: the same, for a line break typed at the end of that line and then
  deleted (every line below moves);
* ``hover``, ``code action`` (on a diagnostic, as a light bulb asks; and on a plain line),
  ``inlay hints`` for a 100-line range, on an analysed version; ``hover right after an
  edit`` (the hover waits for the new analysis);
* ``cold start``: process start to the first diagnostics of the 2,000-line file;
* ``peak RSS`` of the server with twenty different 2,000-line files open;
* ``from scratch``: ``analyze()`` of the same file in this process;
* the CLI (``shapelens check``) over the fixture corpus and over twenty 2,000-line files,
  with ``-j 1`` and ``-j 0``; ``ast.parse`` of the same files as the floor;
* ``python program.py`` under TensorFlow reaching a shape error vs ``shapelens check`` on
  the same file;
* ``typing``: 10 edits per second on the 10,000-line file, without waiting.

Latencies are reported as p50 and p95 of the samples with the interquartile range and the
maximum as the noise; one-shot numbers (cold start, RSS, CLI, TensorFlow) as the median of
repeated runs with min-max. A series on a slow file stops at its time cap once it has
``min`` samples (the table shows ``n``), so the default run stays under 10 minutes.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import datetime as dt
import importlib.metadata
import itertools
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import ROOT, Edit, build, edit_points, fixture_files  # noqa: E402
from lspclient import Document, LspProcess  # noqa: E402
from realistic import eco_cli, floor_start, real_targets, record_floor, section_real  # noqa: E402
from stats import Dist, Plan, Repeated, Results  # noqa: E402

from shapelens.core import analyze  # noqa: E402

SIZES = (500, 2000, 10_000)
TF_FIXTURE = ROOT / "fixtures" / "ops" / "multihead_split_SL101.py"
TF_ERROR = "InvalidArgumentError"
PYTHON = sys.executable


# -- corpus ---------------------------------------------------------------------------------
@dataclass
class Corpus:
    workdir: Path
    files: dict[int, Path]
    rss_files: list[Path]

    @classmethod
    def make(cls, workdir: Path, rss_count: int = 20) -> Corpus:
        files = {}
        for size in SIZES:
            path = workdir / f"generated_{size}.py"
            path.write_text(build(size), encoding="utf-8")
            files[size] = path
        rss_dir = workdir / "twenty"
        rss_dir.mkdir()
        rss_files = []
        for seed in range(rss_count):
            path = rss_dir / f"model_{seed:02d}.py"
            path.write_text(build(2000, seed=seed), encoding="utf-8")
            rss_files.append(path)
        return cls(workdir, files, rss_files)


def lines_of(paths: Sequence[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in paths)


# -- LSP sections ---------------------------------------------------------------------------
async def timed_series(doc: Document, step: Callable[[], Awaitable[float]], count: int,
                       plan: Plan, warmup: int) -> tuple[Dist, int]:
    """``count`` timed edits made by ``step`` after ``warmup`` untimed ones (on a file longer
    than ``plan.uncapped_lines``, stopping at the time cap once there are ``min_edits``);
    the latencies and how many edits were made."""
    samples: list[float] = []
    capped = len(doc.lines) > plan.uncapped_lines
    deadline = time.perf_counter() + (plan.series_cap_s if capped else float("inf"))
    made = 0
    for i in range(count + warmup):
        if i >= warmup and len(samples) >= plan.min_edits and time.perf_counter() > deadline:
            break
        latency = await step()
        made += 1
        if i >= warmup:
            samples.append(latency)
    return Dist.of_seconds(samples), made


async def edit_series(doc: Document, edit: Edit, count: int, plan: Plan,
                      counters: dict[Edit, int], warmup: int = 3) -> Dist:
    """``count`` one-character edits at ``edit`` (``timed_series``)."""

    def step() -> Awaitable[float]:
        counters[edit] = counters.get(edit, 0) + 1
        return doc.timed_change(edit.line, edit.col, edit.col + 1, edit.text(counters[edit]))

    return (await timed_series(doc, step, count, plan, warmup))[0]


def cap(dist: Dist, wanted: int) -> str:
    return f" (time cap: {dist.n} of {wanted})" if dist.n < wanted else ""


def utf16_col(text: str, col: int) -> int:
    return len(text[:col].encode("utf-16-le")) // 2


def hover_targets(doc: Document, count: int) -> list[tuple[int, int]]:
    """Assignment targets spread evenly over the file (LSP positions)."""
    facts = analyze(doc.text, "bench.py").assignments
    if not facts:
        return [(0, 0)]
    step = max(1, len(facts) // count)
    picked = facts[::step] or facts
    return [(f.line - 1, utf16_col(doc.lines[f.line - 1], f.col)) for f in picked]


async def request_series(server: LspProcess, count: int,
                         make: Callable[[int], tuple[str, dict[str, Any]]],
                         plan: Plan | None = None) -> tuple[Dist, int]:
    """``count`` requests one after another (with a ``plan``, stopping at its request time
    cap once there are ``min_edits`` samples); the latencies and the non-empty answers."""
    samples: list[float] = []
    answered = 0
    deadline = time.perf_counter() + (plan.request_cap_s if plan else float("inf"))
    for i in range(count):
        if plan and len(samples) >= plan.min_edits and time.perf_counter() > deadline:
            break
        method, params = make(i)
        result, latency = await server.timed(method, params)
        samples.append(latency)
        answered += bool(result)
    return Dist.of_seconds(samples), answered


async def feature_requests(server: LspProcess, doc: Document, label: str, plan: Plan,
                           results: Results) -> None:
    """Hover, code actions and inlay hints on the analysed current version."""
    ident = doc.ident()
    targets = hover_targets(doc, plan.requests)
    hover, answered = await request_series(server, plan.requests, lambda i: (
        "textDocument/hover", {"textDocument": ident, "position": {
            "line": targets[i % len(targets)][0], "character": targets[i % len(targets)][1]}}),
        plan)
    results.add_latency("hover", label, hover,
                        f"({answered}/{hover.n} with a card){cap(hover, plan.requests)}")
    results.values[f"hover_p95_{label}"] = hover.p(95)

    diagnostics = [p for p in server.published if p.uri == doc.uri][-1].diagnostics
    if diagnostics:
        on_diag, answered = await request_series(server, plan.requests, lambda i: (
            "textDocument/codeAction", {
                "textDocument": ident,
                "range": diagnostics[i % len(diagnostics)]["range"],
                "context": {"diagnostics": [diagnostics[i % len(diagnostics)]],
                            "triggerKind": 2}}), plan)
        fixable = sum(1 for d in diagnostics if (d.get("data") or {}).get("fix"))
        results.add_latency("code action on a diagnostic", label, on_diag,
                            f"({answered}/{on_diag.n} with actions; {fixable} of "
                            f"{len(diagnostics)} diagnostics carry an engine fix)"
                            f"{cap(on_diag, plan.requests)}")
        results.values[f"action_diag_p95_{label}"] = on_diag.p(95)
    flagged = {d["range"]["start"]["line"] for d in diagnostics}
    plain_lines = [i for i in range(len(doc.lines)) if i not in flagged] or [0]
    rng = random.Random(1)
    lines = [rng.choice(plain_lines) for _ in range(plan.requests)]
    elsewhere, _ = await request_series(server, plan.requests, lambda i: (
        "textDocument/codeAction", {
            "textDocument": ident,
            "range": {"start": {"line": lines[i], "character": 0},
                      "end": {"line": lines[i], "character": 0}},
            "context": {"diagnostics": [], "triggerKind": 2}}), plan)
    results.add_latency("code action on a plain line", label, elsewhere,
                        cap(elsewhere, plan.requests))
    results.values[f"action_plain_p95_{label}"] = elsewhere.p(95)

    last_start = max(0, len(doc.lines) - 101)
    starts = [rng.randint(0, last_start) for _ in range(plan.inlay_requests)]
    inlay, _ = await request_series(server, plan.inlay_requests, lambda i: (
        "textDocument/inlayHint", {"textDocument": ident, "range": {
            "start": {"line": starts[i], "character": 0},
            "end": {"line": starts[i] + 100, "character": 0}}}), plan)
    results.add_latency("inlay hints, 100-line range", label, inlay,
                        cap(inlay, plan.inlay_requests))
    results.values[f"inlay_p95_{label}"] = inlay.p(95)


async def hover_after_edit(server: LspProcess, doc: Document, edit: Edit, plan: Plan,
                           counters: dict[Edit, int]) -> Dist:
    targets = hover_targets(doc, plan.hover_after_edit)
    samples = []
    for i in range(plan.hover_after_edit):
        counters[edit] = counters.get(edit, 0) + 1
        settled = server.expect(doc.uri, doc.version + 1)
        doc.change(edit.line, edit.col, edit.col + 1, edit.text(counters[edit]))
        line, col = targets[i % len(targets)]
        _, latency = await server.timed("textDocument/hover", {
            "textDocument": doc.ident(), "position": {"line": line, "character": col}})
        samples.append(latency)
        await settled
    return Dist.of_seconds(samples)


def from_scratch(text: str, repeats: int) -> Repeated:
    analyze(text, "bench.py")  # warm caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        analyze(text, "bench.py")
        times.append((time.perf_counter() - start) * 1000)
    return Repeated(times, "ms")


def fix_cost(text: str, most: int = 3) -> Repeated | None:
    """Milliseconds ``apply_fix`` takes for (up to ``most``) findings that carry a fix."""
    from shapelens.fixes import apply_fix

    analysis = analyze(text, "bench.py")
    fixable = [f for f in analysis.findings if f.fix is not None][:most]
    if fixable:  # load LibCST and the fixers first: a server pays that once per process
        apply_fix(text, fixable[0], tree=analysis.tree)
    times = []
    for finding in fixable:
        start = time.perf_counter()
        apply_fix(text, finding, tree=analysis.tree)
        times.append((time.perf_counter() - start) * 1000)
    return Repeated(times, "ms") if times else None


async def enter_series(doc: Document, line: int, count: int, plan: Plan,
                       warmup: int = 2) -> Dist:
    """Enter at the end of ``line``, then Backspace, alternately: every statement below
    moves by a line (``timed_series``)."""
    pressed = [0]

    def step() -> Awaitable[float]:
        pressed[0] += 1
        return doc.timed_enter(line, join=not pressed[0] % 2)

    dist, made = await timed_series(doc, step, count, plan, warmup)
    if made % 2:
        await doc.timed_enter(line, join=True)  # leave the text as it was
    return dist


async def section_files(corpus: Corpus, plan: Plan, results: Results) -> None:
    print("edit → diagnostics, requests, from scratch (generated files)", flush=True)
    for size, path in corpus.files.items():
        label = f"{size:,} lines"
        text = path.read_text(encoding="utf-8")
        points = edit_points(text)
        assert points is not None
        server = LspProcess(corpus.workdir)
        await server.start()
        try:
            doc = Document(server, path, text)
            opened = await doc.open()
            results.values[f"diagnostics_{size}"] = len(opened.diagnostics)
            counters: dict[Edit, int] = {}
            for where, edit in zip(("top", "end"), points):
                dist = await edit_series(doc, edit, plan.edits, plan, counters)
                results.add_latency(f"edit → diagnostics, {where} (l.{edit.line + 1})", label,
                                    dist, cap(dist, plan.edits))
                results.values[f"edit_{where}_{size}"] = dist
            for where, edit in zip(("top", "end"), points):
                dist = await enter_series(doc, edit.line, plan.edits, plan)
                results.add_latency(f"Enter/Backspace → diagnostics, {where} "
                                    f"(l.{edit.line + 1})", label, dist, cap(dist, plan.edits))
                results.values[f"enter_{where}_{size}"] = dist
            await feature_requests(server, doc, label, plan, results)
            if size == 2000:
                dist = await hover_after_edit(server, doc, points[1], plan, counters)
                results.add_latency("hover right after an edit", label, dist)
        finally:
            await server.stop()
        scratch = from_scratch(text, plan.scratch_repeats[size])
        results.values[f"scratch_{size}"] = scratch
        results.add_single(f"from-scratch analyze(), {label}", scratch.text(1))
        fix = fix_cost(text, most=1 if size > 2000 else 3)
        if fix is not None:
            results.add_single(f"one engine quick fix, apply_fix(), {label}", fix.text(1),
                               "in process; what a code action on such a diagnostic computes")


async def section_fixtures(plan: Plan, results: Results) -> None:
    print("edit → diagnostics on the fixtures themselves", flush=True)
    server = LspProcess(ROOT)
    await server.start()
    top: list[float] = []
    end: list[float] = []
    skipped = script = 0
    try:
        for path in fixture_files():
            text = path.read_text(encoding="utf-8")
            points = edit_points(text)
            if points is None:
                script += 1
                points = edit_points(text, anywhere=True)
            if points is None:
                skipped += 1
                continue
            doc = Document(server, path, text)
            await doc.open()
            for edit, samples in zip(points, (top, end)):
                for k in range(1, 2 * plan.fixture_edits + 1):  # there and back
                    samples.append(await doc.timed_change(edit.line, edit.col, edit.col + 1,
                                                          edit.text(k)))
            doc.close()
    finally:
        await server.stop()
    count = len(fixture_files())
    note = (f"({count - skipped} of {count} fixtures; in {script} scripts without a number "
            "in a function, the first and last number of the file)")
    results.add_latency("edit → diagnostics, top", "fixtures", Dist.of_seconds(top), note)
    results.add_latency("edit → diagnostics, end", "fixtures", Dist.of_seconds(end))


def compile_bytecode() -> None:
    """Compile ShapeLens's modules to bytecode, as ``pip install`` does (pygls and
    lsprotocol, the floor's imports, were compiled when they were installed). Under
    ``PYTHONDONTWRITEBYTECODE=1`` a module edited since its ``.pyc`` was written is compiled
    from source again by every server start: eleven such files in a working tree added
    about 17 ms to each cold start, a measure of the tree's history, not of the server."""
    import compileall

    import shapelens

    compileall.compile_dir(str(Path(shapelens.__file__).parent), quiet=1)


async def section_cold_start(corpus: Corpus, plan: Plan, results: Results) -> None:
    print("cold start", flush=True)
    compile_bytecode()
    path = corpus.files[2000]
    text = path.read_text(encoding="utf-8")
    ready, first, floor = [], [], []
    for _ in range(plan.cold_starts):  # each start next to one of the floor's (same load)
        server = LspProcess(corpus.workdir)
        await server.spawn()
        try:
            answered = await server.initialize()
            published = await Document(server, path, text).open()
            ready.append((answered - server.started) * 1000)
            first.append((published.arrived - server.started) * 1000)
        finally:
            await server.stop()
        floor.append(await floor_start(path, text))
    baseline = [run_wall([PYTHON, "-c", "pass"]) for _ in range(plan.cold_starts)]
    imports = [run_wall([PYTHON, "-c", "import shapelens.lsp.server"])
               for _ in range(plan.cold_starts)]
    results.values["cold_start"] = Repeated(first, "ms")
    results.add_single("cold start → first diagnostics, 2,000 lines", Repeated(first, "ms").text())
    record_floor(floor, results)
    results.add_single("  of which: start → initialize answered", Repeated(ready, "ms").text())
    results.add_single("  for reference: python -c pass", Repeated(baseline, "ms").text())
    results.add_single("  for reference: python -c 'import shapelens.lsp.server'",
                       Repeated(imports, "ms").text())


async def section_rss(corpus: Corpus, plan: Plan, results: Results) -> None:
    print("peak RSS, twenty 2,000-line files open", flush=True)
    peaks, idle, settled = [], [], []
    for _ in range(plan.rss_runs):
        server = LspProcess(corpus.workdir)
        await server.start()
        try:
            idle.append(server.memory_kib()[0] / 1024)
            docs = []
            for path in corpus.rss_files:
                doc = Document(server, path, path.read_text(encoding="utf-8"))
                await doc.open()
                docs.append(doc)
            for doc in docs:  # the per-version caches hovers and hints build
                for line, col in hover_targets(doc, 10):
                    await server.request("textDocument/hover", {
                        "textDocument": doc.ident(),
                        "position": {"line": line, "character": col}})
                await server.request("textDocument/inlayHint", {
                    "textDocument": doc.ident(), "range": {
                        "start": {"line": 0, "character": 0},
                        "end": {"line": len(doc.lines), "character": 0}}})
            rss, hwm = server.memory_kib()
            peaks.append(hwm / 1024)
            settled.append(rss / 1024)
        finally:
            await server.stop()
    results.values["rss_peak"] = Repeated(peaks, "MiB")
    results.add_single("peak RSS (VmHWM), twenty 2,000-line files", Repeated(peaks, "MiB").text())
    results.add_single("  RSS after opening them", Repeated(settled, "MiB").text())
    results.add_single("  RSS of the idle server", Repeated(idle, "MiB").text())


async def section_typing(corpus: Corpus, plan: Plan, results: Results) -> None:
    """10 edits per second on the 10,000-line file for ``typing_s`` seconds, not waiting."""
    print(f"typing at 10 edits/s for {plan.typing_s:.0f} s, 10,000 lines", flush=True)
    path = corpus.files[10_000]
    text = path.read_text(encoding="utf-8")
    points = edit_points(text)
    assert points is not None
    edit = points[1]
    server = LspProcess(corpus.workdir, log_level="INFO")
    await server.start()
    try:
        doc = Document(server, path, text)
        await doc.open()
        sent: dict[int, float] = {}
        sent_wall: dict[int, float] = {}
        first_version = doc.version + 1
        start = time.perf_counter()
        count = int(plan.typing_s * 10)
        for k in range(1, count + 1):
            delay = start + (k - 1) * 0.1 - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent_wall[doc.version + 1] = time.time()
            sent[doc.version + 1] = time.perf_counter()
            doc.change(edit.line, edit.col, edit.col + 1, edit.text(k))
        last = doc.version
        final = await asyncio.wait_for(server.expect(doc.uri, last), 120)
        drain = (final.arrived - sent[last]) * 1000
    finally:
        await server.stop()
    window = [p for p in server.published if p.uri == doc.uri and p.version is not None
              and p.version >= first_version]
    versions = [p.version for p in window if p.version is not None]
    out_of_order = sum(1 for a, b in itertools.pairwise(versions) if b <= a)
    logged = [a for a in _analysed_versions(server.stderr_lines) if a[0] >= first_version]
    analysed = [(v, t) for v, t, _ in logged]
    analysis_ms = statistics.median([ms for _, _, ms in logged] or [0])
    late = 0  # analyses of a version that a newer edit had superseded 50 ms before
    behind = []  # at each analysis start: newest version sent minus the version analysed
    for version, started in analysed:
        newer = sent_wall.get(version + 1)
        if newer is not None and started > newer + 0.05:
            late += 1
        newest = max((v for v, t in sent_wall.items() if t <= started), default=version)
        behind.append(max(0, newest - version))
    half = len(behind) // 2
    growth = (statistics.median(behind[half:]) - statistics.median(behind[:half])
              if half else 0.0)
    results.values["typing"] = {"edits": count, "published": len(window),
                                "out_of_order": out_of_order, "drain_ms": drain,
                                "late": late, "analysed": len(analysed),
                                "behind_max": max(behind, default=0), "growth": growth,
                                "analysis_ms": analysis_ms}
    results.add_single(f"typing {plan.typing_s:.0f} s: edits sent / versions analysed / "
                       "diagnostics published", f"{count} / {len(analysed)} / {len(window)}",
                       "only a result still current when it is ready is published")
    results.add_single("typing: diagnostics published out of order (stale)", str(out_of_order))
    results.add_single("typing: versions behind the newest edit when an analysis starts",
                       f"median {statistics.median(behind or [0]):.0f}, max "
                       f"{max(behind, default=0)}; 2nd half − 1st half {growth:+.1f}",
                       "grows if work queues up")
    results.add_single("typing: analyses of a version already superseded 50 ms earlier",
                       str(late), "the server had not read the newer edit yet, or did not "
                       "drop the older one")
    results.add_single("typing: last edit → its diagnostics (drain)", f"{drain:,.0f} ms")


_ANALYSED = re.compile(r"^(\S+ \S+) INFO \S+: analysed \S+ v(\d+) in (\d+) ms")


def _analysed_versions(lines: list[str]) -> list[tuple[int, float, int]]:
    """``(version, wall-clock start, milliseconds)`` of every analysis logged at INFO."""
    out = []
    for line in lines:
        match = _ANALYSED.match(line)
        if match:
            end = dt.datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            out.append((int(match[2]), end - int(match[3]) / 1000, int(match[3])))
    return out


# -- CLI and TensorFlow ----------------------------------------------------------------------
def run_wall(argv: list[str], cwd: Path = ROOT, expect: tuple[int, ...] = (0,)) -> float:
    """Wall-clock milliseconds of one process run to its exit."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode not in expect:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["(no output)"]
        raise RuntimeError(f"exit {proc.returncode}: {lines[-1][:200]}")
    return elapsed


def in_process(paths: Sequence[Path], work: Callable[[str, str], object],
               repeats: int) -> Repeated:
    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in paths]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for text, name in texts:
            work(text, name)
        times.append((time.perf_counter() - start) * 1000)
    return Repeated(times, "ms")


def section_cli(corpus: Corpus, plan: Plan, results: Results) -> None:
    print("CLI throughput and ast.parse floor", flush=True)
    fixtures = fixture_files()
    fixture_lines = lines_of(fixtures)
    big_lines = lines_of(corpus.rss_files)
    check = [PYTHON, "-m", "shapelens", "check", "--exit-zero"]
    for label, target, lines, repeats in [
        ("fixture corpus", str(ROOT / "fixtures"), fixture_lines, plan.cli_repeats),
        ("20 × 2,000 lines", str(corpus.workdir / "twenty"), big_lines, plan.cli_big_repeats),
    ]:
        for jobs in ("1", "0"):
            metric = (f"CLI -j {jobs} ({os.cpu_count() if jobs == '0' else 1} proc), {label} "
                      f"({lines:,} lines)")
            try:
                walls = [run_wall([*check, "-j", jobs, target]) for _ in range(repeats)]
            except RuntimeError as err:  # report the failure, keep measuring the rest
                results.add_single(metric, "**failed**", f"`{err}`")
                results.values.setdefault("cli_failures", []).append((metric, str(err)))
                continue
            rate = Repeated([lines / (w / 1000) for w in walls], "lines/s")
            key = f"cli_{'fixtures' if label == 'fixture corpus' else 'big'}_j{jobs}"
            results.values[key] = rate
            results.add_single(metric, f"{rate.text()}; wall {Repeated(walls, 'ms').text()}")
    parse_script = ("import ast, pathlib, sys\n"
                    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.py')):\n"
                    "    ast.parse(p.read_text(encoding='utf-8'))\n")
    parse_walls = [run_wall([PYTHON, "-c", parse_script, str(ROOT / "fixtures")])
                   for _ in range(plan.cli_repeats)]
    cli_walls = [run_wall([*check, "-j", "1", str(ROOT / "fixtures")])
                 for _ in range(plan.cli_repeats)]
    parse_in = in_process(fixtures, lambda text, name: ast.parse(text), plan.cli_repeats * 2)
    analyze_in = in_process(fixtures, analyze, plan.cli_repeats)
    results.values["cli_vs_parse_process"] = statistics.median(cli_walls) / \
        statistics.median(parse_walls)
    results.values["cli_vs_parse_inproc"] = analyze_in.median / parse_in.median
    results.add_single("ast.parse of the fixtures, whole process",
                       Repeated(parse_walls, "ms").text())
    results.add_single("shapelens check -j 1 of the fixtures, whole process",
                       Repeated(cli_walls, "ms").text())
    results.add_single("  ratio CLI / ast.parse (whole process)",
                       f"{results.values['cli_vs_parse_process']:.1f}×")
    results.add_single("ast.parse of the fixtures, in process", parse_in.text(1))
    results.add_single("analyze() of the fixtures, in process", analyze_in.text(1))
    results.add_single("  ratio analyze / ast.parse (in process)",
                       f"{results.values['cli_vs_parse_inproc']:.0f}×")


def section_tf(plan: Plan, results: Results) -> None:
    print(f"time to the shape bug: TensorFlow vs the CLI ({TF_FIXTURE.name})", flush=True)
    rel = str(TF_FIXTURE.relative_to(ROOT))

    def tf_run() -> float:
        start = time.perf_counter()
        proc = subprocess.run([PYTHON, rel], cwd=ROOT, capture_output=True, text=True,
                              check=False)
        elapsed = (time.perf_counter() - start) * 1000
        if proc.returncode == 0 or TF_ERROR not in proc.stderr:
            raise RuntimeError(f"{rel} did not fail with {TF_ERROR}: {proc.stderr[-2000:]}")
        return elapsed

    def cli_run() -> float:
        start = time.perf_counter()
        proc = subprocess.run([PYTHON, "-m", "shapelens", "check", rel], cwd=ROOT,
                              capture_output=True, text=True, check=False)
        elapsed = (time.perf_counter() - start) * 1000
        if "SL101" not in proc.stdout:
            raise RuntimeError(f"shapelens did not report SL101: {proc.stdout}")
        return elapsed

    tf_run()  # warm the page cache: users run it more than once too
    tf = Repeated([tf_run() for _ in range(plan.tf_runs)], "ms")
    cli_run()
    cli = Repeated([cli_run() for _ in range(plan.tf_cli_runs)], "ms")
    results.values["tf_ratio"] = tf.median / cli.median
    results.add_single("python program.py under TensorFlow → error", tf.text())
    results.add_single("shapelens check program.py → SL101", cli.text())
    results.add_single("  ratio TensorFlow / CLI", f"{results.values['tf_ratio']:.1f}×")


# -- report ---------------------------------------------------------------------------------
def versions() -> dict[str, str]:
    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                           text=True, check=False).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cpu}, {os.cpu_count()} CPUs, {memory} RAM",
        "os": platform.platform(),
        "python": platform.python_version(),
        "shapelens": f"{version('shapelens')} (git {commit or '?'}"
                     f"{', uncommitted changes' if dirty else ''}){_imported_from()}",
        "pygls / lsprotocol": f"{version('pygls')} / {version('lsprotocol')}",
        "tensorflow-cpu": version("tensorflow-cpu"),
    }


def _imported_from() -> str:
    """Where the measured package comes from when it is not this checkout (``PYTHONPATH`` set
    to a snapshot, e.g. ``git archive HEAD server`` while others edit the working tree)."""
    import shapelens

    where = Path(shapelens.__file__).resolve().parent
    return "" if where == ROOT / "server" / "shapelens" else f"; measured from {where}"


def compile_package() -> None:
    """Write ShapeLens's bytecode before measuring, as an installed copy has it (pip compiles
    at install time, an editable install on first import). With ``PYTHONDONTWRITEBYTECODE``
    set (sandboxes and CI often set it) no ``.pyc`` is ever written, and every measured
    process would compile the whole package from source again: tens of milliseconds on
    every CLI run, over a hundred on every server start. ``py_compile`` writes regardless."""
    import compileall

    compileall.compile_dir(str(ROOT / "server" / "shapelens"), quiet=1)


def load() -> str:
    """The load average and a speed probe: a fixed pure-Python loop (best of three), because
    this kind of shared VM changes speed by up to 2x within the hour while its load average
    stays the same: compare runs by their probes before comparing their numbers."""
    speeds = []
    for _ in range(3):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        speeds.append((time.perf_counter() - start) * 1000)
    probe = f"; speed probe {min(speeds):.0f} ms"
    with contextlib.suppress(OSError):
        one, five, _ = os.getloadavg()
        return f"{one:.2f} / {five:.2f}{probe}"
    return "?" + probe


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**not met**")


def evaluate_targets(results: Results) -> None:
    v = results.values
    t = results.targets

    def edit(size: int, q: float) -> float | None:
        dists = [v.get(f"edit_{w}_{size}") for w in ("top", "end")]
        found = [d.p(q) for d in dists if d is not None]
        return max(found) if found else None

    def add(target: str, measured: float | None, limit: float, unit: str, note: str = "",
            fmt: str = "{:,.1f}") -> None:
        if measured is None:
            t.append((target, "not measured in this run", "n/a", note))
        else:
            t.append((target, fmt.format(measured) + f" {unit}", verdict(measured <= limit),
                      note))

    add("edit → diagnostics p50 ≤ 10 ms, 2,000 lines", edit(2000, 50), 10, "ms",
        "worse of top/end")
    add("edit → diagnostics p95 ≤ 30 ms, 2,000 lines", edit(2000, 95), 30, "ms",
        "worse of top/end")
    add("edit → diagnostics p95 ≤ 60 ms, 10,000 lines", edit(10_000, 95), 60, "ms",
        "worse of top/end")
    add("hover p95 ≤ 10 ms", v.get("hover_p95_2,000 lines"), 10, "ms", "2,000 lines")
    action = [x for x in (v.get("action_diag_p95_2,000 lines"),
                          v.get("action_plain_p95_2,000 lines")) if x is not None]
    add("code action p95 ≤ 30 ms", max(action) if action else None, 30, "ms",
        "2,000 lines, worse of on-diagnostic/plain")
    cold = v.get("cold_start")
    add("cold start → first diagnostics ≤ 500 ms, 2,000 lines",
        cold.median if cold else None, 500, "ms", "median")
    scratch = v.get("scratch_10000")
    p50 = edit(10_000, 50)
    if scratch is not None and p50:
        ratio = scratch.median / p50
        t.append(("incremental edit ≥ 20× faster than from scratch, 10,000 lines",
                  f"{ratio:.2f}×", verdict(ratio >= 20),
                  "in-process from-scratch analyze() median / edit → diagnostics p50 "
                  "through the protocol (worse of top/end)"))
    else:
        t.append(("incremental edit ≥ 20× faster than from scratch, 10,000 lines",
                  "not measured in this run", "n/a", ""))
    rss = v.get("rss_peak")
    add("peak RSS ≤ 300 MB, twenty 2,000-line files", rss.median if rss else None,
        300 * 1e6 / 2**20, "MiB", "VmHWM, median; 300 MB = 286 MiB")
    t.append(("no RSS growth over 10,000 edits", "not measured by run.py", "n/a",
              "on demand: `python bench/soak.py` (writes bench/SOAK.md)"))
    ratio = v.get("tf_ratio")
    if ratio is None:
        t.append(("CLI finds the bug ≥ 50× sooner than TensorFlow", "not measured in this run",
                  "n/a", ""))
    else:
        t.append(("CLI finds the bug ≥ 50× sooner than TensorFlow", f"{ratio:.1f}×",
                  verdict(ratio >= 50), "whole processes, warm page cache"))
    typing = v.get("typing")
    if typing is None:
        t.append(("10 edits/s on 10,000 lines: no queue growth, nothing stale",
                  "not measured in this run", "n/a", ""))
    else:
        bound = 2 * typing["analysis_ms"] + 500
        ok = typing["out_of_order"] == 0 and typing["drain_ms"] < bound and \
            typing["growth"] <= 1
        t.append(("10 edits/s on 10,000 lines: no queue growth, nothing stale",
                  f"{typing['out_of_order']} stale, drain {typing['drain_ms']:,.0f} ms, "
                  f"lag growth {typing['growth']:+.1f} versions", verdict(ok),
                  f"drain within 2 analyses (server log) + 0.5 s = {bound:,.0f} ms; "
                  f"{typing['published']} diagnostics published in {typing['edits']} edits"))
        dropped = typing["edits"] - typing["analysed"]
        t.append(("… every superseded version dropped before it runs",
                  f"{dropped} of {typing['edits']} never analysed; {typing['late']} analysed "
                  "after being superseded", verdict(typing["late"] == 0),
                  "seen from outside: a version the server had not yet read cannot be told "
                  "from one it failed to drop"))
    real_targets(results)


def markdown(results: Results, info: dict[str, str], plan_name: str, elapsed: float,
             loads: tuple[str, str]) -> str:
    out = ["# ShapeLens benchmark results", "",
           "Generated by `python bench/run.py` — do not edit by hand; rerun it. "
           "What each number means is in the docstring of `bench/run.py`.", ""]
    out += [f"- **{k}**: {v}" for k, v in info.items()]
    out += [f"- **run**: {plan_name}, {elapsed / 60:.1f} min; load average (1 / 5 min) "
            f"{loads[0]} at the start, {loads[1]} at the end (other processes share the "
            "machine: read small differences as noise; the speed probe, a fixed Python loop, "
            "shows how fast the machine was: lower is faster)", ""]
    out += ["## Targets (issues 7 and 18)", "", "| target | measured | verdict | note |",
            "| --- | --- | --- | --- |"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in results.targets]
    out += ["", "## Latency through the protocol (stdio, debounce 0)", "",
            "Milliseconds from sending a message to the arrival of its answer (for edits: "
            "of that version's `publishDiagnostics`). IQR = p25–p75.", "",
            "| metric | file | n | p50 | p95 | IQR | max | note |",
            "| --- | --- | ---: | ---: | ---: | --- | ---: | --- |"]
    for metric, file, dist, note in results.latency:
        out.append(f"| {metric} | {file} | {dist.n} | {dist.p(50):,.1f} | {dist.p(95):,.1f} | "
                   f"{dist.p(25):,.1f}–{dist.p(75):,.1f} | {dist.max:,.1f} | {note} |")
    out += ["", "## Other measurements", "", "Median of repeated runs (min–max).", "",
            "| metric | value | note |", "| --- | --- | --- |"]
    out += [f"| {m} | {v} | {n} |" for m, v, n in results.single]
    out += ["", "## Notes", ""]
    out += [f"- {note}" for note in results.notes]
    return "\n".join(out) + "\n"


def notes(results: Results, corpus: Corpus | None) -> None:
    v = results.values
    n = results.notes
    n.append("**Incremental vs from scratch.** Each open document keeps a `Session` "
             "(`core/incremental/session.py`): an edit re-parses the statements around the changed "
             "lines (only the edited method or nested definition when the edit lies inside "
             "one, `incremental/reparse.py`) and replays every top-level statement whose text, "
             "position and inputs are unchanged, sixteen at a time where none of them can "
             "have changed. Functions nothing calls are analysed at the end, each analysis "
             "kept and replayed while its function and what it read are unchanged; a class "
             "statement that runs again keeps its unchanged methods as the same functions "
             "(`incremental/identity.py`), so an edit in one method re-analyses that method "
             "and the "
             "methods that name it. An edit that adds or removes lines moves the statements "
             "below it with their records (`incremental/relocate.py` renumbers their lines) "
             "instead "
             "of running them again. The ratio divides one from-scratch `analyze()` in this "
             "process by the edit → diagnostics p50 through the protocol (parse, replay, "
             "conversion, JSON and the pipe included).")
    n.append("**Code-shaped corpus (issue 18, `bench/realcorpus.py`, `bench/realistic.py`).** "
             "`library N`: the fixtures as a module of functions and classes nothing calls at "
             "module level (each fixture's script part is the body of an `experiment_` "
             "function, every third section's functions are nested helpers in it); `script "
             "N`: the same with a `main()` calling every experiment behind `if __name__ == "
             "\"__main__\":`; `keras ...`: modules of the pinned Keras commit of the "
             "ecosystem check, read from its cache at bench time (never committed); the "
             "notebook: one cell per fixture, edited through notebook sync and timed to the "
             "answer of a pull of the edited cell's diagnostics. `edit anywhere` retypes a "
             "digit in a different function body each time (seeded shuffle over every "
             "function, any depth) and puts it back (both timed); `Enter/Backspace anywhere` "
             "at the end of a random line of a function body; `paste` inserts a 30-line "
             "function before a random top-level definition as one change, then deletes it. "
             "Graph-mode TF1 fixtures (`fixtures/tf1`) are left out of every generated file: "
             "building a TF1 graph is not replayable yet (`overlays/graph_mode.py` marks every "
             "statement after the first placeholder opaque), so one such section turns every "
             "edit below it into a full run.")
    n.append("**Cold start floor.** `bench/minimal_server.py` is a pygls server that answers "
             "`initialize` and publishes one empty diagnostic list on `didOpen`; it is "
             "started and timed exactly like ShapeLens (process start to the first "
             "`publishDiagnostics` of the 2,000-line file) in the same run, each of its "
             "starts right after one of ShapeLens's; ShapeLens's modules are compiled to "
             "bytecode first, as an install does.")
    n.append("**CLI over the ecosystem.** Every `.py` of the pinned ecosystem repositories "
             "(notebooks left out: `ast.parse` cannot read them) as one command line: "
             "`shapelens check --exit-zero -j 1` (and `-j 0`) against one Python process "
             "that runs `ast.parse` on each file (files that are not Python 3 are skipped "
             "there, reported as SL901 by the CLI).")
    if corpus is not None:
        sizes = ", ".join(f"{s:,} lines: {v.get(f'diagnostics_{s}', '?')} diagnostics"
                          for s in SIZES)
        n.append("Generated files (`bench/corpus.py`): fixtures concatenated in a seeded "
                 "shuffle, `if __name__ == \"__main__\":` blocks renamed to called "
                 "`run_<fixture>()` functions, each fixture's known bug guarded by "
                 f"`try/except` so every section stays reachable ({sizes}).")
    n.append("The package's bytecode (`.pyc`) is written before measuring, as an installed "
             "copy has it, even where `PYTHONDONTWRITEBYTECODE` is set.")
    n.append("Edits replace one digit of a numeric literal inside a function body and put it "
             "back on the next edit, so every version changes the program's meaning; `top` "
             "is the first function with a number, `end` the last. `Enter/Backspace` rows "
             "press Enter at the end of that line (a blank line below it: every line under "
             "it moves down) and delete the line break again on the next edit.")
    n.append("Times are taken when the answer's last byte is read from the server's stdout, "
             "before the client parses it; they include the pipe and the server's JSON "
             "encoding, which is what an editor waits for.")
    n.append("Code actions are asked for twice: on a diagnostic's range with that diagnostic "
             "in the context (what the light bulb does), and on a plain line with an empty "
             "context (what a cursor move does).")
    n.append("Code actions on a diagnostic that carries an engine fix compute its edit with "
             "LibCST on the top-level statements the fix touches (`fixes/scope.py`), once "
             "per analysed version (then cached): repeated requests on the same version, as "
             "here, answer from the cache; `one engine quick fix` in the table is the "
             "uncached computation (`apply_fix` with the analysis tree, LibCST already "
             "loaded).")
    n.append("Cold start is measured from `create_subprocess_exec` of `python -m shapelens "
             "serve` to the arrival of the first `publishDiagnostics`; the client waits for "
             "the `initialize` answer before `initialized` and `didOpen`, as LSP requires.")
    n.append(f"The TensorFlow comparison runs `{TF_FIXTURE.relative_to(ROOT)}` (its bug is "
             "reached on the first call) with the venv's Python, once untimed to warm the "
             "page cache, then timed; the CLI runs `shapelens check` on the same file. Both "
             "are whole processes, start to exit.")
    files = fixture_files()
    n.append("The CLI over the fixture corpus is dominated by interpreter start and imports "
             f"({lines_of(files):,} lines in {len(files)} small files); the twenty generated "
             "2,000-line files show the steady-state throughput. `-j 0` uses one process per "
             "CPU.")
    failures = v.get("cli_failures", [])
    if failures:
        n.append("**The CLI failed**: " + "; ".join(f"{m}: `{e}`" for m, e in failures) + ".")
    if any("pickle" in e.lower() for _, e in failures):
        n.append("`shapelens check -j N` sends each file's `Analysis` back from the worker "
                 "processes with pickle, and the analysis of a Keras program holds lambdas "
                 "and local functions (`shapelens.shapefns`), so any folder with a Keras file "
                 "crashes with `-j` (a CLI/core bug, reported; the single-process numbers are "
                 "unaffected).")
    n.append("Memory: `VmHWM` (peak resident set) from `/proc/<pid>/status` after opening "
             "twenty different 2,000-line files and asking each for hovers and inlay hints.")
    n.append("Typing: one edit every 100 ms on the 10,000-line file (60 s; 10 s with "
             "--quick), not waiting for answers; the server runs with `--log-level INFO` so "
             "its `analysed ... vN in M ms` lines show which versions it analysed and when.")


async def run_lsp_sections(corpus: Corpus, plan: Plan, results: Results,
                           only: set[str]) -> None:
    sections: list[tuple[str, Callable[[], Awaitable[None]]]] = [
        ("files", lambda: section_files(corpus, plan, results)),
        ("real", lambda: section_real(corpus.workdir, plan, results)),
        ("fixtures", lambda: section_fixtures(plan, results)),
        ("cold", lambda: section_cold_start(corpus, plan, results)),
        ("rss", lambda: section_rss(corpus, plan, results)),
        ("typing", lambda: section_typing(corpus, plan, results)),
    ]
    for name, section in sections:
        if not only or name in only:
            await section()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (2-3 minutes)")
    parser.add_argument("--only", default="",
                        help="comma-separated sections: files, real, fixtures, cold, rss, typing, "
                        "cli, tf")
    parser.add_argument("--real-files", default="",
                        help="section real: only the files whose label contains one of these "
                        "comma-separated words (script, library, keras, numpy_test, notebook)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md",
                        help="where to write the Markdown report (default bench/RESULTS.md)")
    args = parser.parse_args(argv)
    if args.real_files:
        os.environ["SHAPELENS_BENCH_REAL"] = args.real_files
    plan = Plan.quick() if args.quick else Plan()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    info = versions()
    compile_package()
    load_start = load()
    began = time.perf_counter()
    print(f"ShapeLens benchmark ({'quick' if args.quick else 'full'}), {info['date']}")
    for key, value in info.items():
        print(f"  {key}: {value}")
    results = Results()
    with tempfile.TemporaryDirectory(prefix="shapelens-bench-") as tmp:
        corpus = Corpus.make(Path(tmp))
        asyncio.run(run_lsp_sections(corpus, plan, results, only))
        if not only or "cli" in only:
            section_cli(corpus, plan, results)
            eco_cli(plan, results, run_wall)
        if not only or "tf" in only:
            section_tf(plan, results)
        notes(results, corpus)
    evaluate_targets(results)
    elapsed = time.perf_counter() - began
    plan_name = ("quick" if args.quick else "full") + (f" (only {args.only})" if only else "")
    report = markdown(results, info, plan_name, elapsed, (load_start, load()))
    args.out.write_text(report, encoding="utf-8")
    print("\nTargets (issues 7 and 18)")
    for target, measured, ok, note in results.targets:
        print(f"  {target:<62} {measured:<44} {ok.strip('*'):<8} {note}")
    print(f"\nwrote {args.out} ({elapsed / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
