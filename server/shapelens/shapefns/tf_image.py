"""``tf.image``: resizing, cropping and padding, flips and rotations, colour conversions and
adjustments, on a single image ``(height, width, channels)`` or a batch ``(n, height, width,
channels)``.

Each op's checks are the ones TF 2.21 makes in Python before any kernel runs (a rank of 3 or
4, offsets and targets that fit the image), raised as ``ValueError`` whether or not the code
runs in a ``tf.function``, plus the channel checks the colour kernels make (``runtime``:
graph execution prunes an unused op). Everything is SL118; shapes the engine does not know
leave the result unknown and never raise.
"""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Ref, Tensor, Value
from ._common import Call, ShapeError, shape_text, to_dim, to_dims, to_int, to_str
from .registry import op

CODE = "SL118"

# Resize methods whose result keeps the input's dtype (the others compute in float32).
_KEEPS_DTYPE = ("nearest", "ResizeMethod.NEAREST_NEIGHBOR")
_FLOAT_METHODS = ("bilinear", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                  "mitchellcubic")


def _image(call: Call, name: str = "image") -> Tensor | None:
    """The image argument as a tensor (a NumPy array or a nested list becomes one)."""
    t = call.tensor(0, name)
    if t is None:
        return None
    return Tensor(t.shape, t.dtype, "tensor", origin=call.name)


def _rank_3_or_4(call: Call, t: Tensor, at_least_3_text: bool = False) -> None:
    """TF's ``_CheckAtLeast3DImage`` / ``_Check3DImage``: a single image or a batch."""
    if t.shape is None:
        return
    rank = len(t.shape)
    if rank in (3, 4):
        return
    if rank < 3 and at_least_3_text:
        need = "at least three-dimensional (height, width, channels)"
    else:
        need = "of rank 3 (height, width, channels) or 4 (batch, height, width, channels)"
    raise ShapeError(CODE, f"{call.name}: the image {shape_text(t)} has rank {rank}; it must "
                     f"be {need}")


def _with_hw(t: Tensor, h: Dim, w: Dim, dtype: str | None, call: Call) -> Tensor:
    assert t.shape is not None
    return Tensor((*t.shape[:-3], h, w, t.shape[-1]), dtype, "tensor", origin=call.name)


def _resize_dtype(call: Call, t: Tensor) -> str | None:
    method = call.arg(2, "method")
    if not call.has(2, "method"):
        return "float32"
    text = to_str(method)
    if text is None and isinstance(method, Ref):
        text = method.name
    if text is None:
        return None
    if text.endswith(_KEEPS_DTYPE):
        return t.dtype
    if text.lower() in _FLOAT_METHODS or text.rsplit(".", 1)[-1].lower() in _FLOAT_METHODS or \
            "ResizeMethod." in text:
        return "float32"
    return None


@op("tf.image.resize")
def resize(call: Call) -> Value:
    t = _image(call, "images")
    if t is None:
        return UNKNOWN
    _rank_3_or_4(call, t)
    size = to_dims(call.arg(1, "size"))
    if size is not None and len(size) != 2:
        raise ShapeError(CODE, f"tf.image.resize: size must hold 2 elements (new_height, "
                         f"new_width), got {len(size)}")
    dtype = _resize_dtype(call, t)
    if t.shape is None:
        return call.result(None, dtype, call.name)
    if size is None or call.flag(3, "preserve_aspect_ratio") is not False:
        return _with_hw(t, None, None, dtype, call)
    h, w = (d if isinstance(d, int) and d > 0 else None for d in size)
    return _with_hw(t, h, w, dtype, call)


@op("tf.image.resize_with_pad")
def resize_with_pad(call: Call) -> Value:
    t = _image(call)
    if t is None:
        return UNKNOWN
    _rank_3_or_4(call, t)
    dtype = _resize_dtype(call, t) if call.has(3, "method") else "float32"
    if t.shape is None:
        return call.result(None, dtype, call.name)
    h, w = to_dim(call.arg(1, "target_height")), to_dim(call.arg(2, "target_width"))
    return _with_hw(t, h, w, dtype, call)


def _positive(call: Call, value: Dim, what: str) -> None:
    if isinstance(value, int) and value <= 0:
        raise ShapeError(CODE, f"{call.name}: {what} must be > 0, got {value}")


