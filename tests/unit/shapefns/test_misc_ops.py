"""Frequent calls with plain shapes (tf_misc.py, np_more.py): repeat, vstack/hstack, add_n,
meshgrid, scatters, band parts, tril/triu/diag, nan-reductions, decoded images and crops,
pad_sequences, and the calls that return None."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

CASES: list[Any] = [
    ("tf.repeat(x, 2, axis=1)", {"x": "f32[3,4]"}, "tf.f32[3,8]"),
    ("tf.repeat(x, 3)", {"x": "i32[2,2]"}, "i32[12]"),
    ("tf.repeat(x, [1, 2, 3], axis=0)", {"x": "f32[3,4]"}, "f32[6,4]"),
    ("np.repeat(x, 2, axis=-1)", {"x": "np.f64[2,3]"}, "np.f64[2,6]"),
    ("np.repeat(x, 2)", {"x": "np.f64[2,3]"}, "np.f64[12]"),
    ("keras.ops.repeat(x, 2, axis=0)", {"x": "f32[2,3]"}, "f32[4,3]"),
    ("np.vstack([x, x])", {"x": "np.f64[3]"}, "np.f64[2,3]"),
    ("np.vstack((x, y))", {"x": "np.f64[2,3]", "y": "np.f64[4,3]"}, "np.f64[6,3]"),
    ("np.hstack([x, x])", {"x": "np.f64[3]"}, "np.f64[6]"),
    ("np.hstack([x, y])", {"x": "np.f32[2,3]", "y": "np.f32[2,1]"}, "np.f32[2,4]"),
    ("np.vstack([x, y])", {"x": "np.f64[2,3]", "y": "np.f64[2,4]"}, "SL104"),
    ("np.hstack([x, y])", {"x": "np.f64[2,3]", "y": "np.f64[3,3]"}, "SL104"),
    ("keras.ops.vstack([x, x])", {"x": "f32[2,3]"}, "f32[4,3]"),
    ("tf.add_n([x, x, x])", {"x": "f32[2,3]"}, "tf.f32[2,3]"),
    ("tf.math.add_n([x])", {"x": "f64[4]"}, "f64[4]"),
    ("tf.meshgrid(a, b)[0]", {"a": "f32[3]", "b": "f32[5]"}, "tf.f32[5,3]"),
    ("tf.meshgrid(a, b, indexing='ij')[1]", {"a": "i32[3]", "b": "i32[5]"}, "i32[3,5]"),
    ("np.meshgrid(a, b)[1]", {"a": "np.f64[3]", "b": "np.f64[4]"}, "np.f64[4,3]"),
    ("np.meshgrid(a, b, c, indexing='ij')[2]",
     {"a": "np.f64[2]", "b": "np.f64[3]", "c": "np.i64[4]"}, "np.i64[2,3,4]"),
    ("tf.scatter_nd([[1], [3]], u, [8, 2])", {"u": "f32[2,2]"}, "f32[8,2]"),
    ("tf.tensor_scatter_nd_update(x, [[0]], u)", {"x": "f32[4,3]", "u": "f32[1,3]"},
     "f32[4,3]"),
    ("tf.linalg.band_part(x, -1, 0)", {"x": "f32[2,4,4]"}, "f32[2,4,4]"),
    ("np.tril(x)", {"x": "np.f64[3,4]"}, "np.f64[3,4]"),
    ("np.triu(x, 1)", {"x": "np.f64[3]"}, "np.f64[3,3]"),
    ("np.diag(x)", {"x": "np.f64[3]"}, "np.f64[3,3]"),
    ("np.diag(x, 1)", {"x": "np.f64[3]"}, "np.f64[4,4]"),
    ("np.diag(x)", {"x": "np.f64[3,5]"}, "np.f64[3]"),
    ("np.diag(x, 3)", {"x": "np.f64[3,5]"}, "np.f64[2]"),
    ("np.diag(x, -2)", {"x": "np.f64[3,5]"}, "np.f64[1]"),
    ("np.nanmax(x, axis=0)", {"x": "np.f64[3,5]"}, "np.f64[5]"),
    ("np.nanstd(x, axis=1, keepdims=True)", {"x": "np.f32[3,5]"}, "np.f32[3,1]"),
    ("np.nanargmax(x, axis=-1)", {"x": "np.f64[3,5]"}, "np.i64[3]"),
    ("np.nanmedian(x)", {"x": "np.f64[3,5]"}, "np.f64[]"),
    ("np.nanmax(x, axis=2)", {"x": "np.f64[3,5]"}, "SL105"),
    ("tf.io.read_file('/etc/hostname')", {}, "tf.[]"),
    ("tf.image.random_crop(x, [4, 4, 3])", {"x": "f32[8,6,3]"}, "f32[4,4,3]"),
    ("tf.image.random_crop(x, (2, 4, 4, 1))", {"x": "u8[2,8,6,1]"}, "u8[2,4,4,1]"),
    ("keras.utils.pad_sequences([[1, 2], [3], [4, 5, 6]])", {}, "np.i32[3,3]"),
    ("keras.utils.pad_sequences([[1, 2], [3]], maxlen=5, dtype='float32')", {},
     "np.f32[2,5]"),
    ("keras.preprocessing.sequence.pad_sequences(x, maxlen=4)", {"x": "np.i64[6,9]"},
     "np.i32[6,4]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_misc(case: Any) -> None:
    check(case)


def test_decoded_images_and_none_results() -> None:
    """Decoders know the channels asked for, never the size; seeding and printing are
    None."""
    from shapelens.core import analyze

    source = ("import tensorflow as tf\nraw = tf.io.read_file('a.png')\n"
              "img = tf.io.decode_png(raw, channels=3)\n"
              "jpg = tf.image.decode_jpeg(raw)\n"
              "any_img = tf.image.decode_image(raw, channels=1)\n"
              "flat = tf.image.decode_image(raw, channels=1, expand_animations=False)\n"
              "s = tf.random.set_seed(0)\nsmall = tf.image.resize(img, [8, 8])\n")
    analysis = analyze(source, time_budget=None)
    facts = {a.name: a for a in analysis.assignments}
    assert (facts["img"].shape, facts["img"].dtype) == ((None, None, 3), "uint8")
    assert facts["jpg"].shape == (None, None, None)
    assert facts["any_img"].shape is None and facts["any_img"].dtype == "uint8"
    assert facts["flat"].shape == (None, None, 1)
    assert facts["small"].shape == (8, 8, 3)
    assert "s" not in facts and not analysis.findings


KERAS_CASES: list[Any] = [
    ("keras.random.normal((2, 3))", {}, "tf.f32[2,3]"),
    ("keras.random.normal(shape=(4,), dtype='float64')", {}, "f64[4]"),
    ("keras.random.uniform((2,), minval=0, maxval=1)", {}, "f32[2]"),
    ("keras.random.randint((5,), 0, 10)", {}, "i32[5]"),
    ("keras.random.shuffle(x)", {"x": "f32[4,3]"}, "f32[4,3]"),
    ("keras.random.dropout(x, 0.5)", {"x": "f32[4,3]"}, "f32[4,3]"),
    ("keras.activations.relu(x)", {"x": "f32[2,3]"}, "tf.f32[2,3]"),
    ("keras.activations.softmax(x)", {"x": "f32[3]"}, "f32[3]"),
    ("keras.activations.gelu(x)", {"x": "np.f64[2,3]"}, "tf.f64[2,3]"),
    ("tf.nn.pool(x, [2, 2], 'MAX', strides=[2, 2], padding='VALID')", {"x": "f32[2,8,8,3]"},
     "f32[2,4,4,3]"),
    ("tf.nn.pool(x, [3], 'AVG')", {"x": "f32[2,10,3]"}, "f32[2,8,3]"),
    ("tf.nn.pool(x, [3, 3], 'MAX', padding='SAME', strides=[2, 2])", {"x": "f32[1,5,5,2]"},
     "f32[1,3,3,2]"),
    ("tf.nn.pool(x, [4], 'MAX')", {"x": "f32[2,2,3]"}, "SL114"),
]


@pytest.mark.parametrize("case", cases(KERAS_CASES))
def test_keras_random_and_activations(case: Any) -> None:
    check(case)
