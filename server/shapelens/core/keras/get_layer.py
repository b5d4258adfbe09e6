"""``model.get_layer(name=...)`` / ``model.get_layer(index=...)``: the engine's own layer
object, so that ``.output``, ``.kernel`` or ``.trainable_variables`` of it are known.

What Keras 3.15 does (probed under TF 2.21): ``get_layer`` walks ``model.layers`` and returns
the first layer of that name, or ``model.layers[index]`` (a negative index counts from the
end). A Sequential's ``layers`` leaves its Input out; a functional model's starts with its
``InputLayer``s. Layer names are unique in Sequential and functional models (Keras raises on a
duplicate), not in a subclassed one.

Only what is proven is given, anything else is unknown (never a finding):

* by name, a layer given that ``name=``: in a Sequential or functional model, the one such
  layer (the names are unique, so layers the engine could not follow change nothing); in a
  subclassed model, the first tracked sub-layer that can have that name, when it is that one
  (an auto-named ``Dense`` is ``dense``/``dense_<n>``: it cannot be ``"encoder"``);
* by index, in a Sequential whose layers the engine all knows up to that index. A functional
  model's order is Keras' topological order, which the engine does not rebuild: unknown.
"""

from __future__ import annotations

import re

from ...domain.values import (
    UNKNOWN,
    Const,
    Instance,
    LayerValue,
    ModelValue,
    Seq,
    Tensor,
    Value,
)
from .subclass import FUNCTIONAL
from .summary import model_layers

_MODELS = (LayerValue, ModelValue, Instance)


def get_layer(model: Value, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``model.get_layer(name=None, index=None)``."""
    name = kwargs.get("name", args[0] if args else None)
    index = kwargs.get("index", args[1] if len(args) > 1 else None)
    if isinstance(model, Instance):
        functional = model.attrs.get(FUNCTIONAL)  # keras.Model(inputs, outputs) subclass
        if isinstance(functional, ModelValue):
            return UNKNOWN if _subclass_layers(model) else get_layer(functional, args, kwargs)
    if _given(index) and not _given(name):
        if isinstance(index, Const) and type(index.value) is int and \
                isinstance(model, ModelValue) and model.kind == "sequential":
            return _sequential_at(model.layers, index.value)
        return UNKNOWN
    if _given(name) and not _given(index) and isinstance(name, Const) and \
            isinstance(name.value, str):
        if isinstance(model, ModelValue):
            items = model.layers if model.kind == "sequential" else model_layers(model)
            return _unique(items, name.value)
        if isinstance(model, Instance):
            return _first(_subclass_layers(model), name.value)
    return UNKNOWN


def _given(v: Value | None) -> bool:
    return v is not None and not (isinstance(v, Const) and v.value is None)


def _sequential_at(items: list[object], index: int) -> Value:
    """``model.layers[index]`` when every layer up to it is known (an unknown item may be an
    Input, which ``layers`` leaves out, and would shift the positions)."""
    if not -len(items) <= index < len(items):
        return UNKNOWN
    upto = items[:index + 1] if index >= 0 else items
    if not all(isinstance(i, _MODELS) for i in upto):
        return UNKNOWN
    found = items[index]
    return found if isinstance(found, Value) else UNKNOWN


def _unique(items: list[object], name: str) -> Value:
    """The layer given ``name=name`` among layers whose names Keras keeps unique."""
    found = [i for i in items if isinstance(i, LayerValue) and explicit_name(i) == name]
    return found[0] if len(found) == 1 else UNKNOWN


def _first(items: list[object] | None, name: str) -> Value:
    """The first layer that can be named ``name``, when it certainly is."""
    for item in items or ():
        if isinstance(item, LayerValue) and explicit_name(item) == name:
            return item
        if can_be_named(item, name):
            return UNKNOWN
    return UNKNOWN


def _subclass_layers(model: Instance) -> list[object] | None:
    """A subclassed model's tracked attributes in assignment order, lists flattened (what
    Keras' ``layers`` walks); None when one of them may hide layers the engine cannot see."""
    items: list[object] = []
    for key, value in model.attrs.items():
        if key.startswith("<") or key.startswith("__"):
            continue
        for v in value.items if isinstance(value, Seq) else (value,):
            if not _is_plain(v):
                items.append(v)  # a layer, or unknown: may be a layer of any name
    return items


def _is_plain(v: object) -> bool:
    """A value that is certainly not a layer (a tensor, a constant)."""
    return isinstance(v, Tensor | Const)


def explicit_name(layer: LayerValue) -> str | None:
    """The ``name=`` the layer was given, if readable."""
    v = layer.config.kwargs.get("name")
    return v.value if isinstance(v, Const) and isinstance(v.value, str) else None


def can_be_named(item: object, name: str) -> bool:
    """Whether this tracked object may be called ``name``: a layer with a readable ``name=``
    is that name; one without it has Keras' automatic name, the class name in snake case,
    with ``_<n>`` after the first (the counters are global: any ``n``)."""
    if not isinstance(item, LayerValue):
        return True
    if "name" in item.config.kwargs:
        given = explicit_name(item)
        return given is None or given == name
    base = snake_case(item.rule.name)
    return name == base or re.fullmatch(re.escape(base) + r"_\d+", name) is not None


def snake_case(cls_name: str) -> str:
    """``StringLookup`` -> ``string_lookup``, ``Conv2D`` -> ``conv2d``, ``ReLU`` -> ``re_lu``
    (Keras' rule: an underscore before each capitalised word and between a lower-case
    letter and a capital)."""
    word = re.sub(r"\W+", "", cls_name)
    word = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", word)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", word).lower()
