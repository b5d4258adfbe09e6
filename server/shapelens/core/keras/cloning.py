"""``keras.models.clone_model``, ``X.from_config(config)`` and ``type(layer)``: the overlay
that rebuilds layers and models from their configuration (``configs.py``).

What Keras 3.15 does (``keras/src/models/cloning.py``, probed under TF 2.21):

* ``clone_model(model)`` of a Sequential: ``[clone_function(layer) for layer in
  model.layers]`` (by default ``layer.__class__.from_config(layer.get_config())``: new
  layers, new weights), then ``Sequential([Input(batch_shape=...)] + new_layers)`` when the
  original was built (it has an ``InputLayer`` then, even when built by its first batch),
  else ``Sequential(new_layers)``; a compiled model's clone is compiled the same way. With a
  user's ``clone_function`` the engine calls it on each layer, as Keras does (once per layer
  object), and builds the Sequential from what it returns: an error of that build is raised
  by ``clone_model`` itself. ``call_function=`` raises ValueError there: unknown.
* of a functional model: the graph run again through ``clone_function(layer)`` for each
  layer. By default that is the same graph of new layers (as ``Model.from_config``); with a
  user's function, ``input_tensors=`` or ``call_function=`` the engine does not rebuild the
  graph: the clone is a model whose structure is unknown (its calls give tensors of unknown
  shape, its weights may be any, never a finding).
* of a subclassed model (or anything else): unknown.

A clone's weights are its own: a loss computed through it has no gradient with respect to the
original's weights (TF gives None), unless the user's function returned the original layers
(then they are shared, as the engine's values are the same objects).
"""

from __future__ import annotations

import ast

from ...domain.values import UNKNOWN, Const, Instance, LayerValue, ModelValue, Seq, Tensor, Value
from ...shapefns.keras_core import input_shape_of
from .configs import (
    MODEL_NAMES,
    SEQUENTIAL_NAMES,
    FunctionalPlan,
    KerasConfig,
    LayerPlan,
    SequentialPlan,
    class_of,
    config_untouched,
    fresh_functional,
    fresh_layer,
    matching_plan,
    owner_kind,
    plan_of,
)
from .summary import is_keras_subclass, symbolic
from .weights import mark_built

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import Overlays
    from ..interpreter.ports import CallsApi
    from ..interpreter.state import RunState
    from .models import Models

CLONE_MODEL = "keras.models.clone_model"
_CLONE_PARAMS = ("model", "input_tensors", "clone_function", "call_function", "recursive")


