"""The interpreter's door to library semantics: overlays, then the shape-function table.

A library call (``tf.reshape(...)``, ``keras.layers.Dense(...)``, ``tape.gradient(...)``)
is answered, in this order, by

1. an *overlay* registered for its qualified name (or for a family of names under a
   prefix): the library objects with state of their own, built here rather than computed
   (``tf.GradientTape``, optimizers, Keras layers and models, and whatever a new overlay
   registers: ``Overlays.builder``/``family``);
2. the shape-function table of ``shapefns`` (pure functions, ``@op`` under every alias).

A ``ShapeError`` becomes a finding at the call and the result becomes unknown (as the real
program would stop there). Every tensor result is handed to the provenance component
(``Provenance.op_result``), which records what it depends on differentiably.

Methods of library objects are overlays too: ``Overlays.method(kind, handler)`` serves
``receiver.name(...)`` for a ``TapeValue`` (kind ``"GradientTape"``) or an ``Opaque`` of that
kind (``"optimizer"``, or a new object's kind such as ``"tf.Session"``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ..domain.values import UNKNOWN, BoundMethod, Opaque, Seq, TapeValue, Tensor, Value
from ..shapefns import Call, ShapeError, ShapeFn, lookup
from ..structs import replace
from .interpreter.module_facts import numpy_promotion
from .lazylog import logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .interpreter.ports import ProvenanceApi
    from .interpreter.state import RunState

log = logger(__name__)

# builder(qualified name, args, kwargs, call node or None) -> the object, or None: not mine
Builder = Callable[[str, list[Value], dict[str, Value], "ast.AST | None"], "Value | None"]
# handler(receiver, method name, args, kwargs, call node) -> the method's result
MethodHandler = Callable[[Value, str, list[Value], dict[str, Value], ast.AST], Value]
# handler(receiver, attribute name) -> its value, or None: not mine (a bound method then)
AttributeHandler = Callable[[Value, str], "Value | None"]
# observer(qualified name, args, kwargs, result): told of every library call's result
Observer = Callable[[str, list[Value], dict[str, Value], Value], None]
# deferrer(qualified name, args, kwargs, error) -> the call's value, or None: report it now
Deferrer = Callable[[str, list[Value], dict[str, Value], ShapeError], "Value | None"]


class Overlays:
    """Library semantics registered per qualified name (pytype's overlays, mypy's plugins).

    ``builder(name, fn)`` answers one qualified name; ``family(prefix, fn)`` every name under
    a prefix, tried in registration order after the exact names; ``method(kind, fn)`` and
    ``attribute(kind, fn)`` the methods and attributes of a library object of that kind
    (``"GradientTape"`` for a tape, else ``Opaque.kind``); ``observe(fn)`` is told of every
    library call's result (a graph-mode overlay records the graph with it); ``defer(fn)`` may
    take over a shape function's error instead of a finding at the call (in a TF1 graph, a
    kernel's check fails at the ``run`` that fetches the op, not where it is built).
    """

    def __init__(self) -> None:
        self.builders: dict[str, Builder] = {}
        self.families: list[tuple[str, Builder]] = []
        self.methods: dict[str, MethodHandler] = {}
        self.attributes: dict[str, AttributeHandler] = {}
        self.observers: list[Observer] = []
        self.deferrers: list[Deferrer] = []

    def builder(self, name: str, fn: Builder) -> None:
        self.builders[name] = fn

    def family(self, prefix: str, fn: Builder) -> None:
        self.families.append((prefix, fn))

    def method(self, kind: str, fn: MethodHandler) -> None:
        self.methods[kind] = fn

    def attribute(self, kind: str, fn: AttributeHandler) -> None:
        self.attributes[kind] = fn

    def observe(self, fn: Observer) -> None:
        self.observers.append(fn)

    def defer(self, fn: Deferrer) -> None:
        self.deferrers.append(fn)

    def build(self, name: str, args: list[Value], kwargs: dict[str, Value],
              node: ast.AST | None) -> Value | None:
        """The library object ``name(*args, **kwargs)`` builds, or None: not an overlay's."""
        fn = self.builders.get(name)
        if fn is not None:
            built = fn(name, args, kwargs, node)
            if built is not None:
                return built
        for prefix, fn in self.families:
            if name.startswith(prefix):
                built = fn(name, args, kwargs, node)
                if built is not None:
                    return built
        return None

    def call_method(self, receiver: Value, name: str, args: list[Value],
                    kwargs: dict[str, Value], node: ast.AST) -> Value:
        kind = _kind(receiver)
        fn = self.methods.get(kind) if kind is not None else None
        return fn(receiver, name, args, kwargs, node) if fn is not None else UNKNOWN

    def get_attribute(self, receiver: Value, attr: str) -> Value:
        """``receiver.attr`` of a library object: its overlay's answer, else a bound method."""
        kind = _kind(receiver)
        fn = self.attributes.get(kind) if kind is not None else None
        found = fn(receiver, attr) if fn is not None else None
        return found if found is not None else BoundMethod(receiver, attr)


