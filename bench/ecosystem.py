"""Ecosystem check: ShapeLens over pinned third-party code (as ruff's ecosystem check and
mypy_primer do for their projects).

A finding on code that TensorFlow runs is a false alarm, and the fixtures, written by us,
cannot show the ones that code nobody here wrote triggers. ``bench/ecosystem.toml`` pins
repositories (commit and paths); each is materialised with ``git archive`` from the git mirror
that the search tool's ``fetch`` leaves at ``/work/.mirror/<owner>+<name>/repo`` into a cache
folder outside the repository (nothing is downloaded here, nothing third-party is committed).
ShapeLens then analyses every ``*.py`` and ``*.ipynb`` in process through the CLI's own entry
point (``shapelens.cli.analyze_path``), so each file is timed on its own and an exception in
the analyzer (raised, or isolated and logged by the engine) is reported as a crash with its
traceback instead of vanishing into a log.

    python bench/ecosystem.py                       # every pinned repository
    python bench/ecosystem.py --json /tmp/eco.json  # also save the report
    python bench/ecosystem.py --baseline /tmp/eco.json   # what is new / gone since then
    python bench/ecosystem.py --dir some/folder     # an unpinned folder, as is
    python bench/ecosystem.py --update-doc          # rewrite the results in ECOSYSTEM.md

Each error and warning is printed with its verdict from ``ecosystem_triage.toml`` (TRUE, FALSE
ALARM, UNSURE; ``untriaged`` for one nobody has judged yet).

Exit status: 0, or 1 when the analyzer crashed or ``--baseline`` shows new findings, 2 when no
repository could be analysed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ecosystem_triage import (
    END,
    START,
    TRIAGE,
    VERDICTS,
    judge,
    load_triage,
    markdown,
    update_doc,
)

__all__ = ["END", "START", "TRIAGE", "VERDICTS", "judge", "load_triage", "markdown",
           "update_doc"]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # pyright: ignore[reportMissingImports]

LOCK = Path(__file__).with_name("ecosystem.toml")
DOC = Path(__file__).with_name("ECOSYSTEM.md")
DEFAULT_CACHE = "/work/eco-cache"
DEFAULT_MIRRORS = "/work/.mirror"
STAMP = ".shapelens-eco.json"  # in each materialised repository: what it was made from
SOURCES = (".py", ".ipynb")  # what is extracted and analysed
SHOWN = ("error", "warning")  # listed one by one; hints and information are counted


@dataclass(frozen=True)
class Repo:
    """One pinned repository: ``name`` is its folder in the cache."""

    name: str
    github: str  # owner/name
    commit: str
    paths: tuple[str, ...]


def load_lock(path: Path) -> list[Repo]:
    """The ``[[repo]]`` tables of the lock file; a malformed entry is a ValueError that
    names it (a typo in a pin must not silently check nothing)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    repos = []
    for i, entry in enumerate(data.get("repo", [])):
        missing = [k for k in ("name", "github", "commit", "paths") if k not in entry]
        if missing:
            raise ValueError(f"{path}: repo #{i + 1} lacks {', '.join(missing)}")
        commit, github = str(entry["commit"]), str(entry["github"])
        if len(commit) != 40 or any(c not in "0123456789abcdef" for c in commit):
            raise ValueError(f"{path}: {entry['name']}: commit must be 40 hex digits")
        if github.count("/") != 1:
            raise ValueError(f"{path}: {entry['name']}: github must be owner/name")
        repos.append(Repo(str(entry["name"]), github, commit,
                          tuple(str(p).strip("/") for p in entry["paths"])))
    names = [r.name for r in repos]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: repository names must be unique: {names}")
    return repos


