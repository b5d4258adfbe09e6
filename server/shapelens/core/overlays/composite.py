"""Composite tensors: ``tf.RaggedTensor`` and ``tf.SparseTensor`` operands.

A ragged or sparse value is a ``Tensor`` of kind ``"ragged"``/``"sparse"`` (its ragged axes
are ``DYNAMIC``, TF's static ``None``). TensorFlow dispatches an op on such an operand to a
ragged or sparse kernel with rules of its own, so the dense shape functions must never judge
it: a ragged ``(3, None)`` plus a dense ``(3, 4)`` is no dense broadcast. Every library call
with a composite operand is therefore routed to the table's ``composite:<name>`` function
(``shapefns/tf_ragged.py``, ``tf_sparse.py``), through the library door (so its errors are
findings at the call and its results reach provenance); an op without one is unknown, and
the dense rules stay silent. Attributes (``rt.flat_values``, ``st.indices``) are served the
same way, as ``composite:Tensor.<attr>`` shape functions. Inside a ``tf.function`` the
calls carry ``GRAPH``: TF's static shape there has None for sizes computed from a row
partition (``rt.to_tensor()`` is ``(3, None)``), which eager execution knows.
"""

from __future__ import annotations

import ast

from ...domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ...shapefns import lookup
from ...shapefns.tf_ragged import GRAPH

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import LibraryCalls, Overlays

PREFIX = "composite:"
KINDS = ("ragged", "sparse")


def is_composite(v: Value) -> bool:
    """A ragged or sparse tensor, or a list/tuple holding one (``tf.concat([rt, x])``)."""
    if isinstance(v, Tensor):
        return v.kind in KINDS
    return isinstance(v, Seq) and any(isinstance(i, Tensor) and i.kind in KINDS
                                      for i in v.items)


class CompositeOverlay:
    """Routes calls with a ragged/sparse operand to their composite shape functions."""

    def __init__(self, library: LibraryCalls) -> None:
        self.library = library

    def register(self, overlays: Overlays) -> None:
        overlays.family("", self.route)
        for kind in KINDS:
            overlays.attribute(kind, self.attribute)

    def route(self, name: str, args: list[Value], kwargs: dict[str, Value],
              node: ast.AST | None) -> Value | None:
        """``composite:<name>`` for a call with a composite operand; unknown when the table
        has no such function; None (not mine) for a call without one."""
        if name.startswith(PREFIX) or not any(map(is_composite, [*args, *kwargs.values()])):
            return None
        if lookup(PREFIX + name) is None:
            return UNKNOWN
        if name == "operator.getitem" and node is None and len(args) == 2:
            args = [args[0], UNKNOWN]  # an element of a loop over it: any row, not row 0
        if self.library.state.in_tf_function():  # sizes read from row partitions are None
            kwargs = {**kwargs, GRAPH: Const(True)}
        return self.library.call_library(PREFIX + name, args, kwargs, node)

    def attribute(self, receiver: Value, attr: str) -> Value | None:
        """``rt.flat_values``, ``st.dense_shape``: None (a bound method) when not an
        attribute the table knows."""
        if lookup(f"{PREFIX}Tensor.{attr}@") is None:
            return None
        return self.library.call_library(f"{PREFIX}Tensor.{attr}@", [receiver], {}, None)
