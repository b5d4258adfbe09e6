"""The benchmark on code shaped like real code (issue 18), through the protocol.

For each file of the code-shaped corpus (``realcorpus.py``: library modules of 2,000 and
10,000 lines, scripts with ``main()`` behind the ``__main__`` guard, third-party modules of the
ecosystem check) one server is started and the file opened, then:

* ``edit anywhere``: a digit of a numeric literal retyped, at a different function body each
  time (a seeded shuffle over every function, any depth), then put back on the next edit;
* ``Enter/Backspace anywhere``: a line break typed at the end of a random line of a function
  body, deleted again by the next edit (every line below moves each time);
* ``paste 30-line function``: a 30-line function pasted (as one change) before a random
  top-level definition, and deleted again (both are timed);

each timed from sending the change to that version's ``publishDiagnostics``. A notebook (one
cell per fixture program) is edited the same way in a cell, through notebook sync, timed to the
answer of a pull of that cell's diagnostics. The from-scratch time of every file is
``analyze()`` in this process.

``cold``: the minimal pygls server (``minimal_server.py``) started like ShapeLens, to the
diagnostics of ``didOpen`` (the floor), in the same run as ShapeLens's cold start.
``eco_cli``: ``shapelens check`` (``-j 1`` and ``-j 0``) over every ``.py`` of the ecosystem
repositories against ``ast.parse`` of the same files in one process.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import realcorpus
from lspclient import Document, LspProcess, Notebook
from stats import Dist, Plan, Repeated, Results

from shapelens.core import analyze

PYTHON = os.environ.get("SHAPELENS_BENCH_PYTHON") or __import__("sys").executable
HERE = Path(__file__).resolve().parent
MINIMAL = [PYTHON, str(HERE / "minimal_server.py")]


def _wanted(label: str) -> bool:
    """``run.py --real-files script,numpy``: only the files whose label has one of those."""
    only = [w for w in os.environ.get("SHAPELENS_BENCH_REAL", "").split(",") if w]
    return not only or any(w in label for w in only)


def real_files(workdir: Path) -> list[tuple[str, Path, int]]:
    """``(label, path, lines)`` of the code-shaped corpus, written under ``workdir``."""
    out = []
    for kind in ("library", "script"):
        for size in (2000, 10_000):
            path = workdir / f"{kind}_{size}.py"
            path.write_text(getattr(realcorpus, kind)(size), encoding="utf-8")
            out.append((f"{kind} {size:,}", path, size))
    for label, source in realcorpus.third_party():
        text = source.read_text(encoding="utf-8")
        path = workdir / source.name
        path.write_text(text, encoding="utf-8")
        out.append((label, path, text.count("\n")))
    return out


async def _series(doc: Document, plan: Plan, count: int,
                  step: Callable[[int], Awaitable[list[float]]]) -> Dist:
    """Timed steps until ``count`` samples (after two untimed steps), stopping at the time
    cap on a long file once there are ``min_edits`` samples."""
    samples: list[float] = []
    capped = len(doc.lines) > plan.uncapped_lines
    deadline = time.perf_counter() + (plan.series_cap_s if capped else float("inf"))
    i = 0
    while len(samples) < count:
        if len(samples) >= plan.min_edits and time.perf_counter() > deadline:
            break
        latencies = await step(i)
        if i >= 2:
            samples += latencies
        i += 1
    return Dist.of_seconds(samples)


async def edits_anywhere(doc: Document, plan: Plan) -> Dist:
    points = realcorpus.digits(doc.text, plan.real_edits + 2)

    async def step(i: int) -> list[float]:
        p = points[i % len(points)]
        there = await doc.timed_change(p.line, p.col, p.col + 1, p.new)
        return [there, await doc.timed_change(p.line, p.col, p.col + 1, p.old)]  # and back

    return await _series(doc, plan, plan.real_edits, step)


async def enters_anywhere(doc: Document, plan: Plan) -> Dist:
    lines = realcorpus.enter_lines(doc.text, plan.real_edits + 2)

    async def step(i: int) -> list[float]:
        line = lines[i % len(lines)]
        enter = await doc.timed_enter(line)
        return [enter, await doc.timed_enter(line, join=True)]  # Backspace

    return await _series(doc, plan, plan.real_edits, step)


async def pastes(doc: Document, plan: Plan) -> tuple[Dist, Dist]:
    """Paste a 30-line function before a random definition, then delete it again."""
    spots = realcorpus.paste_lines(doc.text, plan.real_pastes + 1)
    pasted_lines = realcorpus.PASTED.count("\n")
    paste: list[float] = []
    delete: list[float] = []
    for i, line in enumerate(spots):
        sent = time.perf_counter()
        waiter = doc.server.expect(doc.uri, doc.version + 1)
        _insert(doc, line, realcorpus.PASTED)
        arrived = (await waiter).arrived
        sent2 = time.perf_counter()
        waiter = doc.server.expect(doc.uri, doc.version + 1)
        _delete(doc, line, pasted_lines)
        arrived2 = (await waiter).arrived
        if i:  # the first pair warms up
            paste.append(arrived - sent)
            delete.append(arrived2 - sent2)
    return Dist.of_seconds(paste), Dist.of_seconds(delete)


def _insert(doc: Document, line: int, text: str) -> None:
    doc.version += 1
    doc.lines[line:line] = text.split("\n")[:-1]
    doc.server.notify("textDocument/didChange", {
        "textDocument": {"uri": doc.uri, "version": doc.version},
        "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                      "end": {"line": line, "character": 0}},
                            "text": text}]})


def _delete(doc: Document, line: int, count: int) -> None:
    doc.version += 1
    del doc.lines[line:line + count]
    doc.server.notify("textDocument/didChange", {
        "textDocument": {"uri": doc.uri, "version": doc.version},
        "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                      "end": {"line": line + count, "character": 0}},
                            "text": ""}]})


def from_scratch(text: str, repeats: int) -> Repeated:
    analyze(text, "bench.py")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        analyze(text, "bench.py")
        times.append((time.perf_counter() - start) * 1000)
    return Repeated(times, "ms")


async def section_real(workdir: Path, plan: Plan, results: Results) -> None:
    print("code-shaped corpus: edits anywhere, Enter/Backspace, paste (issue 18)", flush=True)
    for label, path, size in real_files(workdir):
        if not _wanted(label):
            continue
        text = path.read_text(encoding="utf-8")
        server = LspProcess(workdir)
        await server.start()
        try:
            doc = Document(server, path, text)
            opened = await doc.open()
            note = f"({len(opened.diagnostics)} diagnostics)"
            dist = await edits_anywhere(doc, plan)
            results.add_latency("edit anywhere → diagnostics", label, dist, note)
            results.values[f"real_edit_{label}"] = dist
            dist = await enters_anywhere(doc, plan)
            results.add_latency("Enter/Backspace anywhere → diagnostics", label, dist)
            results.values[f"real_enter_{label}"] = dist
            paste, delete = await pastes(doc, plan)
            results.add_latency("paste a 30-line function → diagnostics", label, paste)
            results.add_latency("delete it again → diagnostics", label, delete)
        finally:
            await server.stop()
        scratch = from_scratch(text, 3 if size > 2000 else 5)
        results.values[f"real_scratch_{label}"] = (scratch, size)
        results.add_single(f"from-scratch analyze(), {label} ({size:,} lines)",
                           scratch.text(1))
    if _wanted("notebook"):
        await section_notebook(workdir, plan, results)


async def section_notebook(workdir: Path, plan: Plan, results: Results) -> None:
    source = json.loads(realcorpus.notebook(2000))
    cells = ["".join(c["source"]) for c in source["cells"]]
    path = workdir / "fixtures_2000.ipynb"
    path.write_text(json.dumps(source), encoding="utf-8")
    server = LspProcess(workdir)
    await server.start()
    label = f"notebook, {len(cells)} cells ({sum(c.count(chr(10)) + 1 for c in cells):,} lines)"
    try:
        book = Notebook(server, path, cells)
        book.open()
        points = [(i, d) for i, text in enumerate(cells) for d in realcorpus.digits(text, 1)]
        points = (points * (plan.real_edits // max(len(points), 1) + 2))[:plan.real_edits + 2]
        samples = []
        for k, (cell, d) in enumerate(points):
            first = await book.timed_change(cell, (d.line, d.col), (d.line, d.col + 1), d.new)
            await book.timed_change(cell, (d.line, d.col), (d.line, d.col + 1), d.old)
            if k >= 2:
                samples.append(first)
        results.add_latency("edit anywhere → pulled cell diagnostics", label,
                            Dist.of_seconds(samples))
    finally:
        await server.stop()


async def floor_start(path: Path, text: str) -> float:
    """One cold start of the minimal pygls server to its (empty) diagnostics of ``path``
    (ms); ``run.py`` alternates them with ShapeLens's, so both see the same machine."""
    server = LspProcess(path.parent, command=list(MINIMAL))
    await server.spawn()
    try:
        await server.initialize()
        published = await Document(server, path, text).open()
        return (published.arrived - server.started) * 1000
    finally:
        await server.stop()


