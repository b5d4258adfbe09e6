"""The last iteration of a long ``range`` loop is run for its findings only when every tensor
its body binds then has a fully known shape: an op on a size still unknown there (a batch of
an array of unknown width) may fail in TF unseen, and a later op must not be blamed."""

from __future__ import annotations

from shapelens.core import analyze

LOOP = """\
import numpy as np
import tensorflow as tf

images = np.zeros((1000, {width}), np.float32)
labels = tf.one_hot(np.zeros(1000, np.int64), 10)
for start in range(0, 1000, 32):
    xb = images[start:start + 32]
    yb = labels[start:start + 32]
    flat = tf.reshape(xb, (32, 784))
    logits = tf.matmul(flat, tf.zeros((784, 10)))
    loss = tf.nn.softmax_cross_entropy_with_logits(yb, logits)
"""


def _findings(width: str) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in analyze(LOOP.format(width=width), "t.py").findings]


def test_a_known_width_reports_the_reshape_of_the_last_batch() -> None:
    assert _findings("784") == [("SL101", 9)]


def test_an_unknown_width_claims_nothing_after_the_reshape() -> None:
    """TF raises at the reshape (8 rows of 784 are not 32); the engine cannot see that one,
    and says nothing rather than blame the loss line."""
    assert _findings("int(open('w.txt').read())") == []
