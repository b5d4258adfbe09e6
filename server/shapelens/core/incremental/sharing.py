"""Which analysis values can be shared between runs, and how objects are compared and copied.

The incremental engine (``incremental.py``) replays a statement from its record only if what
it read is unchanged. Immutable values (tensors, constants, tuples of them, functions whose
closures hold only such values) are ``frozen``: shared as they are and compared with
``same`` (structure and provenance). Layers, models, tapes and instances change as the
program runs: they are compared by identity and ``fingerprint`` (the state of every object
reachable), found with ``objects``, and copied with ``clone`` so a replayed statement can put
them back into the state it left them in.
"""

from __future__ import annotations

from ...domain.values import (
    BoundMethod,
    ClassValue,
    Const,
    DictValue,
    DType,
    Function,
    Instance,
    LayerValue,
    ListOf,
    ModelValue,
    Opaque,
    Ref,
    Seq,
    SliceValue,
    SymDim,
    TapeValue,
    Tensor,
    Unknown,
    Value,
)
from ...shapefns._common import Call
from ...structs import Entity, Frozen, fields, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # "not bound": a read of a name the module did not have


# ---------------------------------------------------------------------- value identity
_ATOMS = (str, int, float, bool, complex, bytes, type(None))
# Exactly these types never hold an object of the analysed program: the walkers below
# (run for every statement that runs) leave them at one set lookup.
_INERT = frozenset({*_ATOMS, Const, SymDim, DType, Ref, Opaque, Unknown})


def frozen(value: Any, module_scope: Any) -> bool:
    """True if ``value`` can be shared between runs: nothing in it can change later."""
    if isinstance(value, Tensor):
        return not value.history
    if isinstance(value, Seq):
        return all(frozen(v, module_scope) for v in value.items)
    if isinstance(value, ListOf):
        return frozen(value.element, module_scope)
    if isinstance(value, DictValue):
        return all(frozen(k, module_scope) and frozen(v, module_scope) for k, v in value.items)
    if isinstance(value, SliceValue):
        return all(frozen(v, module_scope) for v in (value.start, value.stop, value.step))
    if isinstance(value, BoundMethod):
        return frozen(value.receiver, module_scope)
    if isinstance(value, Function):
        return (not value.foreign and _closure_frozen(value, module_scope)
                and all(frozen(v, module_scope) for v in value.defaults)
                and all(frozen(v, module_scope) for v in value.kw_defaults.values()))
    if isinstance(value, ClassValue):
        return all(frozen(v, module_scope) for v in value.attrs.values()) and \
            all(frozen(v, module_scope) for v in value.bases)
    if isinstance(value, Instance | LayerValue | ModelValue | TapeValue):
        return False
    if isinstance(value, Value):  # Const, SymDim, DType, Ref, Opaque, Unknown
        return isinstance(value, Frozen)
    if isinstance(value, tuple):
        return all(frozen(v, module_scope) for v in value)
    return isinstance(value, _ATOMS)


_CHECKING: set[int] = set()  # closures being checked (a nested def sees itself)


def _closure_frozen(fn: Function, module_scope: Any) -> bool:
    """A function's enclosing function scopes (finished calls) hold only frozen values."""
    scope = fn.scope
    if scope is module_scope:
        return True
    if id(fn) in _CHECKING:
        return True
    _CHECKING.add(id(fn))
    try:
        depth = 0
        while scope is not None and scope is not module_scope:
            depth += 1
            if depth > 4 or not all(frozen(v, module_scope) for v in scope.vars.values()):
                return False
            scope = scope.parent
        return scope is module_scope
    finally:
        _CHECKING.discard(id(fn))


