"""Convolution, pooling, up-sampling, padding and cropping layers (Keras 3 arithmetic)."""

from __future__ import annotations

from ..domain.shapes import Dim, Shape, format_shape, keep_dynamic
from ..domain.values import Const, Seq
from ._common import Call, ShapeError, to_dims, to_int
from .keras_common import (
    cfg_int,
    cfg_str,
    cfg_tuple,
    channels_first,
    conv_out,
    known_prod,
    layer,
    layer_label,
)


def _split(cfg: Call, shape: tuple[Dim, ...]) -> tuple[Dim, tuple[Dim, ...], Dim]:
    if channels_first(cfg):
        return shape[0], shape[2:], shape[1]
    return shape[0], shape[1:-1], shape[-1]


def _join(cfg: Call, batch: Dim, spatial: tuple[Dim, ...], channels: Dim) -> tuple[Dim, ...]:
    if channels_first(cfg):
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def _windowed(cfg: Call, shape: tuple[Dim, ...], n: int, window: tuple[int, ...] | None,
              strides: tuple[int, ...] | None, channels: Dim, kind: str) -> Shape:
    batch, spatial, _ = _split(cfg, shape)
    padding = (cfg_str(cfg, None, "padding", "valid") or "").lower()
    dilation = cfg_tuple(cfg, None, "dilation_rate", n, 1) or (1,) * n
    if window is None or strides is None or padding not in ("valid", "same", "causal"):
        return _join(cfg, batch, tuple(keep_dynamic(d, None) for d in spatial), channels)
    out: list[Dim] = []
    for size, w, s, d in zip(spatial, window, strides, dilation):
        o = conv_out(size, w, s, padding, d)
        if isinstance(o, int) and o <= 0 and kind.startswith("AveragePooling"):
            o = 0  # Keras' average pooling returns an empty result there, it does not raise
        elif isinstance(o, int) and o <= 0:
            raise ShapeError("SL203", f"{layer_label(cfg, kind)}: computed output size would "
                             f"be zero or negative ({o}) for input {format_shape(shape)} with "
                             f"window {window}, strides {strides}, padding='{padding}'")
        out.append(o)
    return _join(cfg, batch, tuple(out), channels)


