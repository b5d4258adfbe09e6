"""Abstract values: what the engine knows about the value of an expression.

All values are immutable and hashable so that a function body can be analysed once per
distinct argument state (memoisation keys are tuples of values). Provenance (``origin``) is
informative only and excluded from equality so it never defeats the memo.
"""

from __future__ import annotations

import ast

from ..domain.shapes import Dim, Shape, join_shape
from ..structs import Entity, Frozen, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Value:
    """Base class of every abstract value."""

    __slots__ = ()


class Unknown(Value, Frozen):
    """Nothing is known about the value (``UNKNOWN``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Unknown"


UNKNOWN = Unknown()


class Const(Value, Frozen):
    """A Python literal whose value is known (int, float, bool, str, None, complex)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        # 2, 2.0 and True are equal in Python, not to TensorFlow (a float dimension is
        # refused, True makes a bool tensor): equal values of the same type only.
        if other.__class__ is not Const:
            return NotImplemented
        theirs = other.value  # type: ignore[attr-defined]
        return type(self.value) is type(theirs) and self.value == theirs

    __hash__ = Frozen.__hash__


NONE = Const(None)


class SymDim(Value, Frozen):
    """A Python int whose value is a named symbol (e.g. ``x.shape[0]`` on a batch axis)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class IntIn(Value, Frozen):
    """A Python int known only to lie in ``[lo, hi]``, as ``symbol + delta``: ``i % m`` makes
    a fresh symbol (0 <= value < m), and adding a known int keeps it. Two values of one
    symbol differ by exactly their deltas, so ``x[o:o + k]`` is known to take ``k`` items
    where ``o`` and ``o + k`` fit in the axis. Each evaluation of ``%`` makes a new symbol,
    and a function call that returns one is never memoised (``memo.mutable``)."""

    __slots__ = ("symbol", "delta", "lo", "hi")

    def __init__(self, symbol: int, delta: int, lo: int, hi: int) -> None:
        self.symbol = symbol
        self.delta = delta
        self.lo = lo
        self.hi = hi


class Seq(Value, Frozen):
    """A tuple, list or TensorShape whose length is known."""

    __slots__ = ("items", "kind")

    def __init__(self, items: tuple[Value, ...], kind: str = "tuple") -> None:
        self.items = items
        self.kind = kind  # "tuple" | "list" | "shape"


class DictValue(Value, Frozen):
    """A dict literal or comprehension with known keys."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[tuple[Value, Value], ...]) -> None:
        self.items = items

    def get(self, key: Value) -> Value | None:
        for k, v in self.items:
            if k == key or (type(k) is Const and type(key) is Const and k.value == key.value):
                return v  # a dict finds 1 under True and 1.0, as Python's does
        return None


class ListOf(Value, Frozen):
    """A list of unknown length whose every element is ``element`` (loops, comprehensions).
    ``at_least`` is a proven lower bound of its length: a list appended to in a loop that
    certainly ran is not empty, so ``np.array`` of it has the elements' shape behind its
    first axis (an empty list would be ``(0,)``, another rank)."""

    __slots__ = ("element", "at_least")

    def __init__(self, element: Value, at_least: int = 0) -> None:
        self.element = element
        self.at_least = at_least


class GeneratorOf(ListOf):
    """What a fresh generator call yields: ``element`` joins them all; ``last`` is the value
    it certainly yields last (a minibatch generator's smaller last batch,
    ``core/interpreter/generators.py``)."""

    __slots__ = ("last",)

    def __init__(self, element: Value, at_least: int, last: Value) -> None:
        super().__init__(element, at_least)
        self.last = last


class SliceValue(Value, Frozen):
    """``start:stop:step`` inside a subscript."""

    __slots__ = ("start", "stop", "step")

    def __init__(self, start: Value, stop: Value, step: Value) -> None:
        self.start = start
        self.stop = stop
        self.step = step


