"""More of ``tf.image``: boxes cropped and resized, patches, edges and gradients, image
quality measures, and the stateless random augmentations (same shape as their input)."""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Seq, Value
from ._common import Call, to_dims, to_str
from .registry import op
from .tf_nn import window_out


def _float(dtype: str | None) -> str | None:
    return dtype if dtype and dtype.startswith(("float", "bfloat")) else None


@op("tf.image.crop_and_resize")
def crop_and_resize(call: Call) -> Value:
    """``(boxes, crop_height, crop_width, depth)``, always float32."""
    image, boxes = call.tensor(0, "image"), call.tensor(1, "boxes")
    size = to_dims(call.arg(3, "crop_size"))
    n: Dim = boxes.shape[0] if boxes is not None and boxes.shape else None
    depth: Dim = image.shape[-1] if image is not None and image.shape and \
        len(image.shape) == 4 else None
    h, w = size if size is not None and len(size) == 2 else (None, None)
    return call.result((n, h, w, depth), "float32", call.name)


def _spatial(v: Value) -> tuple[int, int] | None:
    """``[1, rows, cols, 1]`` (sizes, strides, rates) as (rows, cols)."""
    dims = to_dims(v)
    if dims is None or len(dims) != 4 or not all(isinstance(d, int) for d in dims[1:3]):
        return None
    return dims[1], dims[2]  # type: ignore[return-value]


@op("tf.image.extract_patches")
def extract_patches(call: Call) -> Value:
    t = call.tensor(0, "images")
    if t is None or t.shape is None or len(t.shape) != 4:
        return UNKNOWN if t is None else call.result(None, t.dtype, call.name)
    sizes, strides = _spatial(call.arg(1, "sizes")), _spatial(call.arg(2, "strides"))
    rates = _spatial(call.arg(3, "rates"))
    padding = (to_str(call.arg(4, "padding")) or "").upper()
    if sizes is None or strides is None or rates is None or padding not in ("SAME", "VALID"):
        return call.result((t.shape[0], None, None, None), t.dtype, call.name)
    out = [window_out(d, k, s, padding, r) for d, k, s, r in
           zip(t.shape[1:3], sizes, strides, rates)]
    out = [o if isinstance(o, int) and o > 0 else None for o in out]
    c = t.shape[3]
    depth: Dim = sizes[0] * sizes[1] * c if isinstance(c, int) else None
    return call.result((t.shape[0], out[0], out[1], depth), t.dtype, call.name)


@op("tf.image.sobel_edges")
def sobel_edges(call: Call) -> Value:
    t = call.tensor(0, "image")
    if t is None or t.shape is None:
        return UNKNOWN
    return call.result((*t.shape, 2), _float(t.dtype), call.name)


@op("tf.image.image_gradients")
def image_gradients(call: Call) -> Value:
    t = call.tensor(0, "image")
    if t is None or t.shape is None or len(t.shape) != 4:
        return UNKNOWN
    grad = call.result(t.shape, t.dtype, call.name)
    return Seq((grad, grad), "tuple")


@op("tf.image.total_variation", "tf.image.psnr", "tf.image.ssim", "tf.image.ssim_multiscale")
def per_image_measure(call: Call) -> Value:
    """One number per image: a scalar for one image, ``(n,)`` for a batch."""
    t = call.tensor(0, "images" if call.name.endswith("variation") else "a" if
                    call.name.endswith("psnr") else "img1")
    if t is None or t.shape is None or len(t.shape) < 3:
        return UNKNOWN
    return call.result(t.shape[:-3], _float(t.dtype), call.name)


_SAME = ("flip_left_right", "flip_up_down", "brightness", "contrast", "saturation", "hue",
         "jpeg_quality")


@op(*(f"tf.image.stateless_random_{n}" for n in _SAME), "tf.image.adjust_jpeg_quality")
def stateless_same(call: Call) -> Value:
    t = call.tensor(0, "image")
    return UNKNOWN if t is None else call.result(t.shape, t.dtype, call.name)


@op("tf.image.stateless_random_crop")
def stateless_crop(call: Call) -> Value:
    t = call.tensor(0, "value")
    dims = to_dims(call.arg(1, "size"))
    if t is None:
        return UNKNOWN
    if dims is not None and t.shape is not None and len(dims) != len(t.shape):
        return call.result(None, t.dtype, call.name)
    return call.result(dims, t.dtype, call.name)


@op("tf.image.non_max_suppression")
def non_max_suppression(call: Call) -> Value:
    """The int32 indices of the boxes kept: a vector whose length (at most
    ``max_output_size``) depends on the boxes' values, so ``None``."""
    boxes, scores = call.tensor(0, "boxes"), call.tensor(1, "scores")
    if boxes is None or scores is None or not call.has(2, "max_output_size") or \
            (boxes.shape is not None and len(boxes.shape) != 2) or \
            (scores.shape is not None and len(scores.shape) != 1):
        return UNKNOWN
    return call.result((None,), "int32", call.name)
