"""Keeping a class's unchanged methods the same functions across runs (per-function reuse).

A class is one top-level statement: an edit inside one method runs the whole ``class``
statement again, which makes a new function value for every method. The incremental engine
(``incremental.py``) keys the analysis of a function nobody calls by the function value, so
without help every method of the class would be analysed again after every keystroke in any
of them, whatever changed. ``keep_methods`` puts the previous run's function back in the new
class for each method whose definition is the same syntax node (``reparse.py`` re-parses only
the edited method of a class) with the same defaults, decorators and closure, and points it at
the new class; their analyses replay when what they read is unchanged.

What a method's analysis reads through ``self`` (its class's other members) is not recorded
by the tracker, so ``owner_deps`` records it syntactically: the class members it can reach
(every attribute name in its body, transitively through the members it names, the special
methods and Keras hooks the engine may call implicitly), the class's name and bases. A
recorded analysis is reused only while those are the very same (``owner_ok``): an edit in
one method re-analyses that method and the methods that name it, not the rest of the class.
"""

from __future__ import annotations

import ast

from ...domain.values import ClassValue, Function
from .sharing import MISSING, same

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Members the engine may reach without naming them (construction, calls, Keras hooks).
_IMPLICIT = frozenset({"call", "build", "compute_output_shape", "get_config", "train_step",
                       "test_step", "predict_step", "compute_loss", "from_config", "__init__",
                       "__call__", "__new__", "__getitem__", "__len__", "__iter__",
                       "__next__", "__enter__", "__exit__", "__getattr__", "__post_init__"})
_NAMES = "_shapelens_attr_names"  # cached on the definition node (never an ``ast`` field)


def same_def(new: Function, old: Function) -> bool:
    """``new`` is ``old`` made again from the same definition with the same values."""
    return (new.node is old.node and new.scope is old.scope and new.foreign == old.foreign
            and new.decorators == old.decorators and len(new.defaults) == len(old.defaults)
            and all(same(a, b) for a, b in zip(new.defaults, old.defaults))
            and new.kw_defaults.keys() == old.kw_defaults.keys()
            and all(same(v, old.kw_defaults[k]) for k, v in new.kw_defaults.items()))


def keep_methods(cls: ClassValue, previous: dict[int, Function]) -> dict[int, Function]:
    """Put back, in ``cls``, the previous run's function of each unchanged method (pointed at
    ``cls``); returns ``{id(new function): previous function}`` for the ones replaced."""
    replaced: dict[int, Function] = {}
    for name, member in list(cls.attrs.items()):
        if not isinstance(member, Function) or member.owner is not cls:
            continue
        old = previous.get(id(member.node))
        if old is None or old is member or not same_def(member, old):
            continue
        cls.attrs[name] = old
        old.owner = cls
        replaced[id(member)] = old
    return replaced


def attr_names(node: ast.AST) -> frozenset[str]:
    """Every attribute name used in ``node`` (and the special names), cached on it."""
    found = node.__dict__.get(_NAMES)
    if found is None:
        found = node.__dict__[_NAMES] = frozenset(
            n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)) | _IMPLICIT
    return found  # type: ignore[no-any-return]


def owner_deps(fn: Function) -> tuple[Any, ...] | None:
    """What ``fn``'s analysis with unknown arguments can read through its class: the class's
    name and bases and the members it can reach (by name, with their values)."""
    cls = fn.owner
    if not isinstance(cls, ClassValue):
        return None
    names = set(attr_names(fn.node))
    todo = list(names)
    while todo:
        member = cls.attrs.get(todo.pop())
        if isinstance(member, Function):
            for name in attr_names(member.node) - names:
                names.add(name)
                todo.append(name)
    members = tuple((n, cls.attrs.get(n, MISSING)) for n in sorted(names))
    return (cls, getattr(cls.node, "name", ""), cls.bases, members)


def owner_ok(deps: tuple[Any, ...] | None, fn: Function) -> bool:
    """``fn``'s class still offers what ``deps`` (``owner_deps`` of a recorded analysis)
    says it read."""
    if deps is None:
        return fn.owner is None
    cls = fn.owner
    if not isinstance(cls, ClassValue):
        return False
    if deps[0] is cls:  # the very class (its members are set once, when it is made)
        return True
    _, name, bases, members = deps
    if getattr(cls.node, "name", "") != name or len(bases) != len(cls.bases) or \
            not all(same(a, b) for a, b in zip(bases, cls.bases)):
        return False
    attrs = cls.attrs
    for member, value in members:
        now = attrs.get(member, MISSING)
        if now is not value and not same(now, value):
            return False
    return True


def swap(value: Any, replaced: dict[int, Function]) -> Any:
    """``value``, or the previous function that replaced it (``keep_methods``)."""
    return replaced.get(id(value), value) if isinstance(value, Function) else value