class DType(Value, Frozen):
    """A dtype object (``tf.float32``, ``x.dtype``), by its dtype name (``"float32"``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Tensor(Value, Frozen):
    """A tf.Tensor, tf.Variable, NumPy array or Keras symbolic tensor. ``content``: the known
    int values of small int tensors (``tf.shape(x)``, ``[2, 3]``), so computed shape arguments
    stay known; ``scalar``: a 0-d float or bool tensor's known value (``domain/scalars.py``)."""

    __slots__ = ("shape", "dtype", "kind", "content", "trainable", "origin", "history",
                 "source", "deps", "grad_of", "parts", "scalar")
    _uncompared = ("origin", "history")

    def __init__(self, shape: Shape, dtype: str | None = None, kind: str = "tensor",
                 content: tuple[Dim, ...] | None = None, trainable: bool = True,
                 origin: str | None = None, history: tuple[Any, ...] = (),
                 source: int | None = None, deps: frozenset[tuple[int, int, str]] = frozenset(),
                 grad_of: int | None = None, parts: tuple[Tensor, ...] | None = None,
                 scalar: float | bool | None = None) -> None:
        self.shape = shape
        self.dtype = dtype
        self.kind = kind  # "tensor" | "variable" | "ndarray" | "keras" | "ragged" | "sparse"
        self.content = content
        self.trainable = trainable
        self.origin = origin
        # Keras layers that produced this symbolic tensor, in call order (functional models).
        self.history = history
        # Gradient provenance (tape.py): the token of a variable / watched tensor, and the
        # recorded paths (source token, tape token, status) this value depends on.
        self.source = source
        self.deps = deps
        self.grad_of = grad_of  # a tape.gradient result: the token of its source
        # A composite tensor's components, when known (shapefns/tf_ragged.py, tf_sparse.py):
        # "ragged": flat values, then each ragged axis's row lengths (outermost first, int
        # tensors whose content holds the lengths); "sparse": indices, values. A ragged
        # axis is DYNAMIC in ``shape``, as TF's static shape has None there.
        self.parts = parts
        self.scalar = scalar

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)

    def with_shape(self, shape: Shape, **changes: Any) -> Tensor:
        return replace(self, shape=shape, content=None, scalar=None, **changes)


class Ref(Value, Frozen):
    """A reference to a module, class or function of a library, by canonical name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class BoundMethod(Value, Frozen):
    """A method read from a value (``x.reshape``), not yet called."""

    __slots__ = ("receiver", "name")

    def __init__(self, receiver: Value, name: str) -> None:
        self.receiver = receiver
        self.name = name


class Function(Value, Entity):
    """A user-defined function or lambda; identity semantics."""

    __slots__ = ("node", "scope", "defaults", "kw_defaults", "decorators", "owner", "foreign")

    def __init__(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, scope: Any,
                 defaults: tuple[Value, ...] = (), kw_defaults: dict[str, Value] | None = None,
                 decorators: tuple[str, ...] = (), owner: Any = None,
                 foreign: bool = False) -> None:
        self.node = node
        self.scope = scope  # the defining Scope (closures)
        self.defaults = defaults
        self.kw_defaults = {} if kw_defaults is None else kw_defaults
        self.decorators = decorators
        self.owner = owner  # the ClassValue for methods
        self.foreign = foreign  # defined in another module of the workspace (nothing recorded)

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<lambda>")


class ModuleNamespace(Value, Entity):
    """A module of the user's workspace, analysed from its source: its top-level names."""

    __slots__ = ("name", "vars")

    def __init__(self, name: str, vars: dict[str, Value] | None = None) -> None:
        self.name = name
        self.vars = {} if vars is None else vars


class ClassValue(Value, Entity):
    """A class of the analysed code: its class-level names and bases; identity semantics."""

    __slots__ = ("node", "attrs", "bases")

    def __init__(self, node: ast.ClassDef, attrs: dict[str, Value] | None = None,
                 bases: tuple[Value, ...] = ()) -> None:
        self.node = node
        self.attrs = {} if attrs is None else attrs
        self.bases = bases


class Instance(Value, Entity):
    """An instance of a class of the analysed code, with its attributes; identity semantics."""

    __slots__ = ("cls", "attrs")

    def __init__(self, cls: ClassValue, attrs: dict[str, Value] | None = None) -> None:
        self.cls = cls
        self.attrs = {} if attrs is None else attrs


def tensor_of(v: Value) -> Tensor | None:
    return v if isinstance(v, Tensor) else None


def join(a: Value, b: Value) -> Value:
    """The value known on both paths of a branch or loop."""
    if a is b or a == b:
        return a
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return Tensor(
            join_shape(a.shape, b.shape),
            a.dtype if a.dtype == b.dtype else None,
            a.kind if a.kind == b.kind else "tensor",
            a.content if a.content == b.content else None,
            a.trainable and b.trainable,
            a.origin if a.origin == b.origin else None,
            source=a.source if a.source == b.source else None,
            deps=a.deps | b.deps | _maybe_self(a, b) | _maybe_self(b, a),
            scalar=a.scalar if Const(a.scalar) == Const(b.scalar) else None,
        )
    if isinstance(a, Seq) and isinstance(b, Seq) and len(a.items) == len(b.items):
        return Seq(tuple(join(x, y) for x, y in zip(a.items, b.items)), a.kind)
    if isinstance(a, Seq | ListOf) and isinstance(b, Seq | ListOf) and \
            "tuple" not in (getattr(a, "kind", "list"), getattr(b, "kind", "list")):
        elements = [*_elements(a), *_elements(b)]
        if not elements:
            return a
        element = elements[0]
        for other in elements[1:]:
            element = join(element, other)
        return ListOf(element, min(min_length(a), min_length(b)))
    return UNKNOWN


