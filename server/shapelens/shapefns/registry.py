"""The table itself: ``REGISTRY`` (canonical qualified name → shape function), ``op`` to
register a function under every alias, ``lookup`` to find one.

Apart from the package so that an op module can register its functions without importing
the package that imports it (``shapelens.shapefns`` imports every op module, in ``_load``).
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.values import UNKNOWN, Value
from ._common import Call, ShapeError, ShapeFn

REGISTRY: dict[str, ShapeFn] = {}


def op(*names: str) -> Callable[[ShapeFn], ShapeFn]:
    """Register the decorated function under each of ``names`` (each name exactly once)."""

    def register(fn: ShapeFn) -> ShapeFn:
        for name in names:
            if name in REGISTRY:
                raise ValueError(f"shape function for {name} registered twice")
            REGISTRY[name] = fn
        return fn

    return register


def lookup(name: str) -> ShapeFn | None:
    """The function for canonical ``name``; ``tnp.*`` falls back to the NumPy function."""
    fn = REGISTRY.get(name)
    if fn is None and name.startswith("tnp."):
        fn = REGISTRY.get("np." + name[4:])
    return fn


def delegate(call: Call, name: str, args: list[Value], kwargs: dict[str, Value],
             quiet: bool = False) -> Value:
    """The table's rule for ``name`` applied for ``call`` (an alias spelled with other
    arguments: ``np.hstack`` as ``np.concatenate``). Its errors are reported under
    ``call``'s name, or, ``quiet``, left unclaimed (unknown) where the messages of the op
    delegated to would not be the caller's."""
    fn = lookup(name)
    if fn is None:
        return UNKNOWN
    try:
        return fn(Call(name, args, kwargs, call.numpy, call.promote))
    except ShapeError as err:
        if quiet:
            return UNKNOWN
        raise ShapeError(err.code, err.message.replace(name, call.name), err.runtime,
                         err.eager_only) from None
