"""What every shape function shares: the call it receives, the error it raises, and the
conversions from Python literals (shape arguments, axes, nested lists) to dims and tensors.

A shape function takes a ``Call`` and returns a ``Value``. It raises ``ShapeError`` only when
the known shapes make TensorFlow's failure certain; anything it cannot decide is ``UNKNOWN``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.names import dtype_from_name, dtype_from_string
from ..domain.shapes import DYNAMIC, Dim, Shape, format_list, is_known
from ..domain.values import (
    UNKNOWN,
    Const,
    DType,
    ListOf,
    Ref,
    Seq,
    SymDim,
    Tensor,
    Unknown,
    Value,
    join,
)
from ..structs import Mutable
from .promotion import np_float_result as np_float_result  # re-exported
from .promotion import np_promote as np_promote
from .promotion import np_weak_promote as np_weak_promote

PROMOTE_OPERATORS = 1
PROMOTE_ALL = 2


class ShapeError(Exception):
    """A proven shape error; ``code`` is a rule code from the catalogue.

    ``runtime`` marks a check only the op's kernel makes (index values, not shapes): inside
    a ``tf.function`` it fires only if the op runs, and graph execution prunes an op whose
    result nothing uses (TF's "non-strict execution"). ``eager_only`` marks a check that
    graph mode may never make (Grappler folds the op away first): silent inside a
    ``tf.function``."""

    def __init__(self, code: str, message: str, runtime: bool = False,
                 eager_only: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.runtime = runtime
        self.eager_only = eager_only


_MISSING = Unknown()


def _absent(v: Value) -> bool:
    """Not given, or given as ``None``: the op's own default applies."""
    return v is _MISSING or (isinstance(v, Const) and v.value is None)


class Call(Mutable):
    """A call of a library function with abstract arguments.

    ``numpy`` is True when the function is NumPy's, so results are ``ndarray``s with NumPy
    dtype defaults (float64, int64).
    """

    __slots__ = ("name", "args", "kwargs", "numpy", "promote")

    def __init__(self, name: str, args: list[Value], kwargs: dict[str, Value] | None = None,
                 numpy: bool = False, promote: int = 0) -> None:
        self.name = name
        self.args = args
        self.kwargs = {} if kwargs is None else kwargs
        self.numpy = numpy
        # tnp.experimental_enable_numpy_behavior() in the program: PROMOTE_OPERATORS (its
        # default "legacy" mode: tensor operators promote like NumPy) or PROMOTE_ALL ("all"/
        # "safe" modes: tf.add, tf.matmul... too). A dtype conflict is then no certain error.
        self.promote = promote

    def promotes(self) -> bool:
        """Does TF promote mixed dtypes here (instead of raising) under NumPy behaviour?"""
        return self.promote >= PROMOTE_ALL or (self.promote >= PROMOTE_OPERATORS and
                                               self.name.startswith("operator."))

    def arg(self, pos: int | None, name: str | None, default: Value = _MISSING) -> Value:
        if name is not None and name in self.kwargs:
            return self.kwargs[name]
        if pos is not None and pos < len(self.args):
            return self.args[pos]
        return default

    def has(self, pos: int | None, name: str | None) -> bool:
        return self.arg(pos, name) is not _MISSING

    def flag(self, pos: int | None, name: str | None, default: bool = False) -> bool | None:
        """A boolean argument: ``default`` when absent (or ``None``), ``None`` when it is
        given but the analyzer cannot tell its value (never read as the default)."""
        v = self.arg(pos, name)
        return default if _absent(v) else to_bool(v)

    def dtype_arg(self, pos: int | None, name: str | None,
                  default: str | None = None) -> str | None:
        """A ``dtype=`` argument: ``default`` when absent (or ``None``), ``None`` when it is
        given but not known, so that an unknown dtype is never taken for the default."""
        v = self.arg(pos, name)
        return default if _absent(v) else to_dtype(v)

    def tensor(self, pos: int | None, name: str | None) -> Tensor | None:
        return to_tensor(self.arg(pos, name), numpy=self.numpy)

    @property
    def short(self) -> str:
        """A user-facing op name: ``tf.reshape``, ``np.concatenate``."""
        return self.name

    def result(self, shape: Shape, dtype: str | None, origin: str | None = None,
               content: tuple[Dim, ...] | None = None) -> Tensor:
        return Tensor(shape, dtype, "ndarray" if self.numpy else "tensor", content,
                      origin=origin)


ShapeFn = Callable[[Call], Value]


def on_either(flag: bool | None, compute: Callable[[bool], Value]) -> Value:
    """``compute(flag)``, or, for a flag the analyzer cannot read, both outcomes: an error is
    certain only when both raise, and a program that runs took a branch that did not raise,
    so its value is the other branch's, or the join of the two."""
    if flag is not None:
        return compute(flag)
    outcomes: list[Value] = []
    first_error: ShapeError | None = None
    for choice in (False, True):
        try:
            outcomes.append(compute(choice))
        except ShapeError as err:
            first_error = first_error or err
    if not outcomes:
        assert first_error is not None
        raise first_error
    return outcomes[0] if len(outcomes) == 1 else join(outcomes[0], outcomes[1])


# ---------------------------------------------------------------- Python values -> dims

def to_int(v: Value) -> int | None:
    if isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool):
        return v.value
    if isinstance(v, Tensor) and v.shape == () and v.content and isinstance(v.content[0], int):
        return v.content[0]
    return None