def record_floor(first: list[float], results: Results) -> None:
    results.values["cold_floor"] = Repeated(first, "ms")
    results.add_single("  floor: minimal pygls server → its first (empty) diagnostics",
                       Repeated(first, "ms").text())


def eco_cli(plan: Plan, results: Results, run_wall: Callable[..., float]) -> None:
    """The CLI over the ecosystem repositories' ``.py`` files vs ``ast.parse`` of them."""
    print("CLI over the ecosystem repositories vs ast.parse", flush=True)
    files = realcorpus.ecosystem_files()
    lines = sum(p.read_text(encoding="utf-8", errors="replace").count("\n") for p in files)
    names = [str(p) for p in files]
    parse = ("import ast, sys\n"
             "for p in sys.argv[1:]:\n"
             "    try:\n"
             "        ast.parse(open(p, 'rb').read())\n"
             "    except (SyntaxError, ValueError):\n"  # Python 2 files: the CLI reports them
             "        pass\n")
    parse_walls = [run_wall([PYTHON, "-c", parse, *names])
                   for _ in range(plan.eco_cli_repeats + 1)]
    check = [PYTHON, "-m", "shapelens", "check", "--exit-zero", "--format", "concise"]
    walls = {}
    for jobs in ("1", "0"):
        walls[jobs] = [run_wall([*check, "-j", jobs, *names])
                       for _ in range(plan.eco_cli_repeats)]
    floor = statistics.median(parse_walls)
    one = statistics.median(walls["1"])
    many = statistics.median(walls["0"])
    results.values["eco_cli_ratio"] = one / floor
    results.values["eco_cli_scaling"] = one / many
    what = f"{len(files)} files, {lines:,} lines"
    results.add_single(f"ast.parse of the ecosystem .py files, one process ({what})",
                       Repeated(parse_walls, "ms").text())
    results.add_single(f"shapelens check -j 1, same files ({what})",
                       Repeated(walls["1"], "ms").text())
    results.add_single(f"shapelens check -j 0 ({os.cpu_count()} proc), same files",
                       Repeated(walls["0"], "ms").text())
    results.add_single("  ratio CLI -j 1 / ast.parse", f"{one / floor:.1f}×")
    results.add_single("  scaling -j 1 / -j 0", f"{one / many:.2f}× on {os.cpu_count()} CPUs")


