"""Analysing the files the command line names: one file, a notebook, or many in parallel.

Only the standard library is imported here at module level: ``shapelens check`` imports this
at start-up and the engine only when a file is analysed.
"""

from __future__ import annotations

import os
from pathlib import Path

from .base import UsageError

TYPE_CHECKING = False  # not ``typing.TYPE_CHECKING``: ``typing`` is slow to import
if TYPE_CHECKING:
    import argparse

    from ..core import Analysis, Config


def load_config(args: argparse.Namespace, paths: list[Path]) -> Config:
    """``[tool.shapelens]`` found from the first path, with ``--select``/``--ignore`` applied."""
    from ..core import load_config as find_config

    explicit = Path(args.config) if getattr(args, "config", None) else None
    start = paths[0] if paths else Path.cwd()
    config = find_config(start if start.exists() else Path.cwd(), explicit)
    if getattr(args, "select", None):
        config.select = tuple(c.strip().upper() for c in args.select.split(",") if c.strip())
    if getattr(args, "ignore", None):
        config.ignore += tuple(c.strip().upper() for c in args.ignore.split(",") if c.strip())
    return config


def files_to_check(paths: list[Path], config: Config, force_exclude: bool = False) -> list[str]:
    """The files a run analyses. Folders are walked with the exclusions applied; a file named
    on the command line is checked even when excluded, unless ``force_exclude`` (what a
    pre-commit hook wants: it names every staged file, and ``exclude`` must still hold)."""
    from ..sources import iter_python_files

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: No such file or directory")
    return [str(p) for p in iter_python_files(paths, config)
            if not (force_exclude and config.excluded(p))]


def analyze_path(path: Path, config: Config) -> Analysis:
    """Analyse one file; undecodable text becomes an SL904 finding, OSError propagates."""
    from ..core import Analysis, Finding, Span, analyze, disk_resolver
    from ..sources import UnreadableSource, read_source

    try:
        source = read_source(path)
    except UnreadableSource as err:
        result = Analysis(str(path))
        result.findings.append(Finding("SL904", f"cannot read {path.name} as Python source: "
                                       f"{err}", Span(1, 0, 1, 0)))
        return result
    if path.suffix == ".ipynb":
        return analyze_notebook(source, str(path), config)
    roots = [config.root] if config.root is not None else [Path.cwd()]
    return analyze(source, str(path), config, resolver=disk_resolver([*roots, path.parent]))


def analyze_notebook(text: str, path: str, config: Config) -> Analysis:
    """Analyse a notebook's code cells as one program; positions are mapped back to cells.

    A finding's own span becomes (cell, in-cell line); its ``related`` spans stay program
    lines, as they may lie in other cells (the code frame maps them, ``cli.frames``)."""
    from ..core import Analysis, Finding, Span, analyze
    from ..core.results import requote_lines
    from ..notebook import NotebookError, read_notebook
    from ..structs import replace

    try:
        program = read_notebook(text)
    except NotebookError as err:
        result = Analysis(path)
        result.findings.append(Finding("SL904", str(err), Span(1, 0, 1, 0)))
        return result
    result = analyze(program.source, path, config)
    for i, f in enumerate(result.findings):
        start, end = program.locate(f.span.line), program.locate(f.span.end_line)
        end_line = end.line if end.cell == start.cell else start.line
        result.findings[i] = replace(f, cell=start.cell, span=Span(
            start.line, f.span.col, end_line, f.span.end_col), message=requote_lines(
                f.message, lambda n: "cell {0.cell}, line {0.line}".format(program.locate(n))))
    result.assignments = [replace(a, cell=program.locate(a.line).cell,
                                  line=program.locate(a.line).line) for a in result.assignments]
    return result


def _analyze_job(job: tuple[str, Config]) -> Analysis | str:
    path, config = job
    try:
        result = analyze_path(Path(path), config)
    except OSError as err:
        return f"{path}: {err.strerror or err}"
    # What the CLI reports crosses process boundaries with -j: drop the per-expression
    # values and the tree (they hold Keras layer rules and AST nodes) — only editors need them.
    result.expressions = {}
    result.tree = None
    return result


def run_all(files: list[str], config: Config, jobs: int) -> tuple[list[Analysis], list[str]]:
    """Analyse ``files`` (in ``jobs`` processes; 0: one per CPU): the analyses, and one
    message per file that could not be read."""
    from ..core import Analysis

    work = [(f, config) for f in files]
    if jobs == 0:
        jobs = os.cpu_count() or 1
    if jobs > 1 and len(files) > 1:
        outcomes = _in_processes(work, jobs)
    else:
        outcomes = [_analyze_job(job) for job in work]
    analyses = [o for o in outcomes if isinstance(o, Analysis)]
    errors = [o for o in outcomes if isinstance(o, str)]
    return analyses, errors


def _in_processes(work: list[tuple[str, Config]], jobs: int) -> list[Analysis | str]:
    """The jobs in ``jobs`` processes, largest file first, one file per task: analysis time
    grows with a file's size, so handing out the big ones first and the small ones to
    whichever worker is free ends all workers together (longest-processing-time first),
    where fixed chunks in file order leave one worker with the largest file at the end.
    Results come back in the order of ``work``."""
    from concurrent.futures import ProcessPoolExecutor

    def size(job: tuple[str, Config]) -> int:
        try:
            return os.path.getsize(job[0])
        except OSError:
            return 0

    order = sorted(range(len(work)), key=lambda i: -size(work[i]))
    outcomes: list[Analysis | str] = [""] * len(work)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_analyze_job, work[i]): i for i in order}
        for future, i in futures.items():
            outcomes[i] = future.result()
    return outcomes
