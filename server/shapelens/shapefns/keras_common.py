"""The Keras layer table: one ``LayerRule`` per layer class, registered under every alias.

A rule holds the layer's input spec (``ndim`` / ``min_ndim``, checked like Keras'
``InputSpec``), a pure output-shape function ``(config, input_shape) -> shape`` and a pure
parameter-count function, so the per-layer table equals ``model.summary()``. The constructor
arguments are kept in a ``Call`` (``config``), read with the helpers below.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.shapes import Dim, Shape, format_shape, keep_dynamic
from ..domain.values import Const, Seq, Value
from ..structs import Frozen
from ._common import Call, ShapeError, to_dims, to_int, to_str

OutputFn = Callable[[Call, tuple[Dim, ...]], Shape]
ParamsFn = Callable[[Call, tuple[Dim, ...]], "int | None"]


class LayerRule(Frozen):
    """How one Keras layer class is checked: input spec, output shape, parameter count."""

    __slots__ = ("name", "output", "params", "ndim", "min_ndim", "max_ndim", "merge",
                 "pinned_axes", "dtype")

    def __init__(self, name: str, output: Callable[..., object],
                 params: Callable[..., int | None], ndim: int | None = None,
                 min_ndim: int | None = None, max_ndim: int | None = None, merge: bool = False,
                 pinned_axes: Callable[[Call, tuple[Dim, ...]], dict[int, int]] | None = None,
                 dtype: Callable[[Call], str | None] | None = None) -> None:
        self.name = name
        self.output = output
        self.params = params
        self.ndim = ndim
        self.min_ndim = min_ndim
        self.max_ndim = max_ndim
        self.merge = merge  # takes a list of inputs
        # Axes pinned once built (Keras InputSpec(axes=...)): config, built shape -> {axis: dim}
        self.pinned_axes = pinned_axes
        # The output dtype from the config (None: unknown); unset: float32, as most layers
        # give (lookup layers give int64: keras_lookup.py)
        self.dtype = dtype

    def output_dtype(self, cfg: Call) -> str | None:
        """The dtype of the layer's output for this config."""
        return "float32" if self.dtype is None else self.dtype(cfg)


LAYERS: dict[str, LayerRule] = {}
CLASS_ALIASES = {
    **{f"Convolution{n}D": f"Conv{n}D" for n in (1, 2, 3)},
    **{f"MaxPool{n}D": f"MaxPooling{n}D" for n in (1, 2, 3)},
    **{f"AvgPool{n}D": f"AveragePooling{n}D" for n in (1, 2, 3)},
    **{f"GlobalMaxPool{n}D": f"GlobalMaxPooling{n}D" for n in (1, 2, 3)},
    **{f"GlobalAvgPool{n}D": f"GlobalAveragePooling{n}D" for n in (1, 2, 3)},
    "SeparableConvolution2D": "SeparableConv2D",
    "Convolution2DTranspose": "Conv2DTranspose",
}


def no_params(cfg: Call, shape: object) -> int | None:
    return 0


