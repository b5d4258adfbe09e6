"""Lists mutated in place: what ``append``/``extend``/``insert``/``pop``/... make of a list,
and what every other holder of the same list must then believe.

Abstract values are immutable, so a mutation is a rebinding: the receiver's own place (a
name, an instance attribute) gets the new list. But a Python list is shared by every place
that holds it — an alias ``ys = xs``, a parameter of the function mutating it, an attribute
of an object, an item of another list. Those places hold the very same abstract value
object as the receiver did (values are passed by reference), so they are found by identity
and given the join of the list before and after the mutation: identity may also be
coincidental (one memoised result handed to two callers), and the join is true of both.
Unknown stays unknown: a list that may have changed loses the length it can no longer prove.
"""

from __future__ import annotations

import ast

from ...domain.values import (
    NONE,
    UNKNOWN,
    ClassValue,
    Const,
    DictValue,
    Instance,
    ListOf,
    Seq,
    SliceValue,
    Value,
    join,
    min_length,
)
from ..incremental.journal import note_read
from .scope import Scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class Run(Protocol):
        """What of the interpreter's run state a mutation reaches (``RunState``)."""

        scope: Scope
        callers: list[Scope]
        list_groups: dict[int, tuple[Value, ...]]
        unshared: dict[int, Value]
        escaped_mutations: int

# The methods of ``list`` that change it in place.
MUTATORS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort",
                      "reverse"})
_MAX_DEPTH = 6  # nested containers searched for the mutated list


def is_list(value: Value) -> bool:
    """A list value (a tuple or TensorShape is never mutated in place)."""
    return isinstance(value, ListOf) or (isinstance(value, Seq) and value.kind == "list")


def apply(old: Value, method: str, args: list[Value]) -> tuple[Value, Value]:
    """The list after ``old.<method>(*args)`` and the call's result, as Python computes
    them where the list's items are known; otherwise a list of unknown length."""
    if isinstance(old, Seq):
        items = old.items
        if method == "append" and len(args) == 1:
            return Seq((*items, args[0]), "list"), NONE
        if method == "extend" and len(args) == 1:
            extra = args[0]
            if isinstance(extra, Seq):
                return Seq((*items, *extra.items), "list"), NONE
            if isinstance(extra, ListOf):
                return ListOf(_join_all((*items, extra.element)),
                              len(items) + extra.at_least), NONE
            return UNKNOWN, NONE
        if method == "insert" and len(args) == 2:
            at = args[0]
            if isinstance(at, Const) and type(at.value) is int:
                spliced = list(items)
                spliced.insert(at.value, args[1])
                return Seq(tuple(spliced), "list"), NONE
            return Seq((*items, UNKNOWN), "list"), NONE  # one more item, somewhere
        if method == "pop" and items and not args:
            return Seq(items[:-1], "list"), items[-1]
        if method == "clear" and not args:
            return Seq((), "list"), NONE
        if method == "reverse" and not args:
            return Seq(items[::-1], "list"), NONE
        if method == "sort" and items:
            return Seq((_join_all(items),) * len(items), "list"), NONE
        return lose_length(old), UNKNOWN
    if isinstance(old, ListOf):
        if method == "append" and len(args) == 1:
            return ListOf(join(old.element, args[0]), old.at_least + 1), NONE
        if method == "insert" and len(args) == 2:
            return ListOf(join(old.element, args[1]), old.at_least + 1), NONE
        if method == "extend" and len(args) == 1 and isinstance(args[0], Seq | ListOf):
            extra = args[0]
            more = extra.items if isinstance(extra, Seq) else (extra.element,)
            return ListOf(_join_all((old.element, *more)),
                          old.at_least + min_length(extra)), NONE
        if method == "clear" and not args:
            return Seq((), "list"), NONE
        if method in ("pop", "remove"):
            shorter = ListOf(old.element, max(0, old.at_least - 1))
            return shorter, old.element if method == "pop" else NONE
        if method in ("sort", "reverse"):
            return old, NONE
        return UNKNOWN, NONE
    return UNKNOWN, UNKNOWN


def store(old: Value, index: Value, value: Value) -> Value:
    """The list after ``old[index] = value`` (an item replaced, or a slice: any length)."""
    if isinstance(old, Seq) and isinstance(index, Const) and type(index.value) is int and \
            -len(old.items) <= index.value < len(old.items):
        items = list(old.items)
        items[index.value] = value
        return Seq(tuple(items), "list")
    if isinstance(old, ListOf) and not isinstance(index, SliceValue):
        return ListOf(join(old.element, value), old.at_least)
    return UNKNOWN