class ConfigOverlay:
    """Rebuilding Keras objects from their configuration; handed the run state, the call
    part (a user's ``clone_function``) and the model part (building a Sequential)."""

    def __init__(self, state: RunState, calls: CallsApi, models: Models) -> None:
        self.state = state
        self.calls = calls
        self.models = models

    def register(self, overlays: Overlays) -> None:
        overlays.builder(CLONE_MODEL, self.clone_model)
        overlays.builder("builtins.type", self.type_of)
        for owner in (*SEQUENTIAL_NAMES, *MODEL_NAMES):
            overlays.builder(f"{owner}.from_config", self.from_config)
        overlays.family("keras.layers.", self.from_config)

    # ------------------------------------------------------------------ type / from_config
    def type_of(self, name: str, args: list[Value], kwargs: dict[str, Value],
                node: ast.AST | None) -> Value | None:
        """``type(x)`` of a layer or model: its class; None (not mine) otherwise."""
        if len(args) != 1 or kwargs:
            return None
        x = args[0]
        if isinstance(x, Instance) and is_keras_subclass(x.cls):
            return x.cls
        return class_of(x)

    def from_config(self, name: str, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST | None) -> Value | None:
        """``<Class>.from_config(config)``: a new object of that configuration; unknown when
        the config is not certainly that class's own, unchanged."""
        owner, dot, leaf = name.rpartition(".")
        if not dot or leaf != "from_config" or owner_kind(owner) is None:
            return None
        config = args[0] if args else kwargs.get("config", UNKNOWN)
        plan = matching_plan(owner, config)
        if plan is None or not config_untouched(node):
            return UNKNOWN
        return self.rebuild(plan, node)

    def rebuild(self, plan: Value, node: ast.AST | None) -> Value:
        """The new layer or model a plan describes (its build findings are the original's:
        not reported again)."""
        line = getattr(node, "lineno", 0)
        if isinstance(plan, LayerPlan):
            return fresh_layer(plan, line)
        if isinstance(plan, FunctionalPlan):
            return fresh_functional(plan, line)
        if not isinstance(plan, SequentialPlan):
            return UNKNOWN
        items: list[Value] = []
        for item in plan.items:
            if isinstance(item, LayerPlan):
                items.append(fresh_layer(item, line))
            elif isinstance(item, KerasConfig):
                items.append(self.rebuild(item.plan, node))
            else:
                items.append(UNKNOWN)
        self.state.foreign += 1
        try:
            return self._sequential(items, plan.input_shape, plan.built, node)
        finally:
            self.state.foreign -= 1

    def _sequential(self, items: list[Value], input_shape: object, built: bool,
                    node: ast.AST | None) -> Value:
        """``Sequential([Input(batch_shape=input_shape)] + items)`` for a built original,
        ``Sequential(items)`` otherwise (the engine's own construction of it)."""
        head: list[Value] = [symbolic(input_shape)] if built and isinstance(input_shape, tuple) \
            else []
        if head and items and isinstance(items[0], LayerValue) and \
                input_shape_of(items[0].config) is not None:
            # Keras builds from the Input and ignores the layer's own input_shape=, which the
            # engine's Sequential would take instead: built for an input it does not read
            return ModelValue("sequential", layers=list(items), built=True,
                              line=getattr(node, "lineno", 0))
        model = self.models.construct("keras.Sequential", [Seq((*head, *items), "list")], {},
                                      node)
        if isinstance(model, ModelValue) and built:
            mark_built(model)  # (an Input the engine could not read: built all the same)
        return model if model is not None else UNKNOWN

    # ------------------------------------------------------------------ clone_model
    def clone_model(self, name: str, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST | None) -> Value | None:
        given = dict(zip(_CLONE_PARAMS, args)) | kwargs
        model = given.get("model", UNKNOWN)
        fn, extra = _given(given, "clone_function"), _given(given, "input_tensors")
        calls, recursive = _given(given, "call_function"), _given(given, "recursive")
        if not isinstance(model, ModelValue) or len(args) > len(_CLONE_PARAMS):
            return UNKNOWN
        if model.kind == "sequential":
            if calls is not None or extra is not None or \
                    (recursive is not None and recursive != Const(False) and fn is not None):
                return UNKNOWN  # (call_function raises ValueError for a Sequential)
            clone = self._clone_sequential(model, fn, node)
        elif fn is None and extra is None and calls is None:
            plan = plan_of(model, 0)
            clone = self.rebuild(plan, node) if plan is not None else \
                unknown_model(model, node)
        else:
            clone = unknown_model(model, node)
        if isinstance(clone, ModelValue):
            clone.loss = model.loss  # a compiled model's clone is compiled the same way
        return clone

    def _clone_sequential(self, model: ModelValue, fn: Value | None,
                          node: ast.AST | None) -> Value:
        if fn is None:
            plan = plan_of(model, 0)
            return self.rebuild(plan, node) if plan is not None else unknown_model(model, node)
        done: dict[int, Value] = {}
        items: list[Value] = []
        for layer in model.layers:
            if not isinstance(layer, Value):
                return UNKNOWN
            if id(layer) not in done:  # Keras' cache: once per layer object
                done[id(layer)] = self.calls.call_value(fn, [layer], {}, node or ast.Pass())
            items.append(done[id(layer)])
        return self._sequential(items, model.input_shape, model.built, node)


def _given(given: dict[str, Value], key: str) -> Value | None:
    """An argument given and not ``None``."""
    v = given.get(key)
    return None if v is None or v == Const(None) else v


def unknown_model(model: ModelValue, node: ast.AST | None) -> ModelValue:
    """A model whose structure the engine does not know: as many inputs as ``model``, each
    unknown; outputs shaped like its outputs' structure, each a tensor of unknown shape made
    by layers the engine cannot see (so its weights may be any, for gradient provenance)."""
    def hidden(v: Value) -> Value:
        if isinstance(v, Seq):
            return Seq(tuple(hidden(i) for i in v.items), v.kind)
        return Tensor(None, None, "keras", history=(UNKNOWN,))

    count = len(model.inputs) if model.kind == "functional" and model.inputs else 1
    outputs = model.outputs if model.kind == "functional" else UNKNOWN
    return ModelValue("functional", inputs=[UNKNOWN] * count, outputs=hidden(outputs),
                      built=True, line=getattr(node, "lineno", 0))