def mirror_git_dir(repo: Repo, mirrors: Path) -> Path | None:
    """The mirror's git directory (a bare repository, or a clone's ``.git``)."""
    base = mirrors / repo.github.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def materialise(repo: Repo, cache: Path, mirrors: Path) -> tuple[Path | None, str]:
    """``<cache>/<name>`` holding ``repo.paths`` at ``repo.commit``, reused when its stamp
    matches the pin; otherwise extracted anew (into a temporary folder, then moved in place).
    Returns (folder or None, a message saying what was done or why the repo is skipped)."""
    target = cache / repo.name
    wanted = {"github": repo.github, "commit": repo.commit, "paths": list(repo.paths)}
    try:
        if json.loads((target / STAMP).read_text(encoding="utf-8")) == wanted:
            return target, "cached"
    except (OSError, ValueError):
        pass
    fetch = f"fetch `github:{repo.github}` with the search tool, then run this again"
    git_dir = mirror_git_dir(repo, mirrors)
    if git_dir is None:
        return None, f"no git mirror of {repo.github} under {mirrors}: {fetch}"
    git = ["git", f"--git-dir={git_dir}"]
    if subprocess.run([*git, "cat-file", "-e", f"{repo.commit}^{{commit}}"],
                      capture_output=True).returncode != 0:
        return None, f"the mirror of {repo.github} lacks commit {repo.commit}: {fetch}"
    tmp = cache / f".{repo.name}.part"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    # Only the sources: a snapshot's largest files (images, data) may be listed but absent,
    # and an archive that names one fails.
    listed = subprocess.run([*git, "ls-tree", "-r", "--name-only", "-z", repo.commit, "--",
                             *repo.paths], capture_output=True)
    sources = [n for n in listed.stdout.decode().split("\0") if n.endswith(SOURCES)]
    if listed.returncode != 0 or not sources:
        shutil.rmtree(tmp, ignore_errors=True)
        return None, f"no *.py or *.ipynb under {', '.join(repo.paths)} in {repo.github} " \
            f"at {repo.commit}: {listed.stderr.decode().strip()}"
    archive = subprocess.run([*git, "archive", "--format=tar", repo.commit, "--", *sources],
                             capture_output=True)
    if archive.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        return None, f"git archive failed for {repo.github}: {archive.stderr.decode().strip()}"
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
    (tmp / STAMP).write_text(json.dumps(wanted), encoding="utf-8")
    old = cache / f".{repo.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target, f"extracted from {git_dir}"


class _Crashes(logging.Handler):
    """Errors the engine logs when it isolates a failing statement or shape function: each
    is an analyzer crash, hidden from the user but a bug all the same."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _summary(exc: BaseException) -> str:
    """``Type: message`` and the innermost frames of its traceback, on one line."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__name__}: {exc} [{where}]"


@dataclass
class FileResult:
    """What one file gave: the findings as JSON records (the CLI's), time and crashes."""

    path: str  # relative to the repository's folder
    lines: int
    seconds: float
    findings: list[dict[str, object]] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)


def _count_lines(path: Path) -> int:
    """Physical lines of a script; lines of the code cells of a notebook."""
    from shapelens.notebook import NotebookError, read_notebook
    from shapelens.sources import UnreadableSource, read_source

    try:
        text = read_source(path)
        if path.suffix == ".ipynb":
            text = read_notebook(text).source
    except (OSError, UnreadableSource, NotebookError):
        return 0
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def check_file(path: Path, root: Path, config: object, crashes: _Crashes) -> FileResult:
    """Analyse one file as ``shapelens check`` does; exceptions become crashes."""
    from shapelens.cli import analyze_path
    from shapelens.report import FileFinding

    rel = path.relative_to(root).as_posix()
    result = FileResult(rel, _count_lines(path), 0.0)
    before = len(crashes.records)
    start = time.perf_counter()
    try:
        analysis = analyze_path(path, config)  # type: ignore[arg-type]
    except Exception as exc:  # the CLI would die here: the worst kind of crash
        result.seconds = time.perf_counter() - start
        result.crashes.append("raised " + _summary(exc))
        return result
    result.seconds = time.perf_counter() - start
    for record in crashes.records[before:]:
        exc = record.exc_info[1] if record.exc_info else None
        result.crashes.append(f"{record.getMessage()}: " + (_summary(exc) if exc else "?"))
    for finding in analysis.findings:
        item = FileFinding(rel, finding).to_json()
        result.findings.append({k: item[k] for k in (
            "path", "line", "column", "code", "severity", "message", "cell") if k in item})
    return result


