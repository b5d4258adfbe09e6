"""Ecosystem check, dynamic half: run the pinned third-party programs under TensorFlow and
hold ShapeLens's analysis of each against what really happened.

``bench/ecosystem.py`` runs ``shapelens check`` over the pinned code; this runs, one by one in
a ``nice``d subprocess each (``ecotf_worker.py``: a crash or a hang stays contained), every
program of it that can run offline under TF 2.21 / Keras 3 with the tensorflow backend: the
Keras guides and examples (``.py``; those that import jax or torch are skipped) and the TF
guide and tutorial notebooks (code cells in order, read with ``shapelens.notebook``). Data sets
are stubbed with random arrays of the real shapes, training is capped, the network is blocked
(``ecotf_stubs.py``); a program that tries a download is "needs network" and not counted.

For each program: ran clean / raised (class, message, line) / needs network / needs package /
timeout / skipped (why); then false alarms, shape agreement and coverage, and misses
(``ecotf_compare.py``). TF results are cached per (file, commit, content, harness version) in
``<cache>/.tf-results``, so a re-run only re-analyses with ShapeLens.

    python bench/ecosystem_tf.py [--cache /work/eco-cache] [--timeout 120] [--only PATTERN]
                                 [--json OUT] [--markdown OUT] [--fresh] [--no-run]
                                 [--update-doc]
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import ecotf_compare
from ecotf_report import markdown, render, update_doc

HARNESS_VERSION = "7"  # bump when stubs/caps change what a run records
BENCH = Path(__file__).resolve().parent
WORKER = BENCH / "ecotf_worker.py"
LOCK = BENCH / "ecosystem.toml"
DOC = BENCH / "ECOSYSTEM.md"
TREES = (("keras", ("guides", "examples"), ".py"),
         ("docs", ("site/en/guide", "site/en/tutorials"), ".ipynb"))
PYDEPS = ".pydeps"  # optional: matplotlib, pandas... installed with pip --target, never ours
SKIP_PATTERNS = (
    (r"\w\.estimator\.\w", "uses tf.estimator (removed in TF 2.16)"),
    (r"TPUClusterResolver|TPUStrategy|TPUEmbedding", "needs a TPU"),
    (r"['\"]TF_CONFIG['\"]\s*\]\s*=|TF_CONFIG\s*=", "needs a multi-worker cluster (TF_CONFIG)"),
    (r"KERAS_BACKEND['\"]\s*\]\s*=\s*['\"](jax|torch)", "sets a jax/torch Keras backend"),
)


def discover(cache: Path) -> list[tuple[str, Path]]:
    """(repository name, file) for every pinned program in the cache, in a stable order."""
    found: list[tuple[str, Path]] = []
    for repo, folders, suffix in TREES:
        for folder in folders:
            base = cache / repo / folder
            if base.is_dir():
                found.extend((repo, p) for p in sorted(base.rglob(f"*{suffix}")))
    return found


def commit_of(cache: Path, repo: str) -> str:
    """The pinned commit: the stamp ``bench/ecosystem.py`` leaves in the cache, else the lock."""
    try:
        stamp = json.loads((cache / repo / ".shapelens-eco.json").read_text(encoding="utf-8"))
        return str(stamp["commit"])
    except (OSError, ValueError, KeyError):
        pass
    match = re.search(rf'name = "{repo}"[^\[]*?commit = "([0-9a-f]+)"', LOCK.read_text())
    return match.group(1) if match else "unknown"


def program_source(path: Path) -> str:
    """The text the runner executes (a notebook's code cells as one program)."""
    from shapelens.notebook import read_notebook

    text = path.read_text(encoding="utf-8")
    return read_notebook(text).source if path.suffix == ".ipynb" else text


def imported_modules(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(re.findall(r"^\s*(?:import|from)\s+(\w+)", source, re.M))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def skip_reason(source: str, pydeps: Path) -> str | None:
    """Why a program cannot run here, decided without running it; None if it may run."""
    modules = imported_modules(source)
    backends = sorted(modules & {"jax", "torch"})
    if backends:
        return f"jax/torch program (imports {', '.join(backends)})"
    for pattern, reason in SKIP_PATTERNS:
        if re.search(pattern, source):
            return reason
    if str(pydeps) not in sys.path:
        sys.path.append(str(pydeps))
    missing = sorted(m for m in modules if importlib.util.find_spec(m) is None)
    if missing:
        return f"needs package(s) not installed: {', '.join(missing)}"
    return None


def cache_key(rel: str, commit: str, source: str) -> str:
    digest = hashlib.sha1(f"{rel}|{commit}|{HARNESS_VERSION}|".encode() + source.encode())
    return digest.hexdigest()[:20]


def run_worker(path: Path, timeout: int, pydeps: Path) -> dict[str, Any]:
    """Run one program in a nice'd subprocess; its record, or why there is none."""
    work = Path(tempfile.mkdtemp(prefix="ecotf-"))
    out = work / "record.json"
    env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="",
               KERAS_BACKEND="tensorflow", PYTHONUNBUFFERED="1")
    env.pop("TF_USE_LEGACY_KERAS", None)
    if pydeps.is_dir():
        env["PYTHONPATH"] = os.pathsep.join([str(pydeps), env.get("PYTHONPATH", "")]).strip(
            os.pathsep)
    cmd = ["nice", "-n", "10", sys.executable, str(WORKER), str(path), str(out),
           "--budget", str(timeout)]
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True,
                              timeout=timeout + 45, stdin=subprocess.DEVNULL, check=False)
        record = json.loads(out.read_text()) if out.exists() else None
        tail = proc.stderr[-1500:]
        code = proc.returncode
    except subprocess.TimeoutExpired:
        record, tail, code = None, "killed after the hard timeout", -9
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"record": record, "returncode": code, "stderr": tail,
            "wall_s": round(time.perf_counter() - started, 1)}


