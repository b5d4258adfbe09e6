"""``layer.get_config()`` / ``model.get_config()`` and ``X.from_config(config)``: a new layer
or model with the same configuration and fresh weights.

What Keras 3.15 does (probed under TF 2.21, ``tests/oracle/test_configs_oracle.py``):

* ``get_config()`` is a new dict, a snapshot: later changes of the layer or model do not
  reach it. A layer's holds its constructor arguments except the input declaration
  (``input_shape=``, ``input_dim=``...: ``Sequential([Dense.from_config(c)])`` is unbuilt);
  its ``name`` is kept.
* ``LayerClass.from_config(config)`` of that class's config: a new, unbuilt layer (no weights
  until its first call, which builds it for that input, so a second call on another width
  raises as for any layer). The config of another class: unknown (Keras raises TypeError).
* ``keras.Sequential.from_config`` of a Sequential's config: the same layers, new, built from
  the same ``Input`` when the original was built; ``keras.Model.from_config`` (or the
  functional class, ``type(model)``) of a functional model's config: the same graph of new
  layers, built for the same shapes. Another kind of config: unknown.

The config value is ``KerasConfig``: a dict (its items and methods stay unknown, as for the
plain ``py:dict`` other configs are) that carries a frozen plan of what it describes. The
plan is kept only when the engine knows everything ``from_config`` needs: every argument a
constant, a dtype or a library name (no layer, function or tensor inside), every layer of a
model such a layer.
Python's dict is mutable and the engine does not follow changes of a dict: a config is followed
only where ``get_config()`` is called in the ``from_config`` call's argument itself
(``type(layer).from_config(layer.get_config())``, as Keras' own ``clone_model`` does); a config
held in a variable (``cfg["units"] = 8`` may have changed it) is unknown.
"""

from __future__ import annotations

import ast

from ...domain.values import (
    UNKNOWN,
    Const,
    DType,
    LayerValue,
    ModelValue,
    Opaque,
    Ref,
    Seq,
    Tensor,
    Unknown,
    Value,
)
from ...shapefns._common import Call
from ...shapefns.keras_common import LAYERS
from ...structs import Frozen, replace
from .summary import model_layers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..interpreter.state import RunState

# Constructor keywords that declare the input: not in Keras 3's ``get_config()``.
INPUT_KEYWORDS = frozenset({"input_shape", "batch_input_shape", "input_dim", "batch_size",
                            "input_length"})
FUNCTIONAL_CLASS = "keras.src.models.functional.Functional"  # type(functional model)
SEQUENTIAL_NAMES = frozenset({"keras.Sequential", "keras.models.Sequential"})
MODEL_NAMES = frozenset({"keras.Model", "keras.models.Model", FUNCTIONAL_CLASS})
DICT = "py:dict"
_PLAIN = (Const, DType, Ref, Unknown)


class LayerPlan(Value, Frozen):
    """A built-in layer's class (``keras.layers.<Rule>``) and constructor arguments."""

    __slots__ = ("name", "args", "kwargs")

    def __init__(self, name: str, args: tuple[Value, ...],
                 kwargs: tuple[tuple[str, Value], ...]) -> None:
        self.name = name
        self.args = args
        self.kwargs = kwargs


class Placed(Value, Frozen):
    """One layer of a functional graph: its plan and the state the graph built it in;
    ``index`` keeps two layers of equal configuration apart."""

    __slots__ = ("index", "plan", "built_shape", "output_shape", "params")

    def __init__(self, index: int, plan: LayerPlan, built_shape: object, output_shape: object,
                 params: int | None) -> None:
        self.index = index
        self.plan = plan
        self.built_shape = built_shape
        self.output_shape = output_shape
        self.params = params


class SequentialPlan(Value, Frozen):
    """A Sequential's layers (a plan, a nested model's ``KerasConfig``, or None: unknown),
    its ``Input`` shape, and whether it was built."""

    __slots__ = ("items", "input_shape", "built")

    def __init__(self, items: tuple[Value | None, ...], input_shape: object,
                 built: bool) -> None:
        self.items = items
        self.input_shape = input_shape
        self.built = built


