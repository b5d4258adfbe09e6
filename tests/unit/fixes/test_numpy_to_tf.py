"""numpy-to-tf (SL305/SL306, unsafe): NumPy on the gradient path becomes TensorFlow."""

from __future__ import annotations

import pytest

from .helpers import assert_fix, assert_no_fix, finding, fixed

HEAD = "import numpy as np\nimport tensorflow as tf\nw = tf.Variable([1.0, 2.0])\n"
GRAD = "g = tape.gradient(loss, w)\n"


def test_np_sum_becomes_reduce_sum() -> None:
    body = "with tf.GradientTape() as tape:\n    y = w * 3.0\n    loss = {}\n"
    assert_fix(HEAD + body.format("np.sum(y)") + GRAD,
               HEAD + body.format("tf.reduce_sum(y)") + GRAD, "numpy-to-tf", safe=False)


def test_numpy_method_and_its_rewrap_go() -> None:
    body = "with tf.GradientTape() as tape:\n    y = w * 3.0\n    loss = tf.reduce_sum({})\n"
    assert_fix(HEAD + body.format("tf.constant(y.numpy())") + GRAD,
               HEAD + body.format("y") + GRAD, "numpy-to-tf", safe=False)


def test_the_whole_numpy_chain_of_the_block_is_rewritten() -> None:
    before = HEAD + (
        "with tf.GradientTape() as tape:\n"
        "    p = (w * 2.0).numpy()\n"
        "    e = np.clip(p - 1.0, -1.0, 1.0)\n"
        "    loss = tf.reduce_mean(tf.square(tf.constant(e)))\n") + GRAD
    after = HEAD + (
        "with tf.GradientTape() as tape:\n"
        "    p = (w * 2.0)\n"
        "    e = tf.clip_by_value(p - 1.0, -1.0, 1.0)\n"
        "    loss = tf.reduce_mean(tf.square(e))\n") + GRAD
    assert_fix(before, after, "numpy-to-tf", safe=False)


@pytest.mark.parametrize(("before", "after"), [
    ("np.mean(y, axis=0, keepdims=True)", "tf.reduce_mean(y, axis=0, keepdims=True)"),
    ("np.log(y)", "tf.math.log(y)"),
    ("np.dot(y, y)", "tf.tensordot(y, y, 1)"),
    ("np.maximum(y, 0.0)", "tf.maximum(y, 0.0)"),
])
def test_table(before: str, after: str) -> None:
    source = "import numpy as np\nimport tensorflow as tf\nwith tf.GradientTape() as t:\n" \
             f"    z = {before}\nz = np.sum(z)\n"
    item = finding("numpy-to-tf", 9, code="SL305", safe=False, op="np.sum", with_line=3)
    assert fixed(source, item) == source.replace(before, after)


def test_an_ndarray_reduction_of_a_rewritten_call() -> None:
    body = "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(w) + {}\n"
    assert_fix(HEAD + body.format("np.square(w).sum()") + GRAD,
               HEAD + body.format("tf.reduce_sum(tf.square(w))") + GRAD, "numpy-to-tf",
               safe=False)
    source = HEAD + body.format("np.abs(w).mean(axis=0)") + GRAD
    item = finding("numpy-to-tf", 6, code="SL306", safe=False, op="np.abs", with_line=4)
    assert fixed(source, item) == source.replace("np.abs(w).mean(axis=0)",
                                                 "tf.reduce_mean(tf.abs(w), axis=0)")


@pytest.mark.parametrize("call", [
    "np.square(y).argsort()",  # an ndarray method a tensor lacks
    "np.sum(y, dtype=np.float64)",  # a keyword the TF op does not take
])
def test_declines(call: str) -> None:
    source = "import numpy as np\nimport tensorflow as tf\nwith tf.GradientTape() as t:\n" \
             f"    z = {call}\n"
    item = finding("numpy-to-tf", 9, code="SL305", safe=False, op="np.sum", with_line=3)
    assert fixed(source, item) == source


def test_no_tensorflow_alias_no_fix() -> None:
    source = "import numpy as np\nfrom tensorflow import GradientTape\n" \
             "with GradientTape() as t:\n    z = np.sum(y)\n"
    item = finding("numpy-to-tf", 9, code="SL305", safe=False, op="np.sum", with_line=3)
    assert fixed(source, item) == source


def test_engine_offers_nothing_for_code_outside_a_tape() -> None:
    assert_no_fix(HEAD + "loss = np.sum(w)\n", "numpy-to-tf")


@pytest.mark.parametrize(("op", "before", "after"), [
    ("tf.constant()", "snap = tf.constant(w)", "snap = tf.identity(w)"),
    ("float()", "y = float(w) ** 2 * w", "y = w ** 2 * w"),
    ("model.predict()", "y = model.predict(w, verbose=0)", "y = model(w)"),
    ("np.array()", "y = np.array(w)", "y = tf.identity(w)"),
])
def test_other_ways_out_of_tensorflow(op: str, before: str, after: str) -> None:
    source = HEAD + f"with tf.GradientTape() as tape:\n    {before}\n" + GRAD
    item = finding("numpy-to-tf", 7, code="SL305", safe=False, op=op, with_line=4)
    assert fixed(source, item) == source.replace(before, after)


def test_float_and_predict_only_when_they_are_the_reported_exit() -> None:
    source = HEAD + "with tf.GradientTape() as tape:\n    y = float(w) + np.sum(w)\n" + GRAD
    item = finding("numpy-to-tf", 7, code="SL305", safe=False, op="np.sum", with_line=4)
    assert fixed(source, item) == source.replace("np.sum(w)", "tf.reduce_sum(w)")
