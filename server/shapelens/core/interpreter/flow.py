"""Branches and loops: both sides of an ``if`` are analysed and joined; loops over short
known sequences are unrolled, others iterate to a fixpoint.

While a loop body is re-run towards its fixpoint, ``state.replaying`` is set: the joined
states are too coarse to prove a None gradient, so the provenance component claims none.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ...domain.values import UNKNOWN, Const, GeneratorOf, Seq, Tensor, Value, join
from ...shapefns.tf_data import DatasetValue, eager_ends, iteration_element
from .generators import final_loop, mark_final
from .last_iteration import last_index, leaves_early, run_last
from .operators import comprehension_length
from .scope import join_env
from .truth import known_truth

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .ports import ExpressionsApi, ProvenanceApi, StatementsApi
    from .state import RunState

MAX_LOOP_PASSES = 4
MAX_UNROLL = 16


class ControlFlow:
    """``if``/``for``/``while``; handed the run state, the statement part (bodies), the
    expression part (tests, targets) and provenance (what a loop iterates)."""

    def __init__(self, state: RunState, statements: StatementsApi,
                 expressions: ExpressionsApi, provenance: ProvenanceApi) -> None:
        self.state = state
        self.statements = statements
        self.expressions = expressions
        self.provenance = provenance

    def exec_If(self, stmt: ast.If) -> bool:
        known = known_truth(self.expressions.eval(stmt.test), self.state)
        if known is not None:
            return self.statements.exec_block(stmt.body if known else stmt.orelse)
        return self.branches([stmt.body, stmt.orelse])

    def branches(self, bodies: list[list[ast.stmt]]) -> bool:
        state = self.state
        before = state.scope.vars
        results: list[dict[str, Value]] = []
        for body in bodies:
            state.scope.vars = before.copy()
            if self.statements.exec_block(body):
                results.append(state.scope.vars)
        if not results:
            state.scope.vars = before.copy()
            return False
        state.just_raised = False
        if len(results) < len(bodies):
            state.partial_exits += 1  # some path left the block (break/return/raise)
            state.loop_signal = None
        merged = results[0]
        for other in results[1:]:
            merged = join_env(merged, other)
        state.scope.vars = merged
        return True

    def exec_Break(self, stmt: ast.Break) -> bool:
        self.state.loop_signal = "break"
        return False

    def exec_Continue(self, stmt: ast.Continue) -> bool:
        self.state.loop_signal = "continue"
        return False

    def exec_For(self, stmt: ast.For) -> bool:
        ev = self.expressions
        iterable = ev.eval(stmt.iter)
        self.provenance.loop_over(iterable, stmt)
        items = list(iterable.items) if isinstance(iterable, Seq) and \
            len(iterable.items) <= MAX_UNROLL else None
        if items is not None and self.state.unroll_depth < 2:
            return self.unroll(stmt, items)
        if isinstance(iterable, DatasetValue):
            return self.for_dataset(stmt, iterable)
        element = ev.element_of(iterable)
        count = comprehension_length(iterable, stmt.iter, ev.eval)
        frame = self.state.frames[-1]
        final = final_loop(stmt, frame)  # a generator's final loop: its last yield
        last = last_index(stmt, ev.eval, yields_leave=not final) \
            if not self.state.replaying and self.state.unroll_depth < 2 else None
        self.fixpoint(stmt.body, lambda: self.bind_target(stmt.target, element),
                      runs=bool(count) and not has_break(stmt.body))
        if final:
            mark_final(frame, None if last is None else self.last_yield(stmt, last))
        elif not (self.run_last_index(stmt, last) and self.consume_last(stmt, iterable)):
            return False
        self.statements.exec_block(stmt.orelse)
        return True

    def run_last_index(self, stmt: ast.For, last: int | None) -> bool:
        """A long known range's last iteration, run with its index (``last_iteration.py``);
        False when it certainly raises."""
        if last is None:
            return True
        bind = self.expressions.bind
        return not self.last_settles(stmt, lambda: bind(stmt.target, Const(last))) or \
            run_last(self.state, self.statements, bind, stmt, last)

    def consume_last(self, stmt: ast.For, iterable: Value) -> bool:
        """``for xb in gen(...)`` exhausts a fresh generator when its body cannot leave
        early: its last iteration gets the generator's last element (``generators.py``).
        False when that iteration certainly raises."""
        state = self.state
        if not isinstance(iterable, GeneratorOf) or not isinstance(stmt.iter, ast.Call) or \
                state.replaying or state.unroll_depth >= 2 or leaves_early(stmt.body):
            return True
        last = iterable.last
        bind_last = lambda: self.bind_target(stmt.target, last)  # noqa: E731
        return not self.last_settles(stmt, bind_last) or run_last(
            state, self.statements, lambda target, _: self.bind_target(target, last), stmt, 0)

    def last_yield(self, stmt: ast.For, last: int) -> Value | None:
        """What a generator's final loop yields last: its last iteration run with its findings
        set aside (the consumer may stop before it), if every statement completes and binds,
        and yields, fully known tensors."""
        state = self.state
        frame = state.frames[-1]
        before = len(frame.yields)
        if not self.last_settles(stmt, lambda: self.expressions.bind(stmt.target, Const(last)),
                                 complete=True):
            del frame.yields[before:]
            return None
        produced = frame.yields[before:]
        del frame.yields[before:]  # the fixpoint's element already stands for them
        return produced[-1] if produced and _fully_known({"": produced[-1]}, {""}) else None

    def last_settles(self, stmt: ast.For, bind_last: Callable[[], None],
                     complete: bool = False) -> bool:
        """Run the last iteration first with its findings set aside, statement by statement:
        only if each statement that completes binds tensors of fully known shapes is it run
        for its findings. Otherwise an op on a size still unknown there (``images[start:start +
        32]`` of an array of unknown width) could fail in TF unseen, and a later op be
        blamed for it. A statement that certainly raises ends the check: it is TF's error
        (unless ``complete``: then the whole body must complete)."""
        state = self.state
        saved, findings = state.scope.vars.copy(), state.findings
        state.findings = {}  # its findings are only looked at (a raise ends a block)
        state.replaying += 1
        settled = True
        try:
            bind_last()
            for body_stmt in stmt.body:
                if not self.statements.exec_block([body_stmt]):
                    settled = settled and not complete
                    break
                if not _fully_known(state.scope.vars, _stored_names([body_stmt])):
                    settled = False
                    break
        finally:
            state.replaying -= 1
            state.findings = findings
            state.scope.vars = saved
            state.loop_signal = None
            state.just_raised = False
        return settled

    def for_dataset(self, stmt: ast.For, ds: DatasetValue) -> bool:
        """``for x in dataset``: its element, to a fixpoint. An eager loop over batches of
        known sizes that cannot leave early runs its first iteration with the first batch,
        the others to a fixpoint from there, and the last (a smaller batch) once more from
        that state, where TF raises on it (``last_iteration.py``); one batch: one run."""
        state = self.state
        traced = state.in_tf_function()
        element = iteration_element(ds, traced)
        ends = None if traced or leaves_early(stmt.body) else eager_ends(ds)
        if ends is not None:
            state.loop_signal = None
            self.bind_target(stmt.target, ends[0])
            if not self.statements.exec_block(stmt.body) and state.loop_signal != "continue":
                state.loop_signal = None
                return False
            state.loop_signal = None
            if not self.settled(stmt):
                ends = (ends[0], None)
        if ends is None or ds.count != 1:
            self.fixpoint(stmt.body, lambda: self.bind_target(stmt.target, element))
        last = ends[1] if ends is not None else None
        if last is not None and not run_last(
                state, self.statements, lambda target, _: self.bind_target(target, last),
                stmt, 0):
            return False
        self.statements.exec_block(stmt.orelse)
        return True

    def settled(self, stmt: ast.For) -> bool:
        """Every tensor the body binds has a fully known shape after its first run. Else the
        last iteration is not run: an unknown size that the earlier iterations pinned down
        (their reshapes succeeded) would let the smaller last batch pass where TF raises, and
        the error be claimed further on."""
        names = {n.id for s in stmt.body for n in ast.walk(s)
                 if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        names |= {n.id for n in ast.walk(stmt.target) if isinstance(n, ast.Name)}
        values = [self.state.scope.vars.get(name) for name in names]
        tensors = [t for v in values for t in (v.items if isinstance(v, Seq) else (v,))
                   if isinstance(t, Tensor)]
        return all(t.shape is not None and all(isinstance(d, int) for d in t.shape)
                   for t in tensors)

    def unroll(self, stmt: ast.For, items: list[Value]) -> bool:
        """Run the body once per known item. If an iteration may leave the loop early (a
        dropped branch that breaks or returns), the rest is analysed as a fixpoint, where no
        None-gradient is claimed."""
        state = self.state
        bind = self.bind_target
        state.unroll_depth += 1
        completed_early = not items
        try:
            for i, item in enumerate(items):
                state.loop_signal = None
                exits = state.partial_exits
                bind(stmt.target, item)
                if not self.statements.exec_block(stmt.body):
                    completed_early = True
                    if state.loop_signal == "continue":
                        continue
                    if state.loop_signal == "break":
                        break
                    return False
                completed_early = completed_early or state.partial_exits != exits
                if state.partial_exits != exits and i + 1 < len(items):
                    rest = items[i + 1]
                    for other in items[i + 2:]:
                        rest = join(rest, other)
                    self.fixpoint(stmt.body, lambda rest=rest: bind(stmt.target, rest),
                                  replay_all=True)
                    break
        finally:
            state.unroll_depth -= 1
        state.loop_signal = None
        frame = state.frames[-1]
        if final_loop(stmt, frame):  # every item ran, in order: the last yield is known
            last = frame.yields[-1] if frame.yields and not completed_early else None
            mark_final(frame, last if last is not None and
                       _fully_known({"": last}, {""}) else None)
        self.statements.exec_block(stmt.orelse)
        return True

    def exec_While(self, stmt: ast.While) -> bool:
        self.expressions.eval(stmt.test)
        self.fixpoint(stmt.body, lambda: None)
        self.statements.exec_block(stmt.orelse)
        return True

    def bind_target(self, target: ast.expr, value: Value) -> None:
        """Bind a loop target; the first tensor each of its names gets is recorded, as an
        expression's value is, so that a hover on ``x`` in ``for x, y in ds:`` shows it."""
        self.expressions.bind(target, value)
        if self.state.foreign:
            return
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                bound = self.state.scope.vars.get(node.id)
                if isinstance(bound, Tensor):
                    key = (node.lineno, node.col_offset, node.end_lineno or node.lineno,
                           node.end_col_offset or node.col_offset)
                    self.state.expressions.setdefault(key, bound)

    def fixpoint(self, body: list[ast.stmt], bind_target: Callable[[], None],
                 replay_all: bool = False, runs: bool = False) -> None:
        """Iterate the body to a fixpoint of the joined states. ``runs``: the loop certainly
        runs its body at least once (a known non-empty range, no ``break``); if the first
        pass then completes without leaving early, the state after the loop is the join of
        the states after one or more passes, without the state before it (a list appended
        to in the body is not empty)."""
        state = self.state
        before = state.scope.vars
        current = before.copy()
        nonempty = False
        for i in range(MAX_LOOP_PASSES):
            state.scope.vars = current.copy()
            bind_target()
            replay = i > 0 or replay_all
            state.replaying += replay
            exits = state.partial_exits
            try:
                completed = self.statements.exec_block(body)
            finally:
                state.replaying -= replay
                state.loop_signal = None
                state.just_raised = False
            if i == 0 and runs and completed and state.partial_exits == exits:
                nonempty = True  # the state after one pass replaces the one before
                current = state.scope.vars
                continue
            merged = join_env(current, state.scope.vars)
            if merged == current:
                break
            current = merged
        else:  # no fixpoint: what the loop changed is unknown; what it left is as it was
            # (an untouched name is the very same value: no read of it is recorded)
            current = {k: (v if dict.get(before, k) is v or before.get(k) == v else UNKNOWN)
                       for k, v in current.items()}
        state.scope.vars = current if nonempty else join_env(before, current)


def has_break(body: list[ast.stmt]) -> bool:
    """A ``break`` of this loop (not of a nested one) somewhere in its body."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Break):
            return True
        if isinstance(node, ast.For | ast.AsyncFor | ast.While | ast.FunctionDef |
                      ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            stack.extend(getattr(node, "orelse", []))
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def _stored_names(body: list[ast.stmt]) -> set[str]:
    return {n.id for s in body for n in ast.walk(s)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _fully_known(scope: dict[str, Value], names: set[str]) -> bool:
    """Every tensor bound to ``names`` (or held in a tuple there) has all its dims known."""
    values = [scope.get(name) for name in names]
    tensors = [t for v in values for t in (v.items if isinstance(v, Seq) else (v,))
               if isinstance(t, Tensor)]
    return all(t.shape is not None and all(isinstance(d, int) for d in t.shape)
               for t in tensors)
