"""What the result of a user function call depends on besides its arguments (its memo key).

``Interpreter.call_function`` reuses the result of an earlier call with equal arguments. That
result also depends on

* the names the function (or any function it reaches through them) reads from enclosing
  scopes: a module-level ``tf.Variable`` gives a result that depends on that variable, and
  rebinding the name (to another shape, to a plain tensor) changes the result;
* the tapes recording at the call, and what they watch: ops on watched variables are recorded
  on the tapes active *then*, so a result computed under no tape (or another tape, in an
  earlier loop iteration) says nothing about the tape recording now (issue 15, pattern 2);
* whether the call runs inside ``@tf.function`` (autograph turns ``float()`` into a cast).

``context_key`` returns these as a hashable tuple, or None when a value reached is a mutable
object (a layer, model, tape or instance, whose state is not part of any key): such calls
are analysed afresh every time, like calls whose arguments are mutable.
"""

from __future__ import annotations

import ast

from ...domain.values import (
    ClassValue,
    DictValue,
    Function,
    Instance,
    IntIn,
    LayerValue,
    ListOf,
    ModelValue,
    Seq,
    TapeValue,
    Tensor,
    Value,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NAMED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
# Nested scopes: a nested function's (and a comprehension's) bindings are its own.
_NESTED = _NAMED | {ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp}
_YIELDS = frozenset({ast.Yield, ast.YieldFrom})
_DECLARATIONS = frozenset({ast.Global, ast.Nonlocal})
MAX_FUNCTIONS = 64  # functions reached through free names; beyond, the call is not memoised


class Key(tuple):  # type: ignore[type-arg]
    """A memo key that hashes once: the same key is looked up in several tables (the memo,
    the incremental session's read and write sets, its call summaries), and hashing the
    values in it runs Python code for each of them."""

    def __hash__(self) -> int:
        # (``getattr`` with a default: a missing attribute raises no exception to catch)
        found: int | None = getattr(self, "_hash", None)
        if found is None:
            found = self._hash = tuple.__hash__(self)
        return found


def mutable(value: Value) -> bool:
    """True for values holding an object whose state can change (compared by identity)."""
    if isinstance(value, LayerValue | ModelValue | Instance | TapeValue | IntIn):
        return True  # (an IntIn is one evaluation's value: another call makes another)
    if isinstance(value, Seq):
        return any(mutable(v) for v in value.items)
    if isinstance(value, ListOf):
        return mutable(value.element)
    if isinstance(value, DictValue):
        return any(mutable(k) or mutable(v) for k, v in value.items)
    if isinstance(value, Tensor):
        return bool(value.history)
    return False


def free_names(node: ast.AST) -> tuple[str, ...]:
    """Names a function reads that it does not bind itself (its nested functions included),
    in no particular order; cached on the node with ``yields`` (one walk for both). Over-
    approximated: a name counted free that is in fact local only adds an entry to the key."""
    return _facts(node)[0]


def yields(node: ast.AST) -> bool:
    """The function's own body (not nested functions) yields: it is a generator."""
    return _facts(node)[1]


def _facts(node: ast.AST) -> tuple[tuple[str, ...], bool]:
    found = getattr(node, "_shapelens_facts", None)  # kept with the node across runs
    if found is None:
        found = _walk(node)
        node._shapelens_facts = found  # type: ignore[attr-defined]
    return found


def _walk(node: ast.AST) -> tuple[tuple[str, ...], bool]:
    """One pass over the body: names bound at the function's own level are local (unless
    declared ``global``/``nonlocal``); every name read anywhere inside that is not local is
    free. Names bound inside nested functions and comprehensions count as reads of the outer
    scope where read there (an over-approximation, never an omission)."""
    local: set[str] = set()
    declared: set[str] = set()
    generator = False
    loads: dict[str, None] = {}
    args = getattr(node, "args", None)
    if isinstance(args, ast.arguments):
        local.update(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))
        local.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    body = getattr(node, "body", [])
    own: list[ast.AST] = list(body) if isinstance(body, list) else [body]
    nested: list[ast.AST] = []
    name_t, load_t = ast.Name, ast.Load
    while own:  # this function's own scope
        current = own.pop()
        cls = type(current)
        if cls is name_t:
            if type(current.ctx) is load_t:  # type: ignore[attr-defined]
                loads[current.id] = None  # type: ignore[attr-defined]
            else:
                local.add(current.id)  # type: ignore[attr-defined]
            continue
        if cls in _NESTED:
            if cls in _NAMED:
                local.add(current.name)  # type: ignore[attr-defined]
            nested.append(current)
            continue
        if cls in _YIELDS:
            generator = True
        elif cls in _DECLARATIONS:
            declared.update(current.names)  # type: ignore[attr-defined]
        elif cls is ast.alias:
            local.add((current.asname or current.name).split(".")[0])  # type: ignore[attr-defined]
        elif cls is ast.ExceptHandler and current.name:  # type: ignore[attr-defined]
            local.add(current.name)  # type: ignore[attr-defined]
        own.extend(ast.iter_child_nodes(current))
    for inner in nested:  # only their reads matter
        for sub in ast.walk(inner):
            if type(sub) is name_t and type(sub.ctx) is load_t:  # type: ignore[attr-defined]
                loads[sub.id] = None  # type: ignore[attr-defined]
    local -= declared
    return tuple(name for name in loads if name not in local), generator


def context_key(fn: Function, tapes: list[TapeValue], in_tf_function: bool) -> Any:
    """The part of ``fn``'s memo key beyond its arguments, or None: do not memoise."""
    free: list[Value | None] = []
    seen: set[int] = set()
    # Every function put on ``todo`` is visited unless the key is refused first, so more
    # than MAX_FUNCTIONS of them refuse it at once: a script's ``main()`` naming hundreds of
    # functions stops after looking up a few dozen of its names, not all of theirs.
    reached = {id(fn.node)}
    todo = [fn]
    while todo:
        current = todo.pop()
        if id(current.node) in seen:
            continue
        seen.add(id(current.node))
        if any(mutable(d) for d in current.defaults) or \
                any(mutable(d) for d in current.kw_defaults.values()):
            return None  # a default that is a layer or model: its state is in no key
        scope = current.scope
        for name in free_names(current.node):
            value = scope.lookup(name)
            if value is None:
                free.append(None)
                continue
            if mutable(value):
                return None
            if isinstance(value, Function):
                todo.append(value)
                reached.add(id(value.node))
            elif isinstance(value, ClassValue):
                methods = _methods(value)
                todo.extend(methods)
                reached.update(id(m.node) for m in methods)
            if len(reached) > MAX_FUNCTIONS:
                return None
            free.append(value)
    if not tapes:
        return tuple(free)
    recording = tuple((t.token, t.watch_accessed, frozenset(t.watched)) for t in tapes)
    return (tuple(free), recording, in_tf_function)


def _methods(cls: ClassValue) -> list[Function]:
    out = [v for v in cls.attrs.values() if isinstance(v, Function)]
    for base in cls.bases:
        if isinstance(base, ClassValue):
            out += _methods(base)
    return out
