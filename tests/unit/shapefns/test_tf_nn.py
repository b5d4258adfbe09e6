"""Convolution and pooling in tf.nn (NHWC): VALID/SAME padding, strides, dilations,
channel checks and windows larger than the input."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

IMG = {"x": "f32[1,28,28,3]"}

CASES: list[Any] = [
    # conv2d
    ("tf.nn.conv2d(x, f, strides=1, padding='VALID')", {**IMG, "f": "f32[3,3,3,16]"},
     "tf.f32[1,26,26,16]"),
    ("tf.nn.conv2d(x, f, 1, 'SAME')", {**IMG, "f": "f32[3,3,3,16]"}, "f32[1,28,28,16]"),
    ("tf.nn.conv2d(x, f, strides=2, padding='SAME')", {**IMG, "f": "f32[3,3,3,16]"},
     "f32[1,14,14,16]"),
    ("tf.nn.conv2d(x, f, strides=2, padding='VALID')", {**IMG, "f": "f32[3,3,3,16]"},
     "f32[1,13,13,16]"),
    ("tf.nn.conv2d(x, f, strides=[1, 2, 2, 1], padding='VALID')",
     {**IMG, "f": "f32[5,5,3,8]"}, "f32[1,12,12,8]"),
    ("tf.nn.conv2d(x, f, strides=(3, 1), padding='SAME')", {**IMG, "f": "f32[3,3,3,4]"},
     "f32[1,10,28,4]"),
    ("tf.nn.conv2d(x, f, strides=1, padding='VALID', dilations=2)",
     {**IMG, "f": "f32[3,3,3,16]"}, "f32[1,24,24,16]"),
    ("tf.nn.conv2d(x, f, 1, 'VALID')", {"x": "f32[4,10,7,1]", "f": "f32[1,7,1,2]"},
     "f32[4,10,1,2]"),
    ("tf.nn.conv2d(x, f, 1, 'VALID')", {"x": "f64[2,5,5,2]", "f": "f64[2,2,2,3]"},
     "f64[2,4,4,3]"),
    ("tf.nn.conv2d(x, f, 1, 'VALID')", {"x": "f32[1,5,5,4]", "f": "f32[3,3,2,6]"},
     "f32[1,3,3,6]"),  # grouped convolution: 4 input channels in 2 groups
    ("tf.nn.conv2d(x, f, 1, 'VALID')", {**IMG, "f": "f32[3,3,4,16]"}, "SL114"),
    ("tf.nn.conv2d(x, f, 1, 'VALID')", {"x": "f32[1,5,5,4]", "f": "f32[3,3,3,6]"}, "SL114"),
    # (an output size of exactly 0 is accepted by eager TF, so these use negative sizes)
    ("tf.nn.conv2d(x, f, 1, 'VALID')", {"x": "f32[1,1,1,3]", "f": "f32[3,3,3,8]"}, "SL114"),
    ("tf.nn.conv2d(x, f, 1, 'VALID')", {"x": "f32[1,5,1,3]", "f": "f32[3,3,3,8]"}, "SL114"),
    # conv1d
    ("tf.nn.conv1d(x, f, stride=1, padding='VALID')", {"x": "f32[2,10,3]", "f": "f32[3,3,5]"},
     "f32[2,8,5]"),
    ("tf.nn.conv1d(x, f, 2, 'SAME')", {"x": "f32[2,10,3]", "f": "f32[3,3,5]"}, "f32[2,5,5]"),
    ("tf.nn.conv1d(x, f, 3, 'VALID')", {"x": "f32[2,10,3]", "f": "f32[4,3,5]"}, "f32[2,3,5]"),
    ("tf.nn.conv1d(x, f, 1, 'VALID')", {"x": "f32[2,10,3]", "f": "f32[3,2,5]"}, "SL114"),
    ("tf.nn.conv1d(x, f, 1, 'VALID')", {"x": "f32[2,1,3]", "f": "f32[3,3,5]"}, "SL114"),
    # pooling
    ("tf.nn.max_pool2d(x, 2, 2, 'VALID')", IMG, "tf.f32[1,14,14,3]"),
    ("tf.nn.max_pool2d(x, ksize=3, strides=2, padding='SAME')", IMG, "f32[1,14,14,3]"),
    ("tf.nn.max_pool2d(x, ksize=3, strides=2, padding='VALID')", IMG, "f32[1,13,13,3]"),
    ("tf.nn.max_pool2d(x, [2, 2], [2, 2], 'VALID')", IMG, "f32[1,14,14,3]"),
    ("tf.nn.max_pool2d(x, [1, 2, 2, 1], [1, 1, 1, 1], 'VALID')", IMG, "f32[1,27,27,3]"),
    ("tf.nn.max_pool2d(x, (2, 4), (2, 4), 'VALID')", IMG, "f32[1,14,7,3]"),
    ("tf.nn.avg_pool2d(x, 2, 2, 'VALID')", IMG, "f32[1,14,14,3]"),
    ("tf.nn.avg_pool2d(x, 3, 3, 'SAME')", {"x": "f32[2,10,10,4]"}, "f32[2,4,4,4]"),
    ("tf.nn.avg_pool2d(x, 2, 1, 'VALID')", {"x": "f64[1,3,3,1]"}, "f64[1,2,2,1]"),
    ("tf.nn.max_pool(x, ksize=2, strides=2, padding='VALID')", IMG, "f32[1,14,14,3]"),
    ("tf.nn.avg_pool(x, 2, 2, 'SAME')", {"x": "f32[1,5,5,1]"}, "f32[1,3,3,1]"),
    ("tf.nn.max_pool(x, 2, 2, 'VALID')", {"x": "f32[2,10,3]"}, "f32[2,5,3]"),
    ("tf.nn.max_pool1d(x, 2, 2, 'VALID')", {"x": "f32[2,10,3]"}, "f32[2,5,3]"),
    ("tf.nn.avg_pool1d(x, 3, 1, 'SAME')", {"x": "f32[2,10,3]"}, "f32[2,10,3]"),
    ("tf.nn.max_pool2d(x, 3, 1, 'VALID')", {"x": "f32[1,1,1,3]"}, "SL114"),
    ("tf.nn.avg_pool2d(x, 5, 1, 'VALID')", {"x": "f32[1,3,8,3]"}, "SL114"),
    ("tf.nn.max_pool1d(x, 4, 1, 'VALID')", {"x": "f32[2,2,3]"}, "SL114"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_nn(case: Any) -> None:
    check(case)
