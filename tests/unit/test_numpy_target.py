"""A tape target that left TensorFlow for NumPy (``np.sum(w * 2.0)``) is no None gradient:
TF 2.21 raises ``AttributeError: 'numpy.float32' object has no attribute '_id'`` in
``tape.gradient``. SL305 says so, as an error at the gradient call (the block ends there); a
target still a tensor after a NumPy detour keeps the None-gradient warning."""

from __future__ import annotations

from shapelens.core import analyze

HEAD = "import numpy as np\nimport tensorflow as tf\nw = tf.Variable([1.0, 2.0])\n"


def _findings(body: str) -> list[tuple[str, int, str, str]]:
    return [(f.code, f.span.line, f.severity, f.message)
            for f in analyze(HEAD + body, "t.py").findings]


def test_a_numpy_target_makes_tape_gradient_raise() -> None:
    found = _findings("with tf.GradientTape() as t:\n    loss = np.sum(w * 2.0)\n"
                      "g = t.gradient(loss, w)\n")
    assert [(c, line, s) for c, line, s, _ in found] == [("SL305", 6, "error")]
    assert "raises AttributeError" in found[0][3]


def test_a_tensor_target_after_numpy_is_a_none_gradient() -> None:
    found = _findings("with tf.GradientTape() as t:\n"
                      "    y = tf.constant((w * 2.0).numpy())\n    loss = tf.reduce_sum(y)\n"
                      "g = t.gradient(loss, w)\n")
    assert [(c, line, s) for c, line, s, _ in found] == [("SL305", 7, "warning")]
    assert "is None" in found[0][3]
