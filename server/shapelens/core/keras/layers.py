"""Calling a Keras layer: the input-spec checks Keras makes, building on the first input,
and the output (symbolic, with the layers behind it, or concrete on data).

Where Keras raises decides where we report: a functional graph at each layer call, a layer
already built for another input where it is called again (SL201).
"""

from __future__ import annotations

import ast

from ...domain.shapes import Dim, Shape, format_shape, static_only
from ...domain.values import (
    NONE,
    UNKNOWN,
    Const,
    Function,
    LayerValue,
    ModelValue,
    Seq,
    Tensor,
    Value,
)
from ...shapefns import ShapeError
from ...shapefns.keras_cells import CELL_LAYERS, CELLS, Struct, cell_plan, rnn_plan, stacked_plan
from ...shapefns.keras_common import check_spec, layer_label
from ...shapefns.keras_rnn import attention_output, bidirectional_output, mha_output, mha_params
from ...structs import replace
from .summary import model_params, symbolic
from .weights import mark_built

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..interpreter.ports import CallsApi
    from ..interpreter.state import RunState

    # call_model(model, args, node): running a model, which the model part does
    CallModel = Callable[[ModelValue, list[Value], ast.AST | None], Value]


class Layers:
    """Layer application; handed the run state, the call part (``Lambda`` layers run user
    functions) and, once the model part exists, its ``call_model`` (``TimeDistributed`` of a
    model)."""

    call_model: CallModel

    def __init__(self, state: RunState, calls: CallsApi) -> None:
        self.state = state
        self.calls = calls
        # Inside a subclassed layer's call(): Keras traces it on backend tensors, so the
        # layers it calls get no node of their own (``layer.output`` stays undefined).
        self.in_subclass_call = 0
        # Building a Sequential on the first batch: its Input has that batch's size, which
        # the engine does not always know (``fit``): the nodes' batch axis is unknown.
        self.lazy_build = False

    def apply_layer(self, layer: LayerValue, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST | None) -> Value:
        x = args[0] if args else kwargs.get("inputs", UNKNOWN)
        try:
            out = self._apply(layer, args, kwargs, node)
        except ShapeError as err:
            if node is not None:
                self.state.report(err.code, err.message, node)
            out = UNKNOWN
        if layer.first_node is None:
            others = len(args) > 1 or any(isinstance(v, Tensor | Seq) and k != "inputs"
                                          for k, v in kwargs.items())
            self._first_node(layer, x, out, others)
        return out

    def _first_node(self, layer: LayerValue, x: Value, out: Value, others: bool) -> None:
        """Keras keeps the first symbolic call of a layer as its first inbound node (what
        ``layer.input``/``layer.output`` give, even after more calls); an eager call
        makes none. A call that may be symbolic, but whose result is unknown, leaves the
        node unknown for good; ``others``: more tensors than ``x`` went in (the input
        is then unknown, the output still known)."""
        if eager(x):
            return
        if self.in_subclass_call or not isinstance(out, Tensor) or out.kind != "keras" or \
                not (isinstance(x, Tensor) and x.kind == "keras"):
            layer.first_node = UNKNOWN
            return
        if self.lazy_build:
            x, out = unknown_batch(x), unknown_batch(out)
        if others:  # (query, value...): Keras' ``layer.input`` is the list of them
            x = UNKNOWN
        own = bool(out.history) and out.history[-1] is layer
        if own:  # kept without the layer itself: no layer <-> tensor reference cycle
            out = replace(out, history=out.history[:-1])
        layer.first_node = (x, out, own)

    def _apply(self, layer: LayerValue, args: list[Value], kwargs: dict[str, Value],
               node: ast.AST | None) -> Value:
        rule, cfg = layer.rule, layer.config
        x = args[0] if args else kwargs.get("inputs", UNKNOWN)
        if rule.name == "Lambda":
            fn = cfg.arg(0, "function")
            if not isinstance(fn, Function):
                return UNKNOWN
            self.in_subclass_call += 1  # traced like a subclassed layer's call()
            try:
                return self.calls.call_function(fn, [x], {}, node or fn.node)
            finally:
                self.in_subclass_call -= 1
        if rule.merge or rule.name in ("Attention", "AdditiveAttention"):
            return self._apply_merge(layer, x)
        if not isinstance(x, Tensor) or x.shape is None:
            mark_built(layer)  # built all the same, for a shape the engine cannot read
            return UNKNOWN
        if x.kind in ("ragged", "sparse"):
            return composite_input(layer, x)
        # A static None is proven only on a symbolic Keras tensor; data has concrete sizes.
        shape = x.shape if x.kind == "keras" else static_only(x.shape)
        assert shape is not None
        check_spec(rule, cfg, shape)
        _check_built_for(layer, shape)
        if rule.name == "MultiHeadAttention":
            value = args[1] if len(args) > 1 else kwargs.get("value", UNKNOWN)
            if not isinstance(value, Tensor) or value.shape is None:
                return UNKNOWN
            key = kwargs.get("key")
            key_shape = key.shape if isinstance(key, Tensor) else None
            params = mha_params(cfg, shape, value.shape, key_shape)
            return self._result(layer, [x, value], mha_output(cfg, shape, value.shape), shape,
                                params)
        if rule.name in ("Bidirectional", "TimeDistributed"):
            return self._apply_wrapper(layer, x, shape, node)
        if rule.name in CELL_LAYERS:
            return self._apply_cell(layer, x, shape, args, kwargs)
        out = rule.output(cfg, shape)
        return self._result(layer, [x], out, shape, None)

    def _apply_cell(self, layer: LayerValue, x: Tensor, shape: tuple[Dim, ...],
                    args: list[Value], kwargs: dict[str, Value]) -> Value:
        """A recurrent cell, a stack of cells or ``RNN(cell)`` (``shapefns/keras_cells.py``):
        the cells it builds are built here, as Keras' ``__call__`` does."""
        states = args[1] if len(args) > 1 else kwargs.get("states", NONE)  # (None: TypeError)
        if any(isinstance(a, Const) and a.value is not None for a in args[2:]):
            mark_built(layer)  # ``cell(x, s, True)``: Keras 3 takes only tensors positionally
            return UNKNOWN
        symbolic = x.kind == "keras"
        name = layer.rule.name
        plan = rnn_plan(layer, shape, symbolic) if name == "RNN" else \
            cell_plan(layer, shape, states, symbolic) if name in CELLS else \
            stacked_plan(layer, shape, states, symbolic)
        for cell, built, params in plan.builds:
            if cell is not layer and cell.built_shape is None and \
                    cell.output_shape is not UNKNOWN:
                cell.built_shape, cell.params, cell.output_shape = built, params, None
        inputs = [x, states] if name != "RNN" else [x, kwargs.get("initial_state", UNKNOWN)]
        out = self._result(layer, inputs, None if plan.out is UNKNOWN else plan.out, shape, None)
        return UNKNOWN if plan.out is UNKNOWN else out

    def _apply_merge(self, layer: LayerValue, x: Value) -> Value:
        """Merging layers (Add, Concatenate...) and attention take a list of tensors."""
        rule, cfg = layer.rule, layer.config
        tensors = list(x.items) if isinstance(x, Seq) else []
        if not tensors or not all(isinstance(t, Tensor) and t.shape is not None
                                  for t in tensors):
            return UNKNOWN
        shapes = [t.shape for t in tensors if isinstance(t, Tensor) and t.shape is not None]
        out = attention_output(cfg, shapes) if not rule.merge else \
            rule.output(rule, cfg, shapes)
        return self._result(layer, tensors, out, shapes[0], 0)

    def _apply_wrapper(self, layer: LayerValue, x: Tensor, shape: tuple[Dim, ...],
                       node: ast.AST | None) -> Value:
        inner = layer.config.arg(0, "layer")
        if isinstance(inner, ModelValue) and layer.rule.name == "TimeDistributed" and \
                len(shape) >= 3:
            step_out = self.call_model(inner, [symbolic((shape[0], *shape[2:]))], node)
            if not isinstance(step_out, Tensor) or step_out.shape is None:
                return UNKNOWN
            return self._result(layer, [x], (shape[0], shape[1], *step_out.shape[1:]), shape,
                                model_params(inner))
        if not isinstance(inner, LayerValue):
            return UNKNOWN
        if layer.rule.name == "Bidirectional":
            check_spec(inner.rule, inner.config, shape)
            inner_out = inner.rule.output(inner.config, shape)
            inner_params = inner.rule.params(inner.config, shape)
            out = bidirectional_output(layer.config, inner_out)
            params = None if inner_params is None else 2 * inner_params
            return self._result(layer, [x], out, shape, params)
        if len(shape) < 3:
            return UNKNOWN
        step = (shape[0], *shape[2:])
        check_spec(inner.rule, inner.config, step)
        inner_out = inner.rule.output(inner.config, step)
        if not isinstance(inner_out, tuple) or (inner_out and isinstance(inner_out[0], tuple)):
            return UNKNOWN
        params = inner.rule.params(inner.config, step)
        return self._result(layer, [x], (shape[0], shape[1], *inner_out[1:]), shape, params)

    def _result(self, layer: LayerValue, inputs: list[Value], out: object,
                built: tuple[Dim, ...], params: int | int | None) -> Value:
        if layer.built_shape is None and layer.output_shape is not UNKNOWN:
            # (UNKNOWN: built already, by a call on an input the engine could not read)
            layer.built_shape = built
            layer.params = params if params is not None or layer.rule.merge else \
                layer.rule.params(layer.config, built)
            if layer.rule.merge:
                layer.params = 0
            layer.output_shape = out
        symbolic_in = any(isinstance(t, Tensor) and t.kind == "keras" for t in _tensors(inputs))
        history: tuple[object, ...] = ()
        for t in _tensors(inputs):
            if isinstance(t, Tensor):
                history += tuple(h for h in t.history if h not in history)
        history += (layer,)
        kind = "keras" if symbolic_in else "tensor"
        label = layer_label(layer.config, layer.rule.name)
        origin = f"{label} on {format_shape(built)}"
        dtype = layer.rule.output_dtype(layer.config)  # (int64 for lookups)

        def make(shape: Shape) -> Tensor:  # (data has concrete sizes: no static None)
            return Tensor(shape if symbolic_in else static_only(shape), dtype, kind,
                          origin=origin,
                          history=history if symbolic_in else ())

        def nested(item: object) -> Value:  # (a cell's ``(h, [h, c])``: keras_cells.py)
            if isinstance(item, Struct):
                return Seq(tuple(nested(i) for i in item.items), item.kind)
            return UNKNOWN if item is UNKNOWN else make(item if isinstance(item, tuple) else None)

        if isinstance(out, tuple) and out and isinstance(out[0], tuple):
            return Seq(tuple(make(s) for s in out), "list")
        return nested(out)


