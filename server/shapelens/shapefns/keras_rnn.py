"""Recurrent layers (SimpleRNN, LSTM, GRU), Bidirectional and TimeDistributed wrappers, the
merge layers and attention layers.

Recurrent layers return a list when ``return_state=True``; the output function returns a
tuple of shapes in that case, which the interpreter turns into a list of tensors.
"""

from __future__ import annotations

from ..domain.shapes import (
    DYNAMIC,
    Dim,
    Shape,
    broadcast,
    dims_equal,
    format_shape,
    keep_dynamic,
    merge_dim,
)
from ..domain.values import Const
from ._common import Call, ShapeError, to_int
from .keras_common import LayerRule, cfg_bool, cfg_int, cfg_str, layer, layer_label

_GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def rnn_params(kind: str, cfg: Call, shape: tuple[Dim, ...]) -> int | None:
    """Kernel, recurrent kernel and bias (none with ``use_bias=False``; a GRU's is doubled
    with ``reset_after``, its default); None when a flag or size is not known."""
    units, features = cfg_int(cfg, 0, "units"), shape[-1]
    use_bias = cfg_bool(cfg, None, "use_bias", True)
    reset_after = cfg_bool(cfg, None, "reset_after", True) if kind == "GRU" else False
    if units is None or not isinstance(features, int) or use_bias is None or \
            reset_after is None:
        return None
    gates = _GATES[kind]
    bias = units * gates * (2 if reset_after else 1) if use_bias else 0
    return gates * units * (features + units) + bias


def rnn_output(kind: str, cfg: Call, shape: tuple[Dim, ...]) -> object:
    units = cfg_int(cfg, 0, "units")
    seq = cfg_bool(cfg, None, "return_sequences", False)
    state = cfg_bool(cfg, None, "return_state", False)
    if seq is None or state is None:
        return None
    out = (shape[0], shape[1], units) if seq else (shape[0], units)
    if not state:
        return out
    states = 2 if kind == "LSTM" else 1
    return (out, *((shape[0], units),) * states)


def _make_rnn(kind: str) -> None:
    layer(kind, params=lambda cfg, s: rnn_params(kind, cfg, s), ndim=3)(
        lambda cfg, s: rnn_output(kind, cfg, s))


for _kind in _GATES:
    _make_rnn(_kind)


def _merge_mode(cfg: Call) -> str | None:
    v = cfg.arg(1, "merge_mode", Const("concat"))
    return v.value if isinstance(v, Const) and isinstance(v.value, str) else None


# Bidirectional and TimeDistributed wrap another layer (a LayerValue in the config); the
# interpreter applies the inner rule and then these adjust the result.
def bidirectional_output(cfg: Call, inner: object) -> object:
    mode = _merge_mode(cfg)
    if not isinstance(inner, tuple) or not inner or isinstance(inner[0], tuple):
        return None  # return_state: leave unknown
    if mode == "concat":
        last = inner[-1]
        return (*inner[:-1], 2 * last if isinstance(last, int) else keep_dynamic(last, None))
    if mode in ("sum", "mul", "ave"):
        return inner
    return None


def bidirectional_params(inner_params: int | None) -> int | None:
    return None if inner_params is None else 2 * inner_params


# ------------------------------------------------------------------ merge layers

def _merge_rule_name(cfg: Call) -> str:
    return cfg.name.rsplit(".", 1)[-1]


def merge_elementwise(rule: LayerRule, cfg: Call, shapes: list[tuple[Dim, ...]]) -> Shape:
    out: Shape = shapes[0]
    for other in shapes[1:]:
        # Keras compares without the batch axis first (K25) and broadcasts (K26).
        result, ok = broadcast(out, other)
        if not ok:
            a = format_shape(shapes[0][1:])
            b = format_shape(other[1:])
            raise ShapeError("SL205", f"{layer_label(cfg, rule.name)}: inputs have "
                             f"incompatible shapes {a} and {b} (batch axis omitted)")
        out = result
    return out


