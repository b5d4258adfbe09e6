"""Attributes of a Keras layer object: ``layer.output``/``input``, its weights (``kernel``,
``bias``, ``embeddings``, ``gamma``..., ``weights``) and ``trainable_variables``.

What Keras 3.15 gives (probed under TF 2.21):

* ``output``/``input``: the tensors of the layer's first inbound node, made by its first
  *symbolic* call (a Sequential's layers get theirs when the Sequential is built: from its
  ``Input``, or from the first batch when it is built lazily, with that batch's size). An eager
  call makes no node; later symbolic calls keep the first. A layer called inside a subclassed
  layer's ``call()`` or a ``Lambda`` gets none (Keras traces those on backend tensors).
  ``layers.py`` records that first node; a call that may be symbolic but is not understood
  leaves it unknown.
* weights, once the layer is built, in creation order: ``Dense``: kernel ``(in, units)``,
  bias ``(units,)``; ``Conv{1,2,3}D``: kernel ``(*kernel_size, in // groups, filters)``, bias
  ``(filters,)``; ``Conv2DTranspose``: kernel ``(kh, kw, filters, in)``; ``Embedding``:
  embeddings ``(input_dim, output_dim)``; ``BatchNormalization``: gamma, beta (when
  ``scale``/``center``), moving_mean, moving_variance (non-trainable), each ``(channels,)``;
  ``LayerNormalization``: gamma, beta; ``LSTM``/``GRU``/``SimpleRNN``: kernel ``(in, g *
  units)``, recurrent_kernel ``(units, g * units)``, bias ``(g * units,)`` (``GRU`` with
  ``reset_after``: ``(2, 3 * units)``), on the cell (``lstm.kernel`` raises). Layers with no
  weights (``Flatten``, ``Dropout``, pooling...) have ``weights == []``.
* ``trainable_variables``: the trainable weights, ``[]`` once ``layer.trainable = False``
  (which the engine does not follow): their number and shapes are left unknown, but the list
  is linked to the layer for gradient provenance (``owners.py``), so a gradient of a loss
  computed through a model that contains the layer is connected.
"""

from __future__ import annotations

from itertools import pairwise

from ...domain.shapes import Dim
from ...domain.values import UNKNOWN, Const, LayerValue, ListOf, ModelValue, Seq, Tensor, Value
from ...shapefns._common import Call
from ...shapefns.keras_cells import CELLS, cell_attribute, cells_of
from ...shapefns.keras_common import cfg_bool, cfg_int, cfg_tuple, channels_first
from ...structs import replace
from .owners import weights_of

Weight = tuple[str, tuple[Dim, ...], bool]  # name, shape, trainable

# Layers that never create weights (probed: ``weights == []``; some hold a seed generator,
# which ``weights`` leaves out).
NO_WEIGHTS = frozenset({
    "Flatten", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
    "GaussianNoise", "GaussianDropout", "AlphaDropout", "Activation", "ReLU", "LeakyReLU",
    "ELU", "Softmax", "Reshape", "Permute", "RepeatVector", "Rescaling", "Cropping1D",
    "Cropping2D", "Cropping3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
    "UpSampling1D", "UpSampling2D", "UpSampling3D", "MaxPooling1D", "MaxPooling2D",
    "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "Add", "Subtract",
    "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
})
_WEIGHT_ATTRS = ("kernel", "bias", "embeddings", "gamma", "beta", "moving_mean",
                 "moving_variance", "recurrent_kernel")
_RNN_GATES = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}


def layer_attribute(layer: LayerValue, attr: str) -> Value | None:
    """The attribute's value, UNKNOWN when not proven, None for attributes this module does
    not model (methods and others: the caller's fallback)."""
    if attr in ("output", "input"):
        node = node_of(layer)
        return UNKNOWN if node is None else node[1] if attr == "output" else node[0]
    if attr in ("trainable_variables", "trainable_weights"):
        return ListOf(weights_of(layer, None))
    if attr == "weights":
        found = layer_weights(layer)
        return UNKNOWN if found is None else Seq(tuple(_variable(layer, w) for w in found),
                                                 "list")
    if attr in _WEIGHT_ATTRS:
        found = layer_weights(layer)
        if found is None or layer.rule.name in _RNN_GATES or layer.rule.name == "RNN":
            return UNKNOWN  # (an RNN's weights live on its cell)
        for weight in found:
            if weight[0] == attr:
                return _variable(layer, weight)
        if attr == "bias" and any(w[0] == "kernel" for w in found):
            return Const(None)  # use_bias=False: Keras keeps ``bias = None``
        return UNKNOWN
    return cell_attribute(layer, attr)  # (state_size, output_size of cells: keras_cells.py)


def node_of(layer: LayerValue) -> tuple[Value, Tensor] | None:
    """The layer's first node, ``(input, output)``, when known (``layers.py`` keeps the
    output's history without the layer itself)."""
    node = layer.first_node
    if not isinstance(node, tuple) or not isinstance(node[1], Tensor):
        return None
    x, out, own = node
    return x, replace(out, history=(*out.history, layer)) if own else out


def _variable(layer: LayerValue, weight: Weight) -> Tensor:
    dtype = "float32" if "dtype" not in layer.config.kwargs else None
    return weights_of(layer, weight[1], trainable=weight[2], dtype=dtype)  # type: ignore[arg-type]


