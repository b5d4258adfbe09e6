"""The first and last batch through ``map`` after ``batch``, as an eager loop holds them.

``ds.batch(32)`` of 100 known elements yields batches of 32 and a last one of 4
(``DatasetValue.first``/``last``); ``map(fn)`` after it loses them, since TF traces ``fn``
once with TF's ``None`` batch size. The eager loop still receives concrete batches: ``fn``'s
graph run on the first and the last batch. The engine runs ``fn`` again on each of them,
with its findings set aside (an error there is TF's at the iteration, not at ``fn``'s line,
and it is not claimed), and keeps a result only where it agrees with the traced one: the
same structure and dtypes, every dimension the trace knows equal, and every other one now
known. A function that looks at its input's static shape and would take another path under
``None`` gives a disagreeing result, which is dropped.
"""

from __future__ import annotations

import ast

from ...domain.values import DictValue, Seq, Tensor, Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..interpreter.ports import CallsApi
    from ..interpreter.state import RunState


def agreeing(traced: Value, concrete: Value) -> Value | None:
    """``concrete`` where it refines ``traced`` leaf by leaf (fully known tensors), else
    None."""
    if isinstance(traced, Seq) and isinstance(concrete, Seq):
        if len(traced.items) != len(concrete.items):
            return None
        items = [agreeing(t, c) for t, c in zip(traced.items, concrete.items)]
        return None if any(i is None for i in items) else concrete
    if isinstance(traced, DictValue) and isinstance(concrete, DictValue):
        if [k for k, _ in traced.items] != [k for k, _ in concrete.items]:
            return None
        pairs = [agreeing(t, c) for (_, t), (_, c) in zip(traced.items, concrete.items)]
        return None if any(p is None for p in pairs) else concrete
    if isinstance(traced, Tensor) and isinstance(concrete, Tensor):
        if traced.shape is None or concrete.shape is None or \
                len(traced.shape) != len(concrete.shape) or traced.dtype != concrete.dtype:
            return None
        for t, c in zip(traced.shape, concrete.shape):
            if not isinstance(c, int) or (isinstance(t, int) and t != c):
                return None
        return concrete
    return None


def run_aside(state: RunState, calls: CallsApi, fn: Value, element: Value,
              node: ast.AST) -> Value | None:
    """``fn`` called on ``element``'s components with its findings set aside; None when it
    reported anything (TF would raise at the iteration)."""
    saved = (state.findings, state.raised, state.just_raised, state.loop_signal)
    state.findings = {}
    state.replaying += 1
    state.traced += 1  # a graph function (``truth.py``)
    try:
        args = list(element.items) if isinstance(element, Seq) else [element]
        out = calls.call_value(fn, args, {}, node)
        failed = bool(state.findings) or state.raised != saved[1]
    finally:
        state.replaying -= 1
        state.traced -= 1
        state.findings, state.raised, state.just_raised, state.loop_signal = saved
    return None if failed else out