def _offset(call: Call, value: Dim, what: str) -> None:
    if isinstance(value, int) and value < 0:
        raise ShapeError(CODE, f"{call.name}: {what} must be >= 0, got {value}")


@op("tf.image.resize_with_crop_or_pad", "tf.image.resize_image_with_crop_or_pad")
def resize_with_crop_or_pad(call: Call) -> Value:
    t = _image(call)
    if t is None:
        return UNKNOWN
    _rank_3_or_4(call, t)
    h, w = to_dim(call.arg(1, "target_height")), to_dim(call.arg(2, "target_width"))
    _positive(call, w, "target_width")
    _positive(call, h, "target_height")
    if t.shape is None:
        return call.result(None, t.dtype, call.name)
    return _with_hw(t, h, w, t.dtype, call)


def _box(call: Call) -> tuple[Dim, Dim, Dim, Dim]:
    return (to_dim(call.arg(1, "offset_height")), to_dim(call.arg(2, "offset_width")),
            to_dim(call.arg(3, "target_height")), to_dim(call.arg(4, "target_width")))


@op("tf.image.crop_to_bounding_box")
def crop_to_bounding_box(call: Call) -> Value:
    t = _image(call)
    if t is None:
        return UNKNOWN
    _rank_3_or_4(call, t)
    oh, ow, th, tw = _box(call)
    _offset(call, ow, "offset_width")
    _offset(call, oh, "offset_height")
    _positive(call, tw, "target_width")
    _positive(call, th, "target_height")
    if t.shape is None:
        return call.result(None, t.dtype, call.name)
    for size, off, target, axis in ((t.shape[-2], ow, tw, "width"),
                                    (t.shape[-3], oh, th, "height")):
        if isinstance(size, int) and isinstance(off, int) and isinstance(target, int) and \
                size < off + target:
            raise ShapeError(CODE, f"{call.name}: the box ({axis} {target} at offset {off}) "
                             f"reaches past the image {shape_text(t)}, whose {axis} is {size}: "
                             f"{axis} must be >= target + offset")
    return _with_hw(t, th, tw, t.dtype, call)


@op("tf.image.pad_to_bounding_box")
def pad_to_bounding_box(call: Call) -> Value:
    t = _image(call)
    if t is None:
        return UNKNOWN
    _rank_3_or_4(call, t)
    oh, ow, th, tw = _box(call)
    _offset(call, oh, "offset_height")
    _offset(call, ow, "offset_width")
    if t.shape is None:
        return call.result(None, t.dtype, call.name)
    for size, off, target, axis in ((t.shape[-2], ow, tw, "width"),
                                    (t.shape[-3], oh, th, "height")):
        if isinstance(size, int) and isinstance(off, int) and isinstance(target, int) and \
                target - off - size < 0:
            raise ShapeError(CODE, f"{call.name}: the image {shape_text(t)} ({axis} {size}) "
                             f"does not fit a {axis} of {target} at offset {off}: {axis} "
                             f"must be <= target - offset")
    return _with_hw(t, th, tw, t.dtype, call)


def _fraction(call: Call) -> float | None:
    v = call.arg(1, "central_fraction")
    n = to_int(v)
    if n is not None:
        return float(n)
    value = getattr(v, "value", None)
    return value if isinstance(value, float) else None


@op("tf.image.central_crop")
def central_crop(call: Call) -> Value:
    t = _image(call)
    if t is None:
        return UNKNOWN
    fraction = _fraction(call)
    if fraction is not None and not 0.0 < fraction <= 1.0:
        raise ShapeError(CODE, f"tf.image.central_crop: central_fraction must be within "
                         f"(0, 1], got {fraction}")
    _rank_3_or_4(call, t, at_least_3_text=True)
    if t.shape is None or fraction == 1.0:
        return call.result(t.shape, t.dtype, call.name)
    dims: list[Dim] = []
    for size in t.shape[-3:-1]:
        if fraction is None or not isinstance(size, int):
            dims.append(None)
            continue
        start = int((size - size * fraction) / 2)  # TF's own arithmetic on static sizes
        dims.append(size - 2 * start)
    return _with_hw(t, dims[0], dims[1], t.dtype, call)


@op("tf.image.flip_left_right", "tf.image.flip_up_down", "tf.image.random_flip_left_right",
    "tf.image.random_flip_up_down", "tf.image.transpose")
