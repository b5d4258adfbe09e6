"""The table itself: ``REGISTRY`` (canonical qualified name → shape function), ``op`` to
register a function under every alias, ``lookup`` to find one.

Apart from the package so that an op module can register its functions without importing
the package that imports it (``shapelens.shapefns`` imports every op module, in ``_load``).
"""

from __future__ import annotations

from collections.abc import Callable

from ._common import ShapeFn

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