def delete(old: Value, index: Value) -> Value:
    """The list after ``del old[index]``."""
    if isinstance(old, Seq) and isinstance(index, Const) and type(index.value) is int and \
            -len(old.items) <= index.value < len(old.items):
        items = list(old.items)
        del items[index.value]
        return Seq(tuple(items), "list")
    return lose_length(old)


def changed(run: Run, old: Value, new: Value, receiver: ast.expr | None = None,
            placed: bool = False) -> None:
    """``old`` became ``new`` in place: its holders get the join (``share``) and, if the
    receiver was a name, the nearest scope binding it gets ``new`` (``placed``: the caller
    put it in its attribute). A change seen beyond the running function's scope is counted
    (its call is then not memoised).

    A list that a mutation put in its one place and that no expression has read since
    (``run.unshared``; ``Expressions.eval`` forgets what it reads) has no other holder: the
    search is skipped (a loop of appends would search every scope at every append)."""
    scope = run.scope
    name = receiver.id if isinstance(receiver, ast.Name) else None
    escaped = False
    if run.unshared.pop(id(old), None) is not old:
        escaped = share(old, new, [scope, *run.callers], scope, run.list_groups)
    place: Scope | None = scope
    while name is not None and place is not None and name not in place.vars:
        place = place.parent
    if name is not None and place is not None:
        place.vars[name] = new
        escaped = escaped or place is not scope
        placed = True
    if placed:
        run.unshared[id(new)] = new
    run.escaped_mutations += escaped


def lose_length(value: Value) -> Value:
    """The same list with a length no longer known."""
    if isinstance(value, Seq):
        return ListOf(_join_all(value.items)) if value.items else ListOf(UNKNOWN)
    return ListOf(value.element) if isinstance(value, ListOf) else UNKNOWN


def _join_all(items: tuple[Value, ...]) -> Value:
    element = items[0]
    for other in items[1:]:
        element = join(element, other)
    return element


def share(old: Value, new: Value, roots: list[Scope], local: Scope | None,
          groups: dict[int, tuple[Value, ...]]) -> bool:
    """Give every place of ``roots`` (scopes, their parents, the objects they hold) that
    holds ``old``, or a value an earlier mutation gave the holders of the same list
    (``groups``: the values that may all be one list), its join with ``new``. True if a
    place outside ``local`` (the scope of the function running) changed."""
    sweep = _Sweep({id(m): m for m in groups.get(id(old), (old,))}, new)
    seen: set[int] = set()
    for root in roots:
        scope: Scope | None = root
        while scope is not None and id(scope) not in seen:
            seen.add(id(scope))
            if sweep.scope(scope) and scope is not local:
                sweep.escaped = True
            scope = scope.parent
    if not sweep.merged:
        return sweep.escaped
    group = (new, *sweep.merged.values())
    for member in group:
        groups[id(member)] = group  # the group holds its members: their ids stay theirs
    return sweep.escaped


class _Sweep:
    """One search for the places that hold the mutated list."""

    def __init__(self, targets: dict[int, Value], new: Value) -> None:
        self.targets = targets  # id -> a value the list had
        self.new = new
        self.merged: dict[int, Value] = {}  # id of a value found -> its join with ``new``
        self.objects: set[int] = set()
        self.escaped = False

    def scope(self, scope: Scope) -> bool:
        env = scope.vars
        changed = False
        for name, value in list(dict.items(env)):
            new = self.value(value, 0)
            if new is not value:
                note_read(env, name)  # the place held the list: it now depends on it
                env[name] = new
                changed = True
        return changed

    def value(self, value: Value, depth: int) -> Value:
        if self.targets.get(id(value)) is value:
            merged = self.merged.get(id(value))
            if merged is None:
                merged = self.merged[id(value)] = join(value, self.new)
            return merged
        if depth >= _MAX_DEPTH:
            return value
        if isinstance(value, Seq):
            items = tuple(self.value(v, depth + 1) for v in value.items)
            changed = any(a is not b for a, b in zip(items, value.items))
            return Seq(items, value.kind) if changed else value
        if isinstance(value, ListOf):
            element = self.value(value.element, depth + 1)
            return value if element is value.element else ListOf(element, value.at_least)
        if isinstance(value, DictValue):
            pairs = tuple((k, self.value(v, depth + 1)) for k, v in value.items)
            changed = any(a[1] is not b[1] for a, b in zip(pairs, value.items))
            return DictValue(pairs) if changed else value
        if isinstance(value, Instance | ClassValue) and id(value) not in self.objects:
            self.objects.add(id(value))
            attrs = value.attrs
            for name, held in list(attrs.items()):
                new = self.value(held, depth + 1)
                if new is not held:
                    attrs[name] = new
                    self.escaped = True  # an object outlives the call
        return value
