"""Characters ``ast`` refuses for the whole text: a NUL, a lone surrogate.

``ast.parse`` rejects the entire source when it holds one of them, with no position. They
must be reported at their own line and column (code points, as ``SyntaxProblem`` counts),
and every other statement must keep its analysis, with its positions unchanged.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from shapelens.core import analyze
from shapelens.core.parse import MAX_CHARACTER_PROBLEMS, parse_source

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").rglob("*.py"))
BUGGY = ["import tensorflow as tf", "x = tf.zeros((2, 3))", "y = tf.reshape(x, [7])"]
SL101_COL = BUGGY[2].index("tf.reshape")
NUL = "SyntaxError: source contains a NUL character (U+0000), which Python cannot compile"


def problems(source: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.message) for p in parse_source(source).errors]


def findings(source: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.span.line, f.span.col) for f in analyze(source).findings]


def test_nul_is_reported_where_it_is_and_the_rest_is_analysed() -> None:
    source = "\n".join([BUGGY[0], 'label = "caf\x00"', *BUGGY[1:]]) + "\n"
    assert problems(source) == [(2, len('label = "caf'), NUL)]
    assert findings(source) == [("SL901", 2, 12), ("SL101", 4, SL101_COL)]


def test_columns_are_code_points_after_emoji_and_cjk() -> None:
    """``ast`` counts UTF-8 bytes; the problem counts code points, as a Span does."""
    prefix = 'label = "数据😀é'
    source = f"x = 1\n{prefix}\x00\ud800"
    assert [(line, col) for line, col, _ in problems(source)] == [(2, len(prefix)),
                                                                 (2, len(prefix) + 1)]


def test_lone_surrogates_say_which_and_what_they_stand_for() -> None:
    source = 'a = "\ud800"\nb = "\udce9"\nc = "\ud83d\ude00"\nd = 1\n'
    assert problems(source) == [
        (1, 5, "SyntaxError: lone surrogate U+D800 cannot be encoded in UTF-8"),
        (2, 5, "SyntaxError: lone surrogate U+DCE9 cannot be encoded in UTF-8 (it stands "
               "for the undecodable byte 0xE9)"),
        (3, 5, "SyntaxError: surrogate pair U+D83D U+DE00 cannot be encoded in UTF-8 (write "
               "the character U+1F600 itself)"),
    ]
    assert [stmt.lineno for stmt in parse_source(source).tree.body] == [4]


def test_only_the_statement_around_it_is_blanked() -> None:
    """A character inside a function blanks that function; the module around it stays."""
    source = "\n".join([BUGGY[0], "def f():", "    return '\x00'", "", *BUGGY[1:]]) + "\n"
    assert findings(source) == [("SL901", 3, 12), ("SL101", 6, SL101_COL)]
    assert [type(stmt).__name__ for stmt in parse_source(source).tree.body] == [
        "Import", "Assign", "Assign"]


def test_a_comment_line_costs_nothing_but_itself() -> None:
    """On a comment line, the statement before it is not blanked with it (the region of a
    comment line would reach back to the previous statement)."""
    source = "\n".join([*BUGGY[:2], "# notes\x00 \ud800", BUGGY[2]]) + "\n"
    assert findings(source) == [("SL901", 3, 7), ("SL901", 3, 9), ("SL101", 4, SL101_COL)]


def test_crlf_and_form_feed_do_not_move_the_position() -> None:
    source = "x = 1\r\n# page\x0cbreak\r\ny = '\x00'\rz = 2\n"
    assert problems(source) == [(3, 5, NUL)]
    assert [stmt.lineno for stmt in parse_source(source).tree.body] == [1, 4]


def test_a_flood_is_reported_with_a_limit() -> None:
    source = "x = 1\n" + "\x00\n" * (MAX_CHARACTER_PROBLEMS + 30) + "y = 2\n"
    found = problems(source)
    assert len(found) == MAX_CHARACTER_PROBLEMS + 1
    assert found[-1] == (MAX_CHARACTER_PROBLEMS + 2, 0, "SyntaxError: 30 more NUL or "
                         "surrogate characters from here on are not listed one by one")
    assert [stmt.lineno for stmt in parse_source(source).tree.body] == [
        1, MAX_CHARACTER_PROBLEMS + 32]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_placement_in_a_fixture(data: st.DataObject) -> None:
    """Wherever they land: each character is reported at its place, no tree node starts or
    ends on its line (its UTF-8 columns would not exist), and the analysis does not raise."""
    text = data.draw(st.sampled_from(FIXTURES)).read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(text)))
        text = text[:pos] + data.draw(st.sampled_from(["\x00", "\ud800", "\udcff"])) + text[pos:]
    lines = re.split(r"\r\n|\r|\n", text)
    where = [(i + 1, m.start()) for i, line in enumerate(lines)  # a pair is reported once
             for m in re.finditer("[\ud800-\udbff][\udc00-\udfff]|[\x00\ud800-\udfff]", line)]
    parsed = parse_source(text)
    assert set(where) <= {(p.line, p.col) for p in parsed.errors}
    bad_lines = {line for line, _ in where}
    for node in ast.walk(parsed.tree):
        assert getattr(node, "lineno", None) not in bad_lines
        assert getattr(node, "end_lineno", None) not in bad_lines
    analyze(text)
