"""Parsing with recovery: a syntax error blanks only the top-level statement it sits in.

While the user types, most of the file still parses. We parse with ``ast`` (milliseconds;
libcst is kept for rewriting code in fixers) and, on a SyntaxError, blank the lines of the
top-level statement around the error and retry, so the statements that still parse keep
their analysis and the broken region gets only the parser's error.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

MAX_RECOVERY_ROUNDS = 20


@dataclass(frozen=True)
class SyntaxProblem:
    line: int  # 1-based
    col: int  # 0-based, code points
    end_line: int
    message: str
    code: str = "SL901"  # SL903 when the parser's own recursion limit was hit


@dataclass
class Parsed:
    tree: ast.Module
    errors: list[SyntaxProblem]


def _statement_bounds(lines: list[str], line_index: int) -> tuple[int, int]:
    """0-based [start, end) of the top-level statement region containing ``line_index``."""

    def top_level(i: int) -> bool:
        text = lines[i]
        stripped = text.lstrip()
        return bool(stripped) and text[0] not in " \t" and not stripped.startswith(
            ("#", ")", "]", "}", "else", "elif", "except", "finally", "@"))

    start = min(line_index, len(lines) - 1)
    while start > 0 and not top_level(start):
        start -= 1
    while start > 0 and lines[start - 1].startswith("@"):
        start -= 1
    end = line_index + 1
    while end < len(lines) and not top_level(end):
        end += 1
    return start, end


def _parse_by_statement(lines: list[str], filename: str) -> Parsed:
    """Fallback when the parser itself overflows: parse each top-level statement alone."""
    body: list[ast.stmt] = []
    errors: list[SyntaxProblem] = []
    start = 0
    while start < len(lines):
        _, end = _statement_bounds(lines, start)
        end = max(end, start + 1)
        chunk = "\n" * start + "".join(lines[start:end])
        try:
            body += ast.parse(chunk, filename=filename).body
        except (RecursionError, MemoryError):
            errors.append(SyntaxProblem(start + 1, 0, end, "expression nested too deeply to "
                                        "analyse; this statement is skipped", "SL903"))
        except (SyntaxError, ValueError) as err:
            errors.append(SyntaxProblem(getattr(err, "lineno", None) or start + 1, 0, end,
                                        f"SyntaxError: {getattr(err, 'msg', err)}"))
        start = end
    return Parsed(ast.Module(body=body, type_ignores=[]), errors)


def parse_source(source: str, filename: str = "<string>") -> Parsed:
    lines = source.splitlines(keepends=True)
    errors: list[SyntaxProblem] = []
    text = source
    for _ in range(MAX_RECOVERY_ROUNDS):
        try:
            tree = ast.parse(text, filename=filename, type_comments=False)
            return Parsed(tree, errors)
        except (RecursionError, MemoryError):
            return _parse_by_statement(text.splitlines(keepends=True), filename)
        except (SyntaxError, ValueError) as err:  # ValueError: NUL bytes
            line = getattr(err, "lineno", None) or 1
            col = max((getattr(err, "offset", None) or 1) - 1, 0)
            msg = getattr(err, "msg", None) or str(err)
            idx = min(max(line - 1, 0), max(len(lines) - 1, 0))
            if not lines:
                break
            start, end = _statement_bounds(lines, idx)
            errors.append(SyntaxProblem(line, col, end, f"SyntaxError: {msg}"))
            for i in range(start, end):
                lines[i] = "\n" if lines[i].endswith("\n") else ""
            new_text = "".join(lines)
            if new_text == text:
                break
            text = new_text
    return Parsed(ast.Module(body=[], type_ignores=[]), errors or [
        SyntaxProblem(1, 0, 1, "SyntaxError: could not parse")])
