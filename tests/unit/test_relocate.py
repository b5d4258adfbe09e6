"""``shift_nodes`` moves a statement's nodes exactly as ``ast.increment_lineno`` does, also on
later moves, which use the list of positioned nodes kept from the first one."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from shapelens.core.incremental.relocate import shift_from, shift_nodes

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "fixtures").rglob("*.py"))
EXTRA = '''\
@decorator(a, b=[x for x in range(3) if x])
async def f(p: int = 1, /, *args: str, k=lambda y: y ** 2, **kw) -> dict[str, int]:
    async with ctx() as (c, d):
        try:
            match p:
                case [1, *rest] | {"k": _} if rest:
                    yield f"{p!r:>{k(2)}}"
                case _:
                    pass
        except* (ValueError, TypeError) as err:
            raise RuntimeError() from err
    global g
    return {**kw, "x": (yield from args)}
'''


@pytest.mark.parametrize("text", [*(p.read_text(encoding="utf-8") for p in FIXTURES[::6]),
                                  EXTRA], ids=[*(p.stem for p in FIXTURES[::6]), "syntax"])
def test_every_move_equals_increment_lineno(text: str) -> None:
    moved, expected = ast.parse(text), ast.parse(text)
    for delta in (3, -1, 12, -14, 1):  # the first move lists the nodes, the others reuse it
        for stmt in moved.body:
            shift_nodes(stmt, delta)
        for stmt in expected.body:
            ast.increment_lineno(stmt, delta)
        assert ast.dump(moved, include_attributes=True) == \
            ast.dump(expected, include_attributes=True)


def shifted_from(tree: ast.AST, threshold: int, delta: int) -> None:
    """What an Enter (``delta`` blank lines before old line ``threshold``) does to a parse."""
    for found in ast.walk(tree):
        node: Any = found
        if getattr(node, "lineno", None) is not None and node.lineno >= threshold:
            node.lineno += delta
        if getattr(node, "end_lineno", None) is not None and node.end_lineno >= threshold:
            node.end_lineno += delta


CLASS = "class Holder:\n" + "".join(f"    {line}" if line.strip() else line
                                    for line in EXTRA.splitlines(keepends=True))


@pytest.mark.parametrize("text", [*(p.read_text(encoding="utf-8") for p in FIXTURES[::9]),
                                  EXTRA, CLASS],
                         ids=[*(p.stem for p in FIXTURES[::9]), "syntax", "class"])
def test_a_move_from_inside_a_statement_moves_exactly_the_lines_after(text: str) -> None:
    """``shift_from`` (blank lines typed inside a statement): every line from the threshold
    on moves, nodes before it stay; a member moved whole keeps its list for later moves."""
    moved, expected = ast.parse(text), ast.parse(text)
    lines = text.count("\n")
    for threshold, delta in ((2, 1), (lines // 2, 3), (lines // 3, -1), (4, 2), (lines, 1)):
        for stmt in moved.body:
            if (stmt.end_lineno or 0) >= threshold:
                shift_from(stmt, threshold, delta)
        shifted_from(expected, threshold, delta)
        assert ast.dump(moved, include_attributes=True) == \
            ast.dump(expected, include_attributes=True)