class FunctionalPlan(Value, Frozen):
    """A functional model's inputs and outputs, the outputs' histories made of ``Placed``.
    A tensor's history is not part of its equality: ``layers`` (every ``Placed``) and
    ``wiring`` (each output's history, by index) are, so that two plans are equal only when
    they rebuild the same graph (the incremental engine compares configs by equality)."""

    __slots__ = ("inputs", "outputs", "layers", "wiring")

    def __init__(self, inputs: tuple[Value, ...], outputs: Value, layers: tuple[Placed, ...],
                 wiring: tuple[tuple[int, ...], ...]) -> None:
        self.inputs = inputs
        self.outputs = outputs
        self.layers = layers
        self.wiring = wiring


class KerasConfig(Value, Frozen):
    """``get_config()``: a dict (its items and methods unknown) with the plan of what it
    describes."""

    __slots__ = ("plan",)

    def __init__(self, plan: Value) -> None:
        self.plan = plan


# ---------------------------------------------------------------------- get_config
def config_of(value: Value, state: RunState | None = None, node: ast.AST | None = None) -> Value:
    """``value.get_config()`` of a layer or model: a ``KerasConfig`` when its plan is known,
    else a plain dict. The call's hover says ``dict`` either way (the expression part shows
    only a ``py:dict`` object, not this value)."""
    plan = plan_of(value, 0)
    if plan is None:
        return Opaque(DICT)
    if state is not None and isinstance(node, ast.Call) and not state.foreign:
        key = (node.lineno, node.col_offset, node.end_lineno or node.lineno,
               node.end_col_offset or node.col_offset)
        state.expressions.setdefault(key, Opaque(DICT))
    return KerasConfig(plan)


def plan_of(value: object, depth: int) -> Value | None:
    if depth > 6:
        return None
    if isinstance(value, LayerValue):
        return layer_plan(value)
    if isinstance(value, ModelValue) and value.kind == "sequential":
        items: list[Value | None] = []
        for item in value.layers:
            found = plan_of(item, depth + 1) if isinstance(item, LayerValue | ModelValue) \
                else None
            items.append(KerasConfig(found) if isinstance(found, SequentialPlan |
                                                           FunctionalPlan) else found)
        return SequentialPlan(tuple(items), value.input_shape, value.built)
    if isinstance(value, ModelValue) and value.kind == "functional":
        return _functional_plan(value)
    return None


def layer_plan(layer: LayerValue) -> LayerPlan | None:
    cfg = layer.config
    if not all(_plain(v) for v in (*cfg.args, *cfg.kwargs.values())):
        return None
    name = f"keras.layers.{layer.rule.name}"
    if name not in LAYERS or LAYERS[name].name != layer.rule.name:
        return None
    return LayerPlan(name, tuple(cfg.args),
                     tuple((k, v) for k, v in cfg.kwargs.items() if k not in INPUT_KEYWORDS))


def _plain(v: Value) -> bool:
    """A constructor argument a config keeps as it is (no object of the program inside)."""
    if isinstance(v, Seq):
        return all(_plain(i) for i in v.items)
    return isinstance(v, _PLAIN) or (isinstance(v, Opaque) and type(v) is Opaque)


def _functional_plan(model: ModelValue) -> FunctionalPlan | None:
    placed: dict[int, Placed] = {}
    for index, item in enumerate(model_layers(model)):
        plan = layer_plan(item) if isinstance(item, LayerValue) else None
        if plan is None or not isinstance(item, LayerValue):
            return None
        placed[id(item)] = Placed(index, plan, item.built_shape, item.output_shape,
                                  item.params)
    if not model.inputs or not all(isinstance(t, Tensor) and not t.history
                                   for t in model.inputs):
        return None
    outputs = _map_history(model.outputs, lambda h: placed.get(id(h)))
    if outputs is None:
        return None
    wiring = tuple(tuple(p.index for p in t.history if isinstance(p, Placed))
                   for t in _tensors(outputs))
    return FunctionalPlan(tuple(model.inputs), outputs, tuple(placed.values()), wiring)


