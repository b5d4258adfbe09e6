"""``tf.data.Dataset`` objects: their methods, the user functions they run, and iteration.

A dataset is a ``DatasetValue`` (``shapefns/tf_data.py``) holding its element structure. A
method call ``ds.batch(32)`` is the table's ``tf.data.Dataset.batch`` with the dataset first,
through the library door (so its errors are findings at the call). What only the interpreter
can do is here: ``map(fn)`` runs the user's function (or lambda, or layer) on the element, as
TF traces it — a tuple element's components are its arguments, a dict or tensor is the one
argument — and its result is the new element (a list is a tuple there); ``filter`` and
``take_while`` run the predicate for what it finds; ``flat_map``/``interleave``/``apply`` take
the dataset their function returns. ``iter(ds)``, ``next(...)`` and ``enumerate(ds)`` give
the element as an eager loop sees it; ``ds.element_spec`` is the spec itself.
"""

from __future__ import annotations

import ast

from ...domain.values import UNKNOWN, Const, DType, Opaque, Seq, Value
from ...shapefns.api_iterators import RECEIVER_KINDS
from ...shapefns.tf_data import (
    DATASET,
    ITERATOR,
    DatasetValue,
    element_value,
    iteration_element,
    structure,
)
from ...shapefns.tf_data_sources import TENSOR_SPEC, TensorSpecValue
from ..interpreter.operators import dim_value
from .dataset_ends import agreeing, run_aside

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import Overlays
    from ..interpreter.ports import CallsApi, LibraryApi
    from ..interpreter.state import RunState

_FUNCTION_METHODS = ("map", "filter", "take_while", "flat_map", "interleave", "apply")


class DatasetOverlay:
    """Datasets' methods and attributes, the methods that call user functions, and the
    builtins that iterate a dataset."""

    def __init__(self, state: RunState, library: LibraryApi, calls: CallsApi) -> None:
        self.state = state
        self.library = library
        self.calls = calls

    def register(self, overlays: Overlays) -> None:
        overlays.method(DATASET, self.method)
        for kind in RECEIVER_KINDS:  # iterator.get_next_as_optional(), optional.get_value()
            overlays.method(kind, self.receiver_method)
        overlays.attribute(DATASET, self.attribute)
        overlays.attribute(TENSOR_SPEC, spec_attribute)
        for name in _FUNCTION_METHODS:
            overlays.builder(f"{DATASET}.{name}", self.with_function)
        overlays.builder("builtins.iter", self.iterate)
        overlays.builder("builtins.next", self.iterate)
        overlays.builder("builtins.enumerate", self.iterate)

    def method(self, receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value],
               node: ast.AST) -> Value:
        assert isinstance(receiver, Opaque)
        return self.library.call_library(f"{DATASET}.{name}", [receiver, *args], kwargs, node)

    def receiver_method(self, receiver: Value, name: str, args: list[Value],
                        kwargs: dict[str, Value], node: ast.AST) -> Value:
        """A method of an iterator or Optional: the table's ``<kind>.<name>``."""
        assert isinstance(receiver, Opaque)
        return self.library.call_library(f"{receiver.kind}.{name}", [receiver, *args], kwargs,
                                         node)

    def attribute(self, receiver: Value, attr: str) -> Value | None:
        if attr == "element_spec" and isinstance(receiver, DatasetValue):
            return receiver.element
        return None

    def with_function(self, name: str, args: list[Value], kwargs: dict[str, Value],
                      node: ast.AST | None) -> Value | None:
        """``ds.map(fn)`` and its kin; None (the table's unknown element) when the engine
        cannot call the function."""
        ds = args[0] if args else UNKNOWN
        fn = args[1] if len(args) > 1 else kwargs.get(
            "transformation_func" if name.endswith("apply") else
            "predicate" if name.endswith(("filter", "take_while")) else "map_func", UNKNOWN)
        if not isinstance(ds, DatasetValue) or ds.kind != DATASET or node is None or \
                fn is UNKNOWN or isinstance(fn, Const):
            return None
        method = name.rsplit(".", 1)[-1]
        if method == "apply":
            out = self.calls.call_value(fn, [ds], {}, node)
            return out if isinstance(out, DatasetValue) and out.kind == DATASET else None
        element = element_value(ds.element, traced=True)
        if element is UNKNOWN:
            return None
        self.state.traced += 1  # a graph function: no ``if`` decided by a tensor's value
        try:
            out = self.calls.call_value(fn, list(element.items) if isinstance(element, Seq)
                                        else [element], {}, node)
        finally:
            self.state.traced -= 1
        if method in ("filter", "take_while"):
            return DatasetValue(ds.element)
        if method in ("flat_map", "interleave"):
            return DatasetValue(out.element) if isinstance(out, DatasetValue) and \
                out.kind == DATASET else None
        element = structure(out, list_is_tensor=False)
        first, last = self.mapped_ends(ds, fn, element, node)
        return DatasetValue(element, count=ds.count, first=first, last=last)

    def mapped_ends(self, ds: DatasetValue, fn: Value, element: Value,
                    node: ast.AST) -> tuple[Value | None, Value | None]:
        """``map`` after ``batch``: the first and last batch through ``fn``
        (``dataset_ends.py``); (None, None) when either is not certain."""
        if ds.first is None or ds.last is None or self.state.in_tf_function():
            return None, None
        ends = []
        for batch in (ds.first, ds.last):
            out = run_aside(self.state, self.calls, fn, batch, node)
            refined = None if out is None else agreeing(element, structure(
                out, list_is_tensor=False))
            if refined is None:
                return None, None
            ends.append(refined)
        return ends[0], ends[1]

    def iterate(self, name: str, args: list[Value], kwargs: dict[str, Value],
                node: ast.AST | None) -> Value | None:
        """``iter(ds)``, ``next(iterator)``, ``enumerate(ds)``; None for anything else."""
        given = args[0] if len(args) == 1 and not kwargs else None
        if not isinstance(given, DatasetValue):
            return None
        if name == "builtins.next":
            if given.kind != ITERATOR:
                return None
            return given.first if given.first is not None else given.element
        traced = self.state.in_tf_function()
        element = iteration_element(given, traced)
        first, last = (None, None) if traced else (given.first, given.last)
        if name == "builtins.enumerate":
            def pair(v: Value | None) -> Value | None:
                return None if v is None else Seq((UNKNOWN, v), "tuple")
            return DatasetValue(pair(element) or UNKNOWN, ITERATOR, given.count, pair(first),
                                pair(last))
        return DatasetValue(element, ITERATOR, given.count, first, last)


def spec_attribute(receiver: Value, attr: str) -> Value | None:
    """``spec.shape`` (a TensorShape, ``None`` where the spec has None) and ``spec.dtype``."""
    if not isinstance(receiver, TensorSpecValue):
        return None
    if attr == "shape":
        return UNKNOWN if receiver.shape is None else \
            Seq(tuple(dim_value(d) for d in receiver.shape), "shape")
    if attr == "dtype":
        return DType(receiver.dtype) if receiver.dtype else UNKNOWN
    return None
