"""Library functions that call the user's functions: ``tf.function(f)`` (the call form),
``tf.cond``, ``tf.while_loop``, ``tf.nest.map_structure``, ``tf.ragged.map_flat_values``, a
distribution strategy's ``run``,
DTensor's ``call_with_layout`` and ``timeit.timeit(fn)``; and the strategy and DTensor calls
that only pass a tensor through.

A shape function cannot call a user function, so these are builders on the ``Overlays``
table that call the function values through the call part (``CallsApi.call_value``), as the
real program does. Branches TF may not run are analysed with their findings silenced
(``state.dead``): outside a ``tf.function`` only one branch of ``tf.cond`` runs, and a
``while_loop`` body runs only when its condition holds; inside one, TF traces both branches
and the body, so an error there is certain and is reported.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ...domain.values import (
    UNKNOWN,
    Const,
    DictValue,
    Function,
    Opaque,
    Ref,
    Seq,
    Tensor,
    Value,
    join,
)
from ...shapefns.api_objects import table_method
from ...shapefns.tf_ragged import C, make, ragged_rank, rows_of
from ...structs import replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import LibraryCalls, Overlays
    from ..interpreter.ports import CallsApi
    from ..interpreter.state import RunState

STRATEGY = "tf.distribute.Strategy"
_STRATEGIES = ("tf.distribute.MirroredStrategy", "tf.distribute.OneDeviceStrategy",
               "tf.distribute.get_strategy", "tf.distribute.MultiWorkerMirroredStrategy",
               "tf.distribute.experimental.CentralStorageStrategy",
               "tf.distribute.experimental.MultiWorkerMirroredStrategy",
               "tf.distribute.experimental.ParameterServerStrategy",
               "tf.distribute.ParameterServerStrategy")
DTENSOR = "tf.experimental.dtensor."
_NO_VALUE = object()


class HigherOrderOverlay:
    """Builders that call user functions; the methods of strategy objects."""

    def __init__(self, state: RunState, calls: CallsApi, library: LibraryCalls) -> None:
        self.state = state
        self.calls = calls
        self.library = library

    def register(self, overlays: Overlays) -> None:
        overlays.builder("tf.function", self.function)
        overlays.builder("tf.cond", self.cond)
        overlays.builder("tf.while_loop", self.while_loop)
        overlays.builder("tf.nest.map_structure", self.map_structure)
        overlays.builder("tf.ragged.map_flat_values", self.map_flat_values)
        for name in ("tf.map_fn", "tf.vectorized_map"):
            overlays.builder(name, self.map_fn)
        for name in _STRATEGIES:
            overlays.builder(name, self.strategy)
        overlays.method(STRATEGY, self.strategy_method)
        overlays.attribute(STRATEGY, self.strategy_attribute)
        overlays.builder(DTENSOR + "call_with_layout", self.call_with_layout)
        for name in ("copy_to_mesh", "relayout"):
            overlays.builder(DTENSOR + name, self.pass_through)
        overlays.builder(DTENSOR + "DVariable", self.dvariable)
        for name in ("timeit.timeit", "timeit.repeat"):
            overlays.builder(name, self.timeit)

    # ------------------------------------------------------------------ tf.function
    def function(self, name: str, args: list[Value], kwargs: dict[str, Value],
                 node: ast.AST | None) -> Value | None:
        """``tf.function(f)``: ``f`` traced as a graph function (a library function stays
        itself); ``tf.function(jit_compile=True)`` is the decorator still to apply."""
        fn = args[0] if args else kwargs.get("func", _NO_VALUE)
        if fn is _NO_VALUE:
            return Ref("tf.function")
        if isinstance(fn, Function):
            if "tf.function" in fn.decorators:
                return fn
            return replace(fn, decorators=(*fn.decorators, "tf.function"))
        return fn if isinstance(fn, Ref) else UNKNOWN

    def timeit(self, name: str, args: list[Value], kwargs: dict[str, Value],
               node: ast.AST | None) -> Value | None:
        """``timeit.timeit(fn, number=n)`` calls ``fn()`` (a guide's benchmark of a function
        is its only call); the timing itself is a float of no interest."""
        stmt = args[0] if args else kwargs.get("stmt")
        if node is not None and isinstance(stmt, Function):
            self.calls.call_value(stmt, [], {}, node)
        return UNKNOWN

    # ------------------------------------------------------------------ control flow
    def _call(self, fn: Value, args: list[Value], node: ast.AST, silent: bool) -> Value:
        """Call ``fn``; with ``silent``, findings inside are dropped (it may not run)."""
        if silent:
            self.state.dead += 1
        try:
            return self.calls.call_value(fn, args, {}, node)
        finally:
            if silent:
                self.state.dead -= 1

    def cond(self, name: str, args: list[Value], kwargs: dict[str, Value],
             node: ast.AST | None) -> Value | None:
        """``tf.cond(pred, true_fn, false_fn)``: both branches joined (a graph keeps the most
        specific shape both have; eagerly the taken branch, whose shape this never
        contradicts). Eagerly only one branch runs: their findings stay silent there."""
        true_fn = args[1] if len(args) > 1 else kwargs.get("true_fn")
        false_fn = args[2] if len(args) > 2 else kwargs.get("false_fn")
        if node is None or true_fn is None or false_fn is None:
            return UNKNOWN
        silent = not self.state.in_tf_function()
        a = self._call(true_fn, [], node, silent)
        b = self._call(false_fn, [], node, silent)
        joined = _joined_result(a, b)
        if isinstance(joined, Seq):
            return Seq(tuple(self._tensor(i, node) if isinstance(i, Tensor) else i
                             for i in joined.items), joined.kind)
        return self._tensor(joined, node) if isinstance(joined, Tensor) else joined

    def while_loop(self, name: str, args: list[Value], kwargs: dict[str, Value],
                   node: ast.AST | None) -> Value | None:
        """``tf.while_loop(cond, body, loop_vars)``: the loop variables, when one run of the
        body keeps every shape and dtype (each later run then does too); else unknown."""
        body = args[1] if len(args) > 1 else kwargs.get("body")
        loop_vars = args[2] if len(args) > 2 else kwargs.get("loop_vars")
        if node is None or body is None or loop_vars is None or \
                kwargs.keys() & {"shape_invariants"}:
            return UNKNOWN
        spread = list(loop_vars.items) if isinstance(loop_vars, Seq) else [loop_vars]
        out = self._call(body, spread, node, not self.state.in_tf_function())
        if isinstance(loop_vars, Seq):
            if not isinstance(out, Seq) or len(out.items) != len(spread):
                return UNKNOWN
            items = [_kept(a, b) for a, b in zip(spread, out.items)]
            kept_all = [i for i in items if i is not None]
            if len(kept_all) != len(items):
                return UNKNOWN
            return Seq(tuple(self._tensor(i, node) for i in kept_all), "tuple")
        kept = _kept(loop_vars, out)
        return UNKNOWN if kept is None else self._tensor(kept, node)

    def _tensor(self, value: Value, node: ast.AST) -> Value:
        """``value`` as the op's output tensor, through the library door so that gradient
        provenance sees what it is computed from (a variable read inside a tape)."""
        return self.library.call_library("tf.identity", [value], {}, node)

    def map_fn(self, name: str, args: list[Value], kwargs: dict[str, Value],
               node: ast.AST | None) -> Value | None:
        """``tf.map_fn(fn, elems)`` / ``tf.vectorized_map(fn, elems)``: ``fn`` of one row of
        ``elems`` (a tensor or a tuple of them), stacked along a new first axis of ``elems``'s
        length. ``fn`` runs only if there is a row: eagerly, findings in it need a known
        nonzero length."""
        fn = args[0] if args else kwargs.get("fn")
        elems = args[1] if len(args) > 1 else kwargs.get("elems")
        rows = list(elems.items) if isinstance(elems, Seq) else [elems]
        if node is None or fn is None or not rows or \
                not all(isinstance(r, Tensor) and r.shape for r in rows):
            return UNKNOWN
        first = [r for r in rows if isinstance(r, Tensor)]
        n = first[0].shape[0] if first[0].shape else None
        row = [self.library.call_library("operator.getitem", [r, Const(0)], {}, None,
                                         numpy=r.kind == "ndarray") for r in first]
        silent = not self.state.in_tf_function() and not (isinstance(n, int) and n > 0)
        self.state.traced += 1  # one row stands for all: its value decides no ``if``
        try:
            out = self._call(fn, [Seq(tuple(row), elems.kind) if isinstance(elems, Seq) else
                                  row[0]], node, silent)
        finally:
            self.state.traced -= 1
        if isinstance(out, Seq):
            return Seq(tuple(self._stacked(i, n, node) for i in out.items), out.kind)
        return self._stacked(out, n, node)

    def map_structure(self, name: str, args: list[Value], kwargs: dict[str, Value],
                      node: ast.AST | None) -> Value | None:
        """``tf.nest.map_structure(func, *structures)``: ``func`` called on each group of
        corresponding leaves, as the program does, the results in the first structure's
        shape (unknown when the structures differ or are not known)."""
        fn = args[0] if args else kwargs.get("func")
        if node is None or fn is None or len(args) < 2 or \
                any(kwargs.get(k, Const(True)) != Const(True) for k in kwargs if k != "func"):
            return UNKNOWN
        return _mapped(list(args[1:]), lambda leaves: self.calls.call_value(fn, leaves, {},
                                                                            node))

    def map_flat_values(self, name: str, args: list[Value], kwargs: dict[str, Value],
                        node: ast.AST | None) -> Value | None:
        """``tf.ragged.map_flat_values(op, *args)``: ``op`` called on the flat values of the
        one ragged argument (the others as they are), its result put back in that tensor's
        row partitions. Several ragged arguments (TF requires equal partitions), or a result
        whose first dim is not the flat values' (TF's ValueError), stay unknown."""
        fn = args[0] if args else kwargs.get("op")
        ragged = [a for a in args[1:] if isinstance(a, Tensor) and a.kind == "ragged"]
        rt = ragged[0] if len(ragged) == 1 else None
        rank = ragged_rank(rt) if rt is not None else None
        if node is None or fn is None or set(kwargs) - {"op"} or rt is None or \
                rt.shape is None or rank is None:
            return UNKNOWN
        flat = self.library.call_library(C + "Tensor.flat_values@", [rt], {}, None)
        if not isinstance(flat, Tensor) or flat.shape is None:
            return UNKNOWN
        out = self.calls.call_value(fn, [flat if a is rt else a for a in args[1:]], {}, node)
        if not isinstance(out, Tensor) or out.kind not in ("tensor", "variable") or \
                not out.shape or (isinstance(flat.shape[0], int) and
                                  isinstance(out.shape[0], int) and
                                  out.shape[0] != flat.shape[0]):
            return UNKNOWN
        values = replace(out, shape=(flat.shape[0], *out.shape[1:]), kind="tensor")
        result = make((*rt.shape[:rank + 1], *out.shape[1:]), out.dtype, rows_of(rt), values,
                      origin="tf.ragged.map_flat_values")
        # computed from op's result (what the tapes recorded of it), as tf.identity would be
        return self.library.provenance.op_result("tf.identity", [out], {}, result)

    def _stacked(self, out: Value, n: object, node: ast.AST) -> Value:
        if not isinstance(out, Tensor) or out.shape is None:
            return UNKNOWN
        result = self._tensor(out, node)
        if not isinstance(result, Tensor):
            return UNKNOWN
        dim = n if isinstance(n, int | str) else None
        return replace(result, shape=(dim, *out.shape), content=None, origin="tf.map_fn")

    # ------------------------------------------------------------------ distribution
    def strategy(self, name: str, args: list[Value], kwargs: dict[str, Value],
                 node: ast.AST | None) -> Value | None:
        return Opaque(STRATEGY)

    def strategy_method(self, receiver: Value, name: str, args: list[Value],
                        kwargs: dict[str, Value], node: ast.AST) -> Value:
        """``run(fn, args=(...))`` calls ``fn`` (one replica's result: what a one-device
        strategy returns); ``reduce(op, value, axis)`` and the dataset wrappers keep shapes."""
        if name == "run":
            fn = args[0] if args else kwargs.get("fn", UNKNOWN)
            fn_args = args[1] if len(args) > 1 else kwargs.get("args", Seq((), "tuple"))
            fn_kwargs = kwargs.get("kwargs")
            if not isinstance(fn_args, Seq) or fn_kwargs is not None:
                return UNKNOWN
            return self.calls.call_value(fn, list(fn_args.items), {}, node)
        if name == "reduce":
            return self._reduce(args, kwargs, node)
        if name in ("experimental_distribute_dataset", "distribute_datasets_from_function"):
            return args[0] if name == "experimental_distribute_dataset" and args else UNKNOWN
        return table_method(STRATEGY, name, receiver, args, kwargs)  # scope(): api_objects

    def _reduce(self, args: list[Value], kwargs: dict[str, Value], node: ast.AST) -> Value:
        value = args[1] if len(args) > 1 else kwargs.get("value", UNKNOWN)
        axis = args[2] if len(args) > 2 else kwargs.get("axis", Const(None))
        if not isinstance(value, Tensor):
            return UNKNOWN
        if isinstance(axis, Const) and axis.value is None:
            return replace(value, kind="tensor", origin="strategy.reduce", scalar=None)
        return self.library.call_library("tf.reduce_sum", [value], {"axis": axis}, node)

    def strategy_attribute(self, receiver: Value, attr: str) -> Value | None:
        """``num_replicas_in_sync`` depends on the machine: unknown, never a method."""
        return UNKNOWN if attr in ("num_replicas_in_sync", "extended", "cluster_resolver") \
            else None

    # ------------------------------------------------------------------ DTensor
    def call_with_layout(self, name: str, args: list[Value], kwargs: dict[str, Value],
                         node: ast.AST | None) -> Value | None:
        """``call_with_layout(fn, layout, *args, **kwargs)`` is ``fn(*args, **kwargs)`` laid
        out on the mesh: the same global shape."""
        fn = args[0] if args else kwargs.get("fn")
        if node is None or fn is None or "fn" in kwargs:
            return UNKNOWN
        rest = {k: v for k, v in kwargs.items() if k != "layout"}
        return self.calls.call_value(fn, args[2:], rest, node)

    def pass_through(self, name: str, args: list[Value], kwargs: dict[str, Value],
                     node: ast.AST | None) -> Value | None:
        """``copy_to_mesh(t, layout)`` / ``relayout(t, layout)``: ``t``'s global shape."""
        value = args[0] if args else kwargs.get("tensor", UNKNOWN)
        if isinstance(value, Tensor) and value.kind == "tensor":
            return value
        return self.library.call_library("tf.convert_to_tensor", [value], {}, node)

    def dvariable(self, name: str, args: list[Value], kwargs: dict[str, Value],
                  node: ast.AST | None) -> Value | None:
        """``DVariable(initial_value)``: a variable of the initial value's shape."""
        return self.library.call_library("tf.Variable", args, kwargs, node)


