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
import time
from itertools import repeat
from operator import is_

from ..structs import fields
from .execute import BudgetExceeded, Interpreter
from .identity import keep_methods, owner_deps, owner_ok, swap
from .journal import LogList, LogSet, ModuleVars, Table, Tracker, replay
from .lazylog import logger
from .module_facts import numpy_promotion
from .parse import Parsed, parse_source
from .records import (
    BULK,
    CHUNK,
    LAZY,
    Chunk,
    Merged,
    Record,
    read_groups,
    split_log,
)
from .relocate import Mover, hash_keys, shift_nodes
from .reparse import Moved, reparse, split_lines, statement_key
from .scope import Scope
from .sharing import (
    CLONEABLE,
    MISSING,
    OPAQUE,
    clone,
    fingerprint,
    frozen,
    kind,
    objects,
    same,
)
from .values import ClassValue, Const, Function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

log = logger(__name__)
_TABLES = {"findings": Table, "assignments": Table, "expressions": Table, "memo": Table,
           "token_names": Table, "rebound": Table, "first_gradient": Table,
           "tapes": LogList, "gradient_calls": LogList, "defined": LogList, "called": LogSet}


class Session:
    """Incremental analysis state of one document (use from one thread at a time)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.body: list[ast.stmt] = []
        self.clean = False  # the previous parse had no syntax error
        self.records: dict[Any, Record] = {}  # statement key -> record
        self.spare: dict[tuple[Any, bool], Record] = {}  # the run before, (key, dead) -> it
        self._prune_at = 0  # size of ``writers`` that triggers dropping dead entries
        self.by_node: dict[int, Record] = {}
        self.uncalled: dict[Function, Record] = {}
        self.scope = Scope()
        self.writers: dict[int, Record] = {}  # id(object) -> the record that last set it
        self.tokens_next = 1
        self.stats = {"reused": 0, "run": 0, "parsed_lines": 0}
        self.facts: dict[Any, Any] = {}  # analysis.py's per-assignment facts, by identity
        self.order: list[Record] = []  # the records of the last run, in the order applied
        self.chunks: dict[int, Chunk] = {}  # statement index -> the last run's chunk there
        self._pending: tuple[list[str], list[ast.stmt], bool] | None = None
        self._blind = False
        self._split: tuple[str, list[str]] | None = None
        self._live: dict[int, Record] = {}
        self._dirty: dict[int, Any] = {}
        # The last run's methods of top-level classes, by definition node (``identity.py``).
        self.methods: dict[int, Function] = {}
        self.promotion = 0  # ``module_facts.numpy_promotion`` of the last run's module
        self.n_main = 0  # how many of ``order`` are top-level statements (then: uncalled)
        self._tree = ast.Module(body=[], type_ignores=[])  # the module being parsed and run

    # ------------------------------------------------------------------ parsing
    def lines_for(self, source: str) -> list[str]:
        """``split_lines(source)``, computed once per analysed text."""
        if self._split is None or self._split[0] is not source:
            self._split = (source, split_lines(source))
        return self._split[1]

    def parse(self, source: str, path: str) -> Parsed:
        lines = self.lines_for(source)
        self.stats["moved"] = 0
        body = self._reparse(lines, path) if self.clean else None
        if body is not None:
            parsed = Parsed(ast.Module(body=body, type_ignores=[]), [])
        else:
            parsed = parse_source(source, path)
            self.stats["parsed_lines"] = len(lines)
        self._pending = (lines, parsed.tree.body, not parsed.errors)
        self._tree = parsed.tree
        return parsed

    def _reparse(self, lines: list[str], path: str) -> list[ast.stmt] | None:
        found = reparse(self.lines, self.body, lines, path)
        if found is None:
            return None
        body, parsed, moved = found
        if moved is not None:
            try:
                self._move(body, lines, moved)
            except Exception:  # a bug here must cost a full run, not wrong results later
                log.exception("moving the recorded analyses failed; analysing from scratch")
                self._forget()
                return None
        self.stats["parsed_lines"] = parsed
        return body

    def _forget(self) -> None:
        """Drop everything the last runs learnt (the next run starts from scratch)."""
        tokens = self.tokens_next
        self.__init__()  # type: ignore[misc]
        self.tokens_next = tokens

    def _move(self, body: list[ast.stmt], lines: list[str], moved: Moved) -> None:
        """Lines were added or removed above ``body[moved.index:]``: renumber those
        statements and what their records (and the uncalled functions among them) hold, so
        the run replays them. The session then describes the new text: the edited region's
        statements have no record yet, the moved ones have theirs under their new keys."""
        mover = Mover(moved.threshold, moved.delta)
        after = body[moved.index:]
        by_node = self.by_node
        records = [r for node in after if (r := by_node.get(id(node))) is not None]
        records += [r for fn, r in self.uncalled.items()
                    if getattr(fn.node, "lineno", 0) >= moved.threshold]
        for node in (*after, *moved.inner):
            shift_nodes(node, moved.delta)
        mover.records(records)
        moving = {id(r) for r in records}
        kept = {id(node) for node in body}
        rekeyed: dict[Any, Record] = {}
        for key, record in self.records.items():
            if id(record) in moving:  # same text, same columns: lines moved
                line, col, end, end_col, text = key
                record.key = key = (line + moved.delta, col, end + moved.delta, end_col, text)
            elif id(record.node) not in kept:
                continue  # a statement of the edited region: parsed anew
            rekeyed[key] = record
        self.records = rekeyed
        # Chunks above the edit stay as they are. Below it, where the statements kept their
        # places (as many as before), a chunk's records are the moved ones: combined again
        # under their new keys, so the run can replay them sixteen at a time.
        aligned = len(body) == len(self.body)
        chunks = {}
        for start, chunk in self.chunks.items():
            if body[start:start + CHUNK] != chunk.nodes:
                continue
            if start + CHUNK <= moved.index:
                chunks[start] = chunk
            elif aligned and start >= moved.index:
                chunks[start] = Chunk(chunk.records)
        self.chunks = chunks
        self.lines, self.body, self.clean = lines, body, True
        self.spare = {}
        self.facts = mover.facts(self.facts)
        self.stats["moved"] = len(records)

    # ------------------------------------------------------------------ running
    def run(self, interp: Interpreter) -> None:
        """Run the module like ``Interpreter.run``, reusing what the last run learnt."""
        assert self._pending is not None, "parse() first"
        lines, body, clean = self._pending
        tree = self._tree if self._tree.body is body else ast.Module(body=body, type_ignores=[])
        level = numpy_promotion(tree)  # the interpreter asks for the same tree: cached
        if level != self.promotion:  # a switch anywhere changes what every statement does
            self.promotion = level
            self.records, self.by_node, self.uncalled, self.chunks = {}, {}, {}, {}
            self.spare, self.order = {}, []
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
        interp.tokens = _Counter(self, self.tokens_next)  # type: ignore[assignment]
        records: dict[Any, Record] = {}
        by_node: dict[int, Record] = {}
        stats = {"reused": 0, "run": 0, "parsed_lines": self.stats["parsed_lines"],
                 "moved": self.stats.get("moved", 0)}
        dead = 0
        order: list[Record] = []
        spare_next: dict[tuple[Any, bool], Record] = {}
        previous = self.order
        synced = True  # every statement so far replayed the previous run's record for it
        # Statement i is the last run's statement i (same count), and ``diff`` holds what
        # may differ here from the last run at the same point (names, table keys, objects).
        aligned = len(body) == len(self.body)
        diff: set[int] | None = set() if aligned else None
        deadline = interp.deadline
        n_previous = len(previous) if aligned else 0
        recorded, spare, by_old_node = self.records, self.spare, self.by_node
        apply = self._apply
        reused = ran = 0
        is_dead = False
        chunks = self.chunks if aligned else {}
        skip = 0  # statements up to here were applied as part of a chunk
        for i, node in enumerate(body):
            if i < skip:
                continue
            if not i % CHUNK:
                if deadline is not None and time.perf_counter() > deadline:
                    raise BudgetExceeded
                chunk = chunks.get(i)
                if chunk is not None and chunk.dead == is_dead and (
                        synced or (diff is not None and not self._blind and
                                   chunk.read_keys.isdisjoint(diff))) and \
                        body[i:i + CHUNK] == chunk.nodes:
                    # The last run's statements here, each where it was then, and nothing
                    # they read can differ: as if each were replayed (``_apply``) in turn.
                    self._apply_chunk(chunk, tables, writers)
                    records.update(chunk.keyed)
                    by_node.update(chunk.by_node)
                    order.extend(chunk.records)
                    if diff is not None and not synced:
                        diff.difference_update(chunk.write_keys)
                    reused += CHUNK
                    skip = i + CHUNK
                    continue
            old = by_old_node.get(id(node))
            if old is None:
                key = statement_key(node, lines)
                old = recorded.get(key)
            else:
                key = old.key
            if old is not None and old.dead != is_dead:
                # An edit above made this statement (un)reachable: the run before the last
                # may have seen it that way (typing toggles between such states).
                old = spare.get((key, is_dead), old)
            prev = previous[i] if i < n_previous else None
            if synced and old is prev and old is not None:
                reuse = old.reusable  # same records so far: the state here is the same too
            else:
                synced = False
                if old is None or old.dead != is_dead:
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
                apply(old, tables, writers)
                record = old
                reused += 1
            else:
                interp.dead = dead
                record = self._execute(interp, tracker, tables, key, node, is_dead,
                                       lambda node=node: interp.exec_stmt(node))
                interp.just_raised = False
                ran += 1
                synced = False
            records[key] = record
            order.append(record)
            by_node[id(node)] = record
            prior = recorded.get(key)
            if prior is not None and prior is not record and prior.reusable:
                spare_next[(key, prior.dead)] = prior  # kept one more run (``spare``)
            if diff is not None and not synced:
                if record is prev:  # what it wrote is again what the last run had here
                    diff.difference_update(record.write_keys)
                else:
                    diff.update(record.touched_keys)
                    if prev is not None:
                        diff.update(prev.touched_keys)
                        # A name it bound as the last run's statement here did (a re-parsed
                        # ``import tensorflow as tf``) is as it was: reads of it need no check.
                        before = prev.writes
                        diff.difference_update(
                            [hash(("", name)) for name, value in record.writes.items()
                             if name in before and same(value, before[name])])
                if len(diff) > 256 or self._blind:
                    diff = None  # too much differs: compare values from here on
            if not record.flows:
                if record.just_raised:
                    dead += 1  # the rest is analysed silently (exec_block's rule)
                    is_dead = True
                    continue
                break  # control left the module (a top-level raise): nothing after runs
        stats["reused"] += reused
        stats["run"] += ran
        interp.dead = 0
        uncalled: dict[Function, Record] = {}
        # The last run's analyses of uncalled functions, in order: where this run applies the
        # very same record at the same place, ``diff`` (what may differ from the last run
        # here) tells without comparing values whether what it read is unchanged.
        before = previous[self.n_main:] if diff is not None else []
        for fn in list(tables["defined"]):
            if set.__contains__(tables["called"], fn):
                continue
            old = self.uncalled.get(fn)
            prev = before[len(uncalled)] if len(uncalled) < len(before) else None
            if old is not None and owner_ok(old.owner_deps, fn) and (
                    (old is prev and diff is not None and not self._blind and
                     old.reusable and old.read_keys.isdisjoint(diff))
                    or self._reusable(old, tables, writers)):
                self._apply(old, tables, writers)
                record = old
                stats["reused"] += 1
            else:
                record = self._execute(interp, tracker, tables, fn, fn.node, False,
                                       lambda fn=fn: _analyse_uncalled(interp, fn))
                stats["run"] += 1
            uncalled[fn] = record
            order.append(record)
            if diff is not None and record is not prev:
                diff.update(record.touched_keys)
                if prev is not None:
                    diff.update(prev.touched_keys)
                if len(diff) > 256 or self._blind:
                    diff = None
        self.methods = {id(fn.node): fn for fn in tables["defined"]
                        if fn.owner is not None and fn.scope is self.scope}
        self._materialize(writers)
        parts: dict[str, list[dict[Any, Any]]] = {name: [] for name in BULK}
        for record in order:
            for name, entries in record.bulk.items():
                parts[name].append(entries)
        for name in BULK:  # first write wins: merge the records' entries last to first
            setattr(interp, name, Merged(parts[name]) if name in LAZY else _merge(parts[name]))
        # Commit only a complete run: an exception above keeps the previous state.
        self.lines, self.body, self.clean = lines, body, clean
        self.spare = spare_next
        self.records, self.by_node, self.uncalled = records, by_node, uncalled
        self.order = order
        self.n_main = len(order) - len(uncalled)
        self.chunks = self._chunks(order[:len(body)])
        self.stats = stats
        # Only objects the kept records still refer to: a writer entry keeps its record, and
        # with it every object that record made, alive.
        if len(writers) > self._prune_at:  # now and then, not on every keystroke
            alive: set[int] = set()
            for record in order:
                alive.update(map(id, record.objects))
                alive.update(record.object_writers[0])
            writers = {oid: w for oid, w in writers.items() if oid in alive}
            self._prune_at = 2 * len(writers) + 256
        self.writers = writers
        self._live = {}
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
        self._restore(zip(record.objects, repeat(record)), record.writes, record.deletes,
                      record.log, tables, writers)
        for fn, cls in record.owners:  # its methods may serve a later run's class too
            fn.owner = cls

    def _apply_chunk(self, chunk: Chunk, tables: dict[str, Any],
                     writers: dict[int, Record]) -> None:
        self._restore(chunk.last_writers, chunk.writes, chunk.deletes, chunk.log, tables,
                      writers)
        for fn, cls in chunk.owners:
            fn.owner = cls

    def _restore(self, owned: Any, writes: dict[str, Any], deletes: bool,
                 log: list[tuple[str, str, Any, Any]], tables: dict[str, Any],
                 writers: dict[int, Record]) -> None:
        """Replay writes: ``owned`` pairs each object with the record whose end state it
        now has, ``writes`` are module bindings (``MISSING``: deleted), ``log`` the tables'."""
        live, dirty = self._live, self._dirty
        for original, record in owned:
            oid = id(original)
            writers[oid] = record
            if live.get(oid) is record:
                dirty.pop(oid, None)
            else:
                dirty[oid] = original
        if deletes:
            env = self.scope.vars
            for name, value in writes.items():
                if value is MISSING:
                    dict.pop(env, name, None)
                else:
                    dict.__setitem__(env, name, value)
        elif writes:
            dict.update(self.scope.vars, writes)
        if log:
            replay(tables, log)

    def _chunks(self, main: list[Record]) -> dict[int, Chunk]:
        """This run's chunks: the last run's where their records are the same."""
        chunks: dict[int, Chunk] = {}
        for start in range(0, len(main) - CHUNK + 1, CHUNK):
            group = main[start:start + CHUNK]
            old = self.chunks.get(start)
            if old is not None and all(map(is_, old.records, group)):
                chunks[start] = old
            elif Chunk.fits(group):
                chunks[start] = Chunk(group)
        return chunks

    def _keep_methods(self, node: ast.ClassDef, env: dict[str, Any], tracker: Tracker,
                      tables: dict[str, Any]) -> tuple[tuple[Function, ClassValue], ...]:
        """A top-level class statement ran: its unchanged methods become the last run's
        functions again (``identity.keep_methods``), in the class and in what the statement
        logged; returns its (method, class) pairs for the record."""
        cls = dict.get(env, node.name)
        if not isinstance(cls, ClassValue) or cls.node is not node:
            return ()
        replaced = keep_methods(cls, self.methods) if self.methods else {}
        if replaced:
            tracker.log[:] = [(t, op, k, swap(v, replaced)) for t, op, k, v in tracker.log]
            defined = tables["defined"]
            for i, fn in enumerate(defined):
                if id(fn) in replaced:
                    list.__setitem__(defined, i, replaced[id(fn)])
            called = tables["called"]
            for fn in [f for f in called if id(f) in replaced]:
                set.discard(called, fn)
                set.add(called, replaced[id(fn)])
        return tuple((fn, cls) for fn in cls.attrs.values()
                     if isinstance(fn, Function) and fn.owner is cls)

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
            for name in fields(copy):
                setattr(original, name, clone(getattr(copy, name), memo))
            self._live[oid] = record
        self._dirty.clear()

    def _execute(self, interp: Interpreter, tracker: Tracker, tables: dict[str, Any],
                 key: Any, node: Any, dead: bool, body: Any) -> Record:
        self._materialize(tracker.writers)
        imports = len(interp.imports)
        deps = owner_deps(key) if isinstance(key, Function) else None
        tracker.start()
        try:
            flows = bool(body())
        finally:
            tracker.stop()
        just_raised = interp.just_raised
        env = self.scope.vars
        if not isinstance(env, ModuleVars):  # defensive: keep recording next time
            env = self.scope.vars = ModuleVars(env, tracker)
        owners = self._keep_methods(node, env, tracker, tables) \
            if isinstance(node, ast.ClassDef) else ()
        # Every name it bound, even to the object that was there before (``x = f()`` giving
        # the same unknown value again): replayed after a different past, it binds it too.
        writes = {name: dict.get(env, name, MISSING) for name in tracker.wrote}
        log, bulk = split_log(tracker.log)
        seen = tracker.read_objects.values()
        record = Record(key, node, dead, writes, log, bulk=bulk,
                        groups=read_groups(tracker.reads), flows=flows, just_raised=just_raised,
                        read_objects=tuple(obj for obj, _ in seen),
                        object_writers=(tuple(tracker.read_objects),
                                        tuple(writer for _, writer in seen)),
                        owners=owners, owner_deps=deps)
        module = self.scope
        level = 0
        holders = []  # written values and logged entries that hold objects
        for value in (*writes.values(), *_held(tracker.log)):
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
        record.deletes = any(value is MISSING for value in writes.values())
        hash_keys(record, touched_objects)
        return record


def _held(log: list[tuple[str, str, Any, Any]]) -> list[Any]:
    """The logged values that may hold objects whose state matters. A function defined and
    called within the same run of a statement (a nested helper) is left out of the
    bookkeeping tables' entries and of the display tables': the uncalled-function loop never
    analyses it again and hovers show no state of it, so replaying the record is safe."""
    called = {id(value) for table, _, _, value in log if table == "called"}
    return [value for table, _, _, value in log
            if not (isinstance(value, Function) and (
                table in BULK or (table in ("defined", "called") and id(value) in called)))]


def _merge(parts: list[dict[Any, Any]]) -> dict[Any, Any]:
    merged: dict[Any, Any] = {}
    for entries in reversed(parts):
        merged.update(entries)
    return merged


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
