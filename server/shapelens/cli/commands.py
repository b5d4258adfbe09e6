"""``shapelens shapes``, ``rule`` and ``serve``."""

from __future__ import annotations

import sys
from pathlib import Path

from .analysis import files_to_check, load_config, run_all
from .base import EXIT_ERROR, EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

    from ..core import Analysis


def cmd_shapes(args: argparse.Namespace) -> int:
    import json

    paths = [Path(p) for p in args.paths]
    config = load_config(args, paths)
    analyses, io_errors = run_all(files_to_check(paths, config), config, 1)
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
    from ..domain.shapes import format_shape

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
    from ..rules import docs as rule_docs
    from ..rules.catalogue import BY_CODE, RULES

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
        from ..lsp.server import serve
    except ImportError as err:
        print(f"shapelens: the language server is not available: {err}", file=sys.stderr)
        return EXIT_ERROR
    return serve(args)