def _kind(receiver: Value) -> str | None:
    """The overlay kind of a library object: a tape, or an ``Opaque`` of some kind."""
    return "GradientTape" if isinstance(receiver, TapeValue) else \
        receiver.kind if isinstance(receiver, Opaque) else None


class LibraryCalls:
    """Calls of library functions: overlays, the shape-function table, provenance."""

    def __init__(self, state: RunState, overlays: Overlays, provenance: ProvenanceApi) -> None:
        self.state = state
        self.overlays = overlays
        self.provenance = provenance

    def call_library(self, name: str, args: list[Value], kwargs: dict[str, Value],
                     node: ast.AST | None, numpy: bool = False) -> Value:
        overlays = self.overlays
        result = overlays.build(name, args, kwargs, node)
        if result is None:
            fn = lookup(name)
            if fn is None:
                result = UNKNOWN
            else:
                try:
                    result = self._shape_function(fn, name, args, kwargs, node, numpy)
                except Exception:  # a bug in one shape function must not stop the analysis
                    if name not in self.state.failed_rules:
                        self.state.failed_rules.add(name)
                        log.exception("shape function for %s failed; result left unknown",
                                      name)
                    result = UNKNOWN
        for observe in overlays.observers:
            observe(name, args, kwargs, result)
        return result

    def _shape_function(self, fn: ShapeFn, name: str, args: list[Value],
                        kwargs: dict[str, Value], node: ast.AST | None, numpy: bool) -> Value:
        """The table's answer, recorded by provenance; a ``ShapeError`` is a finding at the
        call (unless graph execution prunes the op or checks it only eagerly)."""
        state = self.state
        try:
            result = fn(Call(name, args, kwargs, numpy, numpy_promotion(state.tree)))
        except ShapeError as err:
            for defer in self.overlays.deferrers:
                deferred = defer(name, args, kwargs, err)
                if deferred is not None:
                    return deferred
            if node is not None and not (err.runtime and state.pruned(node)) and \
                    not (err.eager_only and state.in_tf_function()):
                state.report(err.code, err.message, node)
            return UNKNOWN
        if isinstance(result, Tensor):
            result = _symbolic_history(result, args)
        return self.provenance.op_result(name, args, kwargs, result)


def _symbolic_history(result: Tensor, args: list[Value]) -> Tensor:
    """Ops on Keras symbolic tensors stay symbolic and remember the layers behind them."""
    history: tuple[object, ...] = ()
    keras = False
    for arg in args:
        items = arg.items if isinstance(arg, Seq) else (arg,)
        for item in items:
            if isinstance(item, Tensor) and item.kind == "keras":
                keras = True
                history += tuple(h for h in item.history if h not in history)
    if not keras:
        return result
    return replace(result, kind="keras", history=history)
