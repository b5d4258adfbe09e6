"""The ``shapelens`` command: ``check``, ``shapes``, ``rule`` and ``serve``.

Exit codes follow ruff: 0 nothing found, 1 an error or warning found, 2 usage, configuration
or I/O error. ``check --fix`` exits by what remains after fixing; ``check --diff`` exits 1 when
it would change something.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace

from . import __version__
from .structs import Mutable

TYPE_CHECKING = False  # not ``typing.TYPE_CHECKING``: ``typing`` is slow to import
if TYPE_CHECKING:
    import argparse

    from .core import Analysis, Config

# Start-up time is most of what ``shapelens check file.py`` costs, so this module imports
# only what parsing the command line needs; each command imports the rest (the analysis
# engine, the report formats, the language server; LibCST only when fixing) when it runs.
# ``argparse`` too: ``check PATH...`` is parsed without it (``_plain_check``).

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def _config(args: argparse.Namespace, paths: list[Path]) -> Config:
    from .core import load_config

    explicit = Path(args.config) if getattr(args, "config", None) else None
    start = paths[0] if paths else Path.cwd()
    config = load_config(start if start.exists() else Path.cwd(), explicit)
    if getattr(args, "select", None):
        config.select = tuple(c.strip().upper() for c in args.select.split(",") if c.strip())
    if getattr(args, "ignore", None):
        config.ignore += tuple(c.strip().upper() for c in args.ignore.split(",") if c.strip())
    return config


def analyze_path(path: Path, config: Config) -> Analysis:
    """Analyse one file; undecodable text becomes an SL904 finding, OSError propagates."""
    from .core import Analysis, Finding, Span, analyze, disk_resolver
    from .sources import UnreadableSource, read_source

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
    """Analyse a notebook's code cells as one program; positions are mapped back to cells."""
    from .core import Analysis, Finding, Span, analyze
    from .core.results import requote_lines
    from .notebook import NotebookError, read_notebook
    from .structs import replace

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


