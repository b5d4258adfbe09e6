"""TensorFlow-Program-Bugs (ISSTA'18), shape slice: ShapeLens on the 14 ``StackOverflow/UT-*``
buggy programs and their fixed versions.

    python bench/tf_program_bugs.py            # ShapeLens only (TF results from the cache)
    python bench/tf_program_bugs.py --tf       # also run each program under TF 2.21 (cached)
    python bench/tf_program_bugs.py --json F   # also save the table as JSON

The programs are read from the git mirror pinned in ``bench/tf_program_bugs.toml`` (run the
search tool's ``fetch github:ForeverZyh/TensorFlow-Program-Bugs`` if it is missing) and
materialised with ``git archive`` outside the repository, under ``--cache`` (default
``/work/eco-cache/tf-program-bugs``), with their data files. With ``--tf`` every program runs
in its own process (``tf_program_bugs_worker.py``: ``tensorflow.compat.v1`` with v2 behaviour
disabled, offline stubs for MNIST, ``tf.contrib`` and scikit-learn, ``range`` capped, a time
budget) to learn where TF 2.21 in graph mode raises; results are cached by program text.

Verdicts for a buggy program: ``right line`` when ShapeLens reports an error or warning on a line
TF names (the line it raised at, or where it says the failing node was defined) or, when TF
raises nothing, on a line the fix changes; ``elsewhere`` for findings on other lines only;
``missed`` for none. A fixed program should get no error or warning at all.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # pyright: ignore[reportMissingImports]

HERE = Path(__file__).resolve().parent
PIN = HERE / "tf_program_bugs.toml"
WORKER = HERE / "tf_program_bugs_worker.py"
MIRRORS = Path("/work/.mirror")
DEFAULT_CACHE = Path("/work/eco-cache/tf-program-bugs")
# Bump when the worker's rewriting or stubs change what a program does (invalidates the cache).
WORKER_VERSION = "3"


def load_pin() -> dict[str, str]:
    with PIN.open("rb") as f:
        return tomllib.load(f)["benchmark"]


def mirror_of(github: str) -> Path:
    path = MIRRORS / github.replace("/", "+") / "repo"
    if not path.exists():
        sys.exit(f"no mirror at {path}: fetch github:{github} with the search tool first")
    return path


def materialise(pin: dict[str, str], cache: Path) -> Path:
    """The UT folders at the pinned commit, extracted once into ``cache/<commit>``."""
    root = cache / pin["commit"]
    if (root / ".complete").exists():
        return root
    mirror = mirror_of(pin["github"])
    names = subprocess.run(["git", "-C", str(mirror), "ls-tree", "--name-only", pin["commit"],
                            pin["folder"] + "/"], check=True, capture_output=True,
                           text=True).stdout.split()
    uts = [n for n in names if Path(n).name.startswith(pin["prefix"])]
    root.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(mirror), "archive", pin["commit"], *uts],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    (root / ".complete").write_text("")
    return root


def pairs(root: Path, pin: dict[str, str]) -> list[tuple[str, Path, Path]]:
    """(``UT-n``, buggy program, fixed program), in benchmark order."""
    out = []
    for ut in sorted((root / pin["folder"]).glob(pin["prefix"] + "*"),
                     key=lambda p: int(p.name.split("-")[1])):
        buggy = next(ut.glob("*-buggy/*.py"))
        fixed = next(ut.glob("*-fix/*.py"))
        out.append((ut.name, buggy, fixed))
    return out


def shapelens_findings(path: Path) -> list[dict[str, Any]]:
    """Errors and warnings (not infos) ShapeLens reports on one file."""
    from shapelens.cli import analyze_path
    from shapelens.core import Config

    analysis = analyze_path(path, Config())
    return [{"line": f.span.line, "code": f.code, "severity": f.severity, "message": f.message}
            for f in analysis.findings if f.severity in ("error", "warning")]


def tf_outcome(path: Path, cache: Path, run: bool) -> dict[str, Any] | None:
    """What TF 2.21 does with the program (cached by its text); None if never run."""
    key = hashlib.sha256(path.read_bytes() + WORKER_VERSION.encode()).hexdigest()[:16]
    cached = cache / "tf-runs" / f"{key}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    if not run:
        return None
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        proc = subprocess.run([sys.executable, str(WORKER), str(path), str(out)],
                              cwd=path.parent, capture_output=True, text=True, timeout=300)
        if not out.exists():
            return {"error": None, "crash": proc.stderr[-2000:]}
        result = json.loads(out.read_text())
    cached.write_text(json.dumps(result))
    return result


def changed_lines(buggy: Path, fixed: Path) -> list[int]:
    """Lines of the buggy program that the fix changes (1-based)."""
    a = buggy.read_text().splitlines()
    b = fixed.read_text().splitlines()
    lines: set[int] = set()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return sorted(lines)


def verdict(findings: list[dict[str, Any]], right: list[int]) -> str:
    if not findings:
        return "missed"
    return "right line" if any(f["line"] in right for f in findings) else "elsewhere"


def evaluate(ut: str, buggy: Path, fixed: Path, cache: Path, run_tf: bool) -> dict[str, Any]:
    tf = tf_outcome(buggy, cache, run_tf)
    tf_fixed = tf_outcome(fixed, cache, run_tf)
    error = tf.get("error") if tf else None
    if error:
        right = sorted({error["line"], *error["defined_at"]} - {None})
    else:
        right = changed_lines(buggy, fixed)
    found = shapelens_findings(buggy)
    on_fixed = shapelens_findings(fixed)
    return {"ut": ut, "program": buggy.name, "tf": tf, "tf_fixed": tf_fixed, "right": right,
            "findings": found, "verdict": verdict(found, right), "fixed_findings": on_fixed}


def _tf_text(tf: dict[str, Any] | None) -> str:
    if tf is None:
        return "(not run)"
    error = tf.get("error")
    if not error:
        return "no error" + (" (time budget)" if tf.get("timeout") else "")
    at = f"L{error['line']}"
    if error["defined_at"] and error["defined_at"] != [error["line"]]:
        at += " node@" + ",".join(f"L{n}" for n in error["defined_at"])
    return f"{error['class']} {at}"


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'bug':7} {'TF 2.21 graph mode (buggy)':38} {'ShapeLens (buggy)':28} "
          f"{'verdict':11} {'fixed: TF / ShapeLens'}")
    for r in rows:
        found = ", ".join(f"{f['code']}@L{f['line']}" for f in r["findings"]) or "-"
        fixed = ", ".join(f"{f['code']}@L{f['line']}" for f in r["fixed_findings"]) or "clean"
        print(f"{r['ut']:7} {_tf_text(r['tf']):38} {found[:28]:28} {r['verdict']:11} "
              f"{_tf_text(r['tf_fixed'])} / {fixed}")
    counts = {v: sum(r["verdict"] == v for r in rows) for v in ("right line", "elsewhere",
                                                                "missed")}
    raised = [r for r in rows if r["tf"] and r["tf"].get("error")]
    raised_right = sum(r["verdict"] == "right line" for r in raised)
    noisy_fixed = sum(bool(r["fixed_findings"]) for r in rows)
    print(f"\nbuggy: {counts['right line']} at the right line, {counts['elsewhere']} elsewhere, "
          f"{counts['missed']} missed (flagged {counts['right line'] + counts['elsewhere']}/"
          f"{len(rows)}); TF raised on {len(raised)}, found at its line {raised_right}/"
          f"{len(raised)}; fixed versions with an error or warning: {noisy_fixed}/{len(rows)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--tf", action="store_true", help="run the programs under TF 2.21")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    pin = load_pin()
    root = materialise(pin, args.cache)
    rows = [evaluate(ut, buggy, fixed, args.cache, args.tf)
            for ut, buggy, fixed in pairs(root, pin)]
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
