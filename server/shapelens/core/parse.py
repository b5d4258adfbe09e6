"""Parsing with recovery: a syntax error blanks only the top-level statement it sits in.

While the user types, most of the file still parses. We parse with ``ast`` (milliseconds;
libcst is kept for rewriting code in fixers) and, on a SyntaxError, blank the lines of the
top-level statement around the error and retry, so the statements that still parse keep
their analysis and the broken region gets only the parser's error. When the statement
around the error parses on its own, the error was caused by what precedes it (``if x:``
without a body, a decorator without a ``def``) and the previous statement is blanked
instead. Each distinct error is reported once.

Characters ``ast`` refuses for the whole text (a NUL, a lone surrogate) are found first and
reported where they are; the lines they are on are blanked the same way, so no node of the
tree starts or ends on such a line (their UTF-8 columns would not exist).

Lines are counted the way ``ast`` and LSP count them (``\\n``, ``\\r\\n``, ``\\r``), not with
``str.splitlines``, which also breaks at form feeds and Unicode separators.
"""

from __future__ import annotations

import ast
import re

from ..structs import Frozen, Mutable

MAX_RECOVERY_ROUNDS = 20
MAX_CHARACTER_PROBLEMS = 50  # NULs and surrogates reported one by one, then one summary

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_UNCOMPILABLE = re.compile("[\x00\ud800-\udfff]")
_CONTINUES = re.compile(r"[#)\]}]|(?:else|elif|except|finally)\b")  # never start a statement
_DECORATOR = re.compile(r"@\s*[A-Za-z_]")


class SyntaxProblem(Frozen):
    """A syntax error (or a part the parser cannot take) the recovering parser skipped."""

    __slots__ = ("line", "col", "end_line", "message", "code")

    def __init__(self, line: int, col: int, end_line: int, message: str,
                 code: str = "SL901") -> None:
        self.line = line  # 1-based
        self.col = col  # 0-based, code points
        self.end_line = end_line
        self.message = message
        self.code = code  # SL903 when the parser's own recursion limit was hit


class Parsed(Mutable):
    """The module as recovered from the source, with the problems that were skipped."""

    __slots__ = ("tree", "errors")

    def __init__(self, tree: ast.Module, errors: list[SyntaxProblem]) -> None:
        self.tree = tree
        self.errors = errors


def _split_lines(source: str) -> list[str]:
    """Lines with their line breaks, as ``ast`` counts them."""
    return _LINE.findall(source)


def _blank(line: str) -> str:
    """``line`` without its content, keeping its line break."""
    return line[len(line.rstrip("\r\n")):]


def _starts_statement(text: str) -> bool:
    """A line at column 0 that begins a statement (or its decorators)."""
    if not text.strip() or text[0] in " \t\f":
        return False
    return _CONTINUES.match(text) is None and (text[0] != "@" or _DECORATOR.match(text) is not None)


def _statement_bounds(lines: list[str], line_index: int) -> tuple[int, int]:
    """0-based [start, end) of the top-level statement region containing ``line_index``."""
    start = min(line_index, len(lines) - 1)
    while start > 0 and not _starts_statement(lines[start]):
        start -= 1
    while start > 0 and _DECORATOR.match(lines[start - 1]):
        start -= 1
    end = line_index + 1
    while end < len(lines) and not _starts_statement(lines[end]):
        end += 1
    return start, end


def _error_alone(lines: list[str], start: int, end: int,
                 filename: str) -> SyntaxError | ValueError | None:
    """The error of lines [start, end) parsed on their own (``None`` when they parse)."""
    try:
        ast.parse("\n" * start + "".join(lines[start:end]), filename=filename)
    except (SyntaxError, ValueError) as err:
        return err
    except (RecursionError, MemoryError):
        return ValueError("expression nested too deeply")
    return None


