"""assign-in-place (SL308, unsafe): a rebinding update becomes an in-place one."""

from __future__ import annotations

import pytest

from shapelens.core import Finding, Fix, Span

from .helpers import assert_fix, dedent, fixed


def _update_at(line: int) -> Finding:
    """An SL308 finding whose fix names the rebinding of ``w`` on ``line``."""
    return Finding("SL308", "test", Span(9, 0, 9, 1),
                   fix=Fix("assign-in-place", "t", False, (("name", "w"), ("rebound_line", line))))


HEAD = """
import tensorflow as tf
w = tf.Variable([1.0, 2.0])
for step in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w)
    g = tape.gradient(loss, w)
"""


def test_subtraction_becomes_assign_sub() -> None:
    assert_fix(HEAD + "    w = w - 0.1 * g\n", HEAD + "    w.assign_sub(0.1 * g)\n",
               "assign-in-place", safe=False)


@pytest.mark.parametrize(("before", "after"), [
    ("w = w - (lr * g)", "w.assign_sub(lr * g)"),
    ("w = w + lr * g", "w.assign_add(lr * g)"),
    ("w = lr * g + w", "w.assign_add(lr * g)"),
    ("w -= lr * g", "w.assign_sub(lr * g)"),
    ("w += g", "w.assign_add(g)"),
    ("w = w * 0.9", "w.assign(w * 0.9)"),
    ("w = tf.clip_by_value(w - g, 0.0, 1.0)", "w.assign(tf.clip_by_value(w - g, 0.0, 1.0))"),
])
def test_rewrites(before: str, after: str) -> None:
    source = f"import tensorflow as tf\n{before}  # update\n"
    item = _update_at(2)
    assert fixed(source, item) == f"import tensorflow as tf\n{after}  # update\n"


@pytest.mark.parametrize("statement", [
    "w = tf.zeros(2)",  # a fresh value: maybe a new tensor is meant
    "w, b = w - g, b",  # binds other names too
    "v = w - g",  # another name
])
def test_declines(statement: str) -> None:
    source = f"import tensorflow as tf\n{statement}\n"
    item = _update_at(2)
    assert fixed(source, item) == source


def test_only_the_named_line_changes() -> None:
    source = dedent("""
        w = w - g
        w = w - g
        """)
    item = _update_at(2)
    assert fixed(source, item) == "w = w - g\nw.assign_sub(g)\n"
