"""Incremental analysis: re-run only the top-level statements an edit can change.

A ``Session`` belongs to one document and keeps, from its previous analysis:

* the parse: the file's lines and top-level statements. After an edit only the statements
  around the changed lines are re-parsed (with their neighbours, so a line that joins the
  statement above is seen); the rest keep their syntax trees. A region that does not parse
  alone, a change in the number of lines, or an earlier syntax error fall back to the
  recovering full parse of ``parse.py``.
* per top-level statement: what it read (module variables, memoised calls, tape
  bookkeeping — with the values they had), what it wrote to the module's variables, and the
  log of its writes to the interpreter's side tables (``journal.py``).

A statement is replayed instead of run when its text and position are unchanged, the code
before it did not certainly raise differently, and every value it read is still ``same``.
Functions nobody called are analysed at the end with unknown parameters, each such analysis
being reused on the same terms. The invariant, checked by a hypothesis test: the result
equals a from-scratch analysis of the same text.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import time
from dataclasses import dataclass, field
from itertools import repeat
from operator import is_
from typing import Any

from .execute import BudgetExceeded, Interpreter
from .journal import (
    CLONEABLE,
    MISSING,
    OPAQUE,
    LogList,
    LogSet,
    ModuleVars,
    Table,
    Tracker,
    clone,
    fingerprint,
    frozen,
    kind,
    objects,
    replay,
    same,
)
from .parse import Parsed, parse_source
from .scope import Scope
from .values import Const, Function

_ODD_CHARS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines breaks, ast's not
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_BULK = ("expressions", "assignments")  # written with setdefault, read only at the end
_READ_TABLES = ("memo", "findings", "rebound", "first_gradient", "token_names")
_TABLES = {"findings": Table, "assignments": Table, "expressions": Table, "memo": Table,
           "token_names": Table, "rebound": Table, "first_gradient": Table,
           "tapes": LogList, "gradient_calls": LogList, "defined": LogList, "called": LogSet}


def split_lines(text: str) -> list[str]:
    """Lines as the Python tokenizer counts them (``\\f`` or U+2028 end no line)."""
    if any(c in text for c in _ODD_CHARS):  # a few memchr scans beat one regex search
        return _LINES.findall(text)
    return text.splitlines(keepends=True)


def _start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return min([node.lineno, *(d.lineno for d in decorators)]) if decorators else node.lineno


def _key(node: ast.stmt, lines: list[str]) -> tuple[Any, ...]:
    end = node.end_lineno or node.lineno
    return (node.lineno, node.col_offset, end, node.end_col_offset,
            "".join(lines[_start(node) - 1:end]))


@dataclass
class Record:
    """One run of a top-level statement (or of an uncalled function at the end)."""

    key: Any
    node: Any
    dead: bool
    reads: dict[tuple[str, Any], Any]
    writes: dict[str, Any]
    log: list[tuple[str, str, Any, Any]]
    # Writes to the tables nobody reads while the module runs (recorded expressions and
    # assignments), first write first: merged once at the end of the run.
    bulk: dict[str, dict[Any, Any]] = field(default_factory=dict)
    # ``reads`` grouped by table as (table, keys, values) for a fast identity check.
    groups: list[tuple[str, tuple[Any, ...], tuple[Any, ...]]] = field(default_factory=list)
    flows: bool = True
    just_raised: bool = False
    # Objects reachable from what it read, each with the record whose end left it in the
    # state it was read in: equal writers now mean equal states (no need to compare them).
    read_objects: list[tuple[Any, Any]] = field(default_factory=list)
    object_writers: tuple[tuple[int, ...], tuple[Any, ...]] = ((), ())  # the same, by id
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


class Session:
    """Incremental analysis state of one document (use from one thread at a time)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.body: list[ast.stmt] = []
        self.clean = False  # the previous parse had no syntax error
        self.records: dict[Any, Record] = {}  # statement key -> record
        self.spare: dict[tuple[Any, bool], Record] = {}  # the run before, (key, dead) -> it
        self.by_node: dict[int, Record] = {}
        self.uncalled: dict[Function, Record] = {}
        self.scope = Scope()
        self.writers: dict[int, Record] = {}  # id(object) -> the record that last set it
        self.tokens_next = 1
        self.stats = {"reused": 0, "run": 0, "parsed_lines": 0}
        self.facts: dict[Any, Any] = {}  # analysis.py's per-assignment facts, by identity
        self.order: list[Record] = []  # the records of the last run, in the order applied
        self._pending: tuple[list[str], list[ast.stmt], bool] | None = None
        self._blind = False
        self._split: tuple[str, list[str]] | None = None
        self._live: dict[int, Record] = {}
        self._dirty: dict[int, Any] = {}

    # ------------------------------------------------------------------ parsing
    def lines_for(self, source: str) -> list[str]:
        """``split_lines(source)``, computed once per analysed text."""
        if self._split is None or self._split[0] is not source:
            self._split = (source, split_lines(source))
        return self._split[1]

    def parse(self, source: str, path: str) -> Parsed:
        lines = self.lines_for(source)
        body = self._reparse(lines, path) if self.clean else None
        if body is not None:
            parsed = Parsed(ast.Module(body=body, type_ignores=[]), [])
        else:
            parsed = parse_source(source, path)
            self.stats["parsed_lines"] = len(lines)
        self._pending = (lines, parsed.tree.body, not parsed.errors)
        return parsed

    def _reparse(self, lines: list[str], path: str) -> list[ast.stmt] | None:
        old = self.lines
        if len(lines) != len(old):
            return None  # statements would move: see the module docstring
        first = 0
        n = len(lines)
        while first < n and lines[first] == old[first]:
            first += 1
        if first == n:
            return list(self.body)
        last = n - 1
        while last > first and lines[last] == old[last]:
            last -= 1
        body = self.body
        # Statements touching the changed lines [first+1, last+1], plus one on each side.
        lo = 0
        while lo < len(body) and (body[lo].end_lineno or 0) < first + 1:
            lo += 1
        hi = lo
        while hi < len(body) and _start(body[hi]) <= last + 1:
            hi += 1
        lo, hi = max(lo - 1, 0), min(hi + 1, len(body))
        start = _start(body[lo]) if lo < len(body) and lo > 0 else 1
        end = (body[hi - 1].end_lineno or n) if hi < len(body) else n
        end = max(end, last + 1)
        text = "".join(lines[start - 1:end])
        try:
            region = ast.parse(text, filename=path)
        except Exception:  # a syntax error or worse: the recovering parser decides
            return None
        if start > 1:
            ast.increment_lineno(region, start - 1)
        self.stats["parsed_lines"] = end - start + 1
        return [*body[:lo], *region.body, *body[hi:]]

    # ------------------------------------------------------------------ running
    def run(self, interp: Interpreter) -> None:
        """Run the module like ``Interpreter.run``, reusing what the last run learnt."""
        assert self._pending is not None, "parse() first"
        lines, body, clean = self._pending
        writers = dict(self.writers)  # logical: whose end state each object is in here
        self._live = dict(self.writers)  # actual: whose end state each object really has
        self._dirty: dict[int, Any] = {}  # objects whose actual state lags behind
        self._blind = False  # an opaque statement ran: object states are no longer known
        tracker = Tracker(self.scope, writers)
        self.scope.vars = ModuleVars({"__name__": Const("__main__")}, tracker)
        interp.scope = interp.module_scope = self.scope
        tables: dict[str, Any] = {name: kind(tracker, name) for name, kind in _TABLES.items()}
        for name, table in tables.items():
            setattr(interp, name, table)
        interp.tokens = _Counter(self, self.tokens_next)
        records: dict[Any, Record] = {}
        by_node: dict[int, Record] = {}
        stats = {"reused": 0, "run": 0, "parsed_lines": self.stats["parsed_lines"]}
        dead = 0
        order: list[Record] = []
        previous = self.order
        synced = True  # every statement so far replayed the previous run's record for it
        # Statement i is the last run's statement i (same count), and ``diff`` holds what
        # may differ here from the last run at the same point (names, table keys, objects).
        aligned = len(body) == len(self.body)
        diff: set[int] | None = set() if aligned else None
        deadline = interp.deadline
        for i, node in enumerate(body):
            if deadline is not None and not i % 32 and time.perf_counter() > deadline:
                raise BudgetExceeded
            old = self.by_node.get(id(node))
            key = old.key if old is not None else _key(node, lines)
            if old is None:
                old = self.records.get(key)
            if old is not None and old.dead != (dead > 0):
                # An edit above made this statement (un)reachable: the run before the last
                # may have seen it that way (typing toggles between such states).
                old = self.spare.get((key, dead > 0), old)
            prev = previous[i] if aligned and i < len(previous) else None
            if old is not None and synced and old is prev:
                reuse = old.reusable  # same records so far: the state here is the same too
            else:
                synced = False
                if old is None or old.dead != (dead > 0):
                    reuse = False
                elif old is prev and diff is not None and not self._blind and \
                        old.read_keys.isdisjoint(diff):
                    # What it read is as it was at this point in the last run, where it
                    # was last applied: no need to compare values.
                    reuse = old.reusable
                else:
                    reuse = self._reusable(old, tables, writers)
            if reuse:
                assert old is not None
                body[i] = node = old.node
                self._apply(old, tables, writers)
                flows, just_raised = old.flows, old.just_raised
                record = old
                stats["reused"] += 1
            else:
                interp.dead = dead
                record = self._execute(interp, tracker, tables, key, node, dead > 0,
                                       lambda node=node: interp.exec_stmt(node))
                flows, just_raised = record.flows, record.just_raised
                stats["run"] += 1
                synced = False
            interp.just_raised = False
            records[key] = record
            order.append(record)
            by_node[id(node)] = record
            if diff is not None and not synced:
                if record is prev:  # what it wrote is again what the last run had here
                    diff.difference_update(record.write_keys)
                else:
                    diff.update(record.touched_keys)
                    if prev is not None:
                        diff.update(prev.touched_keys)
                if len(diff) > 256 or self._blind:
                    diff = None  # too much differs: compare values from here on
            if not flows:
                if just_raised:
                    dead += 1  # the rest is analysed silently (exec_block's rule)
                    continue
                break  # control left the module (a top-level raise): nothing after runs
        interp.dead = 0
        uncalled: dict[Function, Record] = {}
        for fn in list(tables["defined"]):
            if set.__contains__(tables["called"], fn):
                continue
            old = self.uncalled.get(fn)
            if old is not None and self._reusable(old, tables, writers):
                self._apply(old, tables, writers)
                record = old
                stats["reused"] += 1
            else:
                record = self._execute(interp, tracker, tables, fn, fn.node, False,
                                       lambda fn=fn: _analyse_uncalled(interp, fn))
                stats["run"] += 1
            uncalled[fn] = record
            order.append(record)
        self._materialize(writers)
        for name in _BULK:  # first write wins: merge the records' entries last to first
            merged: dict[Any, Any] = {}
            for record in reversed(order):
                entries = record.bulk.get(name)
                if entries:
                    merged.update(entries)
            setattr(interp, name, merged)
        # Commit only a complete run: an exception above keeps the previous state.
        self.lines, self.body, self.clean = lines, body, clean
        self.spare = {(k, r.dead): r for k, r in self.records.items()
                      if records.get(k) is not r and r.reusable}
        self.records, self.by_node, self.uncalled = records, by_node, uncalled
        self.order = order
        self.stats = stats
        self.writers = writers
        self._pending = None

    def _reusable(self, record: Record, tables: dict[str, Any],
                  writers: dict[int, Record]) -> bool:
        if not record.reusable:
            return False
        env = self.scope.vars
        for table, keys, values in record.groups:
            source = tables[table] if table else env
            now = tuple(map(dict.get, repeat(source, len(keys)), keys))
            if all(map(is_, now, values)):
                continue  # everything it read is the very same value: the common case
            for was, value in zip(now, values):
                if was is None:
                    was = MISSING
                if not same(was, MISSING if value is None else value):
                    return False
        if record.read_objects:
            if self._blind:
                return False
            ids, was = record.object_writers
            return all(map(is_, map(writers.get, ids), was))
        return True

    def _apply(self, record: Record, tables: dict[str, Any],
               writers: dict[int, Record]) -> None:
        # The objects it made or changed are now, logically, as they were at its end. They
        # keep their identity (so the statements after it that read them stay reusable);
        # their actual state is brought there lazily (``_materialize``): usually a later
        # reused statement moves them on again, to where the previous run left them.
        if record.objects:
            live, dirty = self._live, self._dirty
            for original in record.objects:
                oid = id(original)
                writers[oid] = record
                if live.get(oid) is record:
                    dirty.pop(oid, None)
                else:
                    dirty[oid] = original
        if record.writes:
            if record.deletes:
                env = self.scope.vars
                for name, value in record.writes.items():
                    if value is MISSING:
                        dict.pop(env, name, None)
                    else:
                        dict.__setitem__(env, name, value)
            else:
                dict.update(self.scope.vars, record.writes)
        if record.log:
            replay(tables, record.log)

    def _materialize(self, writers: dict[int, Record]) -> None:
        """Give every object the state its logical writer left it in."""
        memos: dict[int, dict[int, Any]] = {}
        for oid, original in self._dirty.items():
            record = writers[oid]
            memo = memos.get(id(record))
            if memo is None:
                memo = memos[id(record)] = {id(o): o for o in record.shared}
                memo.update((id(c), o) for c, o in zip(record.copies, record.objects))
            copy = record.copies[record.objects.index(original)]
            for f in dataclasses.fields(copy):
                setattr(original, f.name, clone(getattr(copy, f.name), memo))
            self._live[oid] = record
        self._dirty.clear()

    def _execute(self, interp: Interpreter, tracker: Tracker, tables: dict[str, Any],
                 key: Any, node: Any, dead: bool, body: Any) -> Record:
        self._materialize(tracker.writers)
        imports = len(interp.imports)
        tracker.start()
        try:
            flows = bool(body())
        finally:
            tracker.stop()
        just_raised = interp.just_raised
        env = self.scope.vars
        if not isinstance(env, ModuleVars):  # defensive: keep recording next time
            env = self.scope.vars = ModuleVars(env, tracker)
        writes = {}
        for name, before in tracker.wrote.items():
            now = dict.get(env, name, MISSING)
            if now is not before:
                writes[name] = now
        log, bulk = _split(tracker.log)
        record = Record(key, node, dead, tracker.reads, writes, log, bulk=bulk,
                        groups=_groups(tracker.reads), flows=flows, just_raised=just_raised,
                        read_objects=list(tracker.read_objects.values()),
                        object_writers=(tuple(tracker.read_objects),
                                        tuple(w for _, w in tracker.read_objects.values())))
        module = self.scope
        level = 0
        holders = []  # written values and logged entries that hold objects
        for value in (*writes.values(), *(entry[3] for entry in tracker.log)):
            found = kind(value, module)
            if found:
                level = max(level, found)
                holders.append(value)
        opaque = level == OPAQUE or tracker.opaque
        if opaque or len(interp.imports) != imports or interp.active_tapes or \
                any(table == "memo" and value is not MISSING and not frozen(value, module)
                    for (table, _), value in tracker.reads.items()):
            record.reusable = False
            if opaque:  # it may have changed objects it reached in ways we cannot see
                self._blind = True
        touched_objects: list[tuple[str, int]] = []
        if level == CLONEABLE or tracker.read_states:
            read: dict[int, Any] = {}
            changed: dict[int, Any] = {}
            for name, state in tracker.read_states.items():
                value = tracker.reads[("", name)]
                objects(value, read)
                if fingerprint(value) != state:  # it changed objects it read
                    objects(value, changed)
            made = objects(holders, {})
            restore = {k: o for k, o in made.items() if k not in read}
            restore.update(changed)
            for oid in restore:  # their state is now the one this statement left
                tracker.writers[oid] = self._live[oid] = record
            touched_objects = [("obj", oid) for oid in restore]
            if record.reusable:
                shared = [o for k, o in read.items() if k not in restore]
                record.objects = list(restore.values())
                record.shared = shared
                record.copies = clone(record.objects, {id(o): o for o in shared})
        # Keys as their hashes: memo keys hold values whose hash is computed in Python, and
        # these sets are probed for every replayed statement. A collision only costs a
        # value comparison (``_reusable``).
        record.deletes = any(value is MISSING for value in writes.values())
        names = [hash(("", name)) for name in writes]
        objs = [hash(key) for key in touched_objects]
        record.read_keys = frozenset(map(hash, tracker.reads)).union(
            hash(("obj", oid)) for oid in tracker.read_objects)
        record.write_keys = frozenset(names).union(
            [hash((t, k)) for t, op, k, _ in log if op == "set"], objs)
        record.touched_keys = frozenset(names).union(
            [hash((t, k)) for t, op, k, _ in log if t in _READ_TABLES], objs)
        return record