def _run_all(paths: list[Path], config: Config, jobs: int) -> tuple[list[Analysis], list[str]]:
    from .core import Analysis
    from .sources import iter_python_files

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: No such file or directory")
    files = [str(p) for p in iter_python_files(paths, config)]
    work = [(f, config) for f in files]
    if jobs == 0:
        jobs = os.cpu_count() or 1
    if jobs > 1 and len(files) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(pool.map(_analyze_job, work, chunksize=max(1, len(work) // (4 * jobs))))
    else:
        outcomes = [_analyze_job(job) for job in work]
    analyses = [o for o in outcomes if isinstance(o, Analysis)]
    errors = [o for o in outcomes if isinstance(o, str)]
    return analyses, errors


def cmd_check(args: argparse.Namespace) -> int:
    from . import report

    paths = [Path(p) for p in args.paths] or [Path(".")]
    config = _config(args, paths)
    if args.fix or args.diff:
        return cmd_fix(args, paths, config)
    analyses, io_errors = _run_all(paths, config, args.jobs)
    results = [report.FileFinding(a.path, f) for a in analyses for f in a.findings]
    out = {"text": report.text, "json": report.as_json, "sarif": report.sarif}[args.format]
    rendered = out(results)
    if args.output:
        Path(args.output).write_text(rendered + "\n", encoding="utf-8")
    else:
        print(rendered)
    for err in io_errors:
        print(f"shapelens: {err}", file=sys.stderr)
    if io_errors:
        return EXIT_ERROR
    found = any(r.finding.severity in ("error", "warning") for r in results)
    return EXIT_FOUND if found and not args.exit_zero else EXIT_OK


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
    from .fixes.apply import fix_source
    from .sources import UnreadableSource, read_source

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


def cmd_fix(args: argparse.Namespace, paths: list[Path], config: Config) -> int:
    """``check --fix`` (write the fixes, report what remains) and ``check --diff`` (print
    the fixes as a unified diff, change nothing; exit 1 if there would be changes)."""
    from . import report
    from .sources import iter_python_files

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: No such file or directory")
    work = [(str(f), config, bool(args.unsafe_fixes)) for f in iter_python_files(paths, config)]
    jobs = args.jobs or os.cpu_count() or 1
    if jobs > 1 and len(work) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(pool.map(_fix_job, work))
    else:
        outcomes = [_fix_job(job) for job in work]
    fixes = [o for o in outcomes if isinstance(o, FileFix)]
    io_errors = [o for o in outcomes if isinstance(o, str)]
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
    results = [report.FileFinding(f.analysis.path, x) for f in fixes for x in f.analysis.findings]
    out = {"text": report.text, "json": report.as_json, "sarif": report.sarif}[args.format]
    rendered = out(results)
    if args.output:
        Path(args.output).write_text(rendered + "\n", encoding="utf-8")
    else:
        print(rendered)
    if changed:
        print(f"Fixed {noun}.", file=sys.stdout if args.format == "text" and not args.output
              else sys.stderr)
    for err in io_errors:
        print(f"shapelens: {err}", file=sys.stderr)
    if io_errors:
        return EXIT_ERROR
    found = any(r.finding.severity in ("error", "warning") for r in results)
    return EXIT_FOUND if found and not args.exit_zero else EXIT_OK


def cmd_shapes(args: argparse.Namespace) -> int:
    import json

    paths = [Path(p) for p in args.paths]
    config = _config(args, paths)
    analyses, io_errors = _run_all(paths, config, 1)
    for err in io_errors:
        print(f"shapelens: {err}", file=sys.stderr)
    if args.format == "json":
        if len(paths) == 1 and paths[0].is_file() and len(analyses) == 1:
            payload: object = [f.to_json() for f in analyses[0].assignments]
        else:
            payload = {a.path: [f.to_json() for f in a.assignments] for a in analyses}
        print(json.dumps(payload, indent=2))
    else:
        for analysis in analyses:
            print(_shape_table(analysis))
    return EXIT_ERROR if io_errors else EXIT_OK


def _shape_table(analysis: Analysis) -> str:
    """One row per tensor assignment; a notebook's rows start with their cell (lines are
    in-cell lines there, meaningless without it)."""
    from .core.shapes import format_shape

    cells = any(a.cell is not None for a in analysis.assignments)
    rows = [((str(a.cell),) if cells else ()) + (str(a.line), a.name, format_shape(a.shape),
                                                  a.dtype or "?", a.kind)
            for a in analysis.assignments]
    header = (("cell",) if cells else ()) + ("line", "name", "shape", "dtype", "kind")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [analysis.path, "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    if not rows:
        lines.append("(no tensor-valued assignments)")
    return "\n".join(lines) + "\n"


def cmd_rule(args: argparse.Namespace) -> int:
    from .rules import docs as rule_docs
    from .rules.catalogue import BY_CODE, RULES

    if args.all or not args.code:
        for rule in RULES:
            print(f"{rule.code}  {rule.name:<28} {rule.severity.value:<11} {rule.summary}")
        return EXIT_OK
    code = args.code.upper()
    if code not in BY_CODE:
        print(f"shapelens: unknown rule {args.code!r}; `shapelens rule --all` lists them",
              file=sys.stderr)
        return EXIT_ERROR
    print(rule_docs.page(code))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .lsp.server import serve
    except ImportError as err:
        print(f"shapelens: the language server is not available: {err}", file=sys.stderr)
        return EXIT_ERROR
    return serve(args)


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="shapelens", description="Static tensor shapes and shape bugs for TF/Keras code.")
    parser.add_argument("--version", action="version", version=f"shapelens {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="report shape bugs in files or folders")
    check.add_argument("paths", nargs="*", help="files or folders (default: .)")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    check.add_argument("--output", "-o", help="write the report to this file")
    check.add_argument("--select", help="comma-separated rule codes or prefixes to enable")
    check.add_argument("--ignore", help="comma-separated rule codes or prefixes to disable")
    check.add_argument("--config", help="path to a pyproject.toml to use")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even if problems found")
    check.add_argument("-j", "--jobs", type=int, default=1,
                       help="worker processes (0 = one per CPU)")
    check.add_argument("--fix", action="store_true",
                       help="apply the safe fixes in place and report what remains")
    check.add_argument("--diff", action="store_true",
                       help="print the fixes as a unified diff and change nothing "
                       "(exit 1 if there are any)")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix/--diff: also apply fixes that may change behaviour")
    check.set_defaults(func=cmd_check)

    shapes = sub.add_parser("shapes", help="print the inferred shape of each assignment")
    shapes.add_argument("paths", nargs="+")
    shapes.add_argument("--format", choices=["text", "json"], default="text")
    shapes.add_argument("--config", help="path to a pyproject.toml to use")
    shapes.set_defaults(func=cmd_shapes)

    rule = sub.add_parser("rule", help="explain a rule (e.g. shapelens rule SL101)")
    rule.add_argument("code", nargs="?")
    rule.add_argument("--all", action="store_true", help="list every rule")
    rule.set_defaults(func=cmd_rule)

    serve = sub.add_parser("serve", help="run the language server")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    serve.add_argument("--ws", metavar="HOST:PORT", help="listen on a WebSocket")
    serve.add_argument("--log-level", default="WARNING")
    serve.set_defaults(func=cmd_serve)
    return parser


def _load(command: str) -> None:
    """Import what ``command`` needs with the garbage collector paused, then freeze it.

    Everything imported lives as long as the process, yet the collector would traverse it
    again and again while it is being created (over a hundred collections while the
    language server's modules load) and once more after; frozen, later collections skip
    it. The commands import the same modules themselves, so nothing depends on this but
    the time taken; in a process that already has them (tests) it does nothing.
    """
    wanted = {"check": "shapelens.report", "shapes": "shapelens.sources",
              "serve": "shapelens.lsp.server"}.get(command)
    if wanted is None or wanted in sys.modules:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        if command in ("check", "shapes"):
            from . import core, report, sources  # noqa: F401
        else:
            from .lsp import server  # noqa: F401
    except ImportError:  # reported by the command itself (`serve` without pygls)
        pass
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _config_error(err: Exception) -> bool:
    """Whether ``err`` is a ``core.config.ConfigError`` (without importing the engine for a
    command that never loaded it: then it cannot have been raised)."""
    config = sys.modules.get("shapelens.core.config")
    return config is not None and isinstance(err, config.ConfigError)


# What argparse gives ``check`` when no option is on the command line (a test keeps the
# two equal).
CHECK_DEFAULTS = {"format": "text", "output": None, "select": None, "ignore": None,
                  "config": None, "exit_zero": False, "jobs": 1, "fix": False, "diff": False,
                  "unsafe_fixes": False}


def _plain_check(argv: list[str]) -> argparse.Namespace | None:
    """``check PATH...`` without options, parsed as argparse would parse it but without
    importing argparse or building the parser, which costs more than analysing a small file
    (argparse asks the terminal its width and looks for translations of its messages). The
    commands only read the attributes, which are argparse's (a test compares them)."""
    if not argv or argv[0] != "check" or any(a.startswith("-") for a in argv[1:]):
        return None
    return SimpleNamespace(command="check", paths=argv[1:],  # type: ignore[return-value]
                           func=cmd_check, **CHECK_DEFAULTS)


def main(argv: list[str] | None = None) -> int:
    # Parsing the user's code makes Python warn about it ("invalid escape sequence", "invalid
    # decimal literal"): that is their code's business, not a message from us on stderr
    # (which the editor shows as the server's log).
    warnings.filterwarnings("ignore", category=SyntaxWarning)
    warnings.filterwarnings("ignore", message="invalid escape sequence",
                            category=DeprecationWarning)
    args = _plain_check(sys.argv[1:] if argv is None else list(argv))
    if args is None:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # argparse: 2 on usage errors, 0 for --help
            return int(exc.code or 0)
    _load(args.command)
    try:
        return int(args.func(args))
    except UsageError as err:
        print(f"shapelens: {err}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:
        if not _config_error(err):
            raise
        print(f"shapelens: {err}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