def layer(*names: str, params: Callable[..., int | None] = no_params, ndim: int | None = None,
          min_ndim: int | None = None, max_ndim: int | None = None, merge: bool = False,
          pinned_axes: Callable[[Call, tuple[Dim, ...]], dict[int, int]] | None = None,
          dtype: Callable[[Call], str | None] | None = None,
          ) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register an output-shape function under ``keras.layers.<name>`` for every name
    (``dtype``: the output dtype from the config, when it is not float32)."""

    def register(fn: Callable[..., object]) -> Callable[..., object]:
        for name in names:
            cls = CLASS_ALIASES.get(name, name)  # Convolution2D *is* Conv2D in Keras
            LAYERS[f"keras.layers.{name}"] = LayerRule(cls, fn, params, ndim, min_ndim,
                                                       max_ndim, merge, pinned_axes, dtype)
        return fn

    return register


# ------------------------------------------------------------------ config helpers

def cfg_int(cfg: Call, pos: int | None, name: str, default: int | None = None) -> int | None:
    v = cfg.arg(pos, name, Const(default))
    return to_int(v)


def cfg_str(cfg: Call, pos: int | None, name: str, default: str) -> str | None:
    v = cfg.arg(pos, name, Const(default))
    return to_str(v) if not (isinstance(v, Const) and v.value is None) else None


def cfg_bool(cfg: Call, pos: int | None, name: str, default: bool) -> bool | None:
    v = cfg.arg(pos, name, Const(default))
    return bool(v.value) if isinstance(v, Const) and isinstance(v.value, bool | int) else None


def cfg_tuple(cfg: Call, pos: int | None, name: str, n: int,
              default: int | tuple[int, ...] | None) -> tuple[int, ...] | None:
    """An int-or-tuple argument (kernel_size, strides, pool_size) normalised to n ints."""
    v = cfg.arg(pos, name, Const(None))
    if isinstance(v, Const) and v.value is None:
        if default is None:
            return None
        return (default,) * n if isinstance(default, int) else default
    k = to_int(v)
    if k is not None:
        return (k,) * n
    dims = to_dims(v)
    if dims is not None and len(dims) == n and all(isinstance(d, int) for d in dims):
        return tuple(d for d in dims if isinstance(d, int))
    return None


def channels_first(cfg: Call) -> bool:
    return cfg_str(cfg, None, "data_format", "channels_last") == "channels_first"


def layer_label(cfg: Call, rule_name: str) -> str:
    """``Dense(10)``-style label used in messages and hover cards."""
    parts = []
    for v in cfg.args[:2]:
        if isinstance(v, Const) and isinstance(v.value, int | str | float):
            parts.append(repr(v.value))
        elif isinstance(v, Seq) and all(isinstance(i, Const) for i in v.items):
            parts.append(repr(tuple(i.value for i in v.items if isinstance(i, Const))))
    for key in ("return_sequences", "padding", "strides", "activation"):
        v = cfg.kwargs.get(key)
        if isinstance(v, Const) and v.value not in (None, False):
            parts.append(f"{key}={v.value!r}")
    return f"{rule_name}({', '.join(parts)})"


def shape_error(code: str, cfg: Call, rule: LayerRule, text: str) -> ShapeError:
    return ShapeError(code, f"{layer_label(cfg, rule.name)}: {text}")


def check_spec(rule: LayerRule, cfg: Call, shape: tuple[Dim, ...]) -> None:
    """Keras InputSpec ndim checks (SL202), worded like Keras."""
    n = len(shape)
    found = f"found ndim={n}. Full shape received: {format_shape(shape)}"
    if rule.ndim is not None and n != rule.ndim:
        raise shape_error("SL202", cfg, rule, f"expected ndim={rule.ndim}, {found}")
    if rule.min_ndim is not None and n < rule.min_ndim:
        raise shape_error("SL202", cfg, rule, f"expected min_ndim={rule.min_ndim}, {found}")
    if rule.max_ndim is not None and n > rule.max_ndim:
        raise shape_error("SL202", cfg, rule, f"expected max_ndim={rule.max_ndim}, {found}")


def known_prod(dims: tuple[Dim, ...]) -> int | None:
    total = 1
    for d in dims:
        if not isinstance(d, int):
            return None
        total *= d
    return total


def conv_out(size: Dim, window: int, stride: int, padding: str, dilation: int = 1) -> Dim:
    """Keras' conv/pool output length; may be <= 0 (the caller reports SL203)."""
    if not isinstance(size, int):
        return keep_dynamic(size, None)  # Keras: a None length stays None
    if stride <= 0 or window <= 0 or dilation <= 0:
        return None  # Keras refuses such an argument when the layer is made: no length
    if padding in ("same", "causal"):
        return -(-size // stride)
    return (size - dilation * (window - 1) - 1) // stride + 1


def value_of(v: Value) -> object:
    return v.value if isinstance(v, Const) else None