def _previous_region(lines: list[str], start: int) -> tuple[int, int] | None:
    """The region of the last line before ``start`` that holds code, if any."""
    for i in range(start - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return _statement_bounds(lines, i)
    return None


def _character_message(line: str, col: int) -> tuple[str, int]:
    """The message for the uncompilable character at ``line[col]`` and how many characters
    it covers (a surrogate pair is reported once)."""
    char = line[col]
    if char == "\x00":
        return "SyntaxError: source contains a NUL character (U+0000), which Python cannot " \
               "compile", 1
    code = ord(char)
    following = ord(line[col + 1]) if col + 1 < len(line) else 0
    if 0xD800 <= code <= 0xDBFF and 0xDC00 <= following <= 0xDFFF:
        joined = 0x10000 + ((code - 0xD800) << 10) + (following - 0xDC00)
        return (f"SyntaxError: surrogate pair U+{code:04X} U+{following:04X} cannot be encoded "
                f"in UTF-8 (write the character U+{joined:04X} itself)"), 2
    if 0xDC80 <= code <= 0xDCFF:  # how surrogateescape keeps an undecodable byte
        return (f"SyntaxError: lone surrogate U+{code:04X} cannot be encoded in UTF-8 (it "
                f"stands for the undecodable byte 0x{code - 0xDC00:02X})"), 1
    return f"SyntaxError: lone surrogate U+{code:04X} cannot be encoded in UTF-8", 1


def _blank_uncompilable(lines: list[str], errors: list[SyntaxProblem]) -> None:
    """Report every NUL and surrogate, and blank the code around them in place.

    A line that holds only a comment (or nothing else) is blanked alone; on a line with code
    the whole top-level statement region is blanked, like a syntax error.
    """
    original = list(lines)
    reported = 0
    blanked_until = 0
    for i, line in enumerate(original):
        if _UNCOMPILABLE.search(line) is None:
            continue
        col = 0
        while (found := _UNCOMPILABLE.search(line, col)) is not None:
            col = found.start()
            message, width = _character_message(line, col)
            if reported < MAX_CHARACTER_PROBLEMS:
                errors.append(SyntaxProblem(i + 1, col, i + 1, message))
            elif reported == MAX_CHARACTER_PROBLEMS:
                total = sum(len(_UNCOMPILABLE.findall(rest)) for rest in original[i:]) - \
                    len(_UNCOMPILABLE.findall(line[:col]))
                errors.append(SyntaxProblem(i + 1, col, i + 1, f"SyntaxError: {total:,} more "
                                            "NUL or surrogate characters from here on are "
                                            "not listed one by one"))
            reported += 1
            col += width
        rest = _UNCOMPILABLE.sub("", line).strip()
        if i < blanked_until or not rest or rest.startswith("#"):
            lines[i] = _blank(line)  # already blanked, or nothing but a comment
            continue
        start, end = _statement_bounds(original, i)
        for j in range(max(start, blanked_until), end):
            lines[j] = _blank(lines[j])
        blanked_until = end


def _parse_by_statement(lines: list[str], filename: str) -> Parsed:
    """Fallback when whole-file recovery gives up: parse each top-level statement alone."""
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
            if not getattr(err, "lineno", None):
                err = SyntaxError(str(err), (filename, start + 1, 1, None))
            errors.append(_problem(err, end))
        start = end
    return Parsed(ast.Module(body=body, type_ignores=[]), errors)


def _problem(err: SyntaxError | ValueError, end_line: int) -> SyntaxProblem:
    """``err`` as a problem; ``SyntaxError.offset`` counts code points from 1."""
    line = getattr(err, "lineno", None) or 1
    col = max((getattr(err, "offset", None) or 1) - 1, 0)
    return SyntaxProblem(line, col, end_line, f"SyntaxError: {getattr(err, 'msg', None) or err}")


def _distinct(errors: list[SyntaxProblem]) -> list[SyntaxProblem]:
    """Each (position, code, message) once, in source order."""
    seen: set[tuple[int, int, str, str]] = set()
    out: list[SyntaxProblem] = []
    for err in sorted(errors, key=lambda e: (e.line, e.col)):
        key = (err.line, err.col, err.code, err.message)
        if key not in seen:
            seen.add(key)
            out.append(err)
    return out


# Words whose absence from a statement's text settles a per-statement fact without walking
# its tree (``module_facts``: NumPy promotion; ``graph_mode``: TF1 graph building).
MARKERS = ("experimental_enable_numpy_behavior", "placeholder", "disable_v2_behavior",
           "disable_eager_execution", "compat.v1", "TF_USE_LEGACY_KERAS")


def mark_statements(tree: ast.Module, lines: list[str]) -> None:
    """Keep on each top-level statement which ``MARKERS`` its text contains (a statement
    parsed elsewhere, as the incremental re-parse does, has none: its facts walk its tree)."""
    for stmt in tree.body:
        first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
        segment = "".join(lines[first - 1:stmt.end_lineno or stmt.lineno])
        stmt.__dict__["_shapelens_markers"] = frozenset(m for m in MARKERS if m in segment)


def parse_source(source: str, filename: str = "<string>") -> Parsed:
    lines = _split_lines(source)
    errors: list[SyntaxProblem] = []
    if _UNCOMPILABLE.search(source) is not None:
        _blank_uncompilable(lines, errors)
    text = "".join(lines)
    for _ in range(MAX_RECOVERY_ROUNDS):
        try:
            tree = ast.parse(text, filename=filename, type_comments=False)
            mark_statements(tree, lines)
            return Parsed(tree, _distinct(errors))
        except (RecursionError, MemoryError):
            break
        except (SyntaxError, ValueError) as err:
            if not lines:
                errors.append(SyntaxProblem(1, 0, 1, f"SyntaxError: {err}"))
                break
            idx = min(max((getattr(err, "lineno", None) or 1) - 1, 0), len(lines) - 1)
            start, end = _statement_bounds(lines, idx)
            if _error_alone(lines, start, end, filename) is None:
                # Fine on its own: what comes before it is unfinished (an unclosed bracket, a
                # block header without a body, a decorator without a def). Blame that, with
                # its own error when that is inside it and says something else ("'(' was
                # never closed" rather than "invalid syntax" at the next line).
                previous = _previous_region(lines, start)
                if previous is not None:
                    start, end = previous
                    own = _error_alone(lines, start, end, filename)
                    if isinstance(own, SyntaxError) and start < (own.lineno or 0) <= end \
                            and own.msg != getattr(err, "msg", None):
                        err = own
            errors.append(_problem(err, end))
            for i in range(start, end):
                lines[i] = _blank(lines[i])
            new_text = "".join(lines)
            if new_text == text:
                break
            text = new_text
    fallback = _parse_by_statement(lines, filename)
    return Parsed(fallback.tree, _distinct(errors + fallback.errors))
