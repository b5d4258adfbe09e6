"""Library objects that hand back a value the engine knows: the scopes whose ``with ... as``
target is their owner (``graph.as_default()`` enters as the graph), a graph's tensors
looked up by name, a TF1 function wrapped as a graph (``tf.compat.v1.wrap_function``), and a
``ClusterCoordinator``'s scheduled results (``RemoteValue``).

As probed under TF 2.21 (``tests/unit/api_handles_cases.py``; the oracle runs the same
programs, the coordinator's on an in-process cluster of one worker and one parameter
server): ``with tf.Graph().as_default() as g`` binds ``g`` to the graph itself, and so do a
summary writer's ``as_default()`` and a strategy's ``scope()``; ``g.get_tensor_by_name
("x:0")`` is a graph tensor whose shape and dtype come from whatever built or imported the
graph (an imported meta graph or GraphDef: a file), so both stay unknown here;
``coordinator.schedule(fn, args=...)`` traces and runs ``fn`` on a worker (a shape error in
it raises at the call), and the ``RemoteValue`` it returns gives ``fn``'s result as NumPy
values from ``fetch()`` and as tensors from ``get()``.
"""

from __future__ import annotations

from ..domain.values import NONE, UNKNOWN, Const, DictValue, Opaque, Seq, Tensor, Value
from ..structs import replace
from ._common import Call
from .api_objects import GRAPH, SCOPE, WRITER
from .registry import op

STRATEGY = "tf.distribute.Strategy"  # core/overlays/higher_order.py's kind
WRAPPED = "tf.compat.v1.wrap_function (a WrappedFunction)"
COORDINATOR = "tf.distribute.coordinator.ClusterCoordinator"
REMOTE = "tf.distribute.coordinator.RemoteValue"
COORDINATORS = ("tf.distribute.coordinator.ClusterCoordinator",
                "tf.distribute.experimental.coordinator.ClusterCoordinator")


class Entered(Opaque):
    """A context manager whose ``with ... as`` target is ``owner`` (TF's ``as_default()`` and
    ``scope()`` yield the object they were called on)."""

    __slots__ = ("owner",)

    def __init__(self, owner: Value) -> None:
        super().__init__(SCOPE)
        self.owner = owner


class RemoteValue(Opaque):
    """``coordinator.schedule(fn, ...)``'s handle on ``fn``'s result (``result``: unknown when
    it holds anything but plain values, which the incremental core must be free to share)."""

    __slots__ = ("result",)

    def __init__(self, result: Value) -> None:
        super().__init__(REMOTE)
        self.result = result if plain(result) else UNKNOWN


def plain(value: Value) -> bool:
    """Immutable through and through: constants, library objects of a kind, tensors that no
    graph recipe refers to, and structures of them (never a layer, model, tape or function)."""
    if isinstance(value, Tensor):
        return not value.history
    if isinstance(value, Seq):
        return all(plain(v) for v in value.items)
    if isinstance(value, DictValue):
        return all(plain(k) and plain(v) for k, v in value.items)
    return type(value) in (Const, Opaque) or value is UNKNOWN


def entered(context: Value) -> Value:
    """What ``with context as target`` binds: the owner of an ``Entered`` scope, else the
    context manager itself (a tape, a session)."""
    return context.owner if isinstance(context, Entered) else context


@op(f"{GRAPH}.as_default", f"{WRITER}.as_default", f"{STRATEGY}.scope")
def as_default(call: Call) -> Value:
    """``graph.as_default()`` / ``writer.as_default()`` / ``strategy.scope()``: a context
    manager entering as its owner (a strategy's overlay passes itself as the first argument;
    a graph or a writer is one of its kind)."""
    kind = call.name.rsplit(".", 1)[0]
    owner = call.args[0] if kind == STRATEGY and call.args else Opaque(kind)
    return Entered(owner)


@op(f"{GRAPH}.get_tensor_by_name")
def get_tensor_by_name(call: Call) -> Value:
    """``graph.get_tensor_by_name("x:0")``: a tensor of that graph, of the shape and dtype its
    builder gave (here: an imported graph's, read from a file): unknown rank and dtype."""
    return Tensor(None, None, origin=call.name)


@op("tf.wrap_function")
def wrap_function(call: Call) -> Value:
    """``tf.compat.v1.wrap_function(fn, signature)``: a concrete function holding ``fn``'s
    graph (``.graph``: core/overlays/handles.py)."""
    return Opaque(WRAPPED)


@op(*COORDINATORS)
def coordinator(call: Call) -> Value:
    return Opaque(COORDINATOR)


@op(f"{REMOTE}.fetch")
def fetch(call: Call) -> Value:
    """``remote.fetch()``: the result as NumPy values (a tensor's array of its shape)."""
    remote = call.arg(0, None)
    return _numpy(remote.result) if isinstance(remote, RemoteValue) else UNKNOWN


@op(f"{REMOTE}.get")
def get(call: Call) -> Value:
    """``remote.get()``: the result as (eager) tensors."""
    remote = call.arg(0, None)
    return remote.result if isinstance(remote, RemoteValue) else UNKNOWN


@op(f"{COORDINATOR}.join")
def join(call: Call) -> Value:
    return NONE


def _numpy(value: Value) -> Value:
    if isinstance(value, Tensor):
        if value.kind not in ("tensor", "variable", "ndarray") or value.dtype in (None, "string"):
            return UNKNOWN  # a string's fetch gives bytes; a composite is not an array
        return replace(value, kind="ndarray", origin="fetch()")  # as Tensor.numpy()
    if isinstance(value, Seq):
        return Seq(tuple(_numpy(v) for v in value.items), value.kind)
    if isinstance(value, DictValue):
        return DictValue(tuple((k, _numpy(v)) for k, v in value.items))
    return value if isinstance(value, Const) else UNKNOWN


HANDLE_KINDS = (WRAPPED, COORDINATOR, REMOTE)
# The names of this module (all but get_tensor_by_name with a non-tensor result, and a
# RemoteValue's results, which are fn's): bench/coverage.py.
NON_TENSOR_NAMES = frozenset({f"{GRAPH}.as_default", f"{WRITER}.as_default",
                              f"{STRATEGY}.scope", "tf.wrap_function", *COORDINATORS,
                              f"{COORDINATOR}.join"})
