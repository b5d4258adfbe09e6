"""SL314: ``trainable_variables`` of a Keras model that is proven not built yet.

Keras 3 creates a model's weights at its first call (or ``build()``); before that,
``model.trainable_variables`` is ``[]`` and a training loop over that list silently updates
nothing (truth table G43). Reading it is not a bug (the TF tutorials print it to show that
weights are created lazily); the finding needs both

* a proof that the model is not built at that point of execution: a Sequential without an
  input shape, or a subclassed ``keras.Model``/``keras.layers.Layer`` whose every sub-layer is
  itself unbuilt, never called (with any input, known or not), never given to ``build``,
  ``fit``, ``predict``... and not holding weights made in ``__init__``; never inside a
  function analysed without its arguments (``train_step(self, data)``: Keras calls it on a
  built model), never a ``tf.Module`` (no build step);
* and the empty list reaching a gradient or an update: ``tape.gradient(loss, params)``,
  ``apply_gradients(zip(grads, params))``, or a loop of ``assign*`` over it.

The read returns an ``UnbuiltWeights`` value that remembers where it was read; the finding is
reported there when the value reaches one of those uses.
"""

from __future__ import annotations

import ast

from ...domain.values import (
    UNKNOWN,
    ClassValue,
    Const,
    DictValue,
    Function,
    Instance,
    LayerValue,
    ListOf,
    ModelValue,
    Ref,
    Seq,
    Tensor,
    Value,
)
from ...structs import Frozen

MESSAGE = ("trainable_variables of a model that is not built yet is an empty list: gradients "
           "and updates will silently do nothing; build the model (keras.Input or a first "
           "call) before reading it")
WEIGHTS = "<weights>"  # Instance attribute: the weights add_weight made (subclass.py)
CALLED = "<called>"  # Instance attribute: the instance was called (it built itself)
BUILT = "<built>"  # Instance attribute: build/fit/predict... ran on it
# Layers that own trainable weights once built.
_WEIGHTED = ("Dense", "EinsumDense", "Conv", "SeparableConv", "DepthwiseConv", "PReLU",
             "BatchNormalization", "LayerNormalization", "GroupNormalization", "Embedding",
             "LSTM", "GRU", "SimpleRNN", "Bidirectional", "TimeDistributed",
             "MultiHeadAttention")
# Model methods that neither build the model nor read its data.
NOT_BUILDING = frozenset({"compile", "summary", "get_config", "count_params", "to_json",
                          "get_layer", "add", "pop"})
_ASSIGNS = frozenset({"assign", "assign_sub", "assign_add"})
MAX_DEPTH = 6


class UnbuiltWeights(Value, Frozen):
    """``model.trainable_variables`` of a model proven unbuilt: ``[]`` in Keras 3. ``at`` is
    the attribute read, where SL314 is reported once the list reaches training."""

    __slots__ = ("at",)

    def __init__(self, at: ast.AST) -> None:
        self.at = at


def mark_built(value: Value) -> None:
    """Something the engine does not follow may have built this model or layer (a call on
    an input it cannot read, ``build``, ``fit``...): never claim it unbuilt again."""
    if isinstance(value, ModelValue):
        value.built = True
    elif isinstance(value, Instance):
        value.attrs[BUILT] = Const(True)
    elif isinstance(value, LayerValue) and value.built_shape is None:
        value.output_shape = UNKNOWN  # built for a shape the engine does not know


def proven_unbuilt(value: Value) -> bool:
    """The model certainly has no weights yet, though it will once built."""
    found = _unbuilt(value, 0)
    return found is not None and found


def _unbuilt(value: Value, depth: int) -> bool | None:
    """None: has no weights to build (or unknown); True: unbuilt and will have weights;
    False: may be built (or may hold weights already)."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, LayerValue):
        if value.built_shape is not None or value.output_shape is UNKNOWN:
            return False
        return True if value.rule.name.startswith(_WEIGHTED) else None
    if isinstance(value, ModelValue):
        if value.kind != "sequential" or value.built or value.input_shape is not None:
            return False
        return _all_unbuilt(value.layers, depth)
    if isinstance(value, Instance):
        if not _keras_layer_class(value.cls) or CALLED in value.attrs or \
                BUILT in value.attrs or WEIGHTS in value.attrs:
            return False  # (WEIGHTS: add_weight ran, in __init__)
        parts = [v for k, v in value.attrs.items() if not k.startswith("<")]
        found = _all_unbuilt(parts, depth)
        if found is None and _defines_build(value.cls):
            return True  # weights come from its own build() at the first call
        return found
    if isinstance(value, Seq):
        return _all_unbuilt(list(value.items), depth)
    if isinstance(value, ListOf):
        return _unbuilt(value.element, depth + 1)
    if isinstance(value, DictValue):
        return _all_unbuilt([v for _, v in value.items], depth)
    if isinstance(value, Tensor):
        return False if value.kind == "variable" else None  # a weight made in __init__
    if isinstance(value, Const | Ref | Function | ClassValue):
        return None
    return False  # unknown: it could be a layer, or a weight from add_weight


def _all_unbuilt(parts: list[Value], depth: int) -> bool | None:
    result: bool | None = None
    for part in parts:
        found = _unbuilt(part, depth + 1)
        if found is False:
            return False
        if found:
            result = True
    return result


def _keras_layer_class(cls: ClassValue) -> bool:
    """A subclass of a Keras Layer or Model (a ``tf.Module`` has no build step)."""
    for base in cls.bases:
        if isinstance(base, Ref) and base.name.startswith("keras."):
            return True
        if isinstance(base, ClassValue) and _keras_layer_class(base):
            return True
    return False


def _defines_build(cls: ClassValue) -> bool:
    if isinstance(cls.attrs.get("build"), Function):
        return True
    return any(isinstance(b, ClassValue) and _defines_build(b) for b in cls.bases)


def updates_in(body: list[ast.stmt]) -> bool:
    """A loop body that updates variables in place (``v.assign_sub(...)``)."""
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in _ASSIGNS:
                return True
    return False
