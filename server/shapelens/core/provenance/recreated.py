"""SL317: a ``tf.Variable`` the loop body creates again on every iteration, so each update the
body makes to it is lost.

::

    for step in range(100):
        with tf.GradientTape() as tape:
            w = tf.Variable(tf.zeros([3, 1]))      # SL317
            loss = tf.reduce_mean((x @ w - y) ** 2)
        g = tape.gradient(loss, w)
        w.assign_sub(0.1 * g)

TF computes ``g`` and applies it, but the next iteration binds ``w`` to a new variable made
from the same initial value: every step starts from there, and the loss never changes (TF 2.21:
the same loss at every step). Nothing is raised. A Keras optimizer is another story: its
``apply_gradients`` raises ``ValueError: Unknown variable`` on the second step, at that line;
that case is left alone here (``w`` passed to anything but a TF op is a use this proof does not
follow).

Reported only when all of this is read from the loop and the values the engine has:

* the loop is a ``for`` over a sequence of at least two known items or ``range`` of known ints
  with at least two (so there is a next iteration), outside any ``tf.function`` (there TF
  raises on the second variable instead);
* its body (through ``with`` blocks only) has no ``break``/``continue``/``return``/``raise``/
  ``yield``/``try``: each iteration runs to its end;
* a statement of the body, at that level, is ``name = tf.Variable(<initial value>, ...)`` (the
  callee resolves to ``tf.Variable``), and no code of the body before it mentions ``name``:
  every iteration rebinds it before reading it;
* the initial value calls only library functions and reads no name the body assigns or calls
  a method of, nor ``name`` (every iteration makes the same starting value, and it could be
  made once before the loop);
* after it, the body updates the variable in place (``name.assign(...)``, ``assign_add``,
  ``assign_sub``, as a statement at that level), and until the first such update ``name`` is
  used only by TF ops, arithmetic, its own read-only attributes, and as a source of
  ``<tape>.gradient``; after it, only by further updates: nothing keeps or reads the updated
  variable before the next iteration replaces it.

The proof ends when the update runs a second time, for a second variable (the engine's next pass
over the body): the finding is reported then, unless an error was proven since the loop began
(a first iteration that raises has no next one).

The fix ("create it once before the loop", ``variable-before-loop``) moves the statement to
just before the ``for``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...domain.values import Const, Ref, Seq
from ..results import Fix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..interpreter.state import RunState

UPDATES = frozenset({"assign", "assign_add", "assign_sub"})
_READ_ONLY = frozenset({"numpy", "read_value", "value", "shape", "dtype", "name"})
_EXITS = (ast.Break, ast.Continue, ast.Return, ast.Raise, ast.Yield, ast.YieldFrom,
          ast.Try, getattr(ast, "TryStar", ast.Try), ast.Global, ast.Nonlocal)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


class Recreated:
    """The loops whose variable the conditions above prove re-created, until the proof is
    complete: the finding is reported at the update's second run (the loop's next pass),
    and only if no error was proven since the loop began, so the first pass completed and
    there is a next iteration to replace the updated variable."""

    def __init__(self, state: RunState) -> None:
        self.state = state
        # name -> (the ``name = tf.Variable(...)`` statement, the loop, errors proven before
        # the loop, the variables seen updated)
        self.pending: dict[str, tuple[ast.Assign, ast.For, int, list[object]]] = {}

    def check_loop(self, iterable: object, stmt: ast.For) -> None:
        """``stmt`` starts: remember its re-created variables (the conditions above)."""
        state = self.state
        for name, (_, loop, _, _) in list(self.pending.items()):
            if loop is stmt:
                del self.pending[name]  # the loop runs again (an outer loop's next pass)
        level = list(_level(stmt.body))
        made_here = [(made, name) for made in level
                     if (name := _created(state, made)) is not None]
        if not made_here or state.in_tf_function() or \
                not _iterates_twice(state, iterable, stmt.iter) or \
                any(isinstance(n, _EXITS) for s in stmt.body for n in ast.walk(s)):
            return
        stored = {n.id for s in [stmt.target, *stmt.body] for n in ast.walk(s)
                  if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store | ast.Del)}
        for made, name in made_here:
            if isinstance(made, ast.Assign) and _lost(state, stmt, level, made, name, stored):
                self.pending[name] = (made, stmt, state.raised, [])

    def updated(self, variable: object) -> None:
        """``variable.assign...(...)`` ran: report SL317 when it is the second variable its
        loop's statement made and updated, and nothing raised since the loop began."""
        state = self.state
        for name, (made, loop, raised, seen) in list(self.pending.items()):
            if state.scope.lookup(name) is not variable or \
                    any(v is variable for v in seen):
                continue
            seen.append(variable)
            if len(seen) < 2:
                continue
            del self.pending[name]
            if state.raised != raised or state.dead:
                continue
            state.report(
                "SL317", f"{name} is created again by tf.Variable(...) on every iteration of "
                f"the loop at line {loop.lineno}: each update of {name} is lost when the next "
                "iteration replaces it with a new variable made from its initial value, so "
                "training starts over at every step; create it once before the loop", made,
                fix=Fix("variable-before-loop", f"Create {name} once before the loop", False,
                        (("name", name), ("loop_line", loop.lineno),
                         ("variable_line", made.lineno))))


