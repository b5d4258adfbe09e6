"""The ``shapelens`` command: ``check``, ``shapes``, ``rule`` and ``serve``.

Exit codes follow ruff: 0 nothing found, 1 an error or warning found, 2 usage, configuration
or I/O error. ``check --fix`` exits by what remains after fixing; ``check --diff`` exits 1 when
it would change something.

This module parses the command line; ``analysis`` finds and analyses the files, ``check``
runs ``check`` and chooses its report, ``frames`` draws the text reports, ``formats`` the CI
ones, ``fix`` does ``--fix``/``--diff``, ``commands`` the other commands.
"""

from __future__ import annotations

import gc
import sys
import warnings
from types import SimpleNamespace

from .. import __version__
from .analysis import analyze_notebook, analyze_path
from .base import EXIT_ERROR, EXIT_FOUND, EXIT_OK, UsageError
from .check import COLOR_CHOICES, FORMATS, cmd_check
from .commands import cmd_rule, cmd_serve, cmd_shapes

TYPE_CHECKING = False  # not ``typing.TYPE_CHECKING``: ``typing`` is slow to import
if TYPE_CHECKING:
    import argparse

__all__ = ["CHECK_DEFAULTS", "EXIT_ERROR", "EXIT_FOUND", "EXIT_OK", "UsageError",
           "analyze_notebook", "analyze_path", "build_parser", "main"]

# Start-up time is most of what ``shapelens check file.py`` costs, so this module imports
# only what parsing the command line needs; each command imports the rest (the analysis
# engine, the report formats, the language server; LibCST only when fixing) when it runs.
# ``argparse`` too: ``check PATH...`` is parsed without it (``_plain_check``).


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="shapelens", description="Static tensor shapes and shape bugs for TF/Keras code.")
    parser.add_argument("--version", action="version", version=f"shapelens {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    _check_parser(sub.add_parser("check", help="report shape bugs in files or folders"))

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


def _check_parser(check: argparse.ArgumentParser) -> None:
    """``check``'s options; the names and values are ruff's where ruff has the option."""
    check.add_argument("paths", nargs="*", help="files or folders (default: .)")
    check.add_argument("--format", "--output-format", dest="format", choices=FORMATS,
                       default="full", metavar="FORMAT",
                       help="full (default: each finding with its code frame; also 'text'), "
                       "concise (one line each), json, json-lines, sarif, github (Actions "
                       "annotations), gitlab (Code Quality), junit, pylint")
    check.add_argument("--output", "-o", help="write the report to this file")
    check.add_argument("--color", choices=COLOR_CHOICES, default="auto",
                       help="colour the text report (auto: on a terminal, unless NO_COLOR "
                       "is set; FORCE_COLOR forces it)")
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
    check.add_argument("--statistics", action="store_true",
                       help="print the number of findings per rule instead of the findings")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply `exclude` to files named on the command line too "
                       "(for pre-commit, which names every changed file)")
    check.add_argument("--show-files", action="store_true",
                       help="list the files that would be checked, and exit")
    check.add_argument("--show-settings", action="store_true",
                       help="print the settings that would be used, and exit")
    check.set_defaults(func=cmd_check)


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
            from .. import core, report, sources  # noqa: F401
        else:
            from ..lsp import server  # noqa: F401
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
CHECK_DEFAULTS = {"format": "full", "output": None, "color": "auto", "select": None,
                  "ignore": None, "config": None, "exit_zero": False, "jobs": 1, "fix": False,
                  "diff": False, "unsafe_fixes": False, "statistics": False,
                  "force_exclude": False, "show_files": False, "show_settings": False}


def _plain_check(argv: list[str]) -> argparse.Namespace | None:
    """``check PATH...`` without options, parsed as argparse would parse it but without
    importing argparse or building the parser, which costs more than analysing a small file
    (argparse asks the terminal its width and looks for translations of its messages). The
    commands only read the attributes, which are argparse's (a test compares them)."""
    if not argv or argv[0] != "check" or any(a.startswith("-") for a in argv[1:]):
        return None
    return SimpleNamespace(command="check", paths=argv[1:],  # type: ignore[return-value]
                           func=cmd_check, **CHECK_DEFAULTS)


# What argparse gives ``serve`` when no option is on the command line (a test keeps the
# two equal).
SERVE_DEFAULTS = {"tcp": None, "ws": None, "log_level": "WARNING"}


def _plain_serve(argv: list[str]) -> argparse.Namespace | None:
    """``serve`` with at most ``--log-level LEVEL``, as editors start the server, parsed
    without argparse: importing it (with the ``shutil``, ``gettext`` and compression
    modules its help formatter pulls in) and building every command's parser is a few
    milliseconds of the server's cold start that nothing before the first diagnostics
    needs. Anything else (``--tcp``, ``--help``, a typo) goes to argparse."""
    if not argv or argv[0] != "serve":
        return None
    options = dict(SERVE_DEFAULTS)
    rest = argv[1:]
    if rest[:1] == ["--log-level"] and len(rest) == 2 and not rest[1].startswith("-"):
        options["log_level"] = rest[1]
    elif len(rest) == 1 and rest[0].startswith("--log-level=") and \
            rest[0] != "--log-level=":
        options["log_level"] = rest[0].partition("=")[2]
    elif rest:
        return None
    return SimpleNamespace(command="serve", func=cmd_serve,  # type: ignore[return-value]
                           **options)


def main(argv: list[str] | None = None) -> int:
    # Parsing the user's code makes Python warn about it ("invalid escape sequence", "invalid
    # decimal literal"): that is their code's business, not a message from us on stderr
    # (which the editor shows as the server's log).
    warnings.filterwarnings("ignore", category=SyntaxWarning)
    warnings.filterwarnings("ignore", message="invalid escape sequence",
                            category=DeprecationWarning)
    given = sys.argv[1:] if argv is None else list(argv)
    args = _plain_check(given) or _plain_serve(given)
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
