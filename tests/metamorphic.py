"""Variants of a program in which one value becomes a call the engine cannot know.

Used by ``tests/test_metamorphic.py`` ("ignorance never adds a finding"): for a program and
one *site* (a call result assigned to a name, a call argument, a parameter default, an int,
float or tuple literal), the variant is the same text with that site's value passed
through ``__unknown__(...)``, a name defined nowhere: the expression still runs, with its
effects, and its value becomes one the engine cannot know. Line numbers are kept, so findings
of the original and the variant compare by ``(line, code)``. ``minimise`` shrinks a
violating program by deleting statements while the violation stays, for the report.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

UNKNOWN = "__unknown__"


@dataclass(frozen=True)
class Site:
    """One value to replace; positions are ``ast``'s (1-based lines, UTF-8 byte columns)."""

    kind: str  # "call", "argument", "default" or "literal"
    line: int
    col: int
    end_line: int
    end_col: int
    text: str  # the original source of the value, for messages


def _inside_fstrings(tree: ast.AST) -> set[int]:
    """ids of nodes inside f-strings: their positions are not reliable before 3.12."""
    inner: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inner.update(id(n) for n in ast.walk(node))
    return inner


def _candidates(tree: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and \
                isinstance(node.value, ast.Call):
            yield "call", node.value
        elif isinstance(node, ast.Call):
            for arg in node.args:
                if not isinstance(arg, ast.Starred):
                    yield "argument", arg
            for kw in node.keywords:
                if kw.arg is not None:
                    yield "argument", kw.value
        elif isinstance(node, ast.arguments):
            for default in [*node.defaults, *node.kw_defaults]:
                if default is not None:
                    yield "default", default
        elif isinstance(node, ast.expr) and _is_literal(node):
            yield "literal", node


def _is_literal(node: ast.AST) -> bool:
    """An int or float constant (not a bool), or a tuple display that is read."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    return isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Load) and \
        not any(isinstance(e, ast.Slice) for e in node.elts)  # `x[:, 4:]` holds no value


def find_sites(source: str) -> list[Site]:
    """Every site of ``source``, in source order, each position once per kind."""
    tree = ast.parse(source)
    skip = _inside_fstrings(tree)
    lines = source.encode("utf-8").splitlines(keepends=True)
    seen: set[tuple[str, int, int, int, int]] = set()
    sites = []
    for kind, node in _candidates(tree):
        if id(node) in skip or node.end_lineno is None or node.end_col_offset is None:
            continue
        key = (kind, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
        if key in seen:
            continue
        seen.add(key)
        text = _slice(lines, *key[1:]).decode("utf-8", errors="replace")
        sites.append(Site(kind, *key[1:], text=text))
    return sorted(sites, key=lambda s: (s.line, s.col, s.end_line, s.end_col, s.kind))


def _slice(lines: list[bytes], line: int, col: int, end_line: int, end_col: int) -> bytes:
    if line == end_line:
        return lines[line - 1][col:end_col]
    return lines[line - 1][col:] + b"".join(lines[line:end_line - 1]) + \
        lines[end_line - 1][:end_col]


def replace_site(source: str, site: Site, name: str = UNKNOWN) -> str:
    """``source`` with the value at ``site`` replaced by ``name(<the site's text>)``: the
    expression still runs (a ``model(x)`` in it still builds the model: ignorance of a value
    is not the absence of an effect) but its value is one the engine cannot know. Every line
    stays where it was."""
    lines = source.encode("utf-8").splitlines(keepends=True)
    before = b"".join(lines[:site.line - 1]) + lines[site.line - 1][:site.col]
    middle = _slice(lines, site.line, site.col, site.end_line, site.end_col)
    after = lines[site.end_line - 1][site.end_col:] + b"".join(lines[site.end_line:])
    return (before + f"{name}(".encode() + middle + b")" + after).decode("utf-8")


def sample_sites(sites: list[Site], limit: int, seed: str) -> list[Site]:
    """At most ``limit`` sites, drawn by a RNG seeded with ``seed`` (the file's name), with
    every kind present in the file represented; the same sites on every run."""
    if len(sites) <= limit:
        return sites
    rng = random.Random(seed)
    by_kind: dict[str, list[Site]] = {}
    for site in sites:
        by_kind.setdefault(site.kind, []).append(site)
    chosen = {rng.choice(group) for group in by_kind.values()}
    rest = [s for s in sites if s not in chosen]
    chosen.update(rng.sample(rest, limit - len(chosen)))
    return sorted(chosen, key=sites.index)


Findings = Callable[[str], set[tuple[int, str]]]


def added(source: str, site: Site, findings: Findings) -> set[tuple[int, str]]:
    """(line, code) findings of the variant that the original does not have."""
    return findings(replace_site(source, site)) - findings(source)


def _statements(tree: ast.AST) -> list[ast.stmt]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]


def _blank(source: str, stmt: ast.stmt) -> str:
    """``source`` with ``stmt``'s lines emptied (a ``pass`` left in its place so that the
    enclosing body stays a body); other lines keep their numbers."""
    lines = source.split("\n")
    first, last = stmt.lineno - 1, (stmt.end_lineno or stmt.lineno) - 1
    indent = lines[first][:len(lines[first]) - len(lines[first].lstrip())]
    lines[first:last + 1] = [indent + "pass"] + [""] * (last - first)
    return "\n".join(lines)


def minimise(source: str, site: Site, findings: Findings, rounds: int = 4) -> str:
    """Statements not holding the site are deleted while the variant still adds the same
    findings; then empty lines and ``pass`` lines that are not needed go. The result is a
    small program, its site at the line it had in the original (lines kept as blanks)."""
    want = added(source, site, findings)
    for _ in range(rounds):
        changed = False
        for stmt in sorted(_statements(ast.parse(source)), key=lambda s: -s.lineno):
            if stmt.lineno <= site.line <= (stmt.end_lineno or stmt.lineno):
                continue
            try:
                candidate = _blank(source, stmt)
                ast.parse(candidate)
            except (SyntaxError, IndexError):
                continue
            if candidate != source and added(candidate, site, findings) >= want:
                source, changed = candidate, True
        if not changed:
            break
    return source