def to_dim(v: Value) -> Dim:
    """A shape-argument element: known int, symbol, or None."""
    n = to_int(v)
    if n is not None:
        return n
    if isinstance(v, SymDim):
        return v.name
    if isinstance(v, Tensor) and v.shape == () and v.content:
        return v.content[0]
    return None


def to_dims(v: Value) -> tuple[Dim, ...] | None:
    """A shape argument (tuple, list, TensorShape, int tensor with known content) → dims.

    Returns None when even the length is unknown.
    """
    if isinstance(v, Seq):
        return tuple(to_dim(item) for item in v.items)
    if isinstance(v, Tensor):
        if v.content is not None and v.shape is not None and len(v.shape) == 1:
            return v.content
        if v.shape is not None and len(v.shape) == 1 and isinstance(v.shape[0], int):
            return (None,) * v.shape[0]
        if v.shape == () and v.content:
            return v.content
    n = to_int(v)
    if n is not None:
        return (n,)
    return None


def to_static_dims(v: Value) -> tuple[Dim, ...] | None:
    """A static-shape argument (``keras.Input(shape=...)``, ``batch_shape=``,
    ``input_shape=``, ``tf.TensorShape``): a literal ``None`` element is a *proven* dynamic
    dimension (``DYNAMIC``), unlike an element the analyzer cannot evaluate (unknown)."""
    if isinstance(v, Seq):
        return tuple(DYNAMIC if isinstance(item, Const) and item.value is None
                     else to_dim(item) for item in v.items)
    return to_dims(v)


def to_axes(v: Value) -> tuple[int, ...] | None:
    """An axis argument as a tuple of ints; None when not statically known."""
    n = to_int(v)
    if n is not None:
        return (n,)
    dims = to_dims(v) if isinstance(v, Seq | Tensor) else None
    if dims is not None and all(isinstance(d, int) for d in dims):
        return tuple(d for d in dims if isinstance(d, int))
    return None


def to_dtype(v: Value) -> str | None:
    if isinstance(v, DType):
        return v.name
    if isinstance(v, Const) and isinstance(v.value, str):
        return dtype_from_string(v.value)
    if isinstance(v, Ref):
        if v.name in ("float", "builtins.float"):
            return "float64"
        if v.name in ("int", "builtins.int"):
            return "int64"
        if v.name in ("bool", "builtins.bool"):
            return "bool"
        return dtype_from_name(v.name)
    return None


