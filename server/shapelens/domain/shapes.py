"""Dimensions and shapes, the vocabulary every shape function speaks.

A dimension (``Dim``) is a known ``int``, a named symbol (``str``, e.g. ``"batch"`` for the
batch axis of ``keras.Input(shape=(28, 28))``), ``DYNAMIC`` when it is *proven* ``None`` in
TensorFlow's static shape (``keras.Input(shape=(None, 8))``: the size is only known at run
time), or ``None`` when the analyzer does not know it. The last two differ: ignorance proves
nothing, while a few Keras rules fail exactly on a static ``None`` (a ``Dense`` kernel cannot be
created for it). Every reader treats ``DYNAMIC`` like unknown unless its rule depends on the
static ``None`` itself; printed, ``DYNAMIC`` is ``None`` (as TF prints it) and unknown is ``?``.
A shape is a tuple of dims, or ``None`` when even the rank is unknown. Everything here is
pure and total: unknown stays unknown, and only a *proven* conflict is reported (by returning
``False`` from the ``compatible`` checks or raising in callers), never a guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


class Dynamic:
    """The type of ``DYNAMIC``: a dimension proven ``None`` in TF's static shape."""

    __slots__ = ()
    _instance: Dynamic | None = None

    def __new__(cls) -> Dynamic:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "DYNAMIC"

    def __reduce__(self) -> str:
        return "DYNAMIC"  # pickles (process pools) back to the one instance

    def __copy__(self) -> Dynamic:
        return self

    def __deepcopy__(self, memo: object) -> Dynamic:
        return self


DYNAMIC = Dynamic()

Dim = int | str | Dynamic | None
Shape = tuple[Dim, ...] | None


def is_known(dim: Dim) -> bool:
    return isinstance(dim, int)


def static_only(shape: Shape) -> Shape:
    """The shape with ``DYNAMIC`` dims made unknown, for a value whose dims are concrete at
    run time (an eager tensor, ``tf.shape`` content): a static ``None`` is no claim there."""
    if shape is None or DYNAMIC not in shape:
        return shape
    return tuple(None if d is DYNAMIC else d for d in shape)


def keep_dynamic(source: Dim, result: Dim) -> Dim:
    """``result`` of a size computation on ``source``: a dynamic input size makes a dynamic
    output size (Keras' ``compute_output_shape`` maps None to None), an unknown one stays
    unknown."""
    return DYNAMIC if source is DYNAMIC and result is None else result


def dims_equal(a: Dim, b: Dim) -> bool | None:
    """True/False when provable, None when unknown."""
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, str) and a == b:
        return True
    return None


def join_dim(a: Dim, b: Dim) -> Dim:
    """The dimension known on both paths of a branch (equal stays, otherwise unknown)."""
    return a if a == b and type(a) is type(b) else None


def join_shape(a: Shape, b: Shape) -> Shape:
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(join_dim(x, y) for x, y in zip(a, b))


def merge_dim(a: Dim, b: Dim) -> Dim:
    """Two dims that must be equal: keep the more precise one. A symbol or an int beats
    ``DYNAMIC``; ``DYNAMIC`` with an unknown dim is unknown (TF may know the other one)."""
    if isinstance(a, int):
        return a
    if isinstance(b, int):
        return b
    if isinstance(a, str):
        return a
    if isinstance(b, str):
        return b
    return a if a is b else None


def broadcast_dim(a: Dim, b: Dim) -> tuple[Dim, bool]:
    """NumPy broadcasting of one axis; returns (result, ok). ok is False only when proven."""
    if isinstance(a, int) and isinstance(b, int):
        if a == b or b == 1:
            return a, True
        if a == 1:
            return b, True
        return None, False
    if a == 1:
        return b, True
    if b == 1:
        return a, True
    if a == b:
        return a, True
    if isinstance(a, int):
        # The other side is unknown or symbolic: if it works at all, the result is `a`
        # (unless a is 1, handled above).
        return a, True
    if isinstance(b, int):
        return b, True
    return None, True


def broadcast(a: Shape, b: Shape) -> tuple[Shape, bool]:
    """Broadcast two shapes; (result, ok). ``ok`` is False only for a proven mismatch."""
    if a is None or b is None:
        return None, True
    n = max(len(a), len(b))
    pa = (1,) * (n - len(a)) + a
    pb = (1,) * (n - len(b)) + b
    out: list[Dim] = []
    for x, y in zip(pa, pb):
        d, ok = broadcast_dim(x, y)
        if not ok:
            return None, False
        out.append(d)
    return tuple(out), True


def normalize_axis(axis: int, rank: int) -> int | None:
    """Map a possibly negative axis into [0, rank); None when out of range."""
    if -rank <= axis < rank:
        return axis % rank if rank else None
    return None


class Count:
    """A product of dims as coefficient × symbols, so that (batch, 28, 28) → (-1, 784) works.

    ``None`` and ``DYNAMIC`` components make the count unknown.
    """

    __slots__ = ("coef", "symbols")

    def __init__(self, coef: int, symbols: Counter[str]):
        self.coef = coef
        self.symbols = symbols

    @classmethod
    def of(cls, dims: Iterable[Dim]) -> Count | None:
        coef = 1
        symbols: Counter[str] = Counter()
        for d in dims:
            if isinstance(d, str):
                symbols[d] += 1
            elif isinstance(d, int):
                coef *= d
            else:
                return None
        return cls(coef, symbols)

    @property
    def is_int(self) -> bool:
        return not self.symbols

    def divide(self, other: Count) -> Dim | bool:
        """The single dim ``self / other`` as a Dim; False when proven indivisible;
        True when it may divide but the quotient is not expressible."""
        if other.symbols - self.symbols:
            return True
        rest = self.symbols - other.symbols
        if other.coef == 0:
            return True
        if self.coef % other.coef:
            return bool(rest or other.symbols)
        q = self.coef // other.coef
        if not rest:
            return q
        if q == 1 and sum(rest.values()) == 1:
            return next(iter(rest))
        return True


def num_elements(shape: Shape) -> int | None:
    if shape is None:
        return None
    total = 1
    for d in shape:
        if not isinstance(d, int):
            return None
        total *= d
    return total


def format_dim(d: Dim) -> str:
    """TF prints a dynamic dim and Keras the batch axis as None; other symbols keep their
    names; a dim the analyzer does not know is ``?`` (it claims nothing about TF's None)."""
    if d is None:
        return "?"
    return "None" if d is DYNAMIC or d == "batch" else str(d)


def format_shape(shape: Shape) -> str:
    """Python-tuple style like TensorFlow's TensorShape: ``(None, 10)``, ``(4,)``, ``()``."""
    if shape is None:
        return "<unknown rank>"
    if len(shape) == 1:
        return f"({format_dim(shape[0])},)"
    return "(" + ", ".join(format_dim(d) for d in shape) + ")"


def format_list(shape: Sequence[Dim]) -> str:
    """TensorFlow's bracket style used in op messages: ``[2,3]``."""
    return "[" + ",".join("?" if d is None or d is DYNAMIC else str(d) for d in shape) + "]"
