"""TF1 / ``tf.compat.v1`` names: placeholders, TF1 keyword spellings, get_variable, tf.layers,
rnn cells, feed checks, set_shape and argmax over a size-1 axis.

These cases are graph-mode TensorFlow (``import tensorflow.compat.v1 as tf;
tf.disable_v2_behavior()``), where ``tf.placeholder`` exists; ``tf`` in the notation's prelude
resolves the same names.
"""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.core import analyze
from shapelens.domain.names import canonical

from .notation import cases, check

PH = "tf.placeholder(tf.float32, [None, 784])"

CASES: list[Any] = [
    # placeholders: a None dim is TF's dynamic one, no shape is an unknown rank
    (PH, {}, "tf.f32[None,784]"),
    ("tf.placeholder('float', shape=[4, 2])", {}, "f32[4,2]"),
    ("tf.placeholder(tf.int32)", {}, "i32?"),
    ("tf.placeholder_with_default(x, [None, 3])", {"x": "f32[2,3]"}, "f32[None,3]"),
    # TF1 renames and keyword spellings
    ("tf.truncated_normal([3, 4], stddev=0.1)", {}, "f32[3,4]"),
    ("tf.random_normal([2])", {}, "f32[2]"),
    ("tf.to_float(x)", {"x": "i32[2,3]"}, "f32[2,3]"),
    ("tf.reduce_sum(x, reduction_indices=[1])", {"x": "f32[2,3]"}, "f32[2]"),
    ("tf.reduce_mean(x, reduction_indices=1, keep_dims=True)", {"x": "f32[2,3]"}, "f32[2,1]"),
    ("tf.argmax(x, dimension=1)", {"x": "f32[2,3]"}, "i64[2]"),
    ("tf.reduce_sum(x, reduction_indices=[2])", {"x": "f32[2,3]"}, "SL105"),
    # variables
    ("tf.get_variable('w', [784, 10])", {}, "var.f32[784,10]"),
    ("tf.get_variable('w', initializer=tf.zeros([3, 2]))", {}, "var.f32[3,2]"),
    ("tf.Variable(x, validate_shape=False)", {"x": "f32[2,3]"}, "?"),
    ("tf.nn.embedding_lookup(w, ids)", {"w": "f32[100,8]", "ids": "i32[2,5]"}, "f32[2,5,8]"),
    # tf.layers (TF1 functional layers)
    ("tf.layers.dense(x, 16)", {"x": PH}, "f32[None,16]"),
    ("tf.layers.conv2d(x, 8, 3, padding='same')",
     {"x": "tf.placeholder(tf.float32, [None, 28, 28, 1])"}, "f32[None,28,28,8]"),
    ("tf.layers.conv2d(x, 8, 5)", {"x": "tf.placeholder(tf.float32, [None, 28, 28, 1])"},
     "f32[None,24,24,8]"),
    ("tf.layers.max_pooling2d(x, 2, 2)", {"x": "tf.placeholder(tf.float32, [None, 28, 28, 3])"},
     "f32[None,14,14,3]"),
    ("tf.layers.flatten(x)", {"x": "f32[2,7,7,4]"}, "f32[2,196]"),
    ("tf.layers.dropout(x, 0.5)", {"x": "f32[2,3]"}, "f32[2,3]"),
    # rnn cells and dynamic_rnn: (outputs, state); an LSTM's state is (c, h)
    ("tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(16), x, dtype=tf.float32)[0]",
     {"x": "tf.placeholder(tf.float32, [None, 7, 3])"}, "f32[None,7,16]"),
    ("tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(16), x, dtype=tf.float32)[1][1]",
     {"x": "tf.placeholder(tf.float32, [None, 7, 3])"}, "f32[None,16]"),
    ("tf.nn.bidirectional_dynamic_rnn(c, c, x, dtype=tf.float32)[0][1]",
     {"c": "tf.nn.rnn_cell.LSTMCell(4)", "x": "f32[2,5,3]"}, "f32[2,5,4]"),
    # feeds (Tensor.eval checks them without a session object) and set_shape
    ("y.eval(feed_dict={x: np.zeros(784)})", {"x": PH, "y": "x * 2.0"}, "SL116"),
    ("y.eval(feed_dict={x: np.zeros((n, 784))})", {"x": PH, "y": "x * 2.0", "n": "int(input())"},
     "np.f32[?,784]"),
    ("y.eval(feed_dict={x: [np.zeros(784) for _ in range(n)]})",
     {"x": PH, "y": "x * 2.0", "n": "int(input())"}, "np.f32[?,784]"),
    ("y.eval(feed_dict={x: [np.zeros(700) for _ in range(n)]})",
     {"x": PH, "y": "x * 2.0", "n": "int(input())"}, "SL116"),
    ("x.set_shape([None, 28, 28])", {"x": PH}, "SL117"),
    ("x.set_shape([5, 784])", {"x": PH}, "?"),
    ("x.set_shape([5, 700])", {"x": PH}, "SL117"),
    # beyond a placeholder TF's static shape may know less than the analyzer: rank only
    ("y.set_shape([5, 700])", {"x": PH, "y": "x * 2.0"}, "?"),
    ("y.set_shape([5, 28, 28])", {"x": PH, "y": "x * 2.0"}, "SL117"),
    # argmax over an axis of size 1 is always 0 (a warning); other axes are fine
    ("tf.argmax(y, 1)", {"y": "f32[4,1]"}, "SL115"),
    ("np.argmax(y, axis=-1)", {"y": "np.f64[4,1]"}, "SL115"),
    ("tf.argmax(y, 0)", {"y": "f32[4,1]"}, "i64[1]"),
    ("tf.argmax(y, 1)", {"y": "tf.placeholder(tf.float32, [None, None])"}, "i64[None]"),
    # an outer-product broadcast is legal: silent
    ("a - b", {"a": "f64[3]", "b": "f64[3,1]"}, "f64[3,3]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_tf1(case: Any) -> None:
    check(case)


@pytest.mark.parametrize("name, expected", [
    ("tensorflow.compat.v1.placeholder", "tf.placeholder"),
    ("tf.compat.v1.layers.dense", "tf.layers.dense"),
    ("tensorflow.compat.v1.keras.layers.Dense", "keras.layers.Dense"),
    ("tf.contrib.keras.api.keras.preprocessing.image.load_img",
     "keras.preprocessing.image.load_img"),
    ("tf.contrib.rnn.BasicLSTMCell", "tf.contrib.rnn.BasicLSTMCell"),
])
def test_compat_v1_names(name: str, expected: str) -> None:
    assert canonical(name) == expected


def test_fed_list_of_python_numbers() -> None:
    """``[random.randint(0, 9) for _ in range(n)]`` is fed as a vector: class ids where the
    placeholder wants one-hot rows."""
    source = ("import random\nimport tensorflow.compat.v1 as tf\n"
              "y = tf.placeholder(tf.float32, [None, 10])\n"
              "loss = tf.reduce_sum(y)\n"
              "labels = [random.randint(0, 9) for _ in range(int(input()))]\n"
              "print(loss.eval(feed_dict={y: labels}))\n")
    analysis = analyze(source, "t.py")
    assert [(f.code, f.span.line) for f in analysis.findings] == [("SL116", 6)]


def test_compat_v1_import_resolves() -> None:
    """``import tensorflow.compat.v1 as tf`` binds the same names as ``import tensorflow``."""
    source = ("import numpy as np\nimport tensorflow.compat.v1 as tf\n"
              "tf.disable_v2_behavior()\n"
              "x = tf.placeholder(tf.float32, [None, 3])\n"
              "y = tf.compat.v1.placeholder(tf.float32, [2, 3])\n"
              "z = tf.matmul(x, tf.zeros([4, 5]))\n")
    analysis = analyze(source, "t.py")
    assert [f.code for f in analysis.findings] == ["SL102"]
    assert analysis.findings[0].span.line == 6
