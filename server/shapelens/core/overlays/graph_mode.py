"""Graph-mode TensorFlow (TF 1.x, ``tensorflow.compat.v1``): sessions, ``feed_dict`` and the
checks TF makes only when the graph runs.

Building a TF1 graph runs TF's static shape inference, which the shape functions already model
(a placeholder's ``None`` is ``DYNAMIC``, so nothing depending on it is claimed). What they
cannot see is the run: ``sess.run(fetches, feed_dict={x: batch})`` first checks every fed value
against its placeholder (SL116, ``shapefns/tf1_session.py``), then runs the ops with the fed
shapes, and a kernel may fail on sizes that were dynamic when the graph was built (a reshape
of ``(50, 4, 4, 64)`` to ``(-1, 3136)``). TF raises that at the ``run`` line.

So in a module that builds a graph (it creates placeholders or imports ``compat.v1``), every
library call's tensor result carries its recipe, the op and its arguments (``record``); a
``run`` or ``eval`` with feeds replays the ops its fetches depend on with the fed shapes
(``replay``): the same pure shape functions, on more precise inputs. A replayed op that raises
is a proven run-time failure, reported at the run. A fed placeholder is found by identity (the
interpreter passes the one object around), and a value the analyzer rebuilt, joined or forgot
has no recipe, so it is simply not replayed: silence, never a guess.

``GraphOverlay`` is the narrow interface for the interpreter: ``register(overlays)`` adds it to
the interpreter's library overlays (``core/evaluate.py``: builders, methods and attributes of
library objects by kind, observers of every library call).
"""

from __future__ import annotations

import ast

from ...domain.shapes import Shape
from ...domain.values import NONE, UNKNOWN, DictValue, Opaque, Seq, Tensor, Value
from ...shapefns import Call, ShapeError, lookup
from ...shapefns.tf1 import OPERATION, OPTIMIZER, SESSION
from ...shapefns.tf1_data import MNIST, next_batch, split_attribute
from ...shapefns.tf1_session import check_feeds, fetched
from ..interpreter.module_facts import statement_fact, text_lacks

_MAX_DEPTH = 400  # ops replayed per fetch chain before giving up (silently)
_NOT_RUNTIME = frozenset({"SL111"})  # dtype mismatches: decided when the graph was built


class Recipe:
    """How a graph tensor was computed: the op, its arguments, which piece of a list result
    it is, and the shape it had (a tensor later rebuilt with another shape is not it).
    ``failure``: the op's kernel will certainly fail when a run computes it."""

    __slots__ = ("name", "args", "kwargs", "index", "shape", "failure")

    def __init__(self, name: str, args: list[Value], kwargs: dict[str, Value],
                 index: int | None, shape: Shape, failure: ShapeError | None = None) -> None:
        self.name = name
        self.args = args
        self.kwargs = kwargs
        self.index = index
        self.shape = shape
        self.failure = failure


