"""Building Keras objects and running models: ``keras.Input``, layers, Sequential and
functional models, and Keras' adaptation of the data a model is called on.

Where Keras raises decides where we report: a Sequential with a known input is built at its
construction; a lazily built one at its first call, ``fit`` or ``predict``; a model applied to
data at that call.
"""

from __future__ import annotations

import ast

from ...domain.shapes import DYNAMIC, Dim, dims_equal, format_shape
from ...domain.values import UNKNOWN, Const, LayerValue, ModelValue, Opaque, Ref, Seq, Tensor, Value
from ...shapefns._common import Call, to_static_dims, to_str
from ...shapefns.keras_common import LAYERS
from ...shapefns.keras_core import input_shape_of
from ...shapefns.keras_rnn import FUNCTIONAL_MERGES
from ...structs import replace
from ..results import Fix
from .losses import loss_name
from .remedies import inputs_made
from .summary import BATCH, symbolic, with_batch
from .weights import mark_built

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..interpreter.state import RunState
    from .layers import Layers


class Models:
    """Construction of Keras objects (the ``keras.*`` overlay family) and model calls."""

    def __init__(self, state: RunState, layers: Layers) -> None:
        self.state = state
        self.layers = layers

    def construct(self, name: str, args: list[Value], kwargs: dict[str, Value],
                  node: ast.AST | None) -> Value | None:
        """Library calls that build Keras objects; None when ``name`` is not one of them."""
        if name in ("keras.Input", "keras.layers.Input"):
            return self._make_input(args, kwargs, node)
        if name in ("keras.layers.InputLayer", "keras.InputLayer"):
            # In a Sequential it is the model's Input; ``input_shape=`` is its legacy spelling.
            if "input_shape" in kwargs and "shape" not in kwargs and not args:
                kwargs = {**kwargs, "shape": kwargs["input_shape"]}
            return self._make_input(args, kwargs, node)
        if name in ("keras.Sequential", "keras.models.Sequential"):
            return self._make_sequential(args, kwargs, node)
        if name in ("keras.Model", "keras.models.Model"):
            inputs = kwargs.get("inputs", args[0] if args else UNKNOWN)
            outputs = kwargs.get("outputs", args[1] if len(args) > 1 else UNKNOWN)
            ins = list(inputs.items) if isinstance(inputs, Seq) else [inputs]
            return ModelValue("functional", inputs=ins, outputs=outputs, built=True,
                              line=getattr(node, "lineno", 0))
        leaf = name.rsplit(".", 1)[-1]
        if name.startswith("keras.layers.") and leaf in FUNCTIONAL_MERGES:
            cfg = Call(f"keras.layers.{FUNCTIONAL_MERGES[leaf]}", args[1:], kwargs)
            layer = LayerValue(LAYERS[cfg.name], cfg, line=getattr(node, "lineno", 0))
            return self.layers.apply_layer(layer, [args[0]] if args else [], {}, node)
        if name.startswith("keras.losses.") and leaf[:1].isupper():
            return Opaque(f"loss:{loss_name(leaf)}{_reduction_mode(kwargs)}")
        rule = LAYERS.get(name)
        if rule is not None:
            return LayerValue(rule, Call(name, args, kwargs), line=getattr(node, "lineno", 0),
                              node=node)
        return None

    def _make_input(self, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST | None) -> Value:
        shape_v = kwargs.get("shape", args[0] if args else UNKNOWN)
        if isinstance(shape_v, Const) and isinstance(shape_v.value, int):
            if node is not None:
                self.state.report("SL209", f"keras.Input(shape={shape_v.value}): shape must "
                                  f"be a tuple such as ({shape_v.value},), not an int", node)
            return UNKNOWN
        dims = to_static_dims(shape_v)
        batch_v = kwargs.get("batch_size")
        batch: Dim = batch_v.value if isinstance(batch_v, Const) and \
            isinstance(batch_v.value, int) else BATCH
        dtype = to_str(kwargs.get("dtype", Const("float32"))) or "float32"
        full = to_static_dims(kwargs["batch_shape"]) if "batch_shape" in kwargs and \
            "shape" not in kwargs and not args else None
        if full:  # batch_shape=(None, 8): a None batch is still Keras' batch axis
            return Tensor((BATCH if full[0] is DYNAMIC else full[0], *full[1:]), dtype,
                          "keras", origin="keras.Input")
        if dims is None:
            return Tensor(None, dtype, "keras", origin="keras.Input")
        return Tensor((batch, *dims), dtype, "keras", origin="keras.Input")

    def _make_sequential(self, args: list[Value], kwargs: dict[str, Value],
                         node: ast.AST | None) -> Value:
        items = kwargs.get("layers", args[0] if args else Seq(()))
        model = ModelValue("sequential", line=getattr(node, "lineno", 0))
        if not isinstance(items, Seq):
            return model if isinstance(items, Const) and items.value is None else UNKNOWN
        for item in items.items:
            self.sequential_add(model, item, node, build=False)
        if model.input_shape is not None:
            self.forward_sequential(model, symbolic(model.input_shape), node)
        return model

    def sequential_add(self, model: ModelValue, item: Value, node: ast.AST | None,
                       build: bool = True) -> None:
        if isinstance(item, Tensor) and item.kind == "keras" and not model.layers:
            model.input_shape = item.shape
            # An Input builds the model even when the analyzer cannot read its shape: the
            # data given to fit() must then not stand in for it.
            model.built = True
            return
        if not model.layers and isinstance(item, LayerValue) and not model.built:
            # (after an Input, Keras builds from the Input: a declared shape is not used)
            declared = input_shape_of(item.config)
            if declared is not None:
                model.input_shape = declared
                if item.node is not None:
                    # An unknown size has no literal: quote the argument as written instead.
                    shape = format_shape(declared[1:]) if None not in declared[1:] else \
                        "<the same shape>"
                    self.state.report("SL211", f"input_shape= on {item.rule.name} works but "
                                      f"Keras 3 warns; start the Sequential with keras.Input("
                                      f"shape={shape}) instead", item.node,
                                      fix=Fix("input-layer", "Start the Sequential with "
                                              "keras.Input(shape=...)", True))
        model.layers.append(item)
        if build and model.input_shape is not None:
            self.forward_sequential(model, symbolic(model.input_shape), node)

    # ------------------------------------------------------------------ running models
    def forward_sequential(self, model: ModelValue, x: Value, node: ast.AST | None) -> Value:
        """Run data (or a symbolic input) through a Sequential's layers."""
        for item in model.layers:
            if isinstance(item, LayerValue):
                x = self.layers.apply_layer(item, [x], {}, node)
            elif isinstance(item, ModelValue):
                x = self.call_model(item, [x], node)
            else:
                return UNKNOWN
            if not isinstance(x, Tensor):
                return UNKNOWN
        model.built = True
        return x

    def call_model(self, model: ModelValue, args: list[Value], node: ast.AST | None,
                   predict: bool = False) -> Value:
        x = args[0] if args else UNKNOWN
        if model.kind == "sequential":
            return self._call_sequential(model, x, node, predict)
        inputs = list(x.items) if isinstance(x, Seq) else [x]
        if len(inputs) != len(model.inputs):
            return UNKNOWN
        batch: Dim = None
        for declared, given in zip(model.inputs, inputs):
            if isinstance(declared, Tensor) and declared.shape is not None and \
                    isinstance(given, Tensor):
                # (its layers are not re-run here: a wrong rank is reported as predict does,
                # where Keras' input spec or rank adjustment raises in the call too)
                fitted = self._fit_input(declared.shape, given, node, True)
                if fitted is None:
                    return UNKNOWN
                if fitted.shape:
                    batch = fitted.shape[0]
        kind = "keras" if all(isinstance(i, Tensor) and i.kind == "keras" for i in inputs) \
            else "tensor"
        return with_batch(model.outputs, batch, kind)

    def _call_sequential(self, model: ModelValue, x: Value, node: ast.AST | None,
                         predict: bool) -> Value:
        if model.input_shape is None and not (isinstance(x, Tensor) and x.shape):
            mark_built(model)  # built on an input the engine cannot read
        if model.input_shape is None and not model.built and isinstance(x, Tensor) and \
                x.shape:  # a lazy Sequential is built by its first call, batch unknown
            model.input_shape = (BATCH, *x.shape[1:])
            lazy, self.layers.lazy_build = self.layers.lazy_build, True
            try:
                self.forward_sequential(model, symbolic(model.input_shape), node)
            finally:
                self.layers.lazy_build = lazy
        if model.input_shape is None and model.built:
            return UNKNOWN  # built on an input the analyzer cannot read: no adaptation known
        if model.input_shape is not None and isinstance(x, Tensor):
            fitted = self._fit_input(model.input_shape, x, node, predict)
            if fitted is None:
                return UNKNOWN
            x = fitted
        return self.forward_sequential(model, x, node)

    def _fit_input(self, declared: tuple[Dim, ...], x: Tensor, node: ast.AST | None,
                   predict: bool) -> Tensor | None:
        """Keras' input adaptation: a missing trailing axis of size 1 is added (K7), an extra
        one squeezed."""
        if x.shape is None:
            return x
        shape = x.shape
        if len(shape) == len(declared) - 1 and not isinstance(declared[-1], int):
            return None  # a trailing size the analyzer cannot read may be the 1 Keras adds
        if len(shape) == len(declared) + 1 and not isinstance(shape[-1], int):
            return None  # ... or the 1 it squeezes
        if len(shape) == len(declared) - 1 and declared[-1] == 1:
            shape = (*shape, 1)
        elif len(shape) == len(declared) + 1 and shape[-1] == 1:
            shape = shape[:-1]  # a trailing axis of size 1 is squeezed
        ok = len(shape) == len(declared) and all(
            dims_equal(a, b) is not False for a, b in zip(shape[1:], declared[1:]))
        if not ok:
            if len(shape) != len(declared) and not predict:
                return x  # wrong rank: the first layer's input spec reports it
            if node is not None:
                self.state.report("SL206", f"model input expects shape "
                                  f"{format_shape(declared)} but received "
                                  f"{format_shape(x.shape)}", node,
                                  related=inputs_made(self.state.tree, x, node))
            return None
        return replace(x, shape=shape) if shape != x.shape else x


_REDUCING = ("sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "auto")


def _reduction_mode(kwargs: dict[str, Value]) -> str:
    """A loss object's ``reduction=``: "" when its call reduces to a scalar (the default),
    "/none" for ``None``/``"none"``/``Reduction.NONE`` (per-sample losses), "/unknown"."""
    if "reduction" not in kwargs:
        return ""
    v = kwargs["reduction"]
    if isinstance(v, Const) and (v.value is None or v.value == "none"):
        return "/none"
    if isinstance(v, Const) and v.value in _REDUCING:
        return ""
    if isinstance(v, Ref) and v.name.endswith("Reduction.NONE"):
        return "/none"
    return "/unknown"