def _tensors(values: list[Value]) -> list[Value]:
    """The values with lists and tuples opened (a cell's states)."""
    out: list[Value] = []
    for v in values:
        out += _tensors(list(v.items)) if isinstance(v, Seq) else [v]
    return out


def _check_built_for(layer: LayerValue, shape: tuple[Dim, ...]) -> None:
    """A built layer called on an input whose pinned axes differ (SL201)."""
    rule, cfg = layer.rule, layer.config
    if layer.built_shape is None or rule.pinned_axes is None:
        return
    for axis, dim in rule.pinned_axes(cfg, layer.built_shape).items():
        got = shape[axis] if -len(shape) <= axis < len(shape) else None
        if isinstance(got, int) and got != dim:
            raise ShapeError("SL201", f"{layer_label(cfg, rule.name)} was built for "
                             f"inputs with axis {axis} = {dim} "
                             f"(input {format_shape(layer.built_shape)}) but received "
                             f"input with shape {format_shape(shape)}")


def eager(x: Value) -> bool:
    """A layer input that is certainly concrete data (Keras makes no node for it)."""
    if isinstance(x, Seq):
        return bool(x.items) and all(eager(v) for v in x.items)
    return isinstance(x, Tensor) and x.kind in ("tensor", "variable", "ndarray")


