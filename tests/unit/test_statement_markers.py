"""Per-statement facts settled from the statement's text (``parse.mark_statements``): a
statement whose text lacks every word a fact looks for gets the answer the walk of its tree
would give, without the walk (a cold analysis of a 2,000-line file spent a third of its time
walking trees for facts). Every fixture gives the same answers with and without the marks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shapelens.core.interpreter.module_facts import numpy_promotion
from shapelens.core.overlays.graph_mode import graph_mode_module
from shapelens.core.parse import parse_source

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_marked_statements_give_the_walked_answers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    marked = parse_source(text, str(path)).tree
    plain = ast.parse(text)
    assert all("_shapelens_markers" in s.__dict__ for s in marked.body)
    assert graph_mode_module(marked) == graph_mode_module(plain)
    assert numpy_promotion(marked) == numpy_promotion(plain)


def test_a_word_in_a_decorator_line_or_a_method_counts() -> None:
    source = ("import tensorflow as tf\n\n\nclass Net:\n    def build(self):\n"
              "        self.x = tf.compat.v1.placeholder(tf.float32, [None, 3])\n\n\n"
              "@tf.experimental.numpy.experimental_enable_numpy_behavior\ndef f():\n"
              "    pass\n")
    tree = parse_source(source).tree
    assert graph_mode_module(tree) and graph_mode_module(ast.parse(source))
    assert "experimental_enable_numpy_behavior" in tree.body[2].__dict__["_shapelens_markers"]