class Graph:
    """The graph being built. Each op result carries its ``Recipe`` in ``Tensor.history``
    (informative, never compared: equality, hashing and the memo ignore it), so a value
    replayed from an earlier run by the incremental analysis, or returned by a memoised
    function, still knows how it was computed: the replay depends on values only."""

    def __init__(self, active: bool = False) -> None:
        self.active = active

    def record(self, name: str, args: list[Value], kwargs: dict[str, Value],
               result: Value) -> None:
        if name in ("tf.placeholder", "tf.placeholder_with_default"):
            self.active = True
        if not self.active:
            return
        pieces = result.items if isinstance(result, Seq) else (result,)
        inputs = [*args, *kwargs.values()]
        for i, piece in enumerate(pieces):
            # Only a tensor this call made: never one of its inputs handed back, nor one
            # that already carries a history (Keras layers, an earlier recipe).
            if isinstance(piece, Tensor) and not piece.history and \
                    not any(piece is x for x in inputs):
                recipe = Recipe(name, args, kwargs, i if isinstance(result, Seq) else None,
                                piece.shape)
                object.__setattr__(piece, "history", (recipe,))

    def defer(self, name: str, args: list[Value], kwargs: dict[str, Value],
              err: ShapeError) -> Value | None:
        """While a graph is built, a check only the kernel makes (an index value) fails at
        the run that computes the op, if any does (TF prunes what no fetch needs); a check
        graph execution never makes is no finding at all."""
        if not self.active or not (err.runtime or err.eager_only):
            return None
        if err.eager_only:
            return UNKNOWN
        # Kept without its traceback: its frames would keep the whole run (the interpreter
        # and every local on the stack) alive as long as this value (results, sessions).
        return Tensor(None, history=(Recipe(name, args, kwargs, None, None,
                                            err.with_traceback(None)),))

    def doomed(self, fetches: Value) -> ShapeError | None:
        """The kernel failure a run of ``fetches`` certainly meets, if one is recorded on
        the ops they depend on."""
        seen: set[int] = set()
        stack: list[Value] = [fetches]
        while stack and len(seen) <= _MAX_DEPTH:
            v = stack.pop()
            if id(v) in seen:
                continue
            seen.add(id(v))
            if isinstance(v, Seq):
                stack.extend(v.items)
            elif isinstance(v, DictValue):
                stack.extend(value for _, value in v.items)
            elif isinstance(v, Tensor) and len(v.history) == 1 and \
                    isinstance(v.history[0], Recipe):
                recipe = v.history[0]
                if recipe.failure is not None:
                    return recipe.failure
                stack.extend([*recipe.args, *recipe.kwargs.values()])
        return None

    def replay(self, value: Value, fed: dict[int, Tensor]) -> tuple[Value, ShapeError | None]:
        """``value`` computed again with the fed shapes; the first op that then fails."""
        memo: dict[int, Value] = {}
        failure: list[ShapeError] = []

        def again(v: Value, depth: int) -> Value:
            if failure or depth > _MAX_DEPTH:
                return v
            if isinstance(v, Seq):
                items = tuple(again(i, depth) for i in v.items)
                return v if all(a is b for a, b in zip(items, v.items)) else Seq(items, v.kind)
            if not isinstance(v, Tensor):
                return v
            key = id(v)
            if key in fed:
                return fed[key]
            if key in memo:
                return memo[key]
            memo[key] = v  # cycles (never expected) end here
            recipe = v.history[0] if len(v.history) == 1 else None
            if not isinstance(recipe, Recipe) or recipe.shape != v.shape:
                return v
            new_args = [again(a, depth + 1) for a in recipe.args]
            new_kwargs = {k: again(a, depth + 1) for k, a in recipe.kwargs.items()}
            if all(a is b for a, b in zip(new_args, recipe.args)) and \
                    all(new_kwargs[k] is recipe.kwargs[k] for k in recipe.kwargs):
                return v
            result = _call(recipe.name, new_args, new_kwargs, failure)
            if recipe.index is not None:
                result = result.items[recipe.index] if isinstance(result, Seq) and \
                    recipe.index < len(result.items) else UNKNOWN
            out = result if isinstance(result, Tensor) else UNKNOWN
            memo[key] = out
            return out

        result = again(value, 0)
        return result, (failure[0] if failure else None)


def graph_mode_module(tree: ast.Module) -> bool:
    """Does the module build a TF1 graph (a placeholder, or compat.v1 imported)? Read from
    its text, so every run of an incremental analysis agrees on it. Answered per top-level
    statement (per member in a class) and kept on the statement (``module_facts``): an
    edited module keeps its unchanged statements' nodes, so this is no walk of the file."""
    found = tree.__dict__.get("_shapelens_graph")  # (asked by the overlay and ``truth``)
    if found is None:
        found = tree.__dict__["_shapelens_graph"] = any(
            statement_fact(stmt, "_shapelens_graph", _builds_graph) for stmt in tree.body)
    return found  # type: ignore[no-any-return]