def check_tree(root: Path, paths: tuple[str, ...] = (".",)) -> list[FileResult]:
    """Every ``*.py``/``*.ipynb`` under ``root/paths``, analysed with the default
    configuration (a repository's own ``pyproject.toml`` is not ours to obey)."""
    from shapelens.core import Config
    from shapelens.sources import iter_python_files

    config = Config(root=root)
    handler = _Crashes()
    logger = logging.getLogger("shapelens")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False  # counted here, not printed
    try:
        files = iter_python_files([root / p for p in paths if (root / p).exists()], config)
        return [check_file(f, root, config, handler) for f in files]
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def repo_report(files: list[FileResult], **meta: object) -> dict[str, object]:
    """One repository's entry in the JSON report."""
    counts: dict[str, int] = {}
    for f in files:
        for item in f.findings:
            counts[str(item["severity"])] = counts.get(str(item["severity"]), 0) + 1
    slowest = sorted(files, key=lambda f: -f.seconds)[:3]
    return {
        **meta,
        "files": len(files),
        "lines": sum(f.lines for f in files),
        "seconds": round(sum(f.seconds for f in files), 3),
        "slowest": [[f.path, round(f.seconds, 3)] for f in slowest],
        "counts": {s: counts.get(s, 0) for s in ("error", "warning", "hint", "information")},
        "crashes": [{"path": f.path, "crash": c} for f in files for c in f.crashes],
        "findings": [i for f in files for i in f.findings if i["severity"] in SHOWN],
    }


def where(item: dict[str, object]) -> str:
    """``path:line:col`` (``path:cell N:line:col`` in a notebook), as the CLI writes it."""
    cell = f"cell {item['cell']}:" if item.get("cell") is not None else ""
    return f"{item['path']}:{cell}{item['line']}:{item['column']}"


def finding_line(item: dict[str, object]) -> str:
    verdict = f"[{item['verdict']}] " if item.get("verdict") else ""
    return f"{verdict}{where(item)}: {item['code']} [{item['severity']}] {item['message']}"


def render(report: dict[str, dict[str, object]]) -> str:
    """The per-repository text report."""
    out = []
    for name, rep in report.items():
        counts: dict[str, int] = rep["counts"]  # type: ignore[assignment]
        crashes: list[dict[str, str]] = rep["crashes"]  # type: ignore[assignment]
        pin = f" @ {str(rep['commit'])[:12]}" if rep.get("commit") else ""
        out.append(f"== {name} ({rep.get('github', rep.get('root', ''))}{pin}): "
                   f"{rep['files']} files, {rep['lines']:,} lines, {rep['seconds']:.2f} s, "
                   f"{len(crashes)} crashes, {counts['error']} errors, "
                   f"{counts['warning']} warnings ({counts['hint']} hints, "
                   f"{counts['information']} information not listed)")
        out += [f"  CRASH {c['path']}: {c['crash']}" for c in crashes]
        out += ["  " + finding_line(i) for i in rep["findings"]]  # type: ignore[union-attr]
    return "\n".join(out)


def _keys(report: dict[str, dict[str, object]]) -> dict[tuple[object, ...], str]:
    """Findings and crashes, keyed by everything but the column (a column moves with an
    edit of the message's subject more often than the finding itself changes)."""
    keys: dict[tuple[object, ...], str] = {}
    for name, rep in report.items():
        for item in rep.get("findings", []):  # type: ignore[union-attr]
            key = (name, item["path"], item.get("cell"), item["line"], item["code"],
                   item["message"])
            keys[key] = f"{name}: {finding_line(item)}"
        for crash in rep.get("crashes", []):  # type: ignore[union-attr]
            keys[(name, crash["path"], "crash", crash["crash"])] = \
                f"{name}: CRASH {crash['path']}: {crash['crash']}"
    return keys


