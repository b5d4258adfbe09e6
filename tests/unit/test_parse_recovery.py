"""Parse recovery: each distinct syntax error once, and as little code blanked as possible.

Every source in ``test_each_error_once`` made the previous recovery report the same SL901
two or three times (blanking a statement exposed the same error again, or blanked the wrong
line after a form feed) and drop the statements that follow it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from shapelens.core import analyze
from shapelens.core.parse import parse_source

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")  # damaged literals ("1if")

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").rglob("*.py"))
IF_BODY = "SyntaxError: expected an indented block after 'if' statement on line {}"


def problems(source: str) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.message) for p in parse_source(source).errors]


def kept(source: str) -> list[int]:
    """First lines of the top-level statements that survived recovery."""
    return [stmt.lineno for stmt in parse_source(source).tree.body]


@pytest.mark.parametrize(("source", "errors", "statements"), [
    pytest.param("if x:\na = 1\n", [(2, 0, IF_BODY.format(1))], [2], id="header-no-body"),
    pytest.param("import os\nif x:\na = 1\nb = 2\n", [(3, 0, IF_BODY.format(2))], [1, 3, 4],
                 id="header-no-body-mid-file"),
    pytest.param("try:\nf(**)\n", [(2, 0, "SyntaxError: expected an indented block after "
                                          "'try' statement on line 1")], [],
                 id="try-no-body"),
    pytest.param("@dec\n\nf(**)\ny = 1\n", [(3, 0, "SyntaxError: invalid syntax"),
                                           (4, 0, "SyntaxError: invalid syntax")], [4],
                 id="decorator-no-def"),
    pytest.param("# page\x0cbreak\nx = (\ny = 1\n", [(2, 4, "SyntaxError: '(' was never closed")],
                 [3], id="form-feed-before"),
    pytest.param("x = 1\ny = 'a\x00b'\nz = 2\n",
                 [(2, 6, "SyntaxError: source contains a NUL character (U+0000), which "
                         "Python cannot compile")], [1, 3], id="nul"),
])
def test_each_error_once(source: str, errors: list[tuple[int, int, str]],
                         statements: list[int]) -> None:
    assert problems(source) == errors
    assert kept(source) == statements


def test_an_unclosed_bracket_is_blamed_not_the_line_after_it() -> None:
    """The parser reports ``y = 1`` ("invalid syntax"); it parses alone, so the unclosed
    statement before it is blanked and reported with its own error."""
    assert problems("x = (\ny = 1\nz = [\n") == [(1, 4, "SyntaxError: '(' was never closed"),
                                                  (3, 4, "SyntaxError: '[' was never closed")]
    assert kept("x = (\ny = 1\nz = [\n") == [2]


def test_names_that_start_like_clauses_still_start_statements() -> None:
    """``else_value``/``exceptions`` are assignments, not ``else:``/``except:`` clauses."""
    source = "x = (\nelse_value = 1\nexceptions = 2\n"
    assert kept(source) == [2, 3]


def test_the_analysis_after_an_unfinished_block_header_goes_on() -> None:
    """``if x:`` just typed above existing code: the code below keeps its diagnostics."""
    source = ("import tensorflow as tf\nif x:\nx = tf.zeros((2, 3))\n"
              "y = tf.reshape(x, [7])\n")
    assert [(f.code, f.span.line) for f in analyze(source).findings] == [("SL901", 3),
                                                                          ("SL101", 4)]


def test_damaged_fixtures_never_repeat_an_error() -> None:
    rng = random.Random(8)
    junk = ["(", ")", "[", ":", "\n", "    ", "'''", '"', "if x:\n", "@dec\n", "def f(",
            "try:\n", "else:\n", "\x00", "\ud800", "\x0c"]
    for _ in range(400):
        text = rng.choice(FIXTURES).read_text(encoding="utf-8")
        if rng.random() < 0.5:
            text = text[:rng.randrange(len(text) + 1)]
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(text) + 1)
            text = text[:pos] + rng.choice(junk) + text[pos:]
        keys = [(p.line, p.col, p.code, p.message) for p in parse_source(text).errors]
        assert len(keys) == len(set(keys)), text
        assert keys == sorted(keys, key=lambda k: (k[0], k[1])), text
