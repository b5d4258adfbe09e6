"""``check --fix`` (write the safe fixes, report what remains) and ``check --diff`` (print the
fixes as a unified diff and change nothing), as ruff does them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..structs import Mutable
from .analysis import analyze_path
from .base import EXIT_ERROR, EXIT_FOUND, EXIT_OK
from .output import exit_code, report_findings

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from ..core import Analysis, Config


class FileFix(Mutable):
    """One file after ``check --fix``/``--diff``: what changed and what remains."""

    __slots__ = ("path", "original", "fixed", "fixes", "analysis")

    def __init__(self, path: str, original: str, fixed: str, fixes: int,
                 analysis: Analysis) -> None:
        self.path = path
        self.original = original
        self.fixed = fixed
        self.fixes = fixes
        self.analysis = analysis


def _fix_job(job: tuple[str, Config, bool]) -> FileFix | str:
    """Fix one file in memory (nothing is written here); an I/O error becomes a message."""
    from ..fixes.apply import fix_source
    from ..sources import UnreadableSource, read_source

    path, config, unsafe = job
    try:
        source = read_source(Path(path))
    except OSError as err:
        return f"{path}: {err.strerror or err}"
    except UnreadableSource:
        analysis = analyze_path(Path(path), config)  # reports SL904; nothing to fix
        return FileFix(path, "", "", 0, analysis)
    outcome = fix_source(source, path, config, unsafe=unsafe)
    return FileFix(path, source, outcome.source, len(outcome.applied), outcome.analysis)


def _write_source(path: Path, text: str) -> None:
    """Write fixed text back in the file's own encoding (BOM and coding cookie kept)."""
    import io
    import tokenize

    encoding, _ = tokenize.detect_encoding(io.BytesIO(path.read_bytes()).readline)
    path.write_bytes(text.encode(encoding))


def _unified_diff(fix: FileFix) -> str:
    import difflib

    return "".join(difflib.unified_diff(
        fix.original.splitlines(keepends=True), fix.fixed.splitlines(keepends=True),
        fromfile=fix.path, tofile=fix.path))


def _fix_all(args: argparse.Namespace, files: list[str],
             config: Config) -> tuple[list[FileFix], list[str]]:
    work = [(f, config, bool(args.unsafe_fixes)) for f in files]
    jobs = args.jobs or os.cpu_count() or 1
    if jobs > 1 and len(work) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(pool.map(_fix_job, work))
    else:
        outcomes = [_fix_job(job) for job in work]
    return ([o for o in outcomes if isinstance(o, FileFix)],
            [o for o in outcomes if isinstance(o, str)])


def cmd_fix(args: argparse.Namespace, files: list[str], config: Config) -> int:
    """``check --fix`` (write the fixes, report what remains) and ``check --diff`` (print
    the fixes as a unified diff, change nothing; exit 1 if there would be changes)."""
    fixes, io_errors = _fix_all(args, files, config)
    changed = [f for f in fixes if f.fixed != f.original]
    count = sum(f.fixes for f in changed)
    noun = f"{count} problem{'s' if count != 1 else ''} in {len(changed)} " \
        f"file{'s' if len(changed) != 1 else ''}"
    if args.diff:
        for fix in changed:
            sys.stdout.write(_unified_diff(fix))
        print(f"Would fix {noun}." if changed else "No fixes available.", file=sys.stderr)
        for err in io_errors:
            print(f"shapelens: {err}", file=sys.stderr)
        return EXIT_ERROR if io_errors else EXIT_FOUND if changed else EXIT_OK
    for fix in changed:
        try:
            _write_source(Path(fix.path), fix.fixed)
        except OSError as err:
            io_errors.append(f"{fix.path}: {err.strerror or err}")
    analyses = [f.analysis for f in fixes]
    results = report_findings(args, analyses, files)
    if changed:
        human = args.format in ("full", "text", "concise") and not args.output
        print(f"Fixed {noun}.", file=sys.stdout if human else sys.stderr)
    return exit_code(args, results, io_errors)
