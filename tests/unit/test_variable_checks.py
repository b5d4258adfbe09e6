"""SL128 (``Variable.assign*`` shapes), SL129 (shape assertions) and eager ``set_shape``
(SL117): each an error TF 2.21 raises at that line (``shapefns/tf_variables.py``), and silent
where a shape may change or is not known."""

from __future__ import annotations

import textwrap

import pytest

from shapelens.core import analyze

HEAD = "import tensorflow as tf\nx = tf.zeros((2, 3))\nv = tf.Variable(tf.zeros((2, 3)))\n"


def _codes(body: str) -> list[tuple[int, str]]:
    source = HEAD + textwrap.dedent(body)
    return [(f.span.line, f.code) for f in analyze(source, "t.py").findings]


def _shape(body: str, name: str) -> object:
    analysis = analyze(HEAD + textwrap.dedent(body), "t.py")
    return {a.name: a.shape for a in analysis.assignments}.get(name)


@pytest.mark.parametrize(("line", "code"), [
    ("v.assign(tf.zeros((3, 2)))", "SL128"),       # ValueError: Shape mismatch
    ("v.assign(1.0)", "SL128"),                    # a scalar is not broadcast either
    ("v.assign([[1.0, 2.0], [3.0, 4.0]])", "SL128"),
    ("v.assign_add(tf.zeros((3,)))", "SL128"),     # InvalidArgumentError: shapes must be equal
    ("v.assign_sub(tf.zeros((1, 3)))", "SL128"),
    ("x.set_shape((3, 2))", "SL117"),              # eager: Tensor's shape is not compatible
    ("x.set_shape((6,))", "SL117"),
    ("y = tf.ensure_shape(x, (3, 2))", "SL129"),
    ("y = tf.ensure_shape(x, (None, 3, 1))", "SL129"),
    ("x.shape.assert_is_compatible_with((3, 2))", "SL129"),
    ("x.shape.assert_has_rank(3)", "SL129"),
    ("x.shape.assert_same_rank(tf.TensorShape([1]))", "SL129"),
    ("tf.debugging.assert_rank(x, 3)", "SL129"),
    ("tf.debugging.assert_shapes([(x, ('N',))])", "SL129"),
    ("tf.debugging.assert_shapes([(x, (2, 4))])", "SL129"),
    ("tf.debugging.assert_shapes([(x, ('N', 'D')), (tf.zeros((3, 4)), ('N', 'E'))])", "SL129"),
])
def test_a_shape_check_tf_fails_is_reported_at_its_line(line: str, code: str) -> None:
    assert _codes(line + "\n") == [(4, code)]


@pytest.mark.parametrize("line", [
    "v.assign(tf.ones((2, 3)))",
    "v.assign_add(tf.ones((2, 3)))",
    "v.assign_sub(0.5 * v)",
    "x.set_shape((None, 3))",
    "x.set_shape((2, 3))",
    "y = tf.ensure_shape(x, (None, 3))",
    "y = tf.ensure_shape(x, None)",
    "x.shape.assert_is_compatible_with((2, None))",
    "x.shape.assert_has_rank(2)",
    "tf.debugging.assert_rank(x, 2)",
    "tf.debugging.assert_shapes([(x, ('N', 'D')), (tf.zeros((2, 4)), ('N', 'E'))])",
    # TF's rule: a scalar is shape (1,), and a () spec is (1,)
    "tf.debugging.assert_shapes([(tf.zeros(()), ('N',)), (tf.zeros((1,)), ())])",
    "tf.debugging.assert_shapes([(x, ('*', 3))])",  # a variable number of axes: no claim
    # the variable's shape may change: declared unknown, or with None sizes
    "w = tf.Variable(tf.zeros((2, 3)), shape=tf.TensorShape(None))\nw.assign(tf.zeros((4,)))",
    "w = tf.Variable(tf.zeros((2, 3)), shape=(None, 3))\nw.assign(tf.zeros((5, 3)))\n"
    "w.assign_add(tf.zeros((5, 3)))",
    # a keras.Variable's assign_add computes v + x first: it broadcasts
    "import keras\nk = keras.Variable(tf.zeros((2, 3)))\nk.assign_add(tf.zeros((3,)))",
    # keras.Variable(initializer, shape=...): an initializer's name is no value of its own
    "import keras\nk = keras.Variable('zeros', shape=(2, 3))\nk.assign(tf.ones((2, 3)))",
    "import keras\nk = keras.Variable(keras.initializers.Zeros(), shape=(2, 3))\n"
    "k.assign(tf.ones((2, 3)))",
])
def test_what_tf_accepts_is_silent(line: str) -> None:
    assert _codes(line + "\n") == []


def test_a_keras_tensor_shape_is_a_tuple_without_assert_methods() -> None:
    """Keras 3: ``keras.Input((3,)).shape`` is a tuple, its ``assert_has_rank`` an
    AttributeError, not a shape check."""
    assert _codes("import keras\nk = keras.Input((3,))\nk.shape.assert_has_rank(3)\n") == []


def test_an_unknown_value_claims_nothing() -> None:
    assert _codes("def f(a):\n    v.assign(a)\n    x.set_shape(a.shape)\n") == []


def test_sizes_are_not_claimed_inside_a_tf_function() -> None:
    """Graph mode's static shape may know less than the analyzer: only ranks are claimed."""
    body = """\
    @tf.function
    def step():
        y = tf.zeros((2, 3))
        y.shape.assert_is_compatible_with((3, 2))
        y.set_shape((3, 2))
        y.shape.assert_has_rank(3)
    step()
    """
    assert [code for _, code in _codes(body)] == ["SL129"]


def test_ensure_shape_merges_the_shapes() -> None:
    assert _shape("y = tf.ensure_shape(tf.zeros((2, 3)), [2, None])\n", "y") == (2, 3)
    assert _shape("def f(a):\n    return tf.ensure_shape(a, (None, 4))\ny = f(1)\n", "y") \
        in (None, (None, 4))


def test_keras_variable_shapes() -> None:
    head = "import keras\n"
    assert _shape(head + "k = keras.Variable('zeros', shape=(2, 3))\n", "k") == (2, 3)
    assert _shape(head + "k = keras.Variable(initializer=tf.zeros((4,)))\n", "k") == (4,)
    assert _codes(head + "k = keras.Variable('ones', shape=(2, 3))\nk.assign(tf.ones((3, 2)))\n") \
        == [(6, "SL128")]


def test_variable_shape_argument_is_its_static_shape() -> None:
    assert _shape("w = tf.Variable(tf.zeros((2, 3)), shape=(None, 3))\n", "w") == (None, 3)
    assert _shape("w = tf.Variable(tf.zeros((2, 3)), shape=tf.TensorShape(None))\n", "w") \
        is None
