"""The generator's state: a seeded random source, the statements written so far and the
values they bound, each with the shape and dtype the generator itself expects.

The generator keeps its own (small) model of each op so that most programs it writes run:
an op draws its parameters valid for the shapes it expects, and with probability
``fail_rate`` draws one invalid parameter instead (a wrong size, an axis past the rank, a
mismatched operand) — then the program usually ends there, since what TF does next is no
longer predicted. Whether a program really fails is only decided by running it under TF;
the generator's expectations are never compared with anything.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

Shape = tuple[int, ...]

FLAVOURS = ("tf", "tf", "tf", "np", "kops")
TF_DTYPES = {"float32": "tf.float32", "int32": "tf.int32", "float64": "tf.float64",
             "int64": "tf.int64", "bool": "tf.bool"}


@dataclass
class Var:
    """A value the program bound: its name, expected shape and dtype, and library
    (``tf``: a tf.Tensor/Variable, ``np``: a NumPy array)."""

    name: str
    shape: Shape
    dtype: str = "float32"
    lib: str = "tf"

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def is_float(self) -> bool:
        return self.dtype.startswith("float")


@dataclass
class Gen:
    """One program being written (module level, or a function body via ``indent``)."""

    rng: random.Random
    flavour: str = "tf"
    fail_rate: float = 0.1
    lines: list[str] = field(default_factory=list)
    env: list[Var] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)
    broken: bool = False  # an invalid parameter was drawn: stop soon after
    counter: int = 0
    indent: str = ""
    known_bugs: bool = False  # also write constructs with known engine false alarms

    # ------------------------------------------------------------------ drawing
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def bad(self) -> bool:
        """Draw whether the next parameter is to be invalid (at most once per program)."""
        if self.broken or not self.chance(self.fail_rate):
            return False
        self.broken = True
        return True

    def dim(self, low: int = 1, high: int = 6) -> int:
        return self.rng.randint(low, high)

    def shape(self, rank: int | None = None, high: int = 6) -> Shape:
        rank = self.rng.randint(1, 4) if rank is None else rank
        return tuple(self.dim(1 if self.chance(0.15) else 2, high) for _ in range(rank))

    def fresh(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # ------------------------------------------------------------------ writing
    def emit(self, text: str) -> None:
        for line in text.splitlines():
            self.lines.append(self.indent + line if line else line)

    def bind(self, expr: str, shape: Shape, dtype: str, lib: str = "tf",
             prefix: str = "v") -> Var:
        """Write ``name = expr`` and remember the value it is expected to hold."""
        var = Var(self.fresh(prefix), tuple(shape), dtype, lib)
        self.emit(f"{var.name} = {expr}")
        self.env.append(var)
        return var

    def choose(self, pred=None) -> Var | None:
        """A recent value satisfying ``pred``, preferring the newest ones."""
        candidates = [v for v in self.env if pred is None or pred(v)]
        if not candidates:
            return None
        tail = candidates[-3:]
        return self.pick(tail) if self.chance(0.8) else self.pick(candidates)

    def source(self) -> str:
        """The program text, imports first (only those it uses, in ruff's order)."""
        body = "\n".join(self.lines)
        order = [("import keras", "keras."), ("import numpy as np", "np."),
                 ("import tensorflow as tf", "tf.")]
        head = [line for line, use in order if use in body]
        if "json." in body:
            head = ["import json", "", *head]
        return "\n".join([*head, "", *self.lines]) + "\n"


def lit(shape: Shape | list[int]) -> str:
    """A shape as a Python list literal."""
    return "[" + ", ".join(map(str, shape)) + "]"


def tup(shape: Shape | list[int]) -> str:
    """A shape as a Python tuple literal."""
    items = list(shape)
    return "(" + ", ".join(map(str, items)) + ("," if len(items) == 1 else "") + ")"


def tf_dtype(dtype: str) -> str:
    return TF_DTYPES[dtype]


def factorize(n: int) -> list[int]:
    """Prime factors of ``n`` (``[]`` for 1)."""
    out, p = [], 2
    while p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    if n > 1:
        out.append(n)
    return out


def random_shape_of_size(rng: random.Random, size: int, rank: int) -> list[int]:
    """A shape of ``rank`` dims whose product is ``size`` (padded with 1s as needed)."""
    dims = [1] * rank
    for f in factorize(size):
        dims[rng.randrange(rank)] *= f
    return dims
