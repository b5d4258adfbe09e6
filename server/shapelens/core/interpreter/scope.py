"""Scopes (name → abstract value), class members, and the join of two environments at a
control-flow merge."""

from __future__ import annotations

from ...domain.values import ClassValue, Value, join
from ...structs import Entity
from ..incremental.journal import note_read

BUILTIN_NAMES = frozenset(
    {
        "len", "int", "float", "min", "max", "sum", "abs", "round", "list", "tuple", "zip",
        "enumerate", "range", "print", "isinstance", "str", "repr", "format", "bool", "dict",
        "set", "super", "object", "type", "iter", "next", "map", "filter", "sorted",
        "reversed", "any", "all", "open", "getattr", "setattr", "hasattr", "callable",
        "ValueError", "TypeError", "RuntimeError", "Exception", "KeyError", "IndexError",
        "AssertionError", "NotImplementedError", "StopIteration", "ZeroDivisionError",
    }
)


class Scope(Entity):
    """One namespace. ``parent`` is the enclosing function or module scope (never a class
    body, as in Python); ``vars`` is replaced wholesale at merges so closures that captured
    this Scope see the merged state."""

    __slots__ = ("vars", "parent")

    def __init__(self, vars: dict[str, Value] | None = None,
                 parent: Scope | None = None) -> None:
        self.vars = {} if vars is None else vars
        self.parent = parent

    def lookup(self, name: str) -> Value | None:
        scope: Scope | None = self
        while scope is not None:
            value = scope.vars.get(name)
            if value is not None:
                return value
            scope = scope.parent
        return None


def join_env(a: dict[str, Value], b: dict[str, Value]) -> dict[str, Value]:
    """Merge two states of the same scope: names bound on one path only keep that value."""
    out = a.copy()  # the module scope's copies keep recording reads (journal.py)
    for name, value in b.items():
        mine = dict.get(out, name)
        if mine is value:
            continue
        note_read(out, name)  # the merge depends on the value before the branches
        out[name] = value if mine is None else join(mine, value)
    return out


def class_member(cls: ClassValue, attr: str) -> Value | None:
    """``attr`` looked up on a user class and its user-class bases (depth first, as
    written), or None: not defined there."""
    if attr in cls.attrs:
        return cls.attrs[attr]
    for base in cls.bases:
        if isinstance(base, ClassValue):
            found = class_member(base, attr)
            if found is not None:
                return found
    return None
