"""Graph-mode TensorFlow (TF 1.x, ``tensorflow.compat.v1``): sessions, ``feed_dict`` and the
checks TF makes only when the graph runs.

Building a TF1 graph runs TF's static shape inference, which the shape functions already model
(a placeholder's ``None`` is ``DYNAMIC``, so nothing depending on it is claimed). What they
cannot see is the run: ``sess.run(fetches, feed_dict={x: batch})`` first checks every fed value
against its placeholder (SL116, ``shapefns/tf1_session.py``), then runs the ops with the fed
shapes, and a kernel may fail on sizes that were dynamic when the graph was built (a reshape
of ``(50, 4, 4, 64)`` to ``(-1, 3136)``). TF raises that at the ``run`` line.

So while a program builds a graph (from its first placeholder on), every library call's result
is recorded with its arguments (``record``); a ``run`` or ``eval`` with feeds replays the ops
its fetches depend on with the fed shapes (``replay``): the same pure shape functions, on more
precise inputs. A replayed op that raises is a proven run-time failure, reported at the run.
A tensor is found again by identity (the interpreter passes the one object around), so a
value the analyzer rebuilt, joined or forgot is simply not replayed: silence, never a guess.

``GraphOverlay`` is the narrow interface for the interpreter: ``register(overlays)`` adds it to
the interpreter's library overlays (``core/evaluate.py``: builders, methods and attributes of
library objects by kind, observers of every library call).
"""

from __future__ import annotations

import ast
from typing import Any, Protocol

from ..shapefns import Call, ShapeError, lookup
from ..shapefns.tf1 import OPERATION, OPTIMIZER, SESSION
from ..shapefns.tf1_data import MNIST, next_batch, split_attribute
from ..shapefns.tf1_session import check_feeds, fetched
from .values import NONE, UNKNOWN, DictValue, Opaque, Seq, Tensor, Value

_MAX_DEPTH = 400  # ops replayed per fetch chain before giving up (silently)
_MAX_NODES = 200_000  # recorded ops per analysis


class Graph:
    """The ops of the graph being built: result identity → (op name, args, kwargs)."""

    def __init__(self) -> None:
        self.nodes: dict[int, tuple[str, list[Value], dict[str, Value], Value]] = {}
        self.active = False

    def record(self, name: str, args: list[Value], kwargs: dict[str, Value],
               result: Value) -> None:
        if name == "tf.placeholder":
            self.active = True
        if not self.active or len(self.nodes) >= _MAX_NODES:
            return
        pieces = result.items if isinstance(result, Seq) else (result,)
        for piece in pieces:
            if isinstance(piece, Tensor):
                # The result itself is kept alive too, so its id is never reused.
                self.nodes[id(piece)] = (name, args, kwargs, piece)

    def replay(self, value: Value, fed: dict[int, Tensor]) -> tuple[Value, ShapeError | None]:
        """``value`` computed again with the fed shapes; the first op that then fails."""
        memo: dict[int, Value] = {}
        failure: list[ShapeError] = []

        def again(v: Value, depth: int) -> Value:
            if failure or depth > _MAX_DEPTH:
                return v
            if isinstance(v, Seq):
                items = tuple(again(i, depth) for i in v.items)
                return v if items == v.items and all(
                    a is b for a, b in zip(items, v.items)) else Seq(items, v.kind)
            if not isinstance(v, Tensor):
                return v
            key = id(v)
            if key in fed:
                return fed[key]
            if key in memo:
                return memo[key]
            memo[key] = v  # cycles (never expected) end here
            node = self.nodes.get(key)
            if node is None:
                return v
            name, args, kwargs, _ = node
            new_args = [again(a, depth + 1) for a in args]
            new_kwargs = {k: again(a, depth + 1) for k, a in kwargs.items()}
            if all(a is b for a, b in zip(new_args, args)) and \
                    all(new_kwargs[k] is kwargs[k] for k in kwargs):
                return v
            result = _call(name, new_args, new_kwargs, failure)
            out = _piece_like(result, v)
            memo[key] = out
            return out

        result = again(value, 0)
        return result, (failure[0] if failure else None)


def _call(name: str, args: list[Value], kwargs: dict[str, Value],
          failure: list[ShapeError]) -> Value:
    fn = lookup(name)
    if fn is None:
        return UNKNOWN
    try:
        return fn(Call(name, args, kwargs))
    except ShapeError as err:
        if not err.eager_only:
            failure.append(err)
        return UNKNOWN
    except Exception:  # a shape function's bug: no claim
        return UNKNOWN