def _builds_graph(stmt: ast.stmt) -> bool:
    if text_lacks(stmt, *_GRAPH_WORDS):
        return False
    if isinstance(stmt, ast.ClassDef):
        return any(statement_fact(s, "_shapelens_graph", _builds_graph) for s in stmt.body) \
            or any(_graph_node(n) for root in [*stmt.bases, *stmt.keywords,
                                              *stmt.decorator_list] for n in ast.walk(root))
    return any(_graph_node(node) for node in ast.walk(stmt))


def _graph_node(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr in _GRAPH_NAMES:
        return True
    if isinstance(node, ast.Import | ast.ImportFrom):
        names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
        return any("compat.v1" in n for n in names)
    return False


_GRAPH_NAMES = frozenset({"placeholder", "placeholder_with_default", "disable_v2_behavior",
                          "disable_eager_execution"})
_GRAPH_WORDS = ("placeholder", "disable_v2_behavior", "disable_eager_execution", "compat.v1")


def _call(name: str, args: list[Value], kwargs: dict[str, Value],
          failure: list[ShapeError]) -> Value:
    fn = lookup(name)
    if fn is None:
        return UNKNOWN
    try:
        return fn(Call(name, args, kwargs, numpy=name.startswith(("np.", "ndarray."))))
    except ShapeError as err:
        # Feeds change sizes, never dtypes: a dtype error here is no run-time failure (the
        # op was built with the same dtypes), only a sign the call differs from the build.
        if not err.eager_only and err.code not in _NOT_RUNTIME:
            failure.append(err.with_traceback(None))  # (see ``defer``)
        return UNKNOWN
    except Exception:  # a shape function's bug: no claim
        return UNKNOWN


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

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
        tree = getattr(reporter, "tree", None)
        self.graph = Graph(isinstance(tree, ast.Module) and graph_mode_module(tree))

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
        overlays.defer(self.graph.defer)

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
        doomed = self.graph.doomed(fetches)
        if doomed is not None:
            self.reporter.report(doomed.code, f"{where} fails: {doomed.message}", node)
            return UNKNOWN
        if not fed or isinstance(fetches, DictValue):
            return fetched(fetches)
        replayed, failure = self.graph.replay(fetches, fed)
        if failure is not None:
            self.reporter.report(failure.code, f"{where} with the fed shapes fails: "
                                 f"{failure.message}", node)
            return UNKNOWN
        return fetched(replayed)


def _optimizer_method(_receiver: Value, name: str, args: list[Value],
                      kwargs: dict[str, Value], _node: ast.AST) -> Value:
    """A TF1 optimizer: ``minimize`` / ``apply_gradients`` build a training operation (no
    tape: graph-mode gradients are not the GradientTape rules' business);
    ``compute_gradients(loss, var_list)`` gives ``(gradient, variable)`` pairs, the gradient
    ``None`` for a variable the loss does not depend on, so unknown here."""
    if name in ("minimize", "apply_gradients"):
        return Opaque(OPERATION)
    if name == "compute_gradients":
        var_list = kwargs.get("var_list", args[1] if len(args) > 1 else None)
        if isinstance(var_list, Seq) and all(isinstance(v, Tensor) for v in var_list.items):
            return Seq(tuple(Seq((UNKNOWN, v)) for v in var_list.items), "list")
    return UNKNOWN


def _mnist_attribute(receiver: Value, attr: str) -> Value | None:
    if not isinstance(receiver, Opaque) or attr == "next_batch":
        return None
    return split_attribute(receiver, attr)


def _mnist_method(receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value],
                  _node: ast.AST) -> Value:
    if name == "next_batch" and isinstance(receiver, Opaque):
        return next_batch(receiver, args, kwargs)
    return UNKNOWN