def flip(call: Call) -> Value:
    t = _image(call)
    if t is None:
        return UNKNOWN
    _rank_3_or_4(call, t, at_least_3_text=True)
    if call.name == "tf.image.transpose" and t.shape is not None:
        return _with_hw(t, t.shape[-2], t.shape[-3], t.dtype, call)
    return call.result(t.shape, t.dtype, call.name)


@op("tf.image.rot90")
def rot90(call: Call) -> Value:
    """Height and width are left unknown: inside a ``tf.function`` TF picks the rotation
    with ``tf.case`` and its static shape is ``(None, None, channels)`` even for ``k=2``
    (eagerly they are the rotated sizes)."""
    t = _image(call)
    if t is None:
        return UNKNOWN
    _rank_3_or_4(call, t, at_least_3_text=True)
    if t.shape is None:
        return call.result(None, t.dtype, call.name)
    return _with_hw(t, None, None, t.dtype, call)


def _channels(call: Call, t: Tensor, want: int, message: str) -> None:
    if t.shape and isinstance(t.shape[-1], int) and t.shape[-1] != want:
        raise ShapeError(CODE, f"{call.name}: {message}, got the image {shape_text(t)} with "
                         f"{t.shape[-1]}", runtime=True)


@op("tf.image.rgb_to_grayscale")
def rgb_to_grayscale(call: Call) -> Value:
    t = _image(call, "images")
    if t is None or t.shape is None:
        return UNKNOWN if t is None else call.result(None, t.dtype, call.name)
    if not t.shape:
        return UNKNOWN
    _channels(call, t, 3, "an RGB image needs 3 channels in its last axis")
    return call.result((*t.shape[:-1], 1), t.dtype, call.name)


@op("tf.image.grayscale_to_rgb")
def grayscale_to_rgb(call: Call) -> Value:
    t = _image(call, "images")
    if t is None or t.shape is None:
        return UNKNOWN if t is None else call.result(None, t.dtype, call.name)
    if len(t.shape) < 2:
        raise ShapeError(CODE, f"tf.image.grayscale_to_rgb: a grayscale image must be at "
                         f"least two-dimensional, got {shape_text(t)}")
    last = t.shape[-1]
    if isinstance(last, int) and last != 1:
        raise ShapeError(CODE, f"tf.image.grayscale_to_rgb: the last dimension of a "
                         f"grayscale image should be size 1, got {shape_text(t)}")
    return call.result((*t.shape[:-1], 3), t.dtype, call.name)


@op("tf.image.per_image_standardization")
def per_image_standardization(call: Call) -> Value:
    t = _image(call)
    if t is None:
        return UNKNOWN
    if t.shape is not None and len(t.shape) < 3:
        _rank_3_or_4(call, t, at_least_3_text=True)
    return call.result(t.shape, "float32", call.name)


@op("tf.image.adjust_brightness", "tf.image.adjust_gamma", "tf.image.random_brightness",
    "tf.image.adjust_contrast", "tf.image.random_contrast", "tf.image.adjust_saturation",
    "tf.image.random_saturation", "tf.image.adjust_hue", "tf.image.random_hue",
    "tf.image.rgb_to_hsv", "tf.image.hsv_to_rgb")
def adjust(call: Call) -> Value:
    """Colour adjustments keep the image's shape and dtype; contrast, saturation and hue
    kernels need rank >= 3, saturation and hue (and the HSV conversions) 3 channels."""
    t = _image(call, "images" if call.name.endswith("_hsv") or call.name.endswith("_rgb")
               else "image")
    if t is None:
        return UNKNOWN
    needs_rank = ("contrast", "saturation", "hue")
    if t.shape is not None and len(t.shape) < 3 and call.name.endswith(needs_rank) and \
            call.name.startswith("tf.image.adjust_"):
        raise ShapeError(CODE, f"{call.name}: the image {shape_text(t)} must be at least 3-D "
                         f"(height, width, channels)", runtime=True)
    if call.name.endswith(("saturation", "hue")) and call.name.startswith("tf.image.adjust_"):
        _channels(call, t, 3, "the kernel needs 3 (RGB) channels")
    return call.result(t.shape, t.dtype, call.name)


@op("tf.image.convert_image_dtype")
def convert_image_dtype(call: Call) -> Value:
    t = _image(call)
    if t is None:
        return UNKNOWN
    return call.result(t.shape, call.dtype_arg(1, "dtype"), call.name)
