"""Abstract values: what the engine knows about the value of an expression.

All values are immutable and hashable so that a function body can be analysed once per
distinct argument state (memoisation keys are tuples of values). Provenance (``origin``) is
informative only and excluded from equality so it never defeats the memo.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace

from .shapes import Dim, Shape, join_shape

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Value:
    """Base class of every abstract value."""

    __slots__ = ()


@dataclass(frozen=True)
class Unknown(Value):
    """Nothing is known about the value (``UNKNOWN``)."""

    def __repr__(self) -> str:
        return "Unknown"


UNKNOWN = Unknown()


@dataclass(frozen=True)
class Const(Value):
    """A Python literal whose value is known (int, float, bool, str, None, complex)."""

    value: Any


NONE = Const(None)


@dataclass(frozen=True)
class SymDim(Value):
    """A Python int whose value is a named symbol (e.g. ``x.shape[0]`` on a batch axis)."""

    name: str


@dataclass(frozen=True)
class Seq(Value):
    """A tuple, list or TensorShape whose length is known."""

    items: tuple[Value, ...]
    kind: str = "tuple"  # "tuple" | "list" | "shape"


@dataclass(frozen=True)
class DictValue(Value):
    """A dict literal or comprehension with known keys."""

    items: tuple[tuple[Value, Value], ...]

    def get(self, key: Value) -> Value | None:
        for k, v in self.items:
            if k == key:
                return v
        return None


@dataclass(frozen=True)
class ListOf(Value):
    """A list of unknown length whose every element is ``element`` (loops, comprehensions)."""

    element: Value


@dataclass(frozen=True)
class SliceValue(Value):
    """``start:stop:step`` inside a subscript."""

    start: Value
    stop: Value
    step: Value


@dataclass(frozen=True)
class DType(Value):
    """A dtype object (``tf.float32``, ``x.dtype``), by its dtype name (``"float32"``)."""

    name: str


@dataclass(frozen=True)
class Tensor(Value):
    """A tf.Tensor, tf.Variable, NumPy array or Keras symbolic tensor.

    ``content`` holds the known integer values of small int vectors/scalars (``tf.shape(x)``,
    ``tf.constant([2, 3])``) so that computed shape arguments stay known.
    """

    shape: Shape
    dtype: str | None = None
    kind: str = "tensor"  # "tensor" | "variable" | "ndarray" | "keras"
    content: tuple[Dim, ...] | None = None
    trainable: bool = True
    origin: str | None = field(default=None, compare=False, hash=False)
    # Keras layers that produced this symbolic tensor, in call order (functional models).
    history: tuple[Any, ...] = field(default=(), compare=False, hash=False)
    # Gradient provenance (tape.py): the token of a variable / watched tensor, and the
    # recorded paths (source token, tape token, status) this value depends on.
    source: int | None = None
    deps: frozenset[tuple[int, int, str]] = frozenset()
    grad_of: int | None = None  # a tape.gradient result: the token of its source

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)

    def with_shape(self, shape: Shape, **changes: Any) -> Tensor:
        return replace(self, shape=shape, content=None, **changes)


@dataclass(frozen=True)
class Ref(Value):
    """A reference to a module, class or function of a library, by canonical name."""

    name: str


@dataclass(frozen=True)
class BoundMethod(Value):
    """A method read from a value (``x.reshape``), not yet called."""

    receiver: Value
    name: str


@dataclass(eq=False)
class Function(Value):
    """A user-defined function or lambda; identity semantics."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    scope: Any  # the defining Scope (closures)
    defaults: tuple[Value, ...] = ()
    kw_defaults: dict[str, Value] = field(default_factory=dict)
    decorators: tuple[str, ...] = ()
    owner: Any = None  # the ClassValue for methods
    foreign: bool = False  # defined in another module of the workspace (nothing recorded)

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<lambda>")

    __hash__ = object.__hash__


@dataclass(eq=False)
class ModuleNamespace(Value):
    """A module of the user's workspace, analysed from its source: its top-level names."""

    name: str
    vars: dict[str, Value] = field(default_factory=dict)

    __hash__ = object.__hash__


@dataclass(eq=False)
class ClassValue(Value):
    """A class of the analysed code: its class-level names and bases; identity semantics."""

    node: ast.ClassDef
    attrs: dict[str, Value] = field(default_factory=dict)
    bases: tuple[Value, ...] = ()

    __hash__ = object.__hash__


@dataclass(eq=False)
class Instance(Value):
    """An instance of a class of the analysed code, with its attributes; identity semantics."""

    cls: ClassValue
    attrs: dict[str, Value] = field(default_factory=dict)

    __hash__ = object.__hash__


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
            deps=a.deps | b.deps,
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
        return ListOf(element)
    return UNKNOWN


def _elements(v: Seq | ListOf) -> tuple[Value, ...]:
    return v.items if isinstance(v, Seq) else (v.element,)


@dataclass(frozen=True)
class Opaque(Value):
    """A library object whose only interest is its methods (an optimizer, a loss)."""

    kind: str


@dataclass(eq=False)
class TapeValue(Value):
    """A tf.GradientTape: what it watches and how it has been used so far."""

    token: int
    persistent: bool = False
    watch_accessed: bool = True
    watched: set[int] = field(default_factory=set)
    active: bool = False
    used_at: list[int] = field(default_factory=list)  # lines of gradient/jacobian calls
    breaks: dict[int, str] = field(default_factory=dict)  # source token -> why unlinked
    with_line: int = 0  # the `with tf.GradientTape() as <name>:` statement, for fixers
    name: str = ""
    accessed: set[int] = field(default_factory=set)  # source tokens it recorded reads of

    __hash__ = object.__hash__


@dataclass(eq=False)
class LayerValue(Value):
    """A Keras layer instance: its rule, constructor arguments, and (once called) the input
    shape it was built for. Mutable and compared by identity, like the real object."""

    rule: Any  # shapefns.keras_common.LayerRule
    config: Any  # shapefns._common.Call holding the constructor arguments
    built_shape: Any = None  # the input shape(s) of the first call
    output_shape: Any = None
    params: int | None = None
    line: int = 0
    node: Any = None  # the constructor call, for findings about the layer itself

    __hash__ = object.__hash__

    @property
    def class_name(self) -> str:
        return self.rule.name


@dataclass(eq=False)
class ModelValue(Value):
    """A Keras model: Sequential (``layers``), functional (``inputs``/``outputs``) or a
    subclassed model wrapped around an Instance. ``rows`` is the per-layer table."""

    kind: str  # "sequential" | "functional"
    layers: list[Any] = field(default_factory=list)  # LayerValue | ModelValue
    inputs: list[Any] = field(default_factory=list)  # Tensor (symbolic) per input
    outputs: Any = None  # Value (Tensor or Seq of Tensors)
    input_shape: Any = None  # Sequential: declared input shape (with batch), if any
    built: bool = False
    loss: Any = None  # the compiled loss (str name, or None)
    line: int = 0

    __hash__ = object.__hash__
