"""Plain record classes, without the start-up cost of ``dataclasses``.

Why not ``@dataclass``: it writes each class's ``__init__``, ``__eq__``, ``__hash__``,
``__repr__`` and frozen ``__setattr__``/``__delattr__`` as source text and compiles them when
the class is created (about 0.8 ms per class on our 2-CPU machine), and importing it pulls
in ``inspect``. With the 41 record classes of the ``shapelens check`` path written that way,
``shapelens check`` on one small file took 98 ms; without, 58 ms (interleaved runs): the
CLI's time to report a bug is mostly start-up (issue 7).

Here a class lists its fields in ``__slots__`` and writes its own ``__init__`` (compiled once
into the ``.pyc`` like any other function). Equality, hashing, ``repr`` and :func:`replace`
work from the field list, gathered once per class; the comparison key is an
``operator.attrgetter``, so comparing two records costs what a generated ``__eq__`` does.

Three flavours, after the ``@dataclass`` options they replace:

- :class:`Frozen` (``frozen=True``): compared and hashed by value. Nothing assigns to one
  after ``__init__``; values are shared between analyses on that promise.
- :class:`Mutable` (plain ``@dataclass``): compared by value, not hashable.
- :class:`Entity` (``eq=False``): mutable, compared and hashed by identity, like the real
  objects they model (a Keras layer, a tape).
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    R = TypeVar("R", bound="_Fields")


def _no_key(obj: object) -> tuple[()]:
    return ()


class _Fields:
    """The field list and what is derived from it, shared by the three flavours."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    # Fields left out of equality and hashing (provenance, informative only).
    _uncompared: tuple[str, ...] = ()
    _key: Any = staticmethod(_no_key)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: list[str] = []
        for klass in reversed(cls.__mro__):
            slots = vars(klass).get("__slots__", ())
            if isinstance(slots, str):
                raise TypeError(f"{cls.__name__}.__slots__ must be a tuple of names")
            fields.extend(name for name in slots if name not in fields)
        cls._fields = tuple(fields)
        compared = [name for name in fields if name not in cls._uncompared]
        # attrgetter of one name returns the bare value; keys only meet keys of the same
        # class, so that is as good as a 1-tuple.
        cls._key = staticmethod(attrgetter(*compared)) if compared else staticmethod(_no_key)

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({parts})"


class Frozen(_Fields):
    """Immutable by contract; equal when of the same class with equal compared fields."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key(self) == other._key(other)  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key(self))


class Mutable(_Fields):
    """Mutable, equal when of the same class with equal fields, and so not hashable."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key(self) == other._key(other)  # type: ignore[attr-defined]
        return NotImplemented


class Entity(_Fields):
    """Mutable, and equal only to itself, like the live object it stands for."""

    __slots__ = ()


def fields(obj: _Fields) -> tuple[str, ...]:
    """The names of ``obj``'s fields, base classes' first."""
    return obj._fields


def replace(obj: R, /, **changes: Any) -> R:
    """A copy of the record ``obj`` with ``changes`` applied (``dataclasses.replace``)."""
    values = {name: getattr(obj, name) for name in obj._fields}
    values.update(changes)
    return obj.__class__(**values)