def same(a: Any, b: Any) -> bool:
    """``a`` and ``b`` would make a statement behave and report identically."""
    if a is b:
        return True
    if type(a) is not type(b) or a is MISSING or b is MISSING:
        return False
    if isinstance(a, Function | ClassValue | Instance | LayerValue | ModelValue | TapeValue):
        return False  # objects: identity only
    if isinstance(a, Tensor):
        return a == b and a.origin == b.origin and not a.history and not b.history
    if isinstance(a, Seq):
        return a.kind == b.kind and len(a.items) == len(b.items) and \
            all(same(x, y) for x, y in zip(a.items, b.items))
    if isinstance(a, ListOf):
        return same(a.element, b.element)
    if isinstance(a, DictValue):
        return len(a.items) == len(b.items) and all(
            same(k1, k2) and same(v1, v2) for (k1, v1), (k2, v2) in zip(a.items, b.items))
    if isinstance(a, BoundMethod):
        return a.name == b.name and same(a.receiver, b.receiver)
    if isinstance(a, SliceValue):
        return same(a.start, b.start) and same(a.stop, b.stop) and same(a.step, b.step)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b)
    except Exception:
        return False


FROZEN, CLONEABLE, OPAQUE = 0, 1, 2


def kind(value: Any, module: Any) -> int:
    """FROZEN (share it), CLONEABLE (holds layers/models/tapes: compare by ``fingerprint``,
    copy on reuse) or OPAQUE (closures or classes over mutable state: never reuse)."""
    if isinstance(value, Tensor):
        return CLONEABLE if value.history else FROZEN
    if isinstance(value, LayerValue | ModelValue | TapeValue):
        return CLONEABLE
    if isinstance(value, Instance):
        return CLONEABLE if frozen(value.cls, module) else OPAQUE
    if isinstance(value, Function | ClassValue):
        return FROZEN if frozen(value, module) else OPAQUE
    if isinstance(value, Seq):
        return max((kind(v, module) for v in value.items), default=FROZEN)
    if isinstance(value, ListOf):
        return kind(value.element, module)
    if isinstance(value, DictValue):
        return max((max(kind(k, module), kind(v, module)) for k, v in value.items),
                   default=FROZEN)
    if isinstance(value, BoundMethod):
        return kind(value.receiver, module)
    if isinstance(value, tuple | list):
        return max((kind(v, module) for v in value), default=FROZEN)
    if isinstance(value, Value) and not isinstance(value, Frozen | Entity):
        return OPAQUE
    if type(value).__name__ == "ModuleNamespace":
        return OPAQUE
    return FROZEN  # immutable values, syntax nodes, findings, strings


def fingerprint(value: Any) -> tuple[Any, ...]:
    """Identity and state of every object reachable from ``value`` (immutable parts are
    left out: they cannot change). Equal fingerprints: the same objects in the same state."""
    out: list[Any] = []
    _fp(value, out, {})
    return tuple(out)


def _fp(value: Any, out: list[Any], seen: dict[int, int]) -> None:
    kind = type(value)
    if kind is list or kind is tuple:
        for v in value:
            _fp(v, out, seen)
        return
    if kind in _INERT:
        return
    if isinstance(value, Tensor):
        for h in value.history:
            _fp(h, out, seen)
        return
    if isinstance(value, LayerValue | ModelValue | Instance | TapeValue | Call):
        key = id(value)
        if key in seen:
            out.append(("ref", seen[key]))
            return
        seen[key] = len(seen)
        if isinstance(value, LayerValue):
            out.append(("L", key, value.built_shape, value.output_shape, value.params,
                        value.line, value.first_node))
            _fp(value.config, out, seen)
            _fp(value.first_node, out, seen)
        elif isinstance(value, ModelValue):
            out.append(("M", key, value.kind, value.input_shape, value.built,
                        _hashable(value.loss), value.line, len(value.layers),
                        len(value.inputs)))
            _fp(value.layers, out, seen)
            _fp(value.inputs, out, seen)
            _fp(value.outputs, out, seen)
        elif isinstance(value, Instance):
            out.append(("I", key, id(value.cls), tuple(
                (k, v, v.origin) if isinstance(v, Tensor) else (k, _hashable(v))
                for k, v in value.attrs.items())))
            _fp(list(value.attrs.values()), out, seen)
        elif isinstance(value, TapeValue):
            out.append(("T", key, value.token, value.persistent, value.watch_accessed,
                        frozenset(value.watched), value.active, tuple(value.used_at),
                        tuple(value.breaks.items()), value.with_line, value.name,
                        frozenset(value.accessed)))
        else:
            out.append(("C", key, value.name, value.numpy, len(value.args),
                        tuple(value.kwargs)))
            _fp(value.args, out, seen)
            _fp(list(value.kwargs.values()), out, seen)
        return
    if isinstance(value, Seq):
        _fp(value.items, out, seen)
    elif isinstance(value, ListOf):
        _fp(value.element, out, seen)
    elif isinstance(value, DictValue):
        for k, v in value.items:
            _fp(k, out, seen)
            _fp(v, out, seen)
    elif isinstance(value, BoundMethod):
        _fp(value.receiver, out, seen)
    elif isinstance(value, tuple | list):
        for v in value:
            _fp(v, out, seen)
    elif isinstance(value, dict) and type(value) is dict:
        for v in value.values():
            _fp(v, out, seen)