def _piece_like(result: Value, original: Tensor) -> Value:
    """The replayed counterpart of ``original`` (one piece of a list result: the piece of
    the same shape rank is not identifiable, so a list result is not replayed further)."""
    if isinstance(result, Tensor):
        return result
    return original if isinstance(result, Seq) else UNKNOWN


class Reporter(Protocol):
    """Where findings go (the interpreter's run state)."""

    def report(self, code: str, message: str, node: ast.AST) -> None: ...


_MNIST_KINDS = tuple(f"{MNIST}:{hot}{split}" for hot in ("0", "1", "?")
                     for split in ("", ":train", ":validation", ":test"))


class GraphOverlay:
    """Graph-mode TF as an overlay of the interpreter (see the module docstring): sessions,
    operations and TF1 optimizers as library objects with methods, MNIST data sets with
    attributes, ``Tensor.eval`` with feeds, and every library call's result recorded."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.graph = Graph()

    def register(self, overlays: Any) -> None:
        """Hook into ``core.evaluate.Overlays`` (builder / method / attribute / observe)."""
        overlays.builder("Tensor.eval", self._tensor_eval)
        overlays.method(SESSION, self._session_method)
        overlays.method(OPERATION, self._operation_method)
        overlays.method(OPTIMIZER, _optimizer_method)
        for kind in _MNIST_KINDS:
            overlays.attribute(kind, _mnist_attribute)
            overlays.method(kind, _mnist_method)
        overlays.observe(self.graph.record)

    def _tensor_eval(self, name: str, args: list[Value], kwargs: dict[str, Value],
                     node: ast.AST | None) -> Value | None:
        if not args or node is None:
            return None
        feed = args[1] if len(args) > 1 else kwargs.get("feed_dict", NONE)
        return self.run(args[0], feed, "Tensor.eval", node)

    def _session_method(self, _receiver: Value, name: str, args: list[Value],
                        kwargs: dict[str, Value], node: ast.AST) -> Value:
        if name == "run":
            fetches = args[0] if args else kwargs.get("fetches", UNKNOWN)
            feed = args[1] if len(args) > 1 else kwargs.get("feed_dict", NONE)
            return self.run(fetches, feed, "Session.run", node)
        return NONE if name == "close" else UNKNOWN

    def _operation_method(self, _receiver: Value, name: str, args: list[Value],
                          kwargs: dict[str, Value], node: ast.AST) -> Value:
        if name == "run":
            feed = args[0] if args else kwargs.get("feed_dict", NONE)
            self.run(NONE, feed, "Operation.run", node)
            return NONE
        return UNKNOWN

    def run(self, fetches: Value, feed: Value, where: str, node: ast.AST) -> Value:
        """Check the feeds, replay the fetches with them, and give back what ``run``
        returns; a failure is reported at ``node`` (the run), where TF raises it."""
        try:
            fed = check_feeds(feed, where)
        except ShapeError as err:
            self.reporter.report(err.code, err.message, node)
            return UNKNOWN
        if not fed or isinstance(fetches, DictValue):
            return fetched(fetches)
        replayed, failure = self.graph.replay(fetches, fed)
        if failure is not None:
            self.reporter.report(failure.code, f"{where} with the fed shapes fails: "
                                 f"{failure.message}", node)
            return UNKNOWN
        return fetched(replayed)


def _optimizer_method(_receiver: Value, name: str, _args: list[Value],
                      _kwargs: dict[str, Value], _node: ast.AST) -> Value:
    """A TF1 optimizer: ``minimize`` / ``apply_gradients`` build a training operation (no
    tape: graph-mode gradients are not the GradientTape rules' business)."""
    return Opaque(OPERATION) if name in ("minimize", "apply_gradients") else UNKNOWN


def _mnist_attribute(receiver: Value, attr: str) -> Value | None:
    if not isinstance(receiver, Opaque) or attr == "next_batch":
        return None
    return split_attribute(receiver, attr)


def _mnist_method(receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value],
                  _node: ast.AST) -> Value:
    if name == "next_batch" and isinstance(receiver, Opaque):
        return next_batch(receiver, args, kwargs)
    return UNKNOWN
