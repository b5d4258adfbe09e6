"""What one top-level statement read and wrote, so that its analysis can be replayed.

The incremental engine (``incremental.py``) runs a module statement by statement. While a
statement runs, the module's variables and the interpreter's side tables (findings, recorded
expressions, the call memo, tape bookkeeping) are wrapped so that:

* every *read* of state that existed before the statement is recorded with the value it had
  then (a later run may reuse the statement only if those values are still the same), and
* every *write* to a side table is appended to the statement's log (a reused statement
  replays its log, in order, with the same set/setdefault semantics, so the tables end up as
  a from-scratch run would leave them).

Objects it reads (layers, models, tapes, instances) are recorded with the record that last
set their state (``writers``), so a later run can tell, by identity alone, that they are
as they were; what counts as the same value, and how objects are copied, is ``sharing.py``.
"""

from __future__ import annotations

from ...domain.values import Function, Value
from .sharing import CLONEABLE, FROZEN, MISSING, OPAQUE, fingerprint, kind, objects

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


BULK = ("expressions", "assignments")  # written with setdefault, read only at the end


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
        # The user-function calls being recorded as summaries (``summaries.py``), innermost
        # last: each also collects what it reads, independently of the statement's reads.
        self.calls: list[Any] = []
        # (start, end, summary): log ranges that are a replayed summary's log, as it is
        self.segments: list[tuple[int, int, Any]] = []
        self.kinds: dict[int, tuple[Any, int]] = {}  # id(function) -> (it, its kind)

    def start(self) -> None:
        self.active = True
        self.wrote = {}
        self.reads = {}
        self.read_states = {}
        self.read_objects = {}
        self.opaque = False
        self.written = set()
        self.log = []
        self.calls = []
        self.segments = []

    def stop(self) -> None:
        self.active = False

    def read_var(self, name: str, env: dict[str, Value]) -> None:
        key = ("", name)
        if self.calls:
            self.call_read(key, env, name)
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


    def call_read(self, key: tuple[str, Any], source: dict[Any, Any], name: Any) -> None:
        """The innermost call being recorded read ``name`` of ``source`` (a table, or the
        module's variables: then only a value that cannot change keeps it replayable)."""
        top = self.calls[-1]
        if key not in top.reads and key not in top.written:
            value = top.reads[key] = dict.get(source, name, MISSING)
            if not key[0] and self._kind(value) != FROZEN:
                top.impure = True

    def _kind(self, value: Any) -> int:
        """``kind(value)``, kept per function of the module (every call reads the functions
        it reaches; whether one is frozen does not change while it is bound)."""
        if type(value) is not Function or value.scope is not self.module_scope:
            return kind(value, self.module_scope)
        found = self.kinds.get(id(value))
        if found is None or found[0] is not value:
            found = self.kinds[id(value)] = (value, kind(value, self.module_scope))
        return found[1]

    def call_wrote(self, key: tuple[str, Any] | None) -> None:
        """The innermost call being recorded wrote a table entry (None: a module variable,
        which its summary could not replay)."""
        top = self.calls[-1]
        if key is None:
            top.impure = True
        else:
            top.written.add(key)


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
        if t.active:
            if key not in t.wrote:
                t.wrote[key] = dict.get(self, key, MISSING)
            if t.calls:
                t.call_wrote(None)
        dict.__setitem__(self, key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:  # ``from module import *``
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __delitem__(self, key: Any) -> None:
        t = self.tracker
        if t.active:
            if key not in t.wrote:
                t.wrote[key] = dict.get(self, key, MISSING)
            if t.calls:
                t.call_wrote(None)
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
        if t.active:
            k = (self.name, key)
            if t.calls:
                t.call_read(k, self, key)
            if k not in t.written and k not in t.reads:
                t.reads[k] = dict.get(self, key, MISSING)

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
            if t.calls:
                t.call_wrote((self.name, key))
        dict.__setitem__(self, key, value)

    def setdefault(self, key: Any, value: Any = None) -> Any:
        t = self.tracker
        if t.active:
            t.written.add((self.name, key))
            t.log.append((self.name, "setdefault", key, value))
            if t.calls and self.name not in BULK:  # never read while the module runs
                t.call_wrote((self.name, key))
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
