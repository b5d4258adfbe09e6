"""Library functions that call the user's functions (core/overlays/higher_order.py):
tf.function(f), tf.cond, tf.while_loop, a strategy's run/reduce, DTensor's call_with_layout;
each expectation is what TF 2.21 gives (checked under TF by hand and by the random-program
oracle's probes)."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.core import analyze

from .notation import cases, check

CASES: list[Any] = [
    ("tf.function(lambda v: v * 2)(x)", {"x": "f32[3,4]"}, "f32[3,4]"),
    ("tf.function(jit_compile=True)(lambda v: v[0])(x)", {"x": "f32[3,4]"}, "f32[4]"),
    ("tf.function(tf.ones)(shape=(2, 5))", {}, "f32[2,5]"),
    ("tf.cond(p, lambda: x, lambda: x * 2.0)", {"x": "f32[3,4]", "p": "tf.constant(True)"},
     "f32[3,4]"),
    ("tf.cond(p, lambda: x, lambda: y)", {"x": "f32[2]", "y": "f32[3]",
                                           "p": "tf.constant(True)"}, "f32[?]"),
    ("tf.cond(p, lambda: (x, 1.0), lambda: (x + 1, 2.0))[0]",
     {"x": "f32[2]", "p": "tf.constant(True)"}, "f32[2]"),
    ("tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * 2), [i0, x])[1]",
     {"x": "f32[3]", "i0": "tf.constant(0)"}, "f32[3]"),
    ("tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * 2), [i0, x])[0]",
     {"x": "f32[3]", "i0": "tf.constant(0)"}, "i32[]"),
    ("tf.while_loop(lambda v: tf.size(v) < 9, lambda v: [tf.concat([v, v], 0)], [x])",
     {"x": "f32[3]"}, "?"),
    ("tf.map_fn(lambda r: r * 2, x)", {"x": "f32[5,3]"}, "f32[5,3]"),
    ("tf.map_fn(lambda r: tf.reduce_sum(r), x)", {"x": "f32[5,3]"}, "f32[5]"),
    ("tf.vectorized_map(lambda r: tf.tensordot(r, tf.ones([3, 4]), 1), x)", {"x": "f32[5,3]"},
     "f32[5,4]"),
    ("tf.map_fn(lambda t: (t[0] + 1, t[1]), (x, y))[1]", {"x": "f32[5,3]", "y": "f32[5]"},
     "f32[5]"),
    ("s.run(lambda v: v * 2, args=(x,))", {"x": "f32[3,4]",
                                          "s": "tf.distribute.MirroredStrategy()"}, "f32[3,4]"),
    ("s.reduce(tf.distribute.ReduceOp.SUM, x, axis=None)",
     {"x": "f32[3,4]", "s": "tf.distribute.MirroredStrategy()"}, "f32[3,4]"),
    ("s.reduce('SUM', x, axis=0)", {"x": "f32[3,4]", "s": "tf.distribute.MirroredStrategy()"},
     "f32[4]"),
    ("s.reduce('MEAN', x, axis=1)", {"x": "f32[3,4]", "s": "tf.distribute.get_strategy()"},
     "f32[3]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_higher_order(case: Any) -> None:
    check(case)


def _findings(source: str) -> list[str]:
    return [f.code for f in analyze(source, "t.py").findings]


def test_an_untaken_eager_branch_stays_silent() -> None:
    """Eagerly only one branch of tf.cond runs: a bad reshape in the other is no certain
    error (TF runs ``x`` here and never the reshape)."""
    source = ("import tensorflow as tf\nx = tf.zeros([2, 3])\n"
              "y = tf.cond(tf.constant(True), lambda: x, lambda: tf.reshape(x, [4]))\n")
    assert _findings(source) == []


def test_a_traced_branch_reports() -> None:
    """Inside a tf.function both branches are traced: the bad reshape raises at trace."""
    source = ("import tensorflow as tf\n@tf.function\ndef f(x):\n"
              "    return tf.cond(tf.constant(True), lambda: x, lambda: tf.reshape(x, [4]))\n"
              "f(tf.zeros([2, 3]))\n")
    assert _findings(source) == ["SL101"]


def test_run_reports_inside_the_replica_function() -> None:
    source = ("import tensorflow as tf\ns = tf.distribute.MirroredStrategy()\n"
              "def step(x):\n    return tf.reshape(x, [4])\n"
              "s.run(step, args=(tf.zeros([2, 3]),))\n")
    assert _findings(source) == ["SL101"]
