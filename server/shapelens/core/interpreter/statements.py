"""The statement part: runs blocks of statements and the simple statements.

A block runs until control provably leaves it (``return``, ``raise``, ``break``, or a
statement that certainly raises: an error reported at it). After a statement that certainly
raises, the rest of the block is still analysed for its shapes (hover, inlay hints) but
reports nothing: it is unreachable on this path (``state.dead``). Compound statements are
dispatched to ``flow.py`` (branches, loops) and ``definitions.py`` (imports, ``def``,
``class``); ``with`` blocks notify the provenance component (a tape opened and closed).
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable

from ...domain.values import UNKNOWN, Instance, Tensor
from ...shapefns.api_handles import entered
from ..lazylog import logger
from .dispatch import table
from .handled import caught_names, with_catches
from .mutation import MUTATORS, apply, changed, delete, is_list
from .operators import BINOPS
from .scope import join_env
from .state import BudgetExceeded

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .ports import ExpressionsApi, ProvenanceApi
    from .state import RunState

log = logger(__name__)
_SIMPLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Assert)
Step = Callable[[ast.stmt], bool]


class Statements:
    """Runs statements; handed the run state, the expression part and provenance, and given
    the compound-statement parts (``flow``, ``definitions``) with ``link``."""

    def __init__(self, state: RunState, expressions: ExpressionsApi,
                 provenance: ProvenanceApi) -> None:
        self.state = state
        self.expressions = expressions
        self.provenance = provenance
        # How each statement of a block is run: the interpreter's ``exec_stmt`` (one entry
        # point per statement, which the incremental session also uses).
        self.step: Step = self.exec_stmt
        self._dispatch: dict[type, Callable[[Any], bool]] = {}

    def link(self, flow: object, definitions: object, step: Step) -> None:
        """Build the statement table from this part and the compound-statement parts
        (``flow.ControlFlow``, ``definitions.Definitions``): their ``exec_<Node>`` methods."""
        self.step = step
        for part in (self, flow, definitions):
            self._dispatch.update(table(part, "exec_"))

    # ------------------------------------------------------------------ blocks
    def exec_block(self, body: list[ast.stmt], step: Step | None = None) -> bool:
        """Run statements (each with ``step``, by default the interpreter's); False once
        control provably leaves the block."""
        state = self.state
        step = step or self.step
        for i, stmt in enumerate(body):
            if state.deadline is not None and time.perf_counter() > state.deadline:
                raise BudgetExceeded
            if not step(stmt):
                if state.just_raised:
                    state.just_raised = False
                    state.dead += 1
                    try:
                        self.exec_block(body[i + 1:], step)
                    finally:
                        state.dead -= 1
                    state.just_raised = True  # the enclosing block is dead from here too
                return False
        return True

    def exec_stmt(self, stmt: ast.stmt) -> bool:
        method = self._dispatch.get(stmt.__class__)
        if method is None:
            return True
        state = self.state
        raised = state.raised
        try:
            # A statement that certainly raises ends its block, like `raise`.
            flows = method(stmt)
            if flows and state.raised != raised and isinstance(stmt, _SIMPLE):
                state.just_raised = True
                return False
            return flows
        except (BudgetExceeded, RecursionError):
            raise
        except Exception:  # isolate an engine bug to this statement
            log.exception("analysis of line %s failed", stmt.lineno)
            return True

    # ------------------------------------------------------------------ simple statements
    def exec_Expr(self, stmt: ast.Expr) -> bool:
        value = stmt.value
        ev = self.expressions
        if isinstance(value, ast.Yield):
            self.state.frames[-1].yields.append(ev.eval(value.value))
            return True
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
                value.func.attr in MUTATORS and not value.keywords and \
                not any(isinstance(a, ast.Starred) for a in value.args) and \
                self.mutate_in_place(value, value.func):
            return True
        ev.eval(value)
        return True

    def mutate_in_place(self, call: ast.Call, func: ast.Attribute) -> bool:
        """``xs.append(v)``, ``self.rows.extend(vs)``: the receiver's own place (a name, an
        instance attribute) gets the new list; every other holder of the same list (an
        alias, the argument a caller passed) gets the join of before and after
        (interpreter/mutation.py). False if the receiver is no list held in such a place: the call
        is then evaluated as any other."""
        ev = self.expressions
        state = self.state
        receiver = func.value
        owner = None
        if isinstance(receiver, ast.Name):
            old = state.scope.lookup(receiver.id)  # (not a read: ``changed`` may skip search)
            if old is None:
                return False
        elif isinstance(receiver, ast.Attribute):
            owner = ev.eval(receiver.value)
            if not isinstance(owner, Instance) or receiver.attr not in owner.attrs:
                return False
            old = owner.attrs[receiver.attr]
        else:
            return False
        if not is_list(old):
            return False
        new, _ = apply(old, func.attr, [ev.eval(a) for a in call.args])
        changed(state, old, new, receiver, placed=owner is not None)
        if owner is not None:
            owner.attrs[receiver.attr] = new  # type: ignore[union-attr]
            state.escaped_mutations += 1  # an object outlives the call
        return True

    def exec_Assign(self, stmt: ast.Assign) -> bool:
        state = self.state
        value = self.expressions.eval(stmt.value)
        single = len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
        if single:
            name = stmt.targets[0].id  # type: ignore[attr-defined]
            # Only a plain tensor replacing a variable matters; looking the old value up
            # otherwise would make every assignment depend on what the name held before.
            old = state.scope.lookup(name) if isinstance(value, Tensor) and \
                value.kind != "variable" else None
            self.provenance.name_rebound(name, old, value, stmt.lineno)
        for target in stmt.targets:
            self.expressions.bind(target, value)
        if isinstance(stmt.value, ast.List | ast.ListComp) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name | ast.Attribute) and is_list(value):
            state.unshared[id(value)] = value  # a new list, in one place (mutation.changed)
        if single and not state.foreign:
            state.assignments.setdefault((stmt.lineno, stmt.targets[0].id),  # type: ignore[attr-defined]
                                         (stmt.targets[0], value))  # type: ignore[arg-type]
        elif len(stmt.targets) == 1 and not state.foreign:
            self.record_unpacked(stmt.lineno, stmt.targets[0])
        return True

    def record_unpacked(self, line: int, target: ast.expr) -> None:
        """``x, (y, z) = ...``: each name gets the value it was bound to, for the shapes
        table and inlay hints, as a plain assignment does."""
        if not isinstance(target, ast.Tuple | ast.List):
            return
        for element in target.elts:
            if isinstance(element, ast.Name):
                bound = self.state.scope.vars.get(element.id)
                if bound is not None:
                    self.state.assignments.setdefault((line, element.id), (element, bound))
            else:
                self.record_unpacked(line, element)

    def exec_AnnAssign(self, stmt: ast.AnnAssign) -> bool:
        if stmt.value is not None:
            value = self.expressions.eval(stmt.value)
            self.expressions.bind(stmt.target, value)
            if isinstance(stmt.target, ast.Name) and not self.state.foreign:
                self.state.assignments.setdefault((stmt.lineno, stmt.target.id),
                                                  (stmt.target, value))
        return True

    def exec_AugAssign(self, stmt: ast.AugAssign) -> bool:
        ev = self.expressions
        current = ev.eval(stmt.target) if isinstance(stmt.target, ast.Name | ast.Attribute) \
            else UNKNOWN
        if isinstance(stmt.target, ast.Attribute) and not is_list(current):
            current = UNKNOWN  # only a list attribute is followed (``self.rows += [r]``)
        value = ev.eval(stmt.value)
        name = BINOPS.get(type(stmt.op))
        result = ev.binary(name, current, value, stmt) if name else UNKNOWN
        if is_list(current) and isinstance(stmt.op, ast.Add | ast.Mult):
            # ``xs += ys`` extends the list in place: its other holders see it too
            changed(self.state, current, result)
        ev.bind(stmt.target, result)
        return True

    def exec_Delete(self, stmt: ast.Delete) -> bool:
        """``del xs[i]`` shortens a list in place (its other holders see it too)."""
        ev = self.expressions
        state = self.state
        for target in stmt.targets:
            if not isinstance(target, ast.Subscript):
                continue
            old = ev.eval(target.value)
            if not is_list(old):
                continue
            new = delete(old, ev.eval(target.slice))
            changed(state, old, new, target.value)
        return True

    def exec_Return(self, stmt: ast.Return) -> bool:
        self.state.frames[-1].returns.append(self.expressions.eval(stmt.value))
        return False

    def exec_Raise(self, stmt: ast.Raise) -> bool:
        return False

    def exec_Assert(self, stmt: ast.Assert) -> bool:
        self.expressions.eval(stmt.test)
        return True

    # ------------------------------------------------------------------ with / try
    def exec_With(self, stmt: ast.With) -> bool:
        state = self.state
        contexts = []
        for item in stmt.items:
            context = self.expressions.eval(item.context_expr)
            target = item.optional_vars
            self.provenance.tape_opened(context, stmt.lineno,
                                        target.id if isinstance(target, ast.Name) else None)
            contexts.append(context)
            if target is not None:
                self.expressions.bind(target, entered(context))  # graph.as_default(): g
        caught = with_catches(stmt)  # pytest.raises, assertRaises, contextlib.suppress
        if caught is not None:
            state.catching.append(caught)
        reported = len(state.findings)
        try:
            flows = self.exec_block(stmt.body)
        finally:
            if caught is not None:
                state.catching.pop()
            for context in reversed(contexts):
                self.provenance.tape_closed(context)
        if caught is not None and not flows and state.just_raised and \
                len(state.findings) == reported:
            state.just_raised = False  # the context manager swallowed the (handled) error
            return True
        return flows

    def exec_Try(self, stmt: ast.Try) -> bool:
        state = self.state
        before = state.scope.vars.copy()
        state.catching.append(caught_names(stmt.handlers))
        try:
            ok = self.exec_block(stmt.body)
        finally:
            state.catching.pop()
        state.just_raised = False
        if ok:
            self.exec_block(stmt.orelse)
        after = state.scope.vars
        results = [after] if ok else []
        for handler in stmt.handlers:
            state.scope.vars = join_env(before, after)
            if handler.name:
                state.scope.vars[handler.name] = UNKNOWN
            if self.exec_block(handler.body):
                results.append(state.scope.vars)
        merged = results[0] if results else join_env(before, after)
        for other in results[1:]:
            merged = join_env(merged, other)
        state.scope.vars = merged
        self.exec_block(stmt.finalbody)
        return bool(results)
