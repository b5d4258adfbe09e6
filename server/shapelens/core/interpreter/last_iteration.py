"""The last iteration of a long ``range`` loop, run with its known index.

A loop over more items than the analyzer unrolls is iterated to a fixpoint with an unknown
index, so ``x[start:start + bs]`` has an unknown size there. A minibatch loop's typical bug is
in its *last* iteration: ``for start in range(0, len(x), bs)`` ends with a smaller batch,
and a ``tf.reshape(xb, [bs, ...])`` fails there (TF raises on that last batch). When the
range is known and nothing in the body can leave the loop early (no ``break``, ``return``,
``raise``), the last iteration certainly runs: after the fixpoint, whose state holds at the
head of every iteration, the body is run once more from that state with the last index
bound. Its findings are TF's errors at that iteration; the state after it is the state after
the loop. The pass counts as a replay: no None-gradient is claimed from its joined state.
"""

from __future__ import annotations

import ast

from ...domain.values import Const, Ref, Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .ports import StatementsApi
    from .state import RunState

MAX_RANGE = 1_000_000  # a range longer than this is no minibatch loop worth a claim
_PURE = (ast.Name, ast.Constant, ast.Attribute, ast.Subscript, ast.BinOp, ast.UnaryOp,
         ast.operator, ast.unaryop, ast.Load, ast.Tuple, ast.Slice)


def last_index(stmt: ast.For, evaluate: Callable[[ast.expr], Value],
               yields_leave: bool = True) -> int | None:
    """The last value of ``range(...)`` iterated by ``stmt`` when its bounds are known ints,
    it has at least two items and the body cannot leave the loop early; else None. The
    bounds are evaluated again: only side-effect-free expressions (names, constants,
    arithmetic, ``len(...)``, ``x.shape[0]``) are."""
    call = stmt.iter
    if not isinstance(call, ast.Call) or call.keywords or not 0 < len(call.args) <= 3 or \
            not isinstance(stmt.target, ast.Name) or not all(_pure(a) for a in call.args):
        return None
    if leaves_early(stmt.body, yields_leave) or evaluate(call.func) != Ref("builtins.range"):
        return None
    bounds = [evaluate(a) for a in call.args]
    if not all(isinstance(b, Const) and type(b.value) is int for b in bounds):
        return None
    try:
        r = range(*(b.value for b in bounds))  # type: ignore[union-attr]
    except ValueError:  # a zero step: Python raises
        return None
    return r[-1] if 2 <= len(r) <= MAX_RANGE else None


def _pure(node: ast.expr) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            if not (isinstance(sub.func, ast.Name) and sub.func.id == "len" and
                    len(sub.args) == 1 and not sub.keywords):
                return False
        elif not isinstance(sub, _PURE):
            return False
    return True


_HARD_EXITS = (ast.Return, ast.Raise, ast.Assert)
_EXITS = (*_HARD_EXITS, ast.Yield, ast.YieldFrom)


def leaves_early(body: list[ast.stmt], yields_leave: bool = True) -> bool:
    """A ``break``/``return``/``raise`` of this loop's body (not of a nested loop's or
    function's), or a ``yield`` (the consumer may stop the generator) unless
    ``yields_leave`` is False (``generators.py`` runs such a pass without findings)."""
    exits = _EXITS if yields_leave else _HARD_EXITS
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*exits, ast.Break)):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef |
                      ast.Lambda):
            continue
        if isinstance(node, ast.For | ast.AsyncFor | ast.While):
            # a break there is the nested loop's own; its else/body may still return
            stack.extend(n for n in ast.walk(node) if isinstance(n, exits))
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def run_last(state: RunState, statements: StatementsApi,
             bind: Callable[[ast.expr, Value], None], stmt: ast.For, last: int) -> bool:
    """Run ``stmt``'s body once more, from the fixpoint's state, with ``last`` bound; False
    when that iteration certainly raises (the loop, and its block, end there)."""
    state.replaying += 1
    state.loop_signal = None
    try:
        bind(stmt.target, Const(last))
        completed = statements.exec_block(stmt.body)
    finally:
        state.replaying -= 1
    completed = completed or state.loop_signal == "continue"
    state.loop_signal = None
    return completed
