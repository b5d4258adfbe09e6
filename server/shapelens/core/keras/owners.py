"""Whose weights a Keras call uses, and whose weights a ``trainable_variables`` list holds.

Gradient provenance stands for a layer's or model's weights by the object itself (its token is
``id(owner)``). A model call uses the weights of every layer inside it, nested models and
subclassed layers included, so ``tape.gradient(loss_of_model_call, inner.trainable_variables)``
is connected (TF 2.21: no ``None``); and a model's weights are its layers' weights, so a
loss computed by calling one of its layers alone reaches ``model.trainable_variables``.

Both sides are over-approximations, with a flag when the engine cannot see everything:

* ``used_by`` (a call's side): the owner and every layer, model and subclassed-layer instance
  inside it. ``wild`` when the call may read variables that are not found that way: a
  ``Lambda`` layer or a subclassed layer inside a Sequential/functional model (their Python
  code ran once, when the graph was built, and may use any global layer or variable), or an
  item the engine does not know.
* ``held_by`` (a weights list's side): the owner, its layers, and the variables its
  subclassed layers made with ``add_weight``. ``complete`` is False when an attribute of a
  subclassed object may hide more (an unknown value).
"""

from __future__ import annotations

from ...domain.values import (
    BoundMethod,
    ClassValue,
    Const,
    DictValue,
    DType,
    Function,
    Instance,
    LayerValue,
    ListOf,
    ModelValue,
    Opaque,
    Ref,
    Seq,
    SliceValue,
    SymDim,
    Tensor,
)
from .summary import model_layers

# OWNED, a pseudo tape in the ``deps`` of a layer's or model's weights: ``(owner token,
# OWNED, "ok")`` for each object whose weights are among them (a model's layers);
# ``OWNED_UNKNOWN`` when some may hide weights the engine cannot see. ANY_SOURCE, a pseudo
# source on a call's result: through that tape it may depend on any variable (``wild``).
OWNED = -4
OWNED_UNKNOWN = (0, OWNED, "incomplete")
ANY_SOURCE = -5
MAX_DEPTH = 8
WEIGHTS = "<weights>"  # subclass.py: the variables add_weight made
FUNCTIONAL = "<functional>"  # subclass.py: keras.Model(inputs, outputs) subclass


class Owners:
    """Tokens found, and whether the walk may have missed any."""

    __slots__ = ("tokens", "missed")

    def __init__(self) -> None:
        self.tokens: set[int] = set()
        self.missed = False


def used_by(owner: object) -> tuple[set[int], bool]:
    """The tokens of the weights a call of ``owner`` (a layer or model) may use, and
    whether it may use others too (``wild``)."""
    found = Owners()
    _call_walk(owner, found, 0, in_graph=False)
    return found.tokens, found.missed


def held_by(owner: object) -> tuple[set[int], bool]:
    """The tokens ``owner.trainable_variables`` stands for, and whether that is all."""
    found = Owners()
    _held_walk(owner, found, 0)
    return found.tokens, not found.missed


def _call_walk(owner: object, found: Owners, depth: int, in_graph: bool) -> None:
    if depth > MAX_DEPTH:
        found.missed = True
        return
    if isinstance(owner, LayerValue):
        if id(owner) in found.tokens:
            return
        found.tokens.add(id(owner))
        if owner.rule.name == "Lambda":
            found.missed = True  # its function ran at build time: what it used is unseen
        for arg in _layer_args(owner):  # a wrapper's layer, an RNN's cells
            _call_walk(arg, found, depth + 1, in_graph)
    elif isinstance(owner, ModelValue):
        if id(owner) in found.tokens:
            return
        found.tokens.add(id(owner))
        for item in model_layers(owner):
            _call_walk(item, found, depth + 1, in_graph=True)
    elif isinstance(owner, Instance):
        if id(owner) in found.tokens:
            return
        found.tokens.add(id(owner))
        functional = owner.attrs.get(FUNCTIONAL)
        if isinstance(functional, ModelValue):
            _call_walk(functional, found, depth + 1, in_graph=True)
        if in_graph:  # its call() is not re-run by the model call: it may use anything
            found.missed = True
    else:
        found.missed = True


def _layer_args(owner: LayerValue) -> list[object]:
    """The layers, models and objects a layer's constructor was given, also inside a list
    (``StackedRNNCells([cell, cell])``, ``RNN([cell, cell])``)."""
    found: list[object] = []
    for arg in (*owner.config.args, *owner.config.kwargs.values()):
        items = arg.items if isinstance(arg, Seq) else (arg,)
        found += [v for v in items if isinstance(v, LayerValue | ModelValue | Instance)]
    return found


def _held_walk(owner: object, found: Owners, depth: int) -> None:
    if depth > MAX_DEPTH:
        found.missed = True
        return
    if isinstance(owner, Seq | DictValue):
        for item in owner.items if isinstance(owner, Seq) else (v for _, v in owner.items):
            _held_walk(item, found, depth + 1)
        return
    if isinstance(owner, ListOf):  # one element standing for many objects
        probe = Owners()
        _held_walk(owner.element, probe, depth + 1)
        found.missed = found.missed or probe.missed or bool(probe.tokens)
        return
    if isinstance(owner, Tensor):
        if owner.kind == "variable" and owner.source is not None:
            found.tokens.add(owner.source)  # a weight made by add_weight or tf.Variable
        return
    if not isinstance(owner, LayerValue | ModelValue | Instance):
        if not isinstance(owner, _PLAIN):
            found.missed = True
        return
    if id(owner) in found.tokens:
        return
    found.tokens.add(id(owner))
    if isinstance(owner, LayerValue):
        for arg in _layer_args(owner):
            _held_walk(arg, found, depth + 1)
    elif isinstance(owner, ModelValue):
        for item in model_layers(owner):
            _held_walk(item, found, depth + 1)
    else:
        for key, value in owner.attrs.items():
            if key.startswith("__") or (key.startswith("<") and key not in (WEIGHTS,
                                                                              FUNCTIONAL)):
                continue
            _held_walk(value, found, depth + 1)


# Values that hold no weights: constants, dtypes, functions, classes, library names and
# objects of a named kind (a loss, a metric's result...).
_PLAIN = (Const, DType, Function, ClassValue, Ref, BoundMethod, SymDim, SliceValue, Opaque)


def weights_of(owner: object, shape: tuple[object, ...] | None, trainable: bool = True,
               dtype: str = "float32") -> Tensor:
    """One weight of ``owner`` (or any of them): a variable standing for the owner's
    weights, whose ``deps`` name the layers they belong to (``provenance/deps.py``)."""
    tokens, complete = held_by(owner)
    tokens.discard(id(owner))
    marks = {(token, OWNED, "ok") for token in tokens}
    if not complete:
        marks.add(OWNED_UNKNOWN)
    return Tensor(shape, dtype, "variable", trainable=trainable,  # type: ignore[arg-type]
                  source=id(owner), deps=frozenset(marks))