def layer_weights(layer: LayerValue) -> list[Weight] | None:
    """The built layer's weights in creation order; None when not known."""
    built = layer.built_shape
    if not isinstance(built, tuple) or not built or isinstance(built[0], tuple):
        return None  # not built (or built by a call the engine could not read), or merges
    name, cfg = layer.rule.name, layer.config
    if name in NO_WEIGHTS:
        return []
    if name == "Dense":
        return _dense(cfg, built)
    if name in ("Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose"):
        return _conv(name, cfg, built)
    if name == "Embedding":
        n, d = cfg_int(cfg, 0, "input_dim"), cfg_int(cfg, 1, "output_dim")
        return None if n is None or d is None else [("embeddings", (n, d), True)]
    if name in ("BatchNormalization", "LayerNormalization"):
        return _normalization(name, cfg, built)
    if name in _RNN_GATES:
        return _rnn(name, cfg, built)
    if name in CELLS:  # a cell holds its RNN layer's weights, built for (batch, features)
        return _rnn(CELLS[name], cfg, built)
    cells = cells_of(cfg.arg(0, "cell")) if name == "RNN" else None
    if cells is not None and len(cells) == 1 and len(built) == 3:
        return _rnn(CELLS[cells[0].rule.name], cells[0].config, built)
    return None


def _dense(cfg: Call, built: tuple[Dim, ...]) -> list[Weight] | None:
    units, last, bias = cfg_int(cfg, 0, "units"), built[-1], cfg_bool(cfg, None, "use_bias", True)
    if units is None or not isinstance(last, int) or bias is None:
        return None
    return _with_bias([("kernel", (last, units), True)], (units,), bias)


def _conv(name: str, cfg: Call, built: tuple[Dim, ...]) -> list[Weight] | None:
    n = 2 if name == "Conv2DTranspose" else int(name[4])
    filters = cfg_int(cfg, 0, "filters")
    kernel = cfg_tuple(cfg, 1, "kernel_size", n, None)
    groups = cfg_int(cfg, None, "groups", 1)
    bias = cfg_bool(cfg, None, "use_bias", True)
    if len(built) != n + 2 or filters is None or kernel is None or groups is None or \
            bias is None or ("data_format" in cfg.kwargs and not isinstance(
                cfg.kwargs["data_format"], Const)):
        return None
    channels = built[1] if channels_first(cfg) else built[-1]
    if not isinstance(channels, int) or groups < 1 or channels % groups:
        return None
    if name == "Conv2DTranspose":
        shape: tuple[Dim, ...] = (*kernel, filters, channels)
        if groups != 1:
            return None
    else:
        shape = (*kernel, channels // groups, filters)
    return _with_bias([("kernel", shape, True)], (filters,), bias)


def _normalization(name: str, cfg: Call, built: tuple[Dim, ...]) -> list[Weight] | None:
    axis = cfg_int(cfg, 0, "axis", -1)
    scale, center = cfg_bool(cfg, None, "scale", True), cfg_bool(cfg, None, "center", True)
    if axis is None or scale is None or center is None or not -len(built) <= axis < len(built):
        return None
    c = built[axis]
    if not isinstance(c, int) or (name == "LayerNormalization" and
                                  "rms_scaling" in cfg.kwargs):
        return None
    found: list[Weight] = []
    for weight, made in (("gamma", scale), ("beta", center)):
        if made:
            found.append((weight, (c,), True))
    if name == "BatchNormalization":
        found += [("moving_mean", (c,), False), ("moving_variance", (c,), False)]
    return found


def _rnn(name: str, cfg: Call, built: tuple[Dim, ...]) -> list[Weight] | None:
    units, features = cfg_int(cfg, 0, "units"), built[-1]
    bias = cfg_bool(cfg, None, "use_bias", True)
    reset_after = cfg_bool(cfg, None, "reset_after", True)
    if units is None or not isinstance(features, int) or bias is None or reset_after is None:
        return None
    width = _RNN_GATES[name] * units
    bias_shape: tuple[Dim, ...] = (2, width) if name == "GRU" and reset_after else (width,)
    return _with_bias([("kernel", (features, width), True),
                       ("recurrent_kernel", (units, width), True)], bias_shape, bias)


def _with_bias(weights: list[Weight], shape: tuple[Dim, ...], bias: bool) -> list[Weight]:
    return [*weights, ("bias", shape, True)] if bias else weights


def sequential_end(model: ModelValue, attr: str) -> Value:
    """``model.inputs``/``model.outputs`` of a built Sequential: the ends of the graph
    Keras made when it built it from its ``Input``, when each layer's first node is that
    chain of calls (a layer called elsewhere first has another first node: unknown)."""
    chain: list[tuple[Tensor, Tensor]] = []
    for item in model.layers:
        node = node_of(item) if isinstance(item, LayerValue) else None
        if node is None or not isinstance(node[0], Tensor):
            return UNKNOWN
        chain.append((node[0], node[1]))
    if not chain or model.input_shape is None:
        return UNKNOWN
    start = chain[0][0]
    if start.history or start.shape != model.input_shape or any(
            b[0] != a[1] or b[0].history != a[1].history for a, b in pairwise(chain)):
        return UNKNOWN
    return Seq((start if attr == "inputs" else chain[-1][1],), "list")
