"""What one top-level statement read and wrote, so that its analysis can be replayed.

The incremental engine (``incremental.py``) runs a module statement by statement. While a
statement runs, the module's variables and the interpreter's side tables (findings, recorded
expressions, the call memo, tape bookkeeping) are wrapped so that:

* every *read* of state that existed before the statement is recorded with the value it had
  then (a later run may reuse the statement only if those values are still the same), and
* every *write* to a side table is appended to the statement's log (a reused statement
  replays its log, in order, with the same set/setdefault semantics, so the tables end up as
  a from-scratch run would leave them).

Values are compared with ``same``: identity for objects, structural equality plus
provenance for the immutable values. Mutable objects (layers, models, tapes, instances)
never count as "the same" across runs: a statement that reads one is always re-run, and a
statement that creates one hands out a fresh ``clone`` of its end state on every reuse.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..shapefns._common import Call
from .values import (
    BoundMethod,
    ClassValue,
    DictValue,
    Function,
    Instance,
    LayerValue,
    ListOf,
    ModelValue,
    Seq,
    SliceValue,
    TapeValue,
    Tensor,
    Value,
)


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Tracker:
    """The statement being recorded: its reads, and the log of its writes."""

    def __init__(self, module_scope: Any = None,
                 writers: dict[int, Any] | None = None) -> None:
        self.active = False
        self.module_scope = module_scope
        self.writers = writers if writers is not None else {}  # id(object) -> record
        self.read_objects: dict[int, tuple[Any, Any]] = {}  # id -> (object, its writer)
        self.wrote: dict[str, Any] = {}  # module variables it assigned -> value before
        self.reads: dict[tuple[str, Any], Any] = {}  # (table, key) -> value before
        self.read_states: dict[str, tuple[Any, ...]] = {}  # name -> fingerprint when read
        self.opaque = False  # read something that cannot be compared across runs
        self.written: set[tuple[str, Any]] = set()
        self.log: list[tuple[str, str, Any, Any]] = []  # (table, op, key, value)

    def start(self) -> None:
        self.active = True
        self.wrote = {}
        self.reads = {}
        self.read_states = {}
        self.read_objects = {}
        self.opaque = False
        self.written = set()
        self.log = []

    def stop(self) -> None:
        self.active = False

    def read_var(self, name: str, env: dict[str, Value]) -> None:
        key = ("", name)
        if key not in self.reads:
            # Not assigned yet by this statement: every copy of the scope still holds the
            # value from before it.
            value = self.wrote[name] if name in self.wrote else dict.get(env, name, MISSING)
            self.reads[key] = value
            level = kind(value, self.module_scope)
            if level == CLONEABLE:  # an object: remember its state as it is now
                self.read_states[name] = fingerprint(value)
                for oid, obj in objects(value, {}).items():
                    if oid not in self.read_objects:
                        self.read_objects[oid] = (obj, self.writers.get(oid))
            elif level == OPAQUE:
                self.opaque = True


class ModuleVars(dict):  # type: ignore[type-arg]
    """The module scope's variables; reads are recorded against the pre-statement state."""

    __slots__ = ("tracker",)

    def __init__(self, data: Any = (), tracker: Tracker | None = None):
        super().__init__(data)
        self.tracker = tracker or Tracker()

    def copy(self) -> ModuleVars:  # branches copy the scope: copies keep recording
        return ModuleVars(self, self.tracker)

    def get(self, key: Any, default: Any = None) -> Any:
        if self.tracker.active:
            self.tracker.read_var(key, self)
        return dict.get(self, key, default)

    def __getitem__(self, key: Any) -> Any:
        if self.tracker.active:
            self.tracker.read_var(key, self)
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        if self.tracker.active:
            self.tracker.read_var(key, self)  # type: ignore[arg-type]
        return dict.__contains__(self, key)

    def __setitem__(self, key: Any, value: Any) -> None:
        t = self.tracker
        if t.active and key not in t.wrote:
            t.wrote[key] = dict.get(self, key, MISSING)
        dict.__setitem__(self, key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:  # ``from module import *``
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __delitem__(self, key: Any) -> None:
        t = self.tracker
        if t.active and key not in t.wrote:
            t.wrote[key] = dict.get(self, key, MISSING)
        dict.__delitem__(self, key)


def note_read(env: dict[str, Value], name: str) -> None:
    """A merge of two branch states depends on the value ``name`` had before them."""
    if isinstance(env, ModuleVars) and env.tracker.active:
        env.tracker.read_var(name, env)


class Table(dict):  # type: ignore[type-arg]
    """A side table of the interpreter whose writes are logged and reads recorded."""

    __slots__ = ("name", "tracker")

    def __init__(self, tracker: Tracker, name: str):
        super().__init__()
        self.tracker = tracker
        self.name = name

    def _read(self, key: Any) -> None:
        t = self.tracker
        if t.active and (self.name, key) not in t.written and (self.name, key) not in t.reads:
            t.reads[(self.name, key)] = dict.get(self, key, MISSING)

    def get(self, key: Any, default: Any = None) -> Any:
        self._read(key)
        return dict.get(self, key, default)

    def __getitem__(self, key: Any) -> Any:
        self._read(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._read(key)
        return dict.__contains__(self, key)

    def __setitem__(self, key: Any, value: Any) -> None:
        t = self.tracker
        if t.active:
            t.written.add((self.name, key))
            t.log.append((self.name, "set", key, value))
        dict.__setitem__(self, key, value)

    def setdefault(self, key: Any, value: Any = None) -> Any:
        t = self.tracker
        if t.active:
            t.written.add((self.name, key))
            t.log.append((self.name, "setdefault", key, value))
        return dict.setdefault(self, key, value)


class LogList(list):  # type: ignore[type-arg]
    """An append-only side table (tapes seen, gradient calls, functions defined)."""

    __slots__ = ("name", "tracker")

    def __init__(self, tracker: Tracker, name: str):
        super().__init__()
        self.tracker = tracker
        self.name = name

    def append(self, value: Any) -> None:
        if self.tracker.active:
            self.tracker.log.append((self.name, "append", None, value))
        list.append(self, value)


class LogSet(set):  # type: ignore[type-arg]
    """The functions called so far (the rest are analysed with unknown parameters)."""

    __slots__ = ("name", "tracker")

    def __init__(self, tracker: Tracker, name: str):
        super().__init__()
        self.tracker = tracker
        self.name = name

    def add(self, value: Any) -> None:
        if self.tracker.active:
            self.tracker.log.append((self.name, "add", None, value))
        set.add(self, value)


def replay(tables: dict[str, Any], log: list[tuple[str, str, Any, Any]]) -> None:
    """Apply a statement's logged writes, bypassing the logging wrappers."""
    for name, op, key, value in log:
        table = tables[name]
        if op == "setdefault":
            dict.setdefault(table, key, value)
        elif op == "set":
            dict.__setitem__(table, key, value)
        elif op == "append":
            list.append(table, value)
        else:
            set.add(table, value)


# ---------------------------------------------------------------------- value identity
_ATOMS = (str, int, float, bool, complex, bytes, type(None))


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
        return dataclasses.is_dataclass(value) and \
            type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]
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
    if isinstance(value, Value) and not dataclasses.is_dataclass(value):
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
                        value.line))
            _fp(value.config, out, seen)
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
    if isinstance(value, LayerValue | ModelValue | Instance | TapeValue | Call):
        if id(value) in found:
            return found
        found[id(value)] = value
        if isinstance(value, LayerValue):
            objects(value.config, found)
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
        for f in dataclasses.fields(value):
            setattr(out, f.name, clone(getattr(value, f.name), memo))
        return out
    if isinstance(value, Tensor):
        out = dataclasses.replace(value, history=clone(value.history, memo)) \
            if value.history else value
    elif isinstance(value, Seq):
        out = Seq(clone(value.items, memo), value.kind)
    elif isinstance(value, ListOf):
        out = ListOf(clone(value.element, memo))
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
