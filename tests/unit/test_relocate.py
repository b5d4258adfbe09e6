"""``shift_nodes`` moves a statement's nodes exactly as ``ast.increment_lineno`` does, also on
later moves, which use the list of positioned nodes kept from the first one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shapelens.core.incremental.relocate import shift_nodes

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