def merge_concat(rule: LayerRule, cfg: Call, shapes: list[tuple[Dim, ...]]) -> Shape:
    axis = to_int(cfg.arg(0, "axis", Const(-1)))
    rank = len(shapes[0])
    if axis is None or any(len(s) != rank for s in shapes):
        if any(len(s) != rank for s in shapes):
            raise ShapeError("SL205", f"{layer_label(cfg, rule.name)}: inputs of different "
                             f"ranks {[format_shape(s) for s in shapes]}")
        return None
    ax = axis % rank
    out = list(shapes[0])
    for other in shapes[1:]:
        for i, (a, b) in enumerate(zip(out, other)):
            if i == ax:
                continue
            if dims_equal(a, b) is False:
                raise ShapeError("SL205", f"{layer_label(cfg, rule.name)}: inputs must match "
                                 f"except on the concatenation axis {axis}; received "
                                 f"{', '.join(format_shape(s) for s in shapes)}")
            out[i] = merge_dim(a, b)
    sizes = [s[ax] for s in shapes]
    out[ax] = sum(d for d in sizes if isinstance(d, int)) \
        if all(isinstance(d, int) for d in sizes) else \
        DYNAMIC if all(isinstance(d, int) or d is DYNAMIC for d in sizes) else None
    return tuple(out)


def merge_dot(rule: LayerRule, cfg: Call, shapes: list[tuple[Dim, ...]]) -> Shape:
    axes = to_int(cfg.arg(0, "axes"))
    if len(shapes) != 2 or axes is None or len(shapes[0]) != 2 or len(shapes[1]) != 2:
        return None
    a, b = shapes
    if dims_equal(a[axes % 2], b[axes % 2]) is False:
        raise ShapeError("SL205", f"{layer_label(cfg, rule.name)}: dimensions along the dot "
                         f"axes differ: {format_shape(a)} and {format_shape(b)}")
    return (merge_dim(a[0], b[0]), 1)


for _name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
    layer(_name, merge=True)(merge_elementwise)
layer("Concatenate", merge=True)(merge_concat)
layer("Dot", merge=True)(merge_dot)

FUNCTIONAL_MERGES = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply",
                     "average": "Average", "maximum": "Maximum", "minimum": "Minimum",
                     "concatenate": "Concatenate", "dot": "Dot"}


# ------------------------------------------------------------------ attention

def mha_output(cfg: Call, query: tuple[Dim, ...], value: tuple[Dim, ...]) -> Shape:
    out = cfg.arg(None, "output_shape", Const(None))
    last = to_int(out) if not (isinstance(out, Const) and out.value is None) else query[-1]
    return (*query[:-1], last)


def mha_params(cfg: Call, query: tuple[Dim, ...], value: tuple[Dim, ...],
               key: tuple[Dim, ...] | None) -> int | None:
    heads, key_dim = cfg_int(cfg, 0, "num_heads"), cfg_int(cfg, 1, "key_dim")
    value_dim = cfg_int(cfg, 2, "value_dim") or key_dim
    q, v = query[-1], value[-1]
    k = (key or value)[-1]
    if not all(isinstance(x, int) for x in (heads, key_dim, value_dim, q, v, k)):
        return None
    assert isinstance(heads, int) and isinstance(key_dim, int) and isinstance(value_dim, int)
    assert isinstance(q, int) and isinstance(v, int) and isinstance(k, int)
    out_dim = q
    bias = cfg_bool(cfg, None, "use_bias", True)
    b = 1 if bias else 0
    return (q * heads * key_dim + b * heads * key_dim + k * heads * key_dim
            + b * heads * key_dim + v * heads * value_dim + b * heads * value_dim
            + heads * value_dim * out_dim + b * out_dim)


def attention_output(cfg: Call, shapes: list[tuple[Dim, ...]]) -> Shape:
    query, value = shapes[0], shapes[1]
    return (*query[:-1], value[-1])


__all__ = ["FUNCTIONAL_MERGES", "attention_output", "bidirectional_output",
           "bidirectional_params", "cfg_str", "mha_output", "mha_params"]


def _interpreted(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    """Placeholder: wrappers and attention are applied by the interpreter (keras_model)."""
    return None


layer("Bidirectional", params=lambda cfg, s: None)(_interpreted)
layer("TimeDistributed", params=lambda cfg, s: None)(_interpreted)
layer("MultiHeadAttention", params=lambda cfg, s: None, min_ndim=2)(_interpreted)
layer("Attention", "AdditiveAttention")(_interpreted)