def _split(log: list[tuple[str, str, Any, Any]]
           ) -> tuple[list[tuple[str, str, Any, Any]], dict[str, dict[Any, Any]]]:
    rest = []
    bulk: dict[str, dict[Any, Any]] = {name: {} for name in _BULK}
    for entry in log:
        table, op, key, value = entry
        if table in bulk and op == "setdefault":
            bulk[table].setdefault(key, value)
        else:
            rest.append(entry)
    return rest, {name: entries for name, entries in bulk.items() if entries}


def _groups(reads: dict[tuple[str, Any], Any]
            ) -> list[tuple[str, tuple[Any, ...], tuple[Any, ...]]]:
    by_table: dict[str, tuple[list[Any], list[Any]]] = {}
    for (table, key), value in reads.items():
        keys, values = by_table.setdefault(table, ([], []))
        keys.append(key)
        values.append(None if value is MISSING else value)  # dict.get's answer
    return [(table, tuple(keys), tuple(values)) for table, (keys, values) in by_table.items()]


def _analyse_uncalled(interp: Interpreter, fn: Function) -> bool:
    interp.call_function(fn, [], {}, fn.node, unknown_params=True)
    return True


class _Counter:
    """Variable/tape tokens keep counting across runs, so reused values never collide."""

    def __init__(self, session: Session, start: int):
        self.session = session
        self.next = start

    def __iter__(self) -> _Counter:
        return self

    def __next__(self) -> int:
        value = self.next
        self.next += 1
        self.session.tokens_next = self.next
        return value