def unknown_batch(t: Tensor) -> Tensor:
    return replace(t, shape=(None, *t.shape[1:])) if t.shape else t


_GLOBAL_POOLING_1D = ("GlobalAveragePooling1D", "GlobalMaxPooling1D")


def composite_input(layer: LayerValue, x: Tensor) -> Value:
    """A Keras 3 layer called on a ``RaggedTensor`` or ``SparseTensor``, as probed in TF 2.21:
    ``Embedding`` keeps the ragged rows and appends ``output_dim`` (a ragged float32 result);
    ``GlobalAveragePooling1D``/``GlobalMaxPooling1D`` (channels last) reduce the ragged axis to
    a dense ``(batch, features)``, or ``(batch, 1, features)`` with ``keepdims``. Other layers
    raise or differ (``Dense``: ``TypeError`` on ``len`` of a RaggedTensor; ``LSTM``: "Cannot
    index into an inner ragged dimension"; channels-first pooling stays ragged): unknown, and
    no finding. The layer is built all the same (Keras builds it before ``call`` fails)."""
    mark_built(layer)
    rule, cfg = layer.rule, layer.config
    shape = x.shape
    if x.kind != "ragged" or shape is None or cfg.arg(None, "dtype", UNKNOWN) is not UNKNOWN:
        return UNKNOWN
    if rule.name == "Embedding":
        out = rule.output(cfg, shape)
        return UNKNOWN if out is None else Tensor(out, "float32", "ragged")
    if rule.name in _GLOBAL_POOLING_1D and len(shape) == 3 and \
            cfg.arg(None, "data_format", UNKNOWN) is UNKNOWN:
        keep = cfg.flag(None, "keepdims")
        if keep is None:
            return UNKNOWN
        dense = (shape[0], 1, shape[2]) if keep else (shape[0], shape[2])
        return Tensor(dense, x.dtype, "tensor")
    return UNKNOWN