def _iterates_twice(state: RunState, iterable: object, node: ast.expr) -> bool:
    """Does the loop certainly run at least two iterations?"""
    if isinstance(iterable, Seq):
        return len(iterable.items) >= 2
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or \
            node.func.id != "range" or node.keywords or not 0 < len(node.args) <= 3 or \
            state.scope.lookup("range") is not None:
        return False
    bounds = []
    for arg in node.args:
        value = Const(arg.value) if isinstance(arg, ast.Constant) else \
            state.scope.lookup(arg.id) if isinstance(arg, ast.Name) else None
        if not isinstance(value, Const) or type(value.value) is not int:
            return False
        bounds.append(value.value)
    return bounds[-1] != 0 and len(range(*bounds)) >= 2


def _level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements that run once per iteration, in order: the body, through ``with``."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.With | ast.AsyncWith):
            yield from _level(stmt.body)


def _resolves_to(state: RunState, func: ast.expr) -> str | None:
    """The library name ``func`` (a dotted name) stands for, or None."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    root = state.scope.lookup(func.id)
    if not isinstance(root, Ref):
        return None
    return ".".join([root.name, *reversed(parts)])


def _created(state: RunState, stmt: ast.stmt) -> str | None:
    """``name`` of a statement ``name = tf.Variable(...)`` whose initial value is made by
    library calls only, else None."""
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or \
            not isinstance(stmt.targets[0], ast.Name) or not isinstance(stmt.value, ast.Call):
        return None
    func = stmt.value.func
    if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)) != \
            "Variable" or _resolves_to(state, func) != "tf.Variable":
        return None  # (the spelling first: no lookup, so no recorded read, for other calls)
    calls = [n for n in ast.walk(stmt.value) if isinstance(n, ast.Call)]
    if any(_resolves_to(state, c.func) is None for c in calls) or \
            any(isinstance(n, _SCOPES) for n in ast.walk(stmt.value)):
        return None
    return stmt.targets[0].id


def _lost(state: RunState, loop: ast.For, level: list[ast.stmt], made: ast.Assign,
          name: str, stored: set[str]) -> bool:
    """Is every update of ``name`` in the loop body lost (the conditions above)?"""
    assert isinstance(made.value, ast.Call)
    reads = {n.id for n in ast.walk(made.value) if isinstance(n, ast.Name)}
    receivers = {n.func.value.id for s in loop.body for n in ast.walk(s)
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and
                 isinstance(n.func.value, ast.Name) and
                 not isinstance(state.scope.lookup(n.func.value.id), Ref)}
    if reads & (stored - {name} | receivers | {name}) or reads & _target_names(loop.target):
        return False
    if sum(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
           for s in loop.body for n in ast.walk(s)) != 1:
        return False  # bound once per iteration, by this statement
    updates = [s for s in level if _update(s, name)]
    if not updates or updates[0].lineno < made.lineno:
        return False
    parents = {id(child): parent for s in loop.body for parent in ast.walk(s)
               for child in ast.iter_child_nodes(parent)}
    tapes = {item.optional_vars.id for s in level if isinstance(s, ast.With | ast.AsyncWith)
             for item in s.items if isinstance(item.optional_vars, ast.Name) and
             isinstance(item.context_expr, ast.Call) and
             _resolves_to(state, item.context_expr.func) == "tf.GradientTape"}
    for s in loop.body:
        for n in ast.walk(s):
            if not isinstance(n, ast.Name) or n.id != name or n is made.targets[0]:
                continue
            if n.lineno < made.lineno or not _allowed(state, n, parents, updates, tapes):
                return False
    return True


def _target_names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _update(stmt: ast.stmt, name: str) -> bool:
    """Is ``stmt`` the statement ``name.assign...(...)``?"""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
        call.func.attr in UPDATES and isinstance(call.func.value, ast.Name) and \
        call.func.value.id == name


def _allowed(state: RunState, node: ast.Name, parents: dict[int, ast.AST],
             updates: list[ast.stmt], tapes: set[str]) -> bool:
    """Does this use of the variable neither keep it nor read it after its update?"""
    first = updates[0]
    if any(node.lineno >= u.lineno and node in _names(u) for u in updates):
        return True  # the receiver of an update (its argument may read the variable)
    if node.lineno >= (first.end_lineno or first.lineno):
        return False  # read after the first update: the update is seen
    parent = parents.get(id(node))
    if isinstance(parent, ast.BinOp | ast.UnaryOp):
        return True
    if isinstance(parent, ast.Attribute):
        return parent.attr in _READ_ONLY
    if isinstance(parent, ast.List | ast.Tuple | ast.keyword):
        parent = parents.get(id(parent))
    if isinstance(parent, ast.Call) and node not in _names(parent.func):
        func = parent.func
        if isinstance(func, ast.Attribute) and func.attr == "gradient" and \
                isinstance(func.value, ast.Name) and func.value.id in tapes:
            return True  # a source of the gradient of this iteration's tape
        resolved = _resolves_to(state, func)
        return resolved is not None and resolved.startswith("tf.") and \
            resolved != "tf.Variable"
    return False


def _names(node: ast.AST) -> list[ast.AST]:
    return list(ast.walk(node))
