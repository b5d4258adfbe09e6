"""Core Keras layers: Dense, EinsumDense, activations/dropout, Flatten, Reshape, Permute,
RepeatVector, normalisation, Embedding, preprocessing layers."""

from __future__ import annotations

from ..domain.shapes import DYNAMIC, Count, Dim, Shape, format_shape
from ..domain.values import Const
from ._common import Call, ShapeError, to_dims, to_static_dims
from .keras_common import (
    LAYERS,
    cfg_bool,
    cfg_int,
    cfg_str,
    known_prod,
    layer,
)


def _dense_params(cfg: Call, shape: tuple[Dim, ...]) -> int | None:
    units, last = cfg_int(cfg, 0, "units"), shape[-1]
    if units is None or not isinstance(last, int):
        return None
    return last * units + (units if cfg_bool(cfg, None, "use_bias", True) else 0)


@layer("Dense", params=_dense_params, min_ndim=2,
       pinned_axes=lambda cfg, s: {-1: s[-1]} if isinstance(s[-1], int) else {})
def dense(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    # Keras raises only on a static None (DYNAMIC), never on a size we merely do not know.
    if shape[-1] is DYNAMIC:
        units = cfg_int(cfg, 0, "units")
        raise ShapeError("SL208", f"Dense({'?' if units is None else units}): the last "
                         f"dimension of its input {format_shape(shape)} is None (only known "
                         "at run time), so its kernel cannot be created; give the input a "
                         "known last dimension")
    return (*shape[:-1], cfg_int(cfg, 0, "units"))


@layer("EinsumDense", min_ndim=1)
def einsum_dense(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    out = to_dims(cfg.arg(1, "output_shape"))
    if out is None:
        return None
    return (shape[0], *out)


@layer("Activation", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
       "GaussianNoise", "GaussianDropout", "AlphaDropout", "ReLU", "LeakyReLU", "Softmax",
       "ELU", "Masking", "ActivityRegularization", "UnitNormalization", "Rescaling",
       "Identity", "RandomFlip", "RandomRotation", "RandomZoom", "RandomContrast",
       "RandomTranslation", "RandomBrightness")
def identity(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return shape


@layer("PReLU", params=lambda cfg, s: known_prod(s[1:]))
def prelu(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return shape


def _norm_axis(cfg: Call, shape: tuple[Dim, ...], default: int) -> int | None:
    axis = cfg_int(cfg, 0, "axis", default)
    if axis is None:
        return None
    if not -len(shape) <= axis < len(shape):
        raise ShapeError("SL210", f"axis={axis} is out of range for an input of shape "
                         f"{format_shape(shape)} (rank {len(shape)})")
    return axis


def _norm_params(moving_stats: bool):  # type: ignore[no-untyped-def]
    """gamma/beta per channel (when scale/center), plus BatchNorm's moving mean/variance."""

    def params(cfg: Call, shape: tuple[Dim, ...]) -> int | None:
        axis = cfg_int(cfg, 0, "axis", -1)
        if axis is None or not -len(shape) <= axis < len(shape):
            return None
        c = shape[axis]
        if not isinstance(c, int):
            return None
        scale = cfg_bool(cfg, None, "scale", True)
        center = cfg_bool(cfg, None, "center", True)
        return (2 * c if moving_stats else 0) + (c if scale else 0) + (c if center else 0)

    return params


@layer("BatchNormalization", params=_norm_params(moving_stats=True))
def batch_norm(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    _norm_axis(cfg, shape, -1)
    return shape


@layer("LayerNormalization", params=_norm_params(moving_stats=False))
def layer_norm(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    _norm_axis(cfg, shape, -1)
    return shape


@layer("Flatten", min_ndim=1)
def flatten(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    if DYNAMIC in shape[1:]:  # Keras: any None among the flattened axes gives None
        return (shape[0], DYNAMIC)
    rest = Count.of(shape[1:])
    size: Dim = rest.coef if rest is not None and rest.is_int else None
    return (shape[0], size)


@layer("Reshape")
def reshape(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    target = to_dims(cfg.arg(0, "target_shape"))
    if target is None:
        return None
    if sum(1 for d in target if d == -1) > 1:
        raise ShapeError("SL204", f"Reshape{tuple(target)}: there must be at most one unknown "
                         "dimension (-1) in target_shape")
    have = known_prod(shape[1:])
    need = known_prod(tuple(d for d in target if d != -1))
    if have is not None and need is not None:
        if -1 not in target and have != need:
            raise ShapeError("SL204", f"Reshape{tuple(target)}: the total size must be "
                             f"unchanged, but the input {format_shape(shape)} has {have} "
                             f"values per sample and target_shape {tuple(target)} has {need}")
        if -1 in target:
            if need == 0 or have % need:
                raise ShapeError("SL204", f"Reshape{tuple(target)}: the input "
                                 f"{format_shape(shape)} has {have} values per sample, not "
                                 f"divisible by the {need} of target_shape {tuple(target)}")
            target = tuple(have // need if d == -1 else d for d in target)
    inferred: Dim = DYNAMIC if DYNAMIC in shape[1:] else None  # Keras: None in, None out
    return (shape[0], *(inferred if d == -1 else d for d in target))


@layer("Permute")
def permute(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    dims = to_dims(cfg.arg(0, "dims"))
    if dims is None or not all(isinstance(d, int) and 1 <= d < len(shape) for d in dims) or \
            len(dims) != len(shape) - 1:
        return None
    return (shape[0], *(shape[d] for d in dims if isinstance(d, int)))


@layer("RepeatVector", ndim=2)
def repeat_vector(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return (shape[0], cfg_int(cfg, 0, "n"), shape[1])


def _embedding_params(cfg: Call, shape: tuple[Dim, ...]) -> int | None:
    n, d = cfg_int(cfg, 0, "input_dim"), cfg_int(cfg, 1, "output_dim")
    return n * d if n is not None and d is not None else None


@layer("Embedding", params=_embedding_params)
def embedding(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return (*shape, cfg_int(cfg, 1, "output_dim"))


@layer("CategoryEncoding", max_ndim=2)
def category_encoding(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    n = cfg_int(cfg, 0, "num_tokens")
    mode = cfg_str(cfg, 1, "output_mode", "multi_hot")
    if mode == "one_hot" and len(shape) == 2:
        if shape[-1] is None:
            return None  # (batch, 1) drops the axis, any other size keeps it: unknown
        if shape[-1] != 1:  # a static None is not 1: Keras keeps the axis
            return (*shape, n)
    return (shape[0], n) if shape else (n,)


def _normalization_params(cfg: Call, shape: tuple[Dim, ...]) -> int | None:
    c = shape[-1]
    return 2 * c + 1 if isinstance(c, int) else None


@layer("Normalization", params=_normalization_params)
def normalization(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return shape


@layer("Resizing", ndim=4)
def resizing(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    h, w = cfg_int(cfg, 0, "height"), cfg_int(cfg, 1, "width")
    if cfg_str(cfg, None, "data_format", "channels_last") == "channels_first":
        return (shape[0], shape[1], h, w)
    return (shape[0], h, w, shape[3])


@layer("Lambda")
def lambda_layer(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    return None  # analysed by the interpreter when the function is known


def input_shape_of(cfg: Call) -> tuple[Dim, ...] | None:
    """``input_shape=`` / ``input_dim=`` on a first Sequential layer, with the batch axis."""
    if "input_shape" in cfg.kwargs:
        dims = to_static_dims(cfg.kwargs["input_shape"])
        return None if dims is None else ("batch", *dims)
    if "input_dim" in cfg.kwargs:
        v = cfg.kwargs["input_dim"]
        return ("batch", v.value) if isinstance(v, Const) and isinstance(v.value, int) else None
    return None


__all__ = ["LAYERS", "input_shape_of"]
