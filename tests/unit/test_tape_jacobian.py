"""Tape features (``core/provenance``): ``tape.stop_recording()``, ``tape.reset()`` and
``tf.stop_gradient`` make a gradient None (SL315, as TF 2.21 returns); ``jacobian`` and
``batch_jacobian`` give ``target + source`` / ``(batch,) + target[1:] + source[1:]`` shapes,
``batch_jacobian`` gives zeros (never None) for an unconnected source and raises on ranks
below 2 or different batch sizes (SL316)."""

from __future__ import annotations

import textwrap

import pytest

from shapelens.core import analyze
from shapelens.core.results import Analysis

HEAD = """\
import tensorflow as tf
w = tf.Variable([1.0, 2.0])
xb = tf.Variable(tf.ones((4, 3)))
"""


def _analysis(body: str) -> Analysis:
    return analyze(HEAD + textwrap.dedent(body), "t.py")


def _codes(body: str) -> list[tuple[int, str]]:
    return [(f.span.line, f.code) for f in _analysis(body).findings]


def _shape(body: str, name: str) -> object:
    return {a.name: a.shape for a in _analysis(body).assignments}.get(name)


def test_a_target_computed_only_while_recording_is_stopped_has_a_none_gradient() -> None:
    body = """\
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            y = tf.reduce_sum(w * w)
    g = tape.gradient(y, w)
    """
    assert _codes(body) == [(7, "SL315")]


def test_recording_resumes_after_the_stop_recording_block() -> None:
    body = """\
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            y = tf.reduce_sum(w * w)
        z = y * w
    g = tape.gradient(z, w)
    """
    assert _codes(body) == []
    assert _shape(body, "g") == (2,)


def test_a_target_recorded_before_reset_has_a_none_gradient() -> None:
    body = """\
    with tf.GradientTape(persistent=True) as tape:
        a = tf.reduce_sum(w * 3.0)
        tape.reset()
        b = tf.reduce_sum(w * 4.0)
    ga = tape.gradient(a, w)
    gb = tape.gradient(b, w)
    """
    codes = _codes(body)
    assert codes == [(8, "SL315")]
    assert "reset" in next(f.message for f in _analysis(body).findings)


def test_a_reset_tape_may_compute_gradients_again() -> None:
    """reset() is a new tape: a non-persistent one may take a gradient after it."""
    body = """\
    with tf.GradientTape() as tape:
        a = tf.reduce_sum(w * 3.0)
        tape.reset()
        b = tf.reduce_sum(w * 4.0)
    gb = tape.gradient(b, w)
    """
    assert _codes(body) == []


@pytest.mark.parametrize(("expr", "codes"), [
    ("tf.reduce_sum(tf.stop_gradient(w) * 2.0)", [(6, "SL315")]),
    # a straight-through estimator: another path passes the gradient
    ("tf.reduce_sum(w + tf.stop_gradient(tf.round(w) - w))", []),
])
def test_stop_gradient(expr: str, codes: list[tuple[int, str]]) -> None:
    body = f"with tf.GradientTape() as tape:\n    c = {expr}\ng = tape.gradient(c, w)\n"
    assert _codes(body) == codes


def test_jacobian_shapes() -> None:
    body = """\
    x = tf.ones((4, 3))
    with tf.GradientTape(persistent=True) as tape:
        h = tf.reduce_sum(x * w[0] + xb, axis=1)
        z = tf.matmul(xb, tf.ones((3, 5)))
    j = tape.jacobian(h, xb)
    bj = tape.batch_jacobian(z, xb)
    """
    assert _codes(body) == []
    assert _shape(body, "j") == (4, 4, 3)
    assert _shape(body, "bj") == (4, 5, 3)


def test_jacobian_of_an_unconnected_target_is_none_but_batch_jacobian_gives_zeros() -> None:
    body = """\
    with tf.GradientTape(persistent=True) as tape:
        u = tf.ones((4, 2)) * 2.0
    j = tape.jacobian(u, xb)
    bj = tape.batch_jacobian(u, xb)
    """
    assert _codes(body) == [(6, "SL303")]
    assert _shape(body, "bj") == (4, 2, 3)


@pytest.mark.parametrize("call", [
    "tape.batch_jacobian(tf.reduce_sum(z, axis=1), xb)",  # target of rank 1
    "tape.batch_jacobian(z, w)",                          # source of rank 1
    "tape.batch_jacobian(z[:2], xb)",                     # batch sizes 2 and 4
])
def test_batch_jacobian_shape_errors(call: str) -> None:
    body = f"""\
    with tf.GradientTape(persistent=True) as tape:
        z = tf.matmul(xb, tf.ones((3, 5)))
    r = {call}
    """
    assert _codes(body) == [(6, "SL316")]


@pytest.mark.parametrize("body", [
    # a watched attribute: its later reads carry no token, so nothing is "never watched"
    "class M:\n    pass\nm = M()\nm.w = tf.random.normal([3])\n"
    "with tf.GradientTape() as t:\n    t.watch(m.w)\n    loss = tf.reduce_sum(m.w)\n"
    "g = t.gradient(loss, m.w)\n",
    # a watched 1-tuple: the name keeps the tuple, its element is the watched tensor
    "ws = (tf.random.normal([3]),)\nwith tf.GradientTape() as t:\n    t.watch(ws)\n"
    "    loss = tf.reduce_sum(ws[0])\ng = t.gradient(loss, ws)\n",
])
def test_watched_values_not_bound_to_a_plain_name_claim_nothing(body: str) -> None:
    assert _codes(body) == []


def test_a_path_recorded_before_reset_is_cut_even_through_later_ops() -> None:
    """The guide's example: ``y_sq`` made before ``reset()``, ``z = x * x + y_sq`` after."""
    body = """\
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y_sq = w * w
        tape.reset()
        z = x * x + y_sq
    g = tape.gradient(z, {'x': x, 'w': w})
    """
    findings = _analysis(body).findings
    assert [(f.span.line, f.code) for f in findings] == [(9, "SL315")]
    assert "before tape.reset()" in findings[0].message


def test_layers_called_in_a_model_method_use_the_model_weights() -> None:
    """``model.encode(x)`` calls ``self.encoder``: the loss depends on the model's variables
    (tensorflow/docs cvae.ipynb)."""
    body = """\
    import keras
    class VAE(keras.Model):
        def __init__(self):
            super().__init__()
            self.encoder = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        def encode(self, x):
            return self.encoder(x)
    model = VAE()
    x = tf.ones((4, 3))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model.encode(x))
    grads = tape.gradient(loss, model.trainable_variables)
    """
    assert _codes(body) == []