def to_bool(v: Value) -> bool | None:
    if isinstance(v, Const) and isinstance(v.value, bool | int):
        return bool(v.value)
    return None


def to_str(v: Value) -> str | None:
    if isinstance(v, Const) and isinstance(v.value, str):
        return v.value
    return None


# ---------------------------------------------------------------- literals -> tensors

def _literal_dtype(value: object, numpy: bool) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64" if numpy else "int32"
    if isinstance(value, float):
        return "float64" if numpy else "float32"
    if isinstance(value, complex):
        return "complex128"
    if isinstance(value, str):
        return None if numpy else "string"
    return None


_RANK_ORDER = {"bool": 0, "int32": 1, "int64": 2, "float32": 3, "float64": 4, "complex128": 5}


def _combine_literal_dtypes(dtypes: list[str | None]) -> str | None:
    if not dtypes or any(d is None for d in dtypes):
        return None
    known = [d for d in dtypes if d is not None]
    return max(known, key=lambda d: _RANK_ORDER.get(d, -1))


def to_tensor(v: Value, numpy: bool = False) -> Tensor | None:
    """What ``tf.convert_to_tensor`` / ``np.asarray`` would make of a value, if known."""
    if isinstance(v, Tensor):
        return v
    if isinstance(v, Const):
        if v.value is None:
            return None
        dtype = _literal_dtype(v.value, numpy)
        content = (v.value,) if isinstance(v.value, int) and not isinstance(v.value, bool) \
            else None
        return Tensor((), dtype, "ndarray" if numpy else "tensor", content, origin="literal")
    if isinstance(v, SymDim):
        return Tensor((), "int64" if numpy else "int32", "ndarray" if numpy else "tensor",
                      (v.name,))
    if isinstance(v, Seq):
        if v.kind == "shape":
            dims = tuple(to_dim(i) for i in v.items)
            return Tensor((len(dims),), "int64" if numpy else "int32",
                          "ndarray" if numpy else "tensor", dims)
        parts = [to_tensor(item, numpy) for item in v.items]
        if any(p is None for p in parts):
            return None
        tensors = [p for p in parts if p is not None]
        if not tensors:
            return Tensor((0,), "float64" if numpy else "float32",
                          "ndarray" if numpy else "tensor")
        first = tensors[0].shape
        if first is None or any(t.shape != first for t in tensors):
            return None  # ragged or unknown: leave unknown
        dtype = _combine_literal_dtypes([t.dtype for t in tensors])
        if any(t.kind != "tensor" and t.kind != "ndarray" for t in tensors):
            dtype = None
        content = None
        if all(t.content is not None for t in tensors) and len(tensors) * len(
                tensors[0].content or ()) <= 256:
            content = tuple(d for t in tensors for d in (t.content or ()))
        return Tensor((len(tensors), *first), dtype, "ndarray" if numpy else "tensor", content,
                      origin="literal")
    if isinstance(v, ListOf) and v.at_least > 0:
        return _nonempty_list(v.element, numpy)
    return None


def _nonempty_list(element: Value, numpy: bool) -> Tensor | None:
    """A list of at least one element, each of the one known shape: that shape behind an
    axis of unknown length. Elements of differing shapes join to unknown dims: unknown."""
    item = to_tensor(element, numpy)
    if item is None or item.shape is None or not all(is_known(d) for d in item.shape) or \
            item.kind not in ("tensor", "ndarray") or item.dtype is None:
        return None
    return Tensor((None, *item.shape), item.dtype, "ndarray" if numpy else "tensor")


def shape_text(t: Tensor) -> str:
    return format_list(t.shape) if t.shape is not None else "[?]"


def unknown_like(call: Call, dtype: str | None = None) -> Value:
    return call.result(None, dtype) if dtype else UNKNOWN


def result_dtype(*tensors: Tensor | None) -> str | None:
    """dtype of an elementwise result: known only when all known operands agree."""
    dts = {t.dtype for t in tensors if t is not None}
    if len(dts) == 1:
        return next(iter(dts))
    return None
