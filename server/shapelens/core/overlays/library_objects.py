"""Library objects whose methods are pure shape functions: ``np.random.default_rng()`` (a
``Generator``), ``np.random.RandomState()`` and Keras metric objects.

Their constructors are shape functions returning an ``Opaque`` of the object's kind
(``shapefns/np_random.py``); a method call ``rng.integers(0, 5, size=3)`` is answered by the
table's ``np.random.Generator.integers`` with the call's own arguments, through the library
door (so its errors are findings at the call and its results reach provenance like any
NumPy call's). The same holds for the objects of ``shapefns/api_objects.py`` (checkpoints,
summary writers, a loaded model, strs of unknown value), whose other attributes are unknown.
"""

from __future__ import annotations

import ast

from ...domain.values import UNKNOWN, Opaque, Value
from ...shapefns.api_iterators import OBJECT_KINDS as MORE_KINDS
from ...shapefns.api_objects import KINDS as OBJECT_KINDS
from ...shapefns.api_tensors import TF_LOSS_CLASSES, nest_flatten
from ...shapefns.registry import lookup

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import LibraryCalls, Overlays

KINDS = ("np.random.Generator", "np.random.RandomState", "keras.metric", "tf.random.Generator",
         *OBJECT_KINDS, *MORE_KINDS)


class ShapeFunctionObjects:
    """The method overlay of the kinds above: ``<kind>.<method>`` on the shape table."""

    def __init__(self, library: LibraryCalls) -> None:
        self.library = library

    def register(self, overlays: Overlays) -> None:
        for kind in KINDS:
            overlays.method(kind, self.method)
        for kind in (*OBJECT_KINDS, *MORE_KINDS):
            overlays.attribute(kind, self.attribute)
        overlays.builder("tf.nest.flatten", _flatten)
        for leaf in TF_LOSS_CLASSES:  # tf.losses.X is keras.losses.X: the same loss object
            overlays.builder(f"tf.losses.{leaf}", lambda name, args, kwargs, node:
                             overlays.build("keras.losses." + name.rsplit(".", 1)[-1], args,
                                            kwargs, node))

    def method(self, receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value],
               node: ast.AST) -> Value:
        assert isinstance(receiver, Opaque)
        return self.library.call_library(f"{receiver.kind}.{name}", args, kwargs, node,
                                         numpy=receiver.kind.startswith("np."))

    def attribute(self, receiver: Value, name: str) -> Value | None:
        """An attribute of a checkpoint, writer, loaded model...: a method of the table (None:
        the caller binds it), else unknown (``manager.latest_checkpoint`` is a str or None)."""
        assert isinstance(receiver, Opaque)
        return None if lookup(f"{receiver.kind}.{name}") is not None else UNKNOWN


def _flatten(name: str, args: list[Value], kwargs: dict[str, Value],
             node: ast.AST | None) -> Value | None:
    """``tf.nest.flatten(structure)``: the structure's own leaves (None: not known)."""
    found = nest_flatten(args[0] if args else kwargs.get("structure", UNKNOWN))
    return None if found is UNKNOWN else found