def _joined_result(a: Value, b: Value) -> Value:
    """Both branches' results joined, element by element for tuples; unknown otherwise."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        joined = join(a, b)
        return joined if isinstance(joined, Tensor) else UNKNOWN
    if isinstance(a, Seq) and isinstance(b, Seq) and len(a.items) == len(b.items):
        return Seq(tuple(_joined_result(x, y) for x, y in zip(a.items, b.items)), a.kind)
    return UNKNOWN


def _kept(before: Value, after: Value) -> Value | None:
    """A loop variable whose shape and dtype one run of the body keeps: its value (as a
    tensor, depending on what either run's value depends on), else None."""
    if isinstance(before, Tensor) and isinstance(after, Tensor) and \
            before.shape is not None and before.shape == after.shape and \
            before.dtype == after.dtype:
        joined = join(before, after)  # what both may depend on differentiably, too
        if isinstance(joined, Tensor):
            return replace(joined, shape=before.shape)
    return None


def _mapped(structures: list[Value], call: Callable[[list[Value]], Value],
            depth: int = 0) -> Value:
    """tf.nest's map over same-shaped structures: tuples and lists item by item, dicts of str
    keys value by value (in sorted key order, as tf.nest calls them), tensors, TensorShapes
    and Python scalars as leaves; anything else, or structures that differ, unknown."""
    first = structures[0]
    if depth > 20:
        return UNKNOWN
    if isinstance(first, Seq) and first.kind in ("tuple", "list"):
        seqs = [s for s in structures if isinstance(s, Seq) and s.kind == first.kind and
                len(s.items) == len(first.items)]
        if len(seqs) != len(structures):
            return UNKNOWN
        return Seq(tuple(_mapped([s.items[i] for s in seqs], call, depth + 1)
                         for i in range(len(first.items))), first.kind)
    if isinstance(first, DictValue):
        keys = [k for k, _ in first.items]
        dicts = [dict(s.items) if isinstance(s, DictValue) else None for s in structures]
        if not all(isinstance(k, Const) and isinstance(k.value, str) for k in keys) or \
                any(d is None or set(d) != set(keys) for d in dicts):
            return UNKNOWN
        done = {k: _mapped([d[k] for d in dicts if d is not None], call, depth + 1)
                for k in sorted(keys, key=lambda k: str(getattr(k, "value", "")))}
        return DictValue(tuple((k, done[k]) for k in keys))
    leaf = (Tensor, Const)
    if all(isinstance(s, leaf) or (isinstance(s, Seq) and s.kind == "shape")
           for s in structures):
        return call(structures)
    return UNKNOWN