LIBRARY_2K = ("library 2,000", "keras tf backend nn.py")  # library-shaped, about 2,000 lines
LIBRARY_10K = ("library 10,000", "keras ops numpy_test.py")  # 10,000 lines and more


def real_targets(results: Results) -> None:
    """Issue 18's targets, appended to ``results.targets``."""
    v = results.values
    t = results.targets

    def worst(kind: str, labels: tuple[str, ...], q: float) -> tuple[float | None, str]:
        found = [(v[f"{kind}_{label}"].p(q), label) for label in labels
                 if f"{kind}_{label}" in v]
        return max(found) if found else (None, "")

    def add(target: str, kind: str, labels: tuple[str, ...], q: float, limit: float) -> None:
        value, label = worst(kind, labels, q)
        if value is None:
            t.append((target, "not measured in this run", "n/a", ""))
        else:
            t.append((target, f"{value:,.1f} ms", _verdict(value <= limit),
                      f"worse of {', '.join(labels)}: {label}"))

    add("library modules, edit anywhere p50 ≤ 10 ms, 2,000 lines", "real_edit", LIBRARY_2K,
        50, 10)
    add("library modules, edit anywhere p95 ≤ 30 ms, 2,000 lines", "real_edit", LIBRARY_2K,
        95, 30)
    add("library modules, edit anywhere p95 ≤ 60 ms, 10,000 lines", "real_edit",
        LIBRARY_10K, 95, 60)
    add("library modules, Enter/Backspace anywhere p95 ≤ 30 ms, 2,000 lines", "real_enter",
        LIBRARY_2K, 95, 30)
    add("library modules, Enter/Backspace anywhere p95 ≤ 60 ms, 10,000 lines", "real_enter",
        LIBRARY_10K, 95, 60)
    ratios = []
    for key, value in v.items():
        if key.startswith("real_scratch_") and value[1] >= 10_000:
            label = key.removeprefix("real_scratch_")
            edit = v.get(f"real_edit_{label}")
            if edit is not None:
                ratios.append((value[0].median / edit.p(50), label))
    if ratios:
        low = min(ratios)
        t.append(("incremental edit anywhere ≥ 20× faster than from scratch, every "
                  "10,000-line file", f"{low[0]:.1f}× (lowest: {low[1]})",
                  _verdict(low[0] >= 20), "; ".join(f"{label} {r:.1f}×" for r, label in
                                                    sorted(ratios))))
    cold, floor = v.get("cold_start"), v.get("cold_floor")
    if cold is not None and floor is not None:
        ratio = cold.median / floor.median
        t.append(("cold start ≤ 1.2× the minimal pygls server, 2,000 lines", f"{ratio:.2f}×",
                  _verdict(ratio <= 1.2), f"{cold.median:,.0f} ms / {floor.median:,.0f} ms "
                  "(medians, same run)"))
    ratio, scaling = v.get("eco_cli_ratio"), v.get("eco_cli_scaling")
    if ratio is not None:
        t.append(("CLI over the ecosystem repositories ≤ 25× ast.parse", f"{ratio:.1f}×",
                  _verdict(ratio <= 25), "whole processes, -j 1"))
        cpus = os.cpu_count() or 1
        t.append(("CLI -j 0 near-linear", f"{scaling:.2f}× on {cpus} CPUs",
                  _verdict(scaling >= 0.85 * cpus), "-j 1 wall / -j 0 wall ≥ 0.85 × CPUs"))


def _verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"
