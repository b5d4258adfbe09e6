"""What the incremental engine keeps of one run of a top-level statement (``Record``).

A record holds what the statement read (with the values it saw), what it wrote to the
module's variables, the log of its writes to the interpreter's side tables, the objects it
made or changed with copies of their end state, and hashed key sets that let a later run
skip comparing values while nothing the statement read can differ.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat

from .journal import BULK, replay
from .sharing import MISSING

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

READ_TABLES = ("memo", "findings", "rebound", "first_gradient", "token_names")


@dataclass
class Record:
    """One run of a top-level statement (or of an uncalled function at the end)."""

    key: Any
    node: Any
    dead: bool
    writes: dict[str, Any]
    log: list[tuple[str, str, Any, Any]]
    # Writes to the tables nobody reads while the module runs (recorded expressions and
    # assignments), first write first: merged once at the end of the run.
    # (a dict per table; ``expressions`` may be ``Shifted`` after an edit moved lines)
    bulk: dict[str, Any] = field(default_factory=dict)
    # What it read, by table ("" for module variables): (table, keys, values before), for
    # a fast identity check.
    groups: list[tuple[str, tuple[Any, ...], tuple[Any, ...]]] = field(default_factory=list)
    flows: bool = True
    just_raised: bool = False
    # A live run that reported nothing, raised nothing (not even inside a ``try``) and
    # recorded no gradient call: where the statement is now dead (unreachable after an error
    # above) it runs the same, since dead differs only in those, so it replays there.
    replays_dead: bool = False
    # Objects reachable from what it read (held, so their ids stay theirs), and by id the
    # record whose end left each in the state it was read in: equal writers now mean equal
    # states (no need to compare them).
    read_objects: tuple[Any, ...] = ()
    object_writers: tuple[tuple[int, ...], tuple[Any, ...]] = ((), ())
    objects: list[Any] = field(default_factory=list)  # objects it made or changed ...
    copies: list[Any] = field(default_factory=list)  # ... and copies of them at its end
    shared: list[Any] = field(default_factory=list)  # objects it read and left alone
    reusable: bool = True
    deletes: bool = False  # some of ``writes`` are MISSING (the name was deleted)
    # Hashes of ("", name), (table, key) and ("obj", id) keys: what it read, what it sets to
    # one value whatever was there before, and everything it may have changed.
    read_keys: frozenset[int] = frozenset()
    write_keys: frozenset[int] = frozenset()
    touched_keys: frozenset[int] = frozenset()
    # A class statement: (method, class) pairs, re-pointed when it is replayed (its methods
    # may be shared with a later run's class, ``identity.py``). An uncalled method: what its
    # analysis read through its class (``identity.owner_deps``).
    owners: tuple[tuple[Any, Any], ...] = ()
    owner_deps: Any = None
    # Objects made inside the summarised calls it ran or replayed (``summaries.py``), by id
    # with a copy of their state: nothing outside such a call reaches them, so their state
    # is the one it left and is never restored; only moved lines renumber them.
    premade: list[dict[int, tuple[Any, Any]]] = field(default_factory=list)
    # The contexts of the calls it made outside any other summarised call: replaying the
    # record keeps their summaries (and those inside them) for the next run.
    summaries: tuple[Any, ...] = ()
    # The last program line it holds (``reach.py``; -1: not looked for yet): an edit below
    # it moves nothing in it.
    reach: int = -1
    # Whether its log or its reads hold a line (a finding, a rebinding's line, a key of a
    # table keyed by lines; -1: not looked for yet): if not, only its bulk tables move.
    lined: int = -1


CHUNK = 16  # statements per chunk: replayed as one when none of them can have changed


class Chunk:
    """``CHUNK`` consecutive records of a run that all flow on and are reusable, with their
    effects pre-combined: applying the chunk equals applying its records in order (the last
    write of a name wins, logs run in order, an object ends with its last writer's state).
    A run whose next statements are the chunk's, where nothing it read can differ, applies
    it at once instead of checking and applying every record."""

    __slots__ = ("by_node", "dead", "deletes", "keyed", "keys", "last_writers", "log", "nodes",
                 "ops", "owners", "read_keys", "records", "summaries", "write_keys", "writes")

    def __init__(self, records: list[Record]):
        self.records = records
        self.nodes = [r.node for r in records]
        self.keys = [r.key for r in records]  # uncalled functions' records: the functions
        self.dead = records[0].dead
        self.keyed = {r.key: r for r in records}
        self.by_node = {id(r.node): r for r in records}
        self.writes: dict[str, Any] = {}
        self.log: list[tuple[str, str, Any, Any]] = []
        last: dict[int, tuple[Any, Record]] = {}
        for r in records:
            self.writes.update(r.writes)
            self.log.extend(r.log)
            for obj in r.objects:
                last[id(obj)] = (obj, r)
        self.last_writers = list(last.values())
        self.ops = combined(self.log)
        self.owners = [pair for r in records for pair in r.owners]
        self.summaries = [context for r in records for context in r.summaries]
        self.deletes = any(value is MISSING for value in self.writes.values())
        self.read_keys = frozenset().union(*(r.read_keys for r in records))
        self.write_keys = frozenset().union(*(r.write_keys for r in records))

    @staticmethod
    def fits(records: list[Record]) -> bool:
        dead = records[0].dead
        return all(r.reusable and r.flows and not r.just_raised and r.dead == dead
                   for r in records)


SET, DEFAULT, EXTEND, UNION, ENTRIES = 0, 1, 2, 3, 4


def combined(log: list[tuple[str, str, Any, Any]]) -> list[tuple[str, int, Any]]:
    """``log`` as a few bulk operations per table that leave every table as replaying it
    entry by entry does (``journal.replay``), insertion order included: a dict table only
    ``set`` here gets the last value of each key, one only ``setdefault`` the first; a list
    the values appended, a set the values added. (A dict table given both keeps its entries,
    replayed in order. Entries of different tables never meet.)"""
    by_table: dict[str, list[tuple[str, str, Any, Any]]] = {}
    for entry in log:
        by_table.setdefault(entry[0], []).append(entry)
    ops: list[tuple[str, int, Any]] = []
    for table, entries in by_table.items():
        kinds = {op for _, op, _, _ in entries}
        if kinds == {"set"}:
            ops.append((table, SET, {key: value for _, _, key, value in entries}))
        elif kinds == {"setdefault"}:
            first: dict[Any, Any] = {}
            for _, _, key, value in entries:
                first.setdefault(key, value)
            ops.append((table, DEFAULT, first))
        elif kinds == {"append"}:
            ops.append((table, EXTEND, [value for _, _, _, value in entries]))
        elif kinds == {"add"}:
            ops.append((table, UNION, [value for _, _, _, value in entries]))
        else:
            ops.append((table, ENTRIES, entries))
    return ops


def apply_combined(tables: dict[str, Any], ops: list[tuple[str, int, Any]]) -> None:
    """Do ``combined``'s operations, bypassing the tables' logging wrappers."""
    for name, op, data in ops:
        table = tables[name]
        if op == SET:
            dict.update(table, data)
        elif op == DEFAULT:  # (iterated in C: no per-entry Python code)
            deque(map(dict.setdefault, repeat(table), data.keys(), data.values()), 0)
        elif op == EXTEND:
            list.extend(table, data)
        elif op == UNION:
            set.update(table, data)
        else:
            replay(tables, data)


class Chain(list):  # type: ignore[type-arg]
    """One record's bulk table as the dicts it was written in, in order (first write wins):
    mostly the parts of the summaries it replayed, shared with them. ``Session._commit``
    hands them on to ``Merged`` as they are: a statement that replayed hundreds of calls
    does not merge thousands of entries per run, only the run's table does, where read."""

    __slots__ = ()


def parts_of(entries: Any) -> list[Any]:
    """A record's bulk table as a list of parts (a dict, a ``Shifted``, or a ``Chain``'s)."""
    return entries if type(entries) is Chain else [entries]


class Merged(Mapping):  # type: ignore[type-arg]
    """One bulk table of a run: its records' entries, merged (first write wins) when first
    read. Diagnostics never read ``expressions``; only a hover or an inlay hint does, so an
    edit does not pay for merging tens of thousands of entries it may never show (the
    assignments' facts are read at the end of every analysis)."""

    __slots__ = ("_data", "_parts")

    def __init__(self, parts: list[dict[Any, Any]]):
        self._parts: list[dict[Any, Any]] | None = parts  # in the order the records ran
        self._data: dict[Any, Any] | None = None

    def parts(self) -> list[dict[Any, Any]]:
        """The records' entries as they were written, in order (first write wins)."""
        if self._parts is None:
            return [self._merged()]
        return [p.resolve() if type(p) is Shifted else p for p in self._parts]

    def _merged(self) -> dict[Any, Any]:
        data = self._data
        if data is None:
            data = {}
            for entries in reversed(self._parts or ()):
                data.update(entries.resolve() if type(entries) is Shifted else entries)
            self._data, self._parts = data, None
        return data

    def __getitem__(self, key: Any) -> Any:
        return self._merged()[key]

    def get(self, key: Any, default: Any = None) -> Any:
        return self._merged().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._merged()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._merged())

    def __len__(self) -> int:
        return len(self._merged())

    def items(self):  # type: ignore[override]  # the dict's view: no per-item lookups
        return self._merged().items()

    def values(self):  # type: ignore[override]
        return self._merged().values()


