"""Comprehensions and the element of an iterable, for the expression part (``expressions.py``).

A list or dict comprehension over a known-length iterable is evaluated item by item (a
``Seq``/``DictValue``); otherwise its target is bound to one element standing for all
(``element_of``) and the result is a ``ListOf`` that element. Kept apart from the rest of
the expression part as one piece: these are the only expressions that open a scope.
"""

from __future__ import annotations

import ast

from ...domain.values import UNKNOWN, Const, DictValue, ListOf, Seq, Tensor, Value, join
from .operators import comprehension_length
from .scope import Scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    from .ports import LibraryApi
    from .state import RunState

    class Evaluator(Protocol):
        """The expression part, as these functions use it."""

        state: RunState
        library: LibraryApi

        def eval(self, node: ast.expr | None) -> Value: ...

        def bind(self, target: ast.expr, value: Value) -> None: ...


def dict_comprehension(ex: Evaluator, node: ast.DictComp) -> Value:
    """A dict comprehension over a known tuple/list of at most 256 items, item by item."""
    gen = node.generators[0]
    iterable = ex.eval(gen.iter)
    if len(node.generators) != 1 or gen.ifs or not isinstance(iterable, Seq) or \
            len(iterable.items) > 256:
        return UNKNOWN
    state = ex.state
    outer = state.scope
    state.scope = Scope({}, outer)
    try:
        pairs = []
        for item in iterable.items:
            ex.bind(gen.target, item)
            pairs.append((ex.eval(node.key), ex.eval(node.value)))
        return DictValue(tuple(pairs))
    finally:
        state.scope = outer

def list_comprehension(ex: Evaluator, node: ast.ListComp) -> Value:
    """Known-length iterables without filters give a Seq (beyond 64 items, all alike)."""
    state, outer = ex.state, ex.state.scope
    state.scope = Scope({}, outer)
    try:
        gen = node.generators[0]
        iterable = ex.eval(gen.iter)
        count = comprehension_length(iterable, gen.iter, ex.eval) \
            if len(node.generators) == 1 and not gen.ifs else None
        if count is not None and isinstance(iterable, Seq) and count <= 64:
            items = []
            for item in iterable.items:
                ex.bind(gen.target, item)
                items.append(ex.eval(node.elt))
            return Seq(tuple(items), "list")
        for i, g in enumerate(node.generators):
            source = iterable if i == 0 else ex.eval(g.iter)
            ex.bind(g.target, element_of(ex, source))
            for cond in g.ifs:
                test = ex.eval(cond)
                if isinstance(test, Const) and not test.value:
                    return Seq((), "list")  # the filter rejects every element
        element = ex.eval(node.elt)
        return ListOf(element) if count is None else Seq((element,) * count, "list")
    finally:
        state.scope = outer

def element_of(ex: Evaluator, iterable: Value) -> Value:
    """The value of one (any) element of an iterable."""
    if isinstance(iterable, ListOf):
        return iterable.element
    if isinstance(iterable, Seq) and iterable.items:
        element = iterable.items[0]
        for other in iterable.items[1:]:
            element = join(element, other)
        return element
    if isinstance(iterable, Tensor) and iterable.shape:
        return ex.library.call_library("operator.getitem", [iterable, Const(0)], {},
                                         None, numpy=iterable.kind == "ndarray")
    return UNKNOWN
