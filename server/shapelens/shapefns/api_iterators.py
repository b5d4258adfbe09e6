"""A seventh batch of APIs with three or more sites in ``bench/coverage.py``: a dataset
iterator's ``get_next_as_optional()`` and the ``tf.experimental.Optional`` it gives
(``has_value()``, ``get_value()``), the replica context of ``tf.distribute`` and its
``all_reduce``, a Keras 3 metric's ``stateless_update_state`` and ``ImageDataGenerator``'s
``flow_from_directory``.

Each result as probed under TF 2.21 / Keras 3 / NumPy 2.4 (``tests/unit/api_iterators_cases.py``
holds the engine to it, ``tests/oracle/test_api_iterators_oracle.py`` runs the same programs
under TF); nothing is invented: what the files or the devices decide stays unknown.
"""

from __future__ import annotations

from ..domain.values import UNKNOWN, DictValue, ListOf, Opaque, Seq, Tensor, Value
from ._common import Call
from .registry import op
from .tf_data import ITERATOR, DatasetValue, structure

PY_NUMBER = "py:number"

OPTIONAL = "tf.experimental.Optional"
# tf.distribute.get_replica_context(): the default replica context outside any strategy, the
# replica's inside strategy.run, None in a strategy's scope (cross-replica context).
REPLICA = "tf.distribute.ReplicaContext or None"
INPUT_CONTEXT = "tf.distribute.InputContext"
IMAGE_GENERATOR = "keras.preprocessing.image.ImageDataGenerator"
DIRECTORY_ITERATOR = "keras.preprocessing.image.DirectoryIterator"


class OptionalValue(Opaque):
    """A ``tf.experimental.Optional``: ``element`` is the value it holds when it has one."""

    __slots__ = ("element",)

    def __init__(self, element: Value) -> None:
        super().__init__(OPTIONAL)
        self.element = element


# ---------------------------------------------------------------- iterators and optionals
@op(f"{ITERATOR}.get_next_as_optional")
def get_next_as_optional(call: Call) -> Value:
    """``iterator.get_next_as_optional()``: an Optional holding the next element (what
    ``next(iterator)`` gives), empty at the end."""
    it = call.arg(0, None)
    if not isinstance(it, DatasetValue) or it.kind != ITERATOR:
        return UNKNOWN
    return OptionalValue(it.first if it.first is not None else it.element)


@op(f"{ITERATOR}.get_next")
def get_next(call: Call) -> Value:
    """``iterator.get_next()``: the next element, what ``next(iterator)`` gives
    (OutOfRangeError at the end)."""
    it = call.arg(0, None)
    if not isinstance(it, DatasetValue) or it.kind != ITERATOR:
        return UNKNOWN
    return it.first if it.first is not None else it.element


@op(f"{OPTIONAL}.has_value")
def has_value(call: Call) -> Value:
    """A bool scalar tensor (True when the Optional holds a value)."""
    return Tensor((), "bool", "tensor", origin=call.name) \
        if isinstance(call.arg(0, None), OptionalValue) else UNKNOWN


@op(f"{OPTIONAL}.get_value")
def get_value(call: Call) -> Value:
    """The element the Optional holds (InvalidArgumentError when it holds none: the value
    is what the call gives when it returns)."""
    opt = call.arg(0, None)
    return opt.element if isinstance(opt, OptionalValue) else UNKNOWN


@op(f"{OPTIONAL}.from_value")
def optional_from_value(call: Call) -> Value:
    """``tf.experimental.Optional.from_value(value)``: an Optional holding ``value``'s tensors."""
    element = structure(call.arg(0, "value"))
    return UNKNOWN if element is UNKNOWN else OptionalValue(element)


# ---------------------------------------------------------------- tf.distribute
@op("tf.distribute.get_replica_context")
def get_replica_context(call: Call) -> Value:
    """A replica context (the default one outside any strategy), or None in a strategy's
    cross-replica context: which one the engine does not follow, so the value is named so."""
    return Opaque(REPLICA)


def _reduced(v: Value) -> Value:
    """``all_reduce``'s result for ``v``: each tensor leaf a tensor of its shape and dtype (a
    NumPy array becomes a tensor), lists, tuples and dicts kept; anything else unknown."""
    if isinstance(v, Seq) and v.kind in ("tuple", "list"):
        items = tuple(_reduced(i) for i in v.items)
        return UNKNOWN if any(i is UNKNOWN for i in items) else Seq(items, v.kind)
    if isinstance(v, DictValue):
        pairs = tuple((k, _reduced(i)) for k, i in v.items)
        return UNKNOWN if any(i is UNKNOWN for _, i in pairs) else DictValue(pairs)
    if isinstance(v, Tensor) and v.kind in ("tensor", "variable", "ndarray") and \
            v.dtype is not None:
        return Tensor(v.shape, v.dtype, "tensor", origin="all_reduce")
    return UNKNOWN


@op(f"{REPLICA}.all_reduce")
def all_reduce(call: Call) -> Value:
    """``ctx.all_reduce(reduce_op, value)``: the value summed or averaged over the replicas,
    shaped like ``value`` (on None, the call is an AttributeError: no value to give)."""
    return _reduced(call.arg(1, "value"))


@op(f"{INPUT_CONTEXT}.get_per_replica_batch_size")
def per_replica_batch_size(call: Call) -> Value:
    """The global batch size divided by the number of replicas: a Python int the devices
    decide (ValueError when it does not divide)."""
    return Opaque(PY_NUMBER)


# ---------------------------------------------------------------- Keras 3 metrics
@op("keras.metric.stateless_update_state")
def stateless_update_state(call: Call) -> Value:
    """``metric.stateless_update_state(metric_variables, *args)``: the new values of the
    metric's variables, a list of tensors shaped like the ones given."""
    given = call.arg(0, "metric_variables")
    if isinstance(given, ListOf):
        element = _reduced(given.element)
        return UNKNOWN if element is UNKNOWN else ListOf(element, given.at_least)
    if isinstance(given, Seq) and given.kind in ("list", "tuple"):
        return _reduced(Seq(given.items, "list"))
    return UNKNOWN


# ---------------------------------------------------------------- Keras image generators
@op(f"{IMAGE_GENERATOR}.flow_from_directory")
def flow_from_directory(call: Call) -> Value:
    """A ``DirectoryIterator`` over the folder's images: its batches' shapes come from the
    files (and ``target_size``/``class_mode``), so its elements stay unknown."""
    return Opaque(DIRECTORY_ITERATOR)


# Kinds whose methods take the receiver (core/overlays/datasets.py) and kinds served by the
# shape table without it (core/overlays/library_objects.py): bench/coverage.py reads both.
RECEIVER_KINDS = (ITERATOR, OPTIONAL)
OBJECT_KINDS = (REPLICA, IMAGE_GENERATOR, INPUT_CONTEXT)

# The names of this module whose result is a known non-tensor value: bench/coverage.py.
NON_TENSOR_NAMES = frozenset({f"{ITERATOR}.get_next_as_optional", f"{OPTIONAL}.from_value",
                              "tf.distribute.get_replica_context",
                              f"{IMAGE_GENERATOR}.flow_from_directory",
                              f"{INPUT_CONTEXT}.get_per_replica_batch_size"})