MAYBE_SELF = -3  # pseudo tape in ``deps``: "this value may be that variable itself"


def _maybe_self(a: Tensor, b: Tensor) -> frozenset[tuple[int, int, str]]:
    """A variable joined with another value (``r = v0 if c else v1 ** 2``) may still be the
    variable: its gradient w.r.t. it may be 1, never a proven None (tape.py)."""
    if a.source is None or a.source == b.source:
        return frozenset()
    return frozenset({(a.source, MAYBE_SELF, "ok")})


def min_length(v: Seq | ListOf) -> int:
    """The length a list certainly has at least."""
    return len(v.items) if isinstance(v, Seq) else v.at_least


def _elements(v: Seq | ListOf) -> tuple[Value, ...]:
    return v.items if isinstance(v, Seq) else (v.element,)


class Opaque(Value, Frozen):
    """A library object whose only interest is its methods (an optimizer, a loss)."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind


class TapeValue(Value, Entity):
    """A tf.GradientTape: what it watches and how it has been used so far."""

    __slots__ = ("token", "persistent", "watch_accessed", "watched", "active", "used_at",
                 "breaks", "with_line", "name", "accessed")

    def __init__(self, token: int, persistent: bool = False, watch_accessed: bool = True,
                 watched: set[int] | None = None, active: bool = False,
                 used_at: list[int] | None = None, breaks: dict[int, str] | None = None,
                 with_line: int = 0, name: str = "", accessed: set[int] | None = None) -> None:
        self.token = token
        self.persistent = persistent
        self.watch_accessed = watch_accessed
        self.watched = set() if watched is None else watched
        self.active = active
        self.used_at = [] if used_at is None else used_at  # lines of gradient/jacobian calls
        self.breaks = {} if breaks is None else breaks  # source token -> why unlinked
        # The `with tf.GradientTape() as <name>:` statement, for fixers.
        self.with_line = with_line
        self.name = name
        # Source tokens it recorded reads of.
        self.accessed = set() if accessed is None else accessed


class LayerValue(Value, Entity):
    """A Keras layer instance: its rule, constructor arguments, and (once called) the input
    shape it was built for. Mutable and compared by identity, like the real object."""

    __slots__ = ("rule", "config", "built_shape", "output_shape", "params", "line", "node",
                 "first_node")

    def __init__(self, rule: Any, config: Any, built_shape: Any = None,
                 output_shape: Any = None, params: int | None = None, line: int = 0,
                 node: Any = None, first_node: Any = None) -> None:
        self.rule = rule  # shapefns.keras_common.LayerRule
        self.config = config  # shapefns._common.Call holding the constructor arguments
        self.built_shape = built_shape  # the input shape(s) of the first call
        self.output_shape = output_shape
        self.params = params
        self.line = line
        self.node = node  # the constructor call, for findings about the layer itself
        # (input, output) of its first symbolic call (keras/layer_attrs.py), None, UNKNOWN
        self.first_node = first_node


class ModelValue(Value, Entity):
    """A Keras model: Sequential (``layers``), functional (``inputs``/``outputs``) or a
    subclassed model wrapped around an Instance. ``rows`` is the per-layer table."""

    __slots__ = ("kind", "layers", "inputs", "outputs", "input_shape", "built", "loss", "line")

    def __init__(self, kind: str, layers: list[Any] | None = None,
                 inputs: list[Any] | None = None, outputs: Any = None, input_shape: Any = None,
                 built: bool = False, loss: Any = None, line: int = 0) -> None:
        self.kind = kind  # "sequential" | "functional"
        self.layers = [] if layers is None else layers  # LayerValue | ModelValue
        self.inputs = [] if inputs is None else inputs  # Tensor (symbolic) per input
        self.outputs = outputs  # Value (Tensor or Seq of Tensors)
        self.input_shape = input_shape  # Sequential: declared input shape (with batch)
        self.built = built
        self.loss = loss  # the compiled loss (str name, or None)
        self.line = line
