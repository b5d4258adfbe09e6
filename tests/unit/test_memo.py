"""The memo key of a user function call (``interpreter/memo.py``): the names a function reads from
outside, the tapes recording at the call, and when a call must not be memoised at all."""

from __future__ import annotations

import ast

from shapelens.core import analyze
from shapelens.core.interpreter.memo import free_names, yields


def _fn(source: str) -> ast.AST:
    return ast.parse(source).body[0]


def test_free_names_are_the_reads_of_names_bound_elsewhere() -> None:
    node = _fn(
        "def f(a, *rest, k=1, **kw):\n"
        "    b = a @ w\n"
        "    for i in range(n):\n"
        "        b = b + bias\n"
        "    import math as m\n"
        "    try:\n"
        "        pass\n"
        "    except ValueError as err:\n"
        "        print(err)\n"
        "    return helper(b, k, rest, kw, m)\n"
    )
    assert set(free_names(node)) == {"w", "range", "n", "bias", "ValueError", "print",
                                     "helper"}
    assert not yields(node)


def test_nested_scopes_count_as_reads_never_as_bindings() -> None:
    node = _fn(
        "def f():\n"
        "    total = [i * scale for i in items]\n"
        "    g = lambda v: v + offset\n"
        "    def inner(u):\n"
        "        return u * weight\n"
        "    global counter\n"
        "    counter = 1\n"
        "    return i, inner, g, total, counter\n"
    )
    names = set(free_names(node))
    # ``i`` is the comprehension's own, so ``return i`` reads a global of that name.
    assert {"scale", "items", "offset", "weight", "i", "counter"} <= names
    assert not {"total", "g", "inner"} & names


def test_yields_only_of_the_functions_own_body() -> None:
    assert yields(_fn("def f():\n    yield 1\n"))
    assert not yields(_fn("def f():\n    def g():\n        yield 1\n    return g\n"))


def _findings(source: str) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in analyze(source, "t.py").findings]


def test_a_rebound_global_is_seen_by_the_next_call() -> None:
    source = (
        "import tensorflow as tf\n"
        "x = tf.zeros((2, 3))\n"
        "def f():\n"
        "    return tf.reshape(x, (6,))\n"
        "a = f()\n"
        "x = tf.zeros((4, 3))\n"
        "b = f()\n"
    )
    result = analyze(source, "t.py")
    shapes = {(a.line, a.name): a.shape for a in result.assignments}
    assert shapes[(5, "a")] == (6,)
    assert (7, "b") not in shapes or shapes[(7, "b")] is None
    assert [f.code for f in result.findings] == ["SL101"]


def test_a_call_under_another_tape_is_analysed_again() -> None:
    source = (
        "import tensorflow as tf\n"
        "w = tf.Variable(1.0)\n"
        "def loss_fn():\n"
        "    return w * w\n"
        "print(loss_fn())\n"
        "for step in range(3):\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = loss_fn()\n"
        "    g = tape.gradient(loss, w)\n"
    )
    assert _findings(source) == []



def test_a_model_given_as_a_default_is_not_memoised() -> None:
    """``def f(x, m=model)``: the model's state (a layer added between two calls with the same
    argument) is part of no key, so the second call is analysed again and sees it."""
    source = (
        "import tensorflow as tf\n"
        "import keras\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
        "def f(x, m=model):\n"
        "    return m(x)\n"
        "x = tf.ones((3, 4))\n"
        "a = f(x)\n"
        "model.add(keras.layers.Dense(7))\n"
        "b = f(x)\n"
    )
    shapes = {a.name: a.shape for a in analyze(source, "t.py").assignments}
    assert shapes["a"] == (3, 2) and shapes["b"] == (3, 7)
