"""Names bound by unpacking (``x, (y, z) = ...``) get their shapes in the assignments table,
which the ``shapes`` command and inlay hints show, as a plain assignment's name does."""

from __future__ import annotations

from shapelens.core import analyze


def _facts(source: str) -> dict[tuple[int, str], object]:
    analysis = analyze("import tensorflow as tf\n" + source, "t.py")
    return {(a.line, a.name): a.shape for a in analysis.assignments}


def test_each_unpacked_name_has_its_shape() -> None:
    facts = _facts("a, (b, c) = tf.zeros([2]), (tf.ones([3, 4]), tf.ones([5]))\n")
    assert facts == {(2, "a"): (2,), (2, "b"): (3, 4), (2, "c"): (5,)}


def test_a_name_unpacked_from_an_unknown_value_is_not_claimed() -> None:
    facts = _facts("import mystery\nx, y = mystery.pair()\nz = tf.zeros([1])\n")
    assert facts == {(4, "z"): (1,)}


def test_a_dataset_element_unpacks_into_its_components() -> None:
    facts = _facts("import numpy as np\n"
                   "ds = tf.data.Dataset.from_tensor_slices((np.zeros((10, 3), np.float32), "
                   "np.zeros((10,), np.int64))).batch(4)\n"
                   "xb, yb = next(iter(ds))\n")
    assert facts[(4, "xb")] == (4, 3) and facts[(4, "yb")] == (4,)