def _hashable(value: Any) -> Any:
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def objects(value: Any, found: dict[int, Any]) -> dict[int, Any]:
    """The mutable objects reachable from ``value``, by id (to share them in a clone)."""
    kind = type(value)
    if kind is list or kind is tuple:
        for v in value:
            objects(v, found)
        return found
    if kind in _INERT:
        return found
    if isinstance(value, LayerValue | ModelValue | Instance | TapeValue | Call):
        if id(value) in found:
            return found
        found[id(value)] = value
        if isinstance(value, LayerValue):
            objects((value.config, value.first_node), found)
        elif isinstance(value, ModelValue):
            objects((value.layers, value.inputs, value.outputs), found)
        elif isinstance(value, Instance):
            objects(list(value.attrs.values()), found)
        elif isinstance(value, Call):
            objects((value.args, list(value.kwargs.values())), found)
    elif isinstance(value, Tensor):
        objects(value.history, found)
    elif isinstance(value, Seq):
        objects(value.items, found)
    elif isinstance(value, ListOf):
        objects(value.element, found)
    elif isinstance(value, DictValue):
        objects(value.items, found)
    elif isinstance(value, BoundMethod):
        objects(value.receiver, found)
    elif isinstance(value, tuple | list):
        for v in value:
            objects(v, found)
    return found


def clone(value: Any, memo: dict[int, Any]) -> Any:
    """A copy of ``value`` whose mutable objects are fresh (aliasing kept via ``memo``);
    immutable parts, syntax nodes and rules are shared."""
    key = id(value)
    if key in memo:
        return memo[key]
    out: Any
    if isinstance(value, LayerValue | ModelValue | Instance | TapeValue | Call):
        out = object.__new__(type(value))
        memo[key] = out
        for name in fields(value):
            setattr(out, name, clone(getattr(value, name), memo))
        return out
    if isinstance(value, Tensor):
        out = replace(value, history=clone(value.history, memo)) \
            if value.history else value
    elif isinstance(value, Seq):
        out = Seq(clone(value.items, memo), value.kind)
    elif isinstance(value, ListOf):
        out = ListOf(clone(value.element, memo), value.at_least)
    elif isinstance(value, DictValue):
        out = DictValue(clone(value.items, memo))
    elif isinstance(value, BoundMethod):
        out = BoundMethod(clone(value.receiver, memo), value.name)
    elif isinstance(value, tuple):
        out = tuple(clone(v, memo) for v in value)
    elif isinstance(value, list):
        out = []
        memo[key] = out
        out.extend(clone(v, memo) for v in value)
        return out
    elif isinstance(value, dict) and type(value) is dict:
        out = {}
        memo[key] = out
        for k, v in value.items():
            out[k] = clone(v, memo)
        return out
    elif isinstance(value, set) and type(value) is set:
        out = {clone(v, memo) for v in value}
    else:
        out = value  # Functions, classes, atoms, ast nodes, rules: shared
    memo[key] = out
    return out
