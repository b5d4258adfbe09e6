"""The fixer registry and the suppression fixer: before/after pairs."""

from __future__ import annotations

import pytest

from shapelens.core import Finding, Fix, Span
from shapelens.fixes import FIXERS, Edit, apply_edits, apply_fix, merge_edits, register


def _finding(line: int, code: str = "SL101", fix_id: str = "suppress") -> Finding:
    return Finding(code, "message", Span(line, 4, line, 9), fix=Fix(fix_id, "title"))


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("x = f(1)\n", "x = f(1)  # shapelens: ignore[SL101]\n", id="append"),
    pytest.param("x = f(1)   \n", "x = f(1)  # shapelens: ignore[SL101]\n",
                 id="trailing-space"),
    pytest.param("x = f(1)  # noqa\n", "x = f(1)  # noqa  # shapelens: ignore[SL101]\n",
                 id="other-comment"),
    pytest.param("x = f(1)  # shapelens: ignore[SL102]\n",
                 "x = f(1)  # shapelens: ignore[SL101, SL102]\n", id="merge"),
    pytest.param("x = f(1)  # shapelens: ignore\n", "x = f(1)  # shapelens: ignore\n",
                 id="bare-ignore-covers-all"),
    pytest.param("x = f(1)  # shapelens: ignore[sl101]\n",
                 "x = f(1)  # shapelens: ignore[sl101]\n", id="already-there"),
    pytest.param('x = """a\nb"""\n', 'x = """a\nb"""\n', id="line-ends-in-string"),
    pytest.param("x = a + \\\n  b\n", "x = a + \\\n  b\n", id="backslash"),
    pytest.param("x = é(1, '#')\n", "x = é(1, '#')  # shapelens: ignore[SL101]\n",
                 id="hash-in-string"),
    pytest.param("x = f((1,\n", "x = f((1,  # shapelens: ignore[SL101]\n",
                 id="does-not-parse"),
])
def test_suppress(before: str, after: str) -> None:
    assert apply_edits(before, apply_fix(before, _finding(1))) == after


def test_unknown_or_missing_fix_gives_nothing() -> None:
    assert apply_fix("x = 1\n", _finding(1, fix_id="no-such-fixer")) == []
    assert apply_fix("x = 1\n", Finding("SL101", "m", Span(1, 0, 1, 1))) == []
    assert apply_fix("x = 1\n", _finding(5)) == []  # line outside the text


def test_a_broken_fixer_is_contained() -> None:
    class Broken:
        fix_id = "test-broken"

        def edits(self, source: str, finding: Finding) -> list[Edit]:
            raise RuntimeError("bug")

    register(Broken())
    try:
        assert apply_fix("x = 1\n", _finding(1, fix_id="test-broken")) == []
    finally:
        del FIXERS["test-broken"]


def test_merge_skips_overlapping_groups() -> None:
    a = [Edit(Span(1, 0, 1, 3), "A")]
    b = [Edit(Span(1, 2, 1, 5), "B")]  # overlaps a: dropped whole
    c = [Edit(Span(2, 0, 2, 0), "C"), Edit(Span(3, 1, 3, 2), "D")]
    assert merge_edits([a, b, c]) == sorted(a + c)
    assert apply_edits("abcdef\nxy\nzw\n", merge_edits([a, b, c])) == "Adef\nCxy\nzD\n"