def classify(run: dict[str, Any]) -> tuple[str, str]:
    """(status, detail) of one TF run."""
    record = run["record"]
    if record is None:
        if run["returncode"] == -9:
            return "timeout", "killed (no record)"
        return "crashed", f"worker exit {run['returncode']}: {run['stderr'][-300:]}"
    error = record.get("error")
    network = (record.get("harness") or {}).get("network")
    if network:
        return "needs network", network[0]
    if error is None:
        return "clean", ""
    kind, message = error["type"], (error.get("message") or "").strip()
    first = message.splitlines()[0][:200] if message else ""
    headline = ecotf_compare.error_headline(error)
    if kind == "FixtureTimeout":
        return "timeout", f"budget exceeded after {record.get('duration_s')}s"
    if kind == "SystemExit" and message in ("", "0", "None"):
        return "clean", "sys.exit(0)"
    if kind in ("ModuleNotFoundError", "ImportError"):
        return "needs package", first
    return "raised", f"{headline} (line {error.get('line')})"


def tf_result(repo: str, path: Path, cache: Path, timeout: int, fresh: bool,
              run: bool = True) -> dict[str, Any]:
    """The TF run of one program, from the result cache when it has it (``run=False``: only
    from the cache)."""
    rel = str(path.relative_to(cache))
    source = program_source(path)
    pydeps = cache / PYDEPS
    reason = skip_reason(source, pydeps)
    if reason is not None:
        return {"file": rel, "status": "skipped", "detail": reason, "record": None}
    key = cache_key(rel, commit_of(cache, repo), source)
    stored = cache / ".tf-results" / f"{key}.json"
    if stored.exists() and not fresh:
        return json.loads(stored.read_text())
    if not run:
        return {"file": rel, "status": "not run", "detail": "no cached TF result", "record": None}
    outcome = run_worker(path, timeout, pydeps)
    status, detail = classify(outcome)
    result = {"file": rel, "status": status, "detail": detail, "wall_s": outcome["wall_s"],
              "record": outcome["record"], "key": key}
    if status != "crashed":  # a killed worker says nothing about the program: try again
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps(result, default=str))
    return result


JUDGED = ("clean", "raised", "timeout")


def program_report(result: dict[str, Any], path: Path) -> dict[str, Any]:
    """One program's row: TF's outcome and, where TF ran, the engine's judgement."""
    row = {k: result.get(k) for k in ("file", "status", "detail", "wall_s")}
    if result["status"] not in JUDGED or result.get("record") is None:
        return row
    view = ecotf_compare.analyse(path)
    row["engine_s"] = round(view.seconds, 2)
    if view.error:
        row["engine_crash"] = view.error
    judgement = ecotf_compare.judge(view, result["record"], result["status"])
    row.update(vars(judgement))
    return row


def engine_version() -> str:
    """The commit of the engine that judged the runs (``+dirty`` with uncommitted changes
    under server/): its false alarms change with every engine fix, the TF runs do not."""
    import shapelens

    server = Path(shapelens.__file__).resolve().parents[1]
    git = ["git", "-C", str(server)]
    try:
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "."], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run the pinned third-party programs under TF; judge ShapeLens on them.")
    parser.add_argument("--cache", type=Path, default=Path("/work/eco-cache"))
    parser.add_argument("--timeout", type=int, default=120, help="seconds per program")
    parser.add_argument("--only", help="run the files whose path contains / matches this")
    parser.add_argument("--json", type=Path, help="save the report here")
    parser.add_argument("--fresh", action="store_true", help="ignore cached TF results")
    parser.add_argument("--no-run", action="store_true",
                        help="never run TF: report the cached results only")
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown")
    parser.add_argument("--update-doc", action="store_true",
                        help="rewrite the results of 'Runs under TensorFlow' in ECOSYSTEM.md")
    args = parser.parse_args(argv)
    cache = args.cache.resolve()
    rows = []
    for repo, path in discover(cache):
        rel = str(path.relative_to(cache))
        if args.only and args.only not in rel and not fnmatch.fnmatch(rel, args.only):
            continue
        result = tf_result(repo, path, cache, args.timeout, args.fresh, not args.no_run)
        row = program_report(result, path)
        rows.append(row)
        print(f"{row['status']:>13}  {rel}  {row.get('detail') or ''}"[:160], flush=True)
    report = {"programs": rows, "harness_version": HARNESS_VERSION,
              "engine": engine_version()}
    print(render(report))
    if args.markdown:
        args.markdown.write_text(markdown(report) + "\n", encoding="utf-8")
    if args.update_doc and not args.only and not update_doc(DOC, markdown(report)):
        print(f"{DOC} has no results markers; nothing rewritten", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
