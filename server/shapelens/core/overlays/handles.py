"""The methods of a ``ClusterCoordinator`` and its ``RemoteValue``s, and a wrapped TF1
function's graph: library objects that call the user's function or hand back a value
(``shapefns/api_handles.py`` holds their values and what TF does with them).

``coordinator.schedule(fn, args=(...), kwargs={...})`` traces and runs ``fn`` on a worker,
so ``fn`` is called here with those arguments, as the program does, and its result kept in
the ``RemoteValue``; ``create_per_worker_dataset(dataset_fn)`` calls ``dataset_fn()`` (or
keeps a dataset it is given): what each worker iterates.
"""

from __future__ import annotations

import ast

from ...domain.values import NONE, UNKNOWN, DictValue, Function, Opaque, Seq, Value
from ...shapefns.api_handles import COORDINATOR, REMOTE, WRAPPED, RemoteValue
from ...shapefns.api_objects import BOOL, GRAPH, table_method
from ...shapefns.tf_data import DatasetValue

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import Overlays
    from ..interpreter.ports import CallsApi


class HandlesOverlay:
    """Coordinator methods that call user functions; RemoteValue and wrapped-function reads."""

    def __init__(self, calls: CallsApi) -> None:
        self.calls = calls

    def register(self, overlays: Overlays) -> None:
        overlays.method(COORDINATOR, self.coordinator_method)
        overlays.method(REMOTE, self.remote_method)
        overlays.attribute(WRAPPED, _wrapped_attribute)

    def coordinator_method(self, receiver: Value, name: str, args: list[Value],
                           kwargs: dict[str, Value], node: ast.AST) -> Value:
        if name == "schedule":
            return self._schedule(args, kwargs, node)
        if name == "create_per_worker_dataset":
            source = args[0] if args else kwargs.get("dataset_fn", UNKNOWN)
            if isinstance(source, Function):
                made = self.calls.call_value(source, [], {}, node)
                return made if isinstance(made, DatasetValue) else UNKNOWN
            return source if isinstance(source, DatasetValue) else UNKNOWN
        if name == "fetch":  # coordinator.fetch(remote or a structure of them)
            return _fetched(args[0] if args else kwargs.get("val", UNKNOWN))
        if name == "done":
            return BOOL
        return table_method(COORDINATOR, name, receiver, args, kwargs)  # join(): None

    def _schedule(self, args: list[Value], kwargs: dict[str, Value], node: ast.AST) -> Value:
        """``schedule(fn, args=(...), kwargs={...})``: ``fn`` called with them."""
        fn = args[0] if args else kwargs.get("fn", UNKNOWN)
        fn_args = args[1] if len(args) > 1 else kwargs.get("args", Seq((), "tuple"))
        fn_kwargs = args[2] if len(args) > 2 else kwargs.get("kwargs", NONE)
        if not isinstance(fn_args, Seq):
            return Opaque(REMOTE)
        named: dict[str, Value] = {}
        if isinstance(fn_kwargs, DictValue):
            for key, value in fn_kwargs.items:
                if not isinstance(getattr(key, "value", None), str):
                    return Opaque(REMOTE)
                named[key.value] = value  # type: ignore[attr-defined]
        elif fn_kwargs != NONE:
            return Opaque(REMOTE)
        return RemoteValue(self.calls.call_value(fn, list(fn_args.items), named, node))

    def remote_method(self, receiver: Value, name: str, args: list[Value],
                      kwargs: dict[str, Value], node: ast.AST) -> Value:
        """``fetch()`` / ``get()`` on a RemoteValue (``shapefns/api_handles.py``)."""
        return table_method(REMOTE, name, receiver, args, kwargs)


def _fetched(value: Value) -> Value:
    if isinstance(value, RemoteValue):
        return table_method(REMOTE, "fetch", value, [], {})
    if isinstance(value, Seq):
        return Seq(tuple(_fetched(v) for v in value.items), value.kind)
    return UNKNOWN


def _wrapped_attribute(receiver: Value, attr: str) -> Value | None:
    """``wrapped.graph``: the graph ``fn`` was traced into (a ``tf.Graph``); ``prune`` a
    method (whose result stays unknown); other attributes (``variables``...) unknown."""
    if attr == "graph":
        return Opaque(GRAPH)
    return None if attr == "prune" else UNKNOWN
