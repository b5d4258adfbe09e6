"""tf.image: resize, crop/pad, flips, rotations, colour conversions and adjustments, with the
rank, box and channel errors TF 2.21 raises (SL118)."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

IMG = {"x": "f32[8,6,3]"}
BATCH = {"x": "f32[2,8,6,3]"}
FLAT = {"x": "f32[8,6]"}
RANK5 = {"x": "f32[1,2,8,6,3]"}

CASES: list[Any] = [
    # resize: float32 unless the method keeps the dtype (nearest)
    ("tf.image.resize(x, [4, 4])", IMG, "tf.f32[4,4,3]"),
    ("tf.image.resize(x, (5, 2))", BATCH, "f32[2,5,2,3]"),
    ("tf.image.resize(x, [4, 4])", {"x": "u8[8,6,3]"}, "f32[4,4,3]"),
    ("tf.image.resize(x, [4, 4])", {"x": "np.f64[8,6,3]"}, "tf.f32[4,4,3]"),
    ("tf.image.resize(x, [4, 4], method='nearest')", {"x": "u8[8,6,3]"}, "u8[4,4,3]"),
    ("tf.image.resize(x, [4, 4], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)",
     {"x": "u8[8,6,3]"}, "u8[4,4,3]"),
    ("tf.image.resize(x, [4, 4], method='bicubic')", {"x": "f64[8,6,3]"}, "f32[4,4,3]"),
    ("tf.image.resize(x, [4, 4], method=tf.image.ResizeMethod.BILINEAR)", {"x": "u8[8,6,3]"},
     "f32[4,4,3]"),
    ("tf.image.resize(x, tf.constant([4, 4]))", IMG, "f32[4,4,3]"),
    ("tf.image.resize(x, [4, 4], preserve_aspect_ratio=True)", IMG, "f32[?,?,3]"),
    ("tf.image.resize(x, [4, 4])", FLAT, "SL118"),
    ("tf.image.resize(x, [4, 4])", RANK5, "SL118"),
    ("tf.image.resize(x, [4, 4, 1])", IMG, "SL118"),
    ("tf.image.resize(x, [4])", IMG, "SL118"),
    ("tf.image.resize_with_pad(x, 10, 10)", {"x": "u8[8,6,3]"}, "f32[10,10,3]"),
    ("tf.image.resize_with_pad(x, 10, 10, method='nearest')", {"x": "u8[8,6,3]"},
     "u8[10,10,3]"),
    ("tf.image.resize_with_pad(x, 10, 10)", FLAT, "SL118"),
    # crop and pad
    ("tf.image.resize_with_crop_or_pad(x, 4, 10)", IMG, "f32[4,10,3]"),
    ("tf.image.resize_with_crop_or_pad(x, 10, 2)", BATCH, "f32[2,10,2,3]"),
    ("tf.image.resize_with_crop_or_pad(x, 4, 10)", FLAT, "SL118"),
    ("tf.image.resize_with_crop_or_pad(x, 0, 2)", IMG, "SL118"),
    ("tf.image.crop_to_bounding_box(x, 1, 1, 4, 4)", IMG, "f32[4,4,3]"),
    ("tf.image.crop_to_bounding_box(x, 4, 2, 4, 4)", {"x": "u8[2,8,6,3]"}, "u8[2,4,4,3]"),
    ("tf.image.crop_to_bounding_box(x, 5, 1, 4, 4)", IMG, "SL118"),
    ("tf.image.crop_to_bounding_box(x, 0, 3, 4, 4)", IMG, "SL118"),
    ("tf.image.crop_to_bounding_box(x, 1, 1, 8, 4)", BATCH, "SL118"),
    ("tf.image.crop_to_bounding_box(x, -1, 0, 4, 4)", IMG, "SL118"),
    ("tf.image.crop_to_bounding_box(x, 0, 0, 0, 4)", IMG, "SL118"),
    ("tf.image.crop_to_bounding_box(x, 1, 1, 4, 4)", FLAT, "SL118"),
    ("tf.image.pad_to_bounding_box(x, 1, 1, 10, 10)", IMG, "f32[10,10,3]"),
    ("tf.image.pad_to_bounding_box(x, 0, 0, 8, 6)", BATCH, "f32[2,8,6,3]"),
    ("tf.image.pad_to_bounding_box(x, 1, 1, 8, 6)", IMG, "SL118"),
    ("tf.image.pad_to_bounding_box(x, -1, 0, 10, 10)", IMG, "SL118"),
    ("tf.image.pad_to_bounding_box(x, 1, 1, 10, 10)", RANK5, "SL118"),
    ("tf.image.central_crop(x, 0.5)", IMG, "f32[4,4,3]"),
    ("tf.image.central_crop(x, 0.3)", {"x": "f32[7,5,3]"}, "f32[3,3,3]"),
    ("tf.image.central_crop(x, 1)", BATCH, "f32[2,8,6,3]"),
    ("tf.image.central_crop(x, 0.0)", IMG, "SL118"),
    ("tf.image.central_crop(x, 1.5)", IMG, "SL118"),
    ("tf.image.central_crop(x, 0.5)", FLAT, "SL118"),
    ("tf.image.central_crop(x, 0.5)", RANK5, "SL118"),
    # flips and rotations
    ("tf.image.flip_left_right(x)", IMG, "tf.f32[8,6,3]"),
    ("tf.image.flip_up_down(x)", {"x": "np.f64[8,6,3]"}, "tf.f64[8,6,3]"),
    ("tf.image.random_flip_left_right(x, seed=1)", BATCH, "f32[2,8,6,3]"),
    ("tf.image.random_flip_up_down(x)", {"x": "u8[8,6,3]"}, "u8[8,6,3]"),
    ("tf.image.flip_left_right(x)", FLAT, "SL118"),
    ("tf.image.random_flip_up_down(x)", FLAT, "SL118"),
    ("tf.image.flip_up_down(x)", RANK5, "SL118"),
    # rot90: in a tf.function the static height and width are None (tf.case)
    ("tf.image.rot90(x)", IMG, "f32[?,?,3]"),
    ("tf.image.rot90(x, 2)", BATCH, "f32[2,?,?,3]"),
    ("tf.image.rot90(x, k=3)", IMG, "f32[?,?,3]"),
    ("tf.image.rot90(x)", FLAT, "SL118"),
    ("tf.image.transpose(x)", BATCH, "f32[2,6,8,3]"),
    # colour
    ("tf.image.rgb_to_grayscale(x)", IMG, "f32[8,6,1]"),
    ("tf.image.rgb_to_grayscale(x)", {"x": "u8[2,8,6,3]"}, "u8[2,8,6,1]"),
    ("tf.image.rgb_to_grayscale(x)", {"x": "np.f64[8,6,3]"}, "tf.f64[8,6,1]"),
    ("tf.image.rgb_to_grayscale(x)", {"x": "f32[8,6,4]"}, "SL118"),
    ("tf.image.rgb_to_grayscale(x)", FLAT, "SL118"),
    ("tf.image.grayscale_to_rgb(x)", {"x": "f32[8,6,1]"}, "f32[8,6,3]"),
    ("tf.image.grayscale_to_rgb(x)", {"x": "f32[6,1]"}, "f32[6,3]"),
    ("tf.image.grayscale_to_rgb(x)", IMG, "SL118"),
    ("tf.image.grayscale_to_rgb(x)", {"x": "f32[6]"}, "SL118"),
    ("tf.image.per_image_standardization(x)", {"x": "u8[8,6,3]"}, "f32[8,6,3]"),
    ("tf.image.per_image_standardization(x)", {"x": "f64[2,8,6,3]"}, "f32[2,8,6,3]"),
    ("tf.image.per_image_standardization(x)", FLAT, "SL118"),
    ("tf.image.adjust_brightness(x, 0.1)", {"x": "u8[8,6,3]"}, "u8[8,6,3]"),
    ("tf.image.adjust_brightness(x, 0.1)", FLAT, "f32[8,6]"),
    ("tf.image.adjust_gamma(x, 0.5)", IMG, "f32[8,6,3]"),
    ("tf.image.adjust_contrast(x, 0.5)", BATCH, "f32[2,8,6,3]"),
    ("tf.image.adjust_contrast(x, 0.5)", FLAT, "SL118"),
    ("tf.image.adjust_saturation(x, 0.5)", IMG, "f32[8,6,3]"),
    ("tf.image.adjust_saturation(x, 0.5)", {"x": "f32[8,6,1]"}, "SL118"),
    ("tf.image.adjust_hue(x, 0.1)", {"x": "f32[8,6,1]"}, "SL118"),
    ("tf.image.adjust_hue(x, 0.1)", FLAT, "SL118"),
    ("tf.image.random_brightness(x, 0.2)", IMG, "f32[8,6,3]"),
    ("tf.image.random_contrast(x, 0.2, 0.5)", IMG, "f32[8,6,3]"),
    ("tf.image.rgb_to_hsv(x)", IMG, "f32[8,6,3]"),
    ("tf.image.convert_image_dtype(x, tf.float32)", {"x": "u8[8,6,3]"}, "f32[8,6,3]"),
    ("tf.image.convert_image_dtype(x, 'float32')", {"x": "np.u8[8,6,3]"}, "tf.f32[8,6,3]"),
    ("tf.image.convert_image_dtype(x, tf.uint8)", {"x": "f32[5]"}, "u8[5]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_image(case: Any) -> None:
    check(case)


def test_unknown_image_stays_unknown() -> None:
    """An image whose rank is unknown is never an error and its shape is unknown."""
    unknown_rank = {"x": "tf.squeeze(tf.zeros(tf.random.uniform([4], 1, 3, tf.int32)))"}
    check(("tf.image.resize(x, [4, 4])", unknown_rank, "f32?"))
    check(("tf.image.crop_to_bounding_box(x, 9, 9, 4, 4)", unknown_rank, "f32?"))
    check(("tf.image.flip_left_right(x)", unknown_rank, "f32?"))