def _tensors(value: Value) -> list[Tensor]:
    """The tensors of a tensor or a (nested) list of them, in order."""
    if isinstance(value, Seq):
        return [t for v in value.items for t in _tensors(v)]
    return [value] if isinstance(value, Tensor) else []


def _map_history(value: Value, fn: Callable[[object], object | None]) -> Value | None:
    """``value`` (a tensor or a list of them) with each history item replaced by ``fn(item)``;
    None when one is not found."""
    if isinstance(value, Seq):
        items = [_map_history(v, fn) for v in value.items]
        return None if any(i is None for i in items) else \
            Seq(tuple(i for i in items if i is not None), value.kind)
    if not isinstance(value, Tensor):
        return None
    history = tuple(fn(h) for h in value.history)
    return None if any(h is None for h in history) else replace(value, history=history)


# ---------------------------------------------------------------------- from_config
def fresh_layer(plan: LayerPlan, line: int) -> LayerValue:
    """A new, unbuilt layer of that configuration."""
    return LayerValue(LAYERS[plan.name], Call(plan.name, list(plan.args), dict(plan.kwargs)),
                      line=line)


def fresh_functional(plan: FunctionalPlan, line: int) -> ModelValue:
    """The same graph of new layers, each built as the graph built the original."""
    made: dict[int, LayerValue] = {}

    def fresh(p: object) -> LayerValue | None:
        if not isinstance(p, Placed):
            return None
        if p.index not in made:
            layer = fresh_layer(p.plan, line)
            layer.built_shape, layer.output_shape, layer.params = \
                p.built_shape, p.output_shape, p.params
            layer.first_node = UNKNOWN  # (its node in the new graph: not rebuilt)
            made[p.index] = layer
        return made[p.index]

    outputs = _map_history(plan.outputs, fresh)
    return ModelValue("functional", inputs=list(plan.inputs),
                      outputs=outputs if outputs is not None else UNKNOWN, built=True,
                      line=line)


def owner_kind(owner: str) -> str | None:
    """What ``<owner>.from_config`` rebuilds: ``layer`` (a built-in layer class),
    ``sequential``, ``functional``, or None (not a class modelled here)."""
    if owner in SEQUENTIAL_NAMES:
        return "sequential"
    if owner in MODEL_NAMES:
        return "functional"
    return "layer" if owner in LAYERS else None


def matching_plan(owner: str, config: Value) -> Value | None:
    """The config's plan when ``<owner>.from_config(config)`` rebuilds it as it is."""
    kind = owner_kind(owner)
    plan = config.plan if isinstance(config, KerasConfig) else None
    if kind == "layer" and isinstance(plan, LayerPlan) and \
            LAYERS[plan.name].name == LAYERS[owner].name:
        return plan
    if kind == "sequential" and isinstance(plan, SequentialPlan):
        return plan
    if kind == "functional" and isinstance(plan, FunctionalPlan):
        return plan
    return None


def class_of(value: Value) -> Value | None:
    """``type(value)`` / ``value.__class__`` of a layer or model: its Keras class (a Keras
    3 functional model's is ``Functional``, not ``keras.Model``)."""
    if isinstance(value, LayerValue):
        name = f"keras.layers.{value.rule.name}"
        return Ref(name) if name in LAYERS else None
    if isinstance(value, ModelValue):
        return Ref("keras.Sequential" if value.kind == "sequential" else FUNCTIONAL_CLASS)
    return None


# ---------------------------------------------------------------------- mutation guard
def config_untouched(node: ast.AST | None) -> bool:
    """The config argument of the ``from_config`` call ``node`` is certainly the dict
    ``get_config()`` made: the ``get_config()`` call is written in the argument itself. A
    config held in a variable may have been changed by any statement (``cfg["units"] = 8``,
    an alias, a function given it), which the engine does not follow for dicts: unknown.
    (Reading the rest of the program for such statements would make this call's value depend
    on lines the incremental engine does not know it read.)"""
    if not isinstance(node, ast.Call):
        return False
    arg = node.args[0] if node.args else next(
        (k.value for k in node.keywords if k.arg == "config"), None)
    return isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and \
        arg.func.attr == "get_config" and not arg.args and not arg.keywords
