"""Hover cards from real analyses, without a server: statement lookup and its fallback."""

from __future__ import annotations

from types import SimpleNamespace

from pygls.workspace import PositionCodec

from shapelens.core import Config, analyze
from shapelens.lsp.convert import Positions
from shapelens.lsp.documents import Result
from shapelens.lsp.hover import SourceIndex, _value_part

LS = SimpleNamespace(documents=SimpleNamespace(fallback_facts=lambda result, line: []))


def _card(source: str, line: int, col: int) -> str | None:
    result = Result("file:///m.py", (1, 0), source, analyze(source, "m.py"),
                    Positions(source, PositionCodec()), Config())
    part = _value_part(SourceIndex.of(result), LS, line, col)  # type: ignore[arg-type]
    return part[0].splitlines()[2] if part else None


def test_statement_region_is_enough() -> None:
    source = "import tensorflow as tf\n\nx = tf.zeros((4, 2))\ny = tf.transpose(x)\n"
    assert _card(source, 4, 0) == "(2, 4)  ← tf.transpose(x) on (4, 2)"
    assert _card(source, 4, 17) == "(4, 2)  ← tf.zeros((4, 2))  (line 3)"


def test_string_in_column_zero_falls_back_to_the_whole_file() -> None:
    """The text region of line 7 starts at the closing quotes and does not parse alone."""
    source = ('import tensorflow as tf\n\n\ndef f(x):\n    doc = """\nx = 1\n"""\n'
              '    return tf.reshape(x, [2, 4])\n\n\ny = f(tf.zeros((4, 2)))\n')
    assert _card(source, 11, 0) == "(2, 4)  ← f(tf.zeros((4, 2))) on (4, 2)"
    assert _card(source, 8, 12) == "(2, 4)  ← tf.reshape(x, [2, 4]) on (4, 2)"
