"""Library objects whose methods are pure shape functions: ``np.random.default_rng()`` (a
``Generator``), ``np.random.RandomState()`` and Keras metric objects.

Their constructors are shape functions returning an ``Opaque`` of the object's kind
(``shapefns/np_random.py``); a method call ``rng.integers(0, 5, size=3)`` is answered by the
table's ``np.random.Generator.integers`` with the call's own arguments, through the library
door (so its errors are findings at the call and its results reach provenance like any
NumPy call's).
"""

from __future__ import annotations

import ast

from ...domain.values import Opaque, Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import LibraryCalls, Overlays

KINDS = ("np.random.Generator", "np.random.RandomState", "keras.metric", "tf.random.Generator")


class ShapeFunctionObjects:
    """The method overlay of the kinds above: ``<kind>.<method>`` on the shape table."""

    def __init__(self, library: LibraryCalls) -> None:
        self.library = library

    def register(self, overlays: Overlays) -> None:
        for kind in KINDS:
            overlays.method(kind, self.method)

    def method(self, receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value],
               node: ast.AST) -> Value:
        assert isinstance(receiver, Opaque)
        return self.library.call_library(f"{receiver.kind}.{name}", args, kwargs, node,
                                         numpy=receiver.kind.startswith("np."))