class Shifted:
    """A record's recorded expressions (keyed ``(line, col, end line, end col)``) with the
    line moves of later edits (``(threshold, delta)``, in order) not applied yet: only a
    hover or an inlay hint reads them (``Merged``), so an Enter near the top of a long file
    does not rebuild every key below it at every press. Never changed in place but by
    ``resolve``, which leaves the same mapping."""

    __slots__ = ("entries", "moves")

    def __init__(self, entries: dict[Any, Any], moves: tuple[tuple[int, int], ...]):
        # shared, never changed in place (a call summary's part, or a ``Chain`` of them)
        self.entries = entries
        self.moves = moves

    def line(self, line: int) -> int:
        for threshold, delta in self.moves:
            if line >= threshold:
                line += delta
        return line

    def resolve(self) -> dict[Any, Any]:
        """The entries under their current lines (computed once)."""
        if type(self.entries) is Chain:  # its parts merged, first write wins
            merged: dict[Any, Any] = {}
            for part in reversed(self.entries):
                merged.update(part)
            self.entries = merged
        if self.moves:
            at: dict[int, int] = {}
            for line in {k[0] for k in self.entries} | {k[2] for k in self.entries}:
                at[line] = self.line(line)
            self.entries = {(at[a], b, at[c], d): value
                            for (a, b, c, d), value in self.entries.items()}
            self.moves = ()
        return self.entries


