"""The Python truth of an ``if`` test or a conditional expression, when it is certain.

A literal's truth is Python's. A 0-d tensor of known value (``x = tf.constant(1.0)``;
``if x > 0.0:``) decides the branch only where the test runs eagerly, as ``bool(tensor)``:
inside a ``tf.function`` autograph turns the ``if`` into ``tf.cond`` and traces both branches
(and a gradient through it is no None), and a TF1 graph refuses a tensor as a Python bool.
What may run traced is left undecided: a method (a Keras layer's ``call``, a model's
``train_step`` run by ``fit``), a decorated function, a lambda, a function a library traces
(``ds.map``) or runs on one row standing for all (``tf.map_fn``): ``state.traced``. A NumPy
array is always eager. Undecided, both branches run and are joined (``flow.py``).
"""

from __future__ import annotations

import ast

from ...domain.scalars import truth
from ...domain.values import Const, Tensor, Value
from ..overlays.graph_mode import graph_mode_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .state import RunState


def known_truth(test: Value, state: RunState) -> bool | None:
    """``bool(test)`` when certain here, else None."""
    if isinstance(test, Const):
        return bool(test.value)
    if not isinstance(test, Tensor) or test.shape != ():
        return None
    if test.kind != "ndarray" and not eager(state):
        return None
    return truth(test)


def eager(state: RunState) -> bool:
    """Does a tensor's Python truth run eagerly here (see the module docstring)? Part of a
    call's memo key, since a function's result depends on it."""
    if state.traced:
        return False
    for frame in state.frames:
        fn = frame.fn
        # (any decorator: ``@tf.function``, or one of the user's that may wrap it; a lambda:
        # a Keras ``Lambda`` layer's function runs traced in ``fit``)
        if fn is not None and (fn.owner is not None or fn.decorators or
                               isinstance(fn.node, ast.Lambda)):
            return False
    if state.graph_module is None:  # once per run: it reads every top-level statement
        state.graph_module = graph_mode_module(state.tree)
    return not state.graph_module
