"""``shapelens check``: analyse, render the chosen format, choose the exit code; and the views
for debugging a configuration (``--show-files``, ``--show-settings``) and ``--statistics``.

Each format's module is imported only when that format is asked for: a plain ``check`` stays
as quick to start as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .analysis import files_to_check, load_config, run_all
from .base import EXIT_ERROR, EXIT_FOUND, EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from ..core import Analysis, Config
    from ..report import FileFinding

# ruff's ``--output-format`` names (those ShapeLens has), and ``text``: the default before
# ``full``/``concise`` existed, kept as a name for the default.
FORMATS = ("full", "concise", "text", "json", "json-lines", "sarif", "github", "gitlab",
           "junit", "pylint")
COLOR_CHOICES = ("auto", "always", "never")


def cmd_check(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [Path(".")]
    config = load_config(args, paths)
    if args.show_settings:
        return show_settings(args, paths, config)
    files = files_to_check(paths, config, args.force_exclude)
    if args.show_files:
        for name in sorted(files):
            print(name)
        return EXIT_OK
    if args.fix or args.diff:
        from .fix import cmd_fix

        return cmd_fix(args, files, config)
    analyses, io_errors = run_all(files, config, args.jobs)
    results = report_findings(args, analyses, files)
    return exit_code(args, results, io_errors)


def report_findings(args: argparse.Namespace, analyses: list[Analysis],
                    files: list[str]) -> list[FileFinding]:
    """Render the findings of ``analyses`` as ``args`` asks and write them out."""
    from ..report import FileFinding

    results = [FileFinding(a.path, f) for a in analyses for f in a.findings]
    if args.statistics:
        from .formats import statistics

        rendered = statistics(results, as_json=args.format in ("json", "json-lines"))
    else:
        rendered = render(args.format, results, files, use_color(args))
    if args.output:
        Path(args.output).write_text(rendered + "\n" if rendered else "", encoding="utf-8")
    elif rendered:
        print(rendered)
    return results


def exit_code(args: argparse.Namespace, results: list[FileFinding], io_errors: list[str]) -> int:
    """ruff's: 2 if a file could not be read, 1 if an error or warning was found (unless
    ``--exit-zero``), else 0. Information findings never fail a run."""
    for err in io_errors:
        print(f"shapelens: {err}", file=sys.stderr)
    if io_errors:
        return EXIT_ERROR
    found = any(r.finding.severity in ("error", "warning") for r in results)
    return EXIT_FOUND if found and not args.exit_zero else EXIT_OK


def render(fmt: str, results: list[FileFinding], files: list[str], color: bool) -> str:
    """The report in format ``fmt`` (one of ``FORMATS``)."""
    from .. import report

    if fmt in ("full", "text", "concise"):
        from .frames import Style, concise, full

        return (concise if fmt == "concise" else full)(results, Style(color))
    if fmt in ("json", "sarif"):
        return report.as_json(results) if fmt == "json" else report.sarif(results)
    from . import formats

    if fmt == "junit":
        return formats.junit(results, files)
    return {"json-lines": formats.json_lines, "github": formats.github,
            "gitlab": formats.gitlab, "pylint": formats.pylint}[fmt](results)


def use_color(args: argparse.Namespace) -> bool:
    """``--color always|never`` decides; otherwise colour goes to a terminal only, off when
    ``NO_COLOR`` is set (no-color.org) and on when ``FORCE_COLOR`` is (NO_COLOR wins), never
    into ``--output``'s file."""
    if args.color != "auto":
        return args.color == "always"
    if args.output or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def show_settings(args: argparse.Namespace, paths: list[Path], config: Config) -> int:
    """The settings a run would use, for debugging a configuration: which ``pyproject.toml``
    was found (searching upward from the first path) and every value after the command line
    is applied. Values are printed as TOML, so a table can be pasted back."""
    import json

    def toml(value: object) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"
        if isinstance(value, tuple | list):
            return json.dumps(list(value))
        return json.dumps(str(value) if isinstance(value, Path) else value)

    print(f"Resolved settings for: {paths[0]}")
    print(f"Settings path: {config.source if config.source is not None else '(none: defaults)'}")
    print(f"Project root: {config.root if config.root is not None else Path.cwd()}")
    print("\n[tool.shapelens]")
    for key, value in (("select", config.select), ("ignore", config.ignore),
                       ("per-file-ignores", config.per_file_ignores),
                       ("exclude", config.exclude), ("max-file-size", config.max_file_size),
                       ("time-budget", config.time_budget)):
        print(f"{key} = {toml(value)}")
    print("\n[command line]")
    for key in ("format", "color", "jobs", "force_exclude", "exit_zero", "fix", "diff",
                "unsafe_fixes", "statistics", "output"):
        value = getattr(args, key)
        print(f"{'output-format' if key == 'format' else key.replace('_', '-')} = "
              f"{toml(value) if value is not None else '(none)'}")
    return EXIT_OK
