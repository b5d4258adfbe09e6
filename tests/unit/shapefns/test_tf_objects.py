"""tf.random.Generator sampling, the per-replica loss helpers, NumPy methods of tensors under
tnp's NumPy behaviour, float('inf') and list('abc') (shapefns/tf_objects.py, builtins_ops.py);
each expectation is what TF 2.21 gives."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.core import analyze

from .notation import cases, check

GEN = "tf.random.Generator.from_seed(1)"
CASES: list[Any] = [
    ("g.normal([])", {"g": GEN}, "tf.f32[]"),
    ("g.normal([2, 3])", {"g": GEN}, "f32[2,3]"),
    ("g.normal(shape=(4,), dtype=tf.float64)", {"g": GEN}, "f64[4]"),
    ("g.uniform([3], maxval=5, dtype=tf.int32)", {"g": GEN}, "i32[3]"),
    ("g.truncated_normal([2])", {"g": GEN}, "f32[2]"),
    ("g.binomial([3], counts=[1., 2., 3.], probs=0.5)", {"g": GEN}, "i32[3]"),
    ("g.make_seeds(3)", {"g": GEN}, "[2,3]"),
    ("g.make_seeds()", {"g": GEN}, "[2,1]"),
    ("tf.random.get_global_generator().normal(tf.shape(x))", {"x": "f32[4,2]"}, "f32[4,2]"),
    ("tf.random.Generator.from_non_deterministic_state().uniform([1])", {}, "f32[1]"),
    ("tf.nn.compute_average_loss(x)", {"x": "f32[5]"}, "f32[]"),
    ("tf.nn.compute_average_loss(x, global_batch_size=5)", {"x": "f64[5,3]"}, "f64[]"),
    ("tf.nn.scale_regularization_loss(x)", {"x": "f32[3]"}, "f32[]"),
    ("tf.constant(float('inf'))", {}, "tf.f32[]"),
    ("tf.constant(float('-inf'), tf.float64)", {}, "f64[]"),
    ("tf.constant(list('abcdef'))", {}, "[6]"),
    ("tf.constant(int(x.numpy()))", {"x": "f32[]"}, "i32[]"),
    ("tf.zeros([2], tf.as_dtype('int64'))", {}, "i64[2]"),
    ("tf.zeros([2], tf.as_dtype(tf.float16))", {}, "f16[2]"),
    # float bounds: the length where no float32 rounding can change it
    ("tf.range(1., n + 100.)", {"n": "2000"}, "f32[2099]"),
    ("tf.range(0, 10., 3.)", {}, "f32[4]"),
    ("tf.range(5.)", {}, "f32[5]"),
    ("np.arange(0.5, 3)", {}, "np.f64[3]"),
    ("tf.range(1.0, 1.3, 0.1)", {}, "f32[?]"),
    ("np.arange(1.0, 1.3, 0.1)", {}, "np.f64[?]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_tf_objects(case: Any) -> None:
    check(case)


NUMPY_BEHAVIOUR = """import tensorflow as tf
import tensorflow.experimental.numpy as tnp
tnp.experimental_enable_numpy_behavior()
x = tnp.arange(24).reshape(2, 3, 4)
s = tnp.sqrt(32).astype(tnp.float32)
w = tnp.random.randn(32, 64).astype(tnp.float32) / s
t = x.reshape(2, 12).transpose()
r = x.ravel()
"""


def _shapes(source: str) -> dict[str, tuple[object, ...] | None]:
    return {f.name: f.shape for f in analyze(source, "t.py").assignments}


def test_numpy_methods_of_tensors_under_numpy_behaviour() -> None:
    """TF 2.21: (2, 3, 4), (), (32, 64), (12, 2), (24,)."""
    shapes = _shapes(NUMPY_BEHAVIOUR)
    assert shapes == {"x": (2, 3, 4), "s": (), "w": (32, 64), "t": (12, 2), "r": (24,)}


def test_numpy_methods_of_tensors_need_numpy_behaviour() -> None:
    """Without it a tensor has no ``reshape`` (AttributeError): no shape is claimed."""
    source = NUMPY_BEHAVIOUR.replace("tnp.experimental_enable_numpy_behavior()\n", "")
    assert "x" not in _shapes(source)
