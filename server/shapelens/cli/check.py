"""``shapelens check``: analyse, render the chosen format, choose the exit code; and the views
for debugging a configuration (``--show-files``, ``--show-settings``) and ``--statistics``.

Each format's module is imported only when that format is asked for: a plain ``check`` stays
as quick to start as before.
"""

from __future__ import annotations

from pathlib import Path

from .analysis import files_to_check, load_config, run_all
from .base import EXIT_OK
from .output import exit_code, report_findings

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from ..core import Config

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
