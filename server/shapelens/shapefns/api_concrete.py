"""The value of ``f.get_concrete_function(...)`` of a ``tf.function`` (a ``ConcreteFunction``).

The interpreter makes it and calls it (``core/interpreter/library_hooks.py``: its calls need
the program's own function); it lives here, with the other library objects, since the core
defines no value classes of its own.
"""

from __future__ import annotations

from ..domain.values import Opaque, Value

CONCRETE = "tf.types.experimental.ConcreteFunction"
# A traced argument: (its static dims, None for any shape; its dtype).
Spec = tuple[tuple[object, ...] | None, str]


class ConcreteFunctionValue(Opaque):
    """``target`` (the ``tf.function``, or a bound method of one) and the signature it was
    traced for, one spec per positional argument, or None: its calls are not known."""

    __slots__ = ("target", "specs")

    def __init__(self, target: Value, specs: tuple[Spec, ...] | None) -> None:
        super().__init__(CONCRETE)
        self.target = target
        self.specs = specs
