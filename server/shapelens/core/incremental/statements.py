"""Statement summaries: the statements of a function body that no call summary covers.

A call is summarised as a whole (``summaries.py``) only when its memo key exists. A script's
``main()`` reaches every function of the module, more than a key may name
(``memo.MAX_FUNCTIONS``), so it has none: every run analyses its body again, and each of its
hundreds of statements (``train()``, ``evaluate(cfg)``, ``x = load()``) pays for evaluating
the call, building the callee's key and replaying the callee's summary. Here each such
statement is summarised itself, keyed like a call: the statement's node (the same object
while the function's text is unchanged), the calling context, and the values of the
function's local variables it reads (its "arguments"). What it read outside them, the
module's variables and the side tables, is recorded and checked exactly as for a call; the
local variables it bound are its "result", replayed into the frame's scope.

Only simple statements are summarised (an expression or an assignment to names, with no
lambda, walrus or yield inside), whose local inputs hold no object (a layer, model, tape,
instance or list: their state is in no key), which bound only frozen values that are not
lists (a list's aliases are tracked outside the log) and deleted nothing. Anything else runs
as before.
"""

from __future__ import annotations

import ast

from ..interpreter.memo import Key, mutable
from ..interpreter.mutation import is_list
from ..interpreter.truth import eager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Protocol

    from ...domain.values import Value
    from ..interpreter.state import RunState
    from .journal import Tracker

    class Summaries(Protocol):
        """``summaries.CallSummaries``, as statements use it."""

        tracker: Tracker
        active_tapes: list[Any]
        old: dict[Any, Any]
        new: dict[Any, Any]

        def replays(self, context: Any, state: RunState) -> Any: ...

        def record(self, context: Any, state: RunState) -> Any: ...

        def leave(self, recording: Any, result: Any, state: RunState,
                  memoised: bool) -> None: ...

        def abandon(self, recording: Any) -> None: ...


_EXCLUDED = (ast.Lambda, ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)


def summarise_statement(summaries: Summaries, stmt: ast.stmt,
                        run: Callable[[ast.stmt], bool], state: RunState,
                        context: Any = False) -> tuple[bool, Any, Any]:
    """Run ``stmt`` (``run``), or replay its summary when its inputs are unchanged; returns
    whether control goes on after it, its context (None: not summarised here; given if
    known already) and its summary (replayed or just recorded; None: not summarised)."""
    if context is False:
        context = statement_context(summaries, stmt, state)
    if context is None:
        return run(stmt), None, None
    local = state.scope.vars
    summary = summaries.replays(context, state)
    if summary is not None:
        return replayed(summary, local, state), context, summary
    recording = summaries.record(context, state)
    before = dict(local)
    try:
        flows = run(stmt)
    except BaseException:
        summaries.abandon(recording)
        raise
    # every name it assigns (even to the value that was there: replayed after another past,
    # it binds it too), and any other it rebound (a list mutated in place)
    assigned = _facts(stmt)[1]  # type: ignore[index]
    bound = tuple((k, v) for k, v in local.items()
                  if k in assigned or before.get(k) is not v)
    ok = len(local) >= len(before) and all(k in local for k in before) and \
        not any(is_list(v) for _, v in bound)
    summaries.leave(recording, (flows, state.just_raised, bound), state, ok)
    return flows, context, summaries.new.get(context)


def statement_context(summaries: Summaries, stmt: ast.stmt, state: RunState) -> Any:
    """The key of ``stmt``'s summary here, or None: it is not summarised (see the module
    docstring)."""
    facts = _facts(stmt)
    if facts is None or not summaries.tracker.active or summaries.active_tapes:
        return None
    local = state.scope.vars
    inputs: list[tuple[str, Value | None]] = []
    for name in facts[0]:
        value = local.get(name)
        if value is not None and (mutable(value) or is_list(value) or
                                  type(value).__name__ in ("Function", "ClassValue")):
            return None  # (a closure reads the frame's names, which no key holds)
        inputs.append((name, value))
    frames = state.frames
    return Key((stmt, len(frames), any(f.unknown for f in frames), state.in_tf_function(),
                bool(state.dead), bool(state.foreign), bool(state.replaying),
                state.unroll_depth, tuple(state.catching), eager(state), tuple(inputs)))


def replayed(summary: Any, local: dict[str, Any], state: RunState) -> bool:
    """A statement's (or run of statements') summary was replayed: its locals bound again."""
    recorded: Any = summary.result  # (flows, just_raised, bound): see ``summarise_statement``
    flows, just_raised, bound = recorded
    local.update(bound)
    state.just_raised = just_raised
    return flows  # type: ignore[no-any-return]


def _facts(stmt: ast.stmt) -> tuple[tuple[str, ...], frozenset[str]] | None:
    """The names ``stmt`` reads and those it assigns, or None: not a statement summarised
    here. Kept on the node."""
    found = getattr(stmt, "_shapelens_reads", False)
    if found is False:
        found = _scan(stmt)
        stmt._shapelens_reads = found  # type: ignore[attr-defined]
    return found  # type: ignore[no-any-return]


def _scan(stmt: ast.stmt) -> tuple[tuple[str, ...], frozenset[str]] | None:
    if isinstance(stmt, ast.Expr):
        if not isinstance(stmt.value, ast.Call):
            return None
    elif isinstance(stmt, ast.Assign):
        if not all(isinstance(t, ast.Name) for t in stmt.targets):
            return None
    else:
        return None
    names: dict[str, None] = {}
    for node in ast.walk(stmt):
        if isinstance(node, _EXCLUDED):
            return None
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            names[node.id] = None
    assigned = frozenset(t.id for t in stmt.targets if isinstance(t, ast.Name)) \
        if isinstance(stmt, ast.Assign) else frozenset()
    return tuple(names), assigned
