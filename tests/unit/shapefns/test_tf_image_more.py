"""tf.image: crop_and_resize, extract_patches, sobel_edges, image_gradients, per-image
measures and the stateless random augmentations."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

BATCH = {"x": "f32[2,8,6,3]"}

CASES: list[Any] = [
    ("tf.image.crop_and_resize(x, tf.zeros([5, 4]), tf.zeros([5], tf.int32), [3, 3])", BATCH,
     "tf.f32[5,3,3,3]"),
    ("tf.image.crop_and_resize(x, [[0.0, 0.0, 1.0, 1.0]], [0], (3, 4))", {"x": "u8[2,8,6,3]"},
     "f32[1,3,4,3]"),
    ("tf.image.extract_patches(x, [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], 'VALID')", BATCH,
     "f32[2,3,2,27]"),
    ("tf.image.extract_patches(x, [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], 'SAME')", BATCH,
     "f32[2,4,3,27]"),
    ("tf.image.extract_patches(x, sizes=[1, 2, 2, 1], strides=[1, 1, 1, 1], "
     "rates=[1, 2, 2, 1], padding='VALID')", BATCH, "f32[2,6,4,12]"),
    ("tf.image.sobel_edges(x)", BATCH, "f32[2,8,6,3,2]"),
    ("tf.image.image_gradients(x)[1]", BATCH, "f32[2,8,6,3]"),
    ("tf.image.total_variation(x)", BATCH, "f32[2]"),
    ("tf.image.total_variation(x)", {"x": "f32[8,6,3]"}, "f32[]"),
    ("tf.image.psnr(x, x, 1.0)", BATCH, "f32[2]"),
    ("tf.image.ssim(x, x, 1.0)", {"x": "f32[2,16,16,3]"}, "f32[2]"),
    ("tf.image.stateless_random_brightness(x, 0.2, (1, 2))", {"x": "f32[8,6,3]"},
     "f32[8,6,3]"),
    ("tf.image.stateless_random_flip_left_right(x, (1, 2))", BATCH, "f32[2,8,6,3]"),
    ("tf.image.stateless_random_crop(x, [4, 4, 3], (1, 2))", {"x": "f32[8,6,3]"},
     "f32[4,4,3]"),
    ("tf.image.adjust_jpeg_quality(x, 80)", {"x": "f32[8,6,3]"}, "f32[8,6,3]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_image_more(case: Any) -> None:
    check(case)