def compact(log: list[tuple[str, str, Any, Any]]
            ) -> tuple[list[tuple[str, str, Any, Any]], dict[str, list[dict[Any, Any]]],
                       list[dict[int, tuple[Any, Any]]]]:
    """The log's table entries; per bulk table its writes as dicts in order (runs of single
    writes merged into one dict, a summarised call's ``part`` as it is); and the ``objects``
    entries of summarised calls (the objects they made, with copies)."""
    rest = []
    parts: dict[str, list[dict[Any, Any]]] = {name: [] for name in BULK}
    current: dict[str, dict[Any, Any]] = {}
    premade = []
    for entry in log:
        table, op, key, value = entry
        if op == "setdefault" and table in parts:
            entries = current.get(table)
            if entries is None:
                entries = current[table] = {}
                parts[table].append(entries)
            entries.setdefault(key, value)
        elif op == "part":
            parts[table].append(value)
            current.pop(table, None)  # later writes come after it
        elif op == "objects":
            premade.append(value)
        else:
            rest.append(entry)
    return rest, parts, premade


def read_groups(reads: dict[tuple[str, Any], Any]
            ) -> list[tuple[str, tuple[Any, ...], tuple[Any, ...]]]:
    by_table: dict[str, tuple[list[Any], list[Any]]] = {}
    for (table, key), value in reads.items():
        keys, values = by_table.setdefault(table, ([], []))
        keys.append(key)
        values.append(None if value is MISSING else value)  # dict.get's answer
    return [(table, tuple(keys), tuple(values)) for table, (keys, values) in by_table.items()]