def _conv_params(n: int, depthwise: bool = False, separable: bool = False):  # type: ignore[no-untyped-def]
    def params(cfg: Call, shape: tuple[Dim, ...]) -> int | None:
        _, _, c_in = _split(cfg, shape)
        kernel = cfg_tuple(cfg, 1 if not depthwise else 0, "kernel_size", n, None)
        use_bias = cfg.kwargs.get("use_bias", Const(True))
        bias = not (isinstance(use_bias, Const) and use_bias.value is False)
        if kernel is None or not isinstance(c_in, int):
            return None
        k = known_prod(kernel) or 0
        if depthwise:
            dm = cfg_int(cfg, None, "depth_multiplier", 1) or 1
            return k * c_in * dm + (c_in * dm if bias else 0)
        filters = cfg_int(cfg, 0, "filters")
        if filters is None:
            return None
        if separable:
            dm = cfg_int(cfg, None, "depth_multiplier", 1) or 1
            return k * c_in * dm + c_in * dm * filters + (filters if bias else 0)
        groups = cfg_int(cfg, None, "groups", 1) or 1
        return k * (c_in // groups) * filters + (filters if bias else 0)

    return params


def _pin_channels(cfg: Call, shape: tuple[Dim, ...]) -> dict[int, int]:
    axis = 1 if channels_first(cfg) else -1
    c = shape[axis]
    return {axis: c} if isinstance(c, int) else {}


def _make_conv(n: int) -> None:
    def conv(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
        kernel = cfg_tuple(cfg, 1, "kernel_size", n, None)
        strides = cfg_tuple(cfg, 2, "strides", n, 1)
        return _windowed(cfg, shape, n, kernel, strides, cfg_int(cfg, 0, "filters"),
                         f"Conv{n}D")

    layer(f"Conv{n}D", f"Convolution{n}D", params=_conv_params(n), min_ndim=n + 2,
          pinned_axes=_pin_channels)(conv)


for _n in (1, 2, 3):
    _make_conv(_n)


@layer("SeparableConv2D", "SeparableConvolution2D", params=_conv_params(2, separable=True),
       min_ndim=4)
def separable_conv2d(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    kernel = cfg_tuple(cfg, 1, "kernel_size", 2, None)
    strides = cfg_tuple(cfg, 2, "strides", 2, 1)
    return _windowed(cfg, shape, 2, kernel, strides, cfg_int(cfg, 0, "filters"),
                     "SeparableConv2D")


@layer("DepthwiseConv2D", params=_conv_params(2, depthwise=True), min_ndim=4)
def depthwise_conv2d(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    kernel = cfg_tuple(cfg, 0, "kernel_size", 2, None)
    strides = cfg_tuple(cfg, 1, "strides", 2, 1)
    _, _, c_in = _split(cfg, shape)
    dm = cfg_int(cfg, None, "depth_multiplier", 1)
    channels = c_in * dm if isinstance(c_in, int) and dm is not None else None
    return _windowed(cfg, shape, 2, kernel, strides, channels, "DepthwiseConv2D")


def _transpose_params(cfg: Call, shape: tuple[Dim, ...]) -> int | None:
    _, _, c_in = _split(cfg, shape)
    kernel = cfg_tuple(cfg, 1, "kernel_size", 2, None)
    filters = cfg_int(cfg, 0, "filters")
    if kernel is None or filters is None or not isinstance(c_in, int):
        return None
    return (known_prod(kernel) or 0) * c_in * filters + filters


@layer("Conv2DTranspose", "Convolution2DTranspose", params=_transpose_params, ndim=4)
def conv2d_transpose(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    kernel = cfg_tuple(cfg, 1, "kernel_size", 2, None)
    strides = cfg_tuple(cfg, 2, "strides", 2, 1)
    padding = (cfg_str(cfg, None, "padding", "valid") or "").lower()
    batch, spatial, _ = _split(cfg, shape)
    out: list[Dim] = []
    for size, k, s in zip(spatial, kernel or (None, None), strides or (None, None)):
        if not isinstance(size, int) or k is None or s is None:
            out.append(keep_dynamic(size, None))
        elif padding == "same":
            out.append(size * s)
        else:
            out.append(size * s + max(k - s, 0))
    return _join(cfg, batch, tuple(out), cfg_int(cfg, 0, "filters"))


_SHORT = {"Max": "Max", "Average": "Avg"}


def _make_pool(n: int, kind: str) -> None:
    def pool(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
        window = cfg_tuple(cfg, 0, "pool_size", n, 2)
        strides = cfg_tuple(cfg, 1, "strides", n, None) or window
        _, _, channels = _split(cfg, shape)
        return _windowed(cfg, shape, n, window, strides, channels, f"{kind}Pooling{n}D")

    short = _SHORT[kind]  # Keras 3's aliases: MaxPool2D, AvgPool2D (not "AvePool2D")
    layer(f"{kind}Pooling{n}D", f"{short}Pool{n}D", ndim=n + 2)(pool)

    def global_pool(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
        batch, spatial, channels = _split(cfg, shape)
        if cfg.kwargs.get("keepdims") == Const(True):
            return _join(cfg, batch, (1,) * len(spatial), channels)
        return (batch, channels)

    layer(f"Global{kind}Pooling{n}D", f"Global{short}Pool{n}D", ndim=n + 2)(global_pool)


for _n in (1, 2, 3):
    _make_pool(_n, "Max")
    _make_pool(_n, "Average")


@layer("UpSampling1D", ndim=3)
def upsampling1d(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    s = cfg_int(cfg, 0, "size", 2)
    t = shape[1]
    return (shape[0], t * s if isinstance(t, int) and s is not None else keep_dynamic(t, None),
            shape[2])


@layer("UpSampling2D", ndim=4)
def upsampling2d(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    size = cfg_tuple(cfg, 0, "size", 2, 2)
    batch, spatial, channels = _split(cfg, shape)
    out = tuple(d * s if isinstance(d, int) and size else keep_dynamic(d, None)
                for d, s in zip(spatial, size or (1, 1)))
    return _join(cfg, batch, out, channels)


def _pairs(cfg: Call, name: str, n: int, default: int) -> list[tuple[int, int]] | None:
    v = cfg.arg(0, name, Const(default))
    k = to_int(v)
    if k is not None:
        return [(k, k)] * n
    if isinstance(v, Seq) and len(v.items) == n:
        out = []
        for item in v.items:
            k = to_int(item)
            if k is not None:
                out.append((k, k))
                continue
            pair = _int_pair(to_dims(item))
            if pair is None:
                return None
            out.append(pair)
        return out
    pair = _int_pair(to_dims(v))
    return [pair] if n == 1 and pair is not None else None


def _int_pair(dims: tuple[Dim, ...] | None) -> tuple[int, int] | None:
    if dims is None or len(dims) != 2:
        return None
    a, b = dims
    return (a, b) if isinstance(a, int) and isinstance(b, int) else None


def _pad_or_crop(cfg: Call, shape: tuple[Dim, ...], n: int, name: str, default: int,
                 sign: int) -> Shape:
    pairs = _pairs(cfg, name, n, default)
    batch, spatial, channels = _split(cfg, shape)
    if pairs is None:
        return _join(cfg, batch, tuple(keep_dynamic(d, None) for d in spatial), channels)
    out = tuple(d + sign * (a + b) if isinstance(d, int) else keep_dynamic(d, None)
                for d, (a, b) in zip(spatial, pairs))
    return _join(cfg, batch, out, channels)


@layer("ZeroPadding1D", ndim=3)
def zero_padding1d(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return _pad_or_crop(cfg, shape, 1, "padding", 1, 1)


@layer("ZeroPadding2D", ndim=4)
def zero_padding2d(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return _pad_or_crop(cfg, shape, 2, "padding", 1, 1)


@layer("Cropping1D", ndim=3)
def cropping1d(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return _pad_or_crop(cfg, shape, 1, "cropping", 1, -1)


@layer("Cropping2D", ndim=4)
def cropping2d(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return _pad_or_crop(cfg, shape, 2, "cropping", 0, -1)
