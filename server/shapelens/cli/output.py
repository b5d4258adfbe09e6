"""What ``check`` and ``check --fix`` both end with: the findings rendered in the chosen format
(colour decided once) and ruff's exit code. Its own module so ``check`` and ``fix`` import it
rather than each other."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .base import EXIT_ERROR, EXIT_FOUND, EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from ..core import Analysis
    from ..report import FileFinding


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