def diff_reports(old: dict[str, dict[str, object]],
                 new: dict[str, dict[str, object]]) -> tuple[list[str], list[str]]:
    """(new, gone): findings and crashes in ``new`` and not in ``old``, and the reverse.
    Only repositories present in both are compared (a skipped one is not "all gone")."""
    shared = old.keys() & new.keys()
    before = _keys({k: v for k, v in old.items() if k in shared})
    after = _keys({k: v for k, v in new.items() if k in shared})
    return ([after[k] for k in after if k not in before],
            [before[k] for k in before if k not in after])


def run(repos: list[Repo], cache: Path, mirrors: Path) -> dict[str, dict[str, object]]:
    """Materialise and check each pinned repository; a repository that cannot be
    materialised is reported on stderr and left out."""
    report: dict[str, dict[str, object]] = {}
    for repo in repos:
        folder, message = materialise(repo, cache, mirrors)
        if folder is None:
            print(f"ecosystem: skipping {repo.name}: {message}", file=sys.stderr)
            continue
        files = check_tree(folder, repo.paths)
        report[repo.name] = repo_report(files, github=repo.github, commit=repo.commit,
                                        paths=list(repo.paths))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lock", type=Path, default=LOCK, help="the pins (default: %(default)s)")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "SHAPELENS_ECO_CACHE", DEFAULT_CACHE)), help="where the repositories are extracted "
        "($SHAPELENS_ECO_CACHE, default %(default)s)")
    parser.add_argument("--mirrors", type=Path, default=Path(DEFAULT_MIRRORS),
                        help="the search tool's fetch folder (default: %(default)s)")
    parser.add_argument("--repo", action="append", help="only this pinned repository (repeat)")
    parser.add_argument("--dir", action="append", type=Path, default=[],
                        help="check this folder as is instead of the pins (repeat)")
    parser.add_argument("--json", type=Path, help="save the report as JSON here")
    parser.add_argument("--baseline", type=Path, help="a saved report: print what is new/gone")
    parser.add_argument("--triage", type=Path, default=TRIAGE,
                        help="verdicts on findings (default: %(default)s)")
    parser.add_argument("--markdown", type=Path, help="write the results as Markdown here")
    parser.add_argument("--update-doc", action="store_true",
                        help=f"rewrite the results block of {DOC.name}")
    args = parser.parse_args(argv)
    if args.update_doc and (args.dir or args.repo):
        parser.error("--update-doc records a run of every pinned repository")
    if args.dir:
        report = {d.name: repo_report(check_tree(d.resolve()), root=str(d)) for d in args.dir}
    else:
        repos = load_lock(args.lock)
        unknown = set(args.repo or ()) - {r.name for r in repos}
        if unknown:
            parser.error(f"not in {args.lock}: {', '.join(sorted(unknown))}")
        repos = [r for r in repos if not args.repo or r.name in args.repo]
        report = run(repos, args.cache, args.mirrors)
    if not report:
        print("ecosystem: nothing was analysed", file=sys.stderr)
        return 2
    if not args.dir:  # verdicts are on the pinned code
        judge(report, load_triage(args.triage))
    print(render(report))
    text = markdown(report, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.update_doc and not args.dir and len(report) == len(load_lock(args.lock)):
        update_doc(DOC, text)
    elif args.update_doc:
        print(f"ecosystem: {DOC.name} not updated: a repository was skipped", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    status = 1 if any(rep["crashes"] for rep in report.values()) else 0
    if args.baseline:
        added, gone = diff_reports(json.loads(args.baseline.read_text(encoding="utf-8")), report)
        print(f"\n== against {args.baseline}: {len(added)} new, {len(gone)} gone")
        print("\n".join([*("  + " + a for a in added), *("  - " + g for g in gone)]))
        status = max(status, 1 if added else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
