"""One run of an incremental ``Session`` (``incremental.py``): the top-level statements, then
the functions nobody called, each replayed from the last run's record or run again.

``Pass`` holds what the two loops share: the journalled tables, the records of this run, and
``diff``, what may differ here from the last run at the same point (hashes of names, table
keys and objects; ``None`` once too much differs, and values are compared instead). A
statement is replayed when its text, position and inputs are unchanged; sixteen at a time
(``records.Chunk``) where none of them can have changed.
"""

from __future__ import annotations

import time
from operator import is_

from ...domain.values import Function
from ..execute import BudgetExceeded
from .identity import owner_ok
from .records import CHUNK, Chunk, Record
from .reparse import statement_key
from .sharing import same

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast
    from typing import Any

    from ..execute import Interpreter
    from .journal import Tracker
    from .session_port import SessionState as Session


class Pass:
    """The state of one run shared by its statement loop and its uncalled-function loop."""

    def __init__(self, session: Session, interp: Interpreter, tracker: Tracker,
                 tables: dict[str, Any], writers: dict[int, Record], lines: list[str],
                 body: list[ast.stmt]) -> None:
        self.session = session
        self.interp = interp
        self.tracker = tracker
        self.tables = tables
        self.writers = writers
        self.lines = lines
        self.body = body
        self.records: dict[Any, Record] = {}
        self.by_node: dict[int, Record] = {}
        self.order: list[Record] = []
        self.spare_next: dict[tuple[Any, bool], Record] = {}
        self.uncalled: dict[Function, Record] = {}
        self.reused = self.ran = 0
        self.previous = session.order
        self.synced = True  # every statement so far replayed the last run's record for it
        # Statement i is the last run's statement i (same count), and ``diff`` holds what
        # may differ here from the last run at the same point.
        self.aligned = len(body) == len(session.body)
        self.diff: set[int] | None = set() if self.aligned else None
        self.dead = 0
        self.is_dead = False

    # ------------------------------------------------------------------ statements
    def statements(self) -> None:
        """Run or replay the top-level statements in order."""
        body = self.body
        deadline = self.interp.deadline
        chunks = self.session.chunks if self.aligned else {}
        skip = 0  # statements up to here were applied as part of a chunk
        for i, node in enumerate(body):
            if i < skip:
                continue
            if not i % CHUNK:
                if deadline is not None and time.perf_counter() > deadline:
                    raise BudgetExceeded
                if self._chunk(i, chunks):
                    skip = i + CHUNK
                    continue
            record = self._statement(i, node)
            if not record.flows:
                if record.just_raised:
                    self.dead += 1  # the rest is analysed silently (exec_block's rule)
                    self.is_dead = True
                    continue
                break  # control left the module (a top-level raise): nothing after runs
        self.interp.dead = 0

    def _chunk(self, i: int, chunks: dict[int, Any]) -> bool:
        """Apply the last run's chunk at ``i`` if nothing it read can differ."""
        chunk = chunks.get(i)
        diff = self.diff
        if chunk is None or chunk.dead != self.is_dead or not (
                self.synced or (diff is not None and not self.session._blind and
                                chunk.read_keys.isdisjoint(diff))) or \
                self.body[i:i + CHUNK] != chunk.nodes:
            return False
        # The last run's statements here, each where it was then: as if each were replayed
        # (``Session._apply``) in turn.
        self.session._apply_chunk(chunk, self.tables, self.writers)
        self.records.update(chunk.keyed)
        self.by_node.update(chunk.by_node)
        self.order.extend(chunk.records)
        if diff is not None and not self.synced:
            diff.difference_update(chunk.write_keys)
        self.reused += CHUNK
        return True

    def _statement(self, i: int, node: ast.stmt) -> Record:
        session = self.session
        key, old, prev = self._previous(i, node)
        if self.synced and old is prev and old is not None:
            reuse = old.reusable  # same records so far: the state here is the same too
        else:
            self.synced = False
            if old is None or (old.dead != self.is_dead and not self._quietly(old)):
                reuse = False
            elif old is prev and self._unchanged(old):
                reuse = old.reusable  # what it read is as it was here in the last run
            else:
                reuse = session._reusable(old, self.tables, self.writers)
        if reuse:
            assert old is not None
            self.body[i] = node = old.node
            session._apply(old, self.tables, self.writers)
            record = old
            self.reused += 1
        else:
            interp = self.interp
            interp.dead = self.dead
            record = session._execute(interp, self.tracker, self.tables, key, node,
                                      self.is_dead, lambda: interp.exec_stmt(node))
            interp.just_raised = False
            self.ran += 1
            self.synced = False
        self.records[key] = record
        self.order.append(record)
        self.by_node[id(node)] = record
        prior = session.records.get(key)
        if prior is not None and prior is not record and prior.reusable:
            self.spare_next[(key, prior.dead)] = prior  # kept one more run (``spare``)
        if not self.synced:
            self._track(record, prev)
        return record

    def _previous(self, i: int, node: ast.stmt) -> tuple[Any, Record | None, Record | None]:
        """The statement's key, the last run's record for it, and the last run's record at
        this place."""
        session = self.session
        old = session.by_node.get(id(node))
        if old is None:
            key = statement_key(node, self.lines)
            old = session.records.get(key)
        else:
            key = old.key
        if old is not None and old.dead != self.is_dead:
            # An edit above made this statement (un)reachable: the run before the last may
            # have seen it that way (typing toggles between such states); else a live
            # record may replay where it is now dead (``_quietly``).
            old = session.spare.get((key, self.is_dead), old)
        previous = self.previous
        prev = previous[i] if self.aligned and i < len(previous) else None
        return key, old, prev

    def _quietly(self, old: Record) -> bool:
        """``old`` was recorded live and the statement is now dead (an error above ends the
        module there), and its run did nothing that dead mode silences (``replays_dead``):
        it replays as it is, and stays the statement's record for when the error is fixed."""
        return self.is_dead and old.replays_dead

    def _unchanged(self, old: Record) -> bool:
        """Nothing ``old`` read can differ from the last run at this place (``diff``)."""
        return self.diff is not None and not self.session._blind and \
            old.read_keys.isdisjoint(self.diff)

    def _track(self, record: Record, prev: Record | None, names: bool = True) -> None:
        """Update ``diff`` after ``record`` was applied where the last run applied ``prev``."""
        diff = self.diff
        if diff is None:
            return
        if record is prev:  # what it wrote is again what the last run had here
            diff.difference_update(record.write_keys)
        else:
            diff.update(record.touched_keys)
            if prev is not None:
                diff.update(prev.touched_keys)
                if names:
                    # A name it bound as the last run's statement here did (a re-parsed
                    # ``import tensorflow as tf``) is as it was: reads of it need no check.
                    before = prev.writes
                    diff.difference_update(
                        [hash(("", name)) for name, value in record.writes.items()
                         if name in before and same(value, before[name])])
        if len(diff) > 256 or self.session._blind:
            self.diff = None  # too much differs: compare values from here on

    # ------------------------------------------------------------------ uncalled
    def functions(self) -> None:
        """Analyse (or replay the analyses of) the functions nobody called."""
        session = self.session
        tables, writers = self.tables, self.writers
        # The last run's analyses, in order: where this run applies the very same record at
        # the same place, ``diff`` tells without comparing values that its reads are as then.
        before = self.previous[session.n_main:] if self.diff is not None else []
        chunks = session.fn_chunks if before else {}
        uncalled = self.uncalled
        interp = self.interp
        called = tables["called"]
        defined = list(tables["defined"])
        i = 0
        while i < len(defined):
            fn = defined[i]
            i += 1
            if set.__contains__(called, fn):
                continue
            if not len(uncalled) % CHUNK and len(uncalled) in chunks:
                end = self._function_chunk(chunks[len(uncalled)], defined, i - 1, before)
                if end:
                    i = end
                    continue
            old = session.uncalled.get(fn)
            prev = before[len(uncalled)] if len(uncalled) < len(before) else None
            if old is not None and owner_ok(old.owner_deps, fn) and (
                    (old is prev and old.reusable and self._unchanged(old))
                    or session._reusable(old, tables, writers)):
                session._apply(old, tables, writers)
                record = old
                self.reused += 1
            else:
                record = session._execute(interp, self.tracker, tables, fn, fn.node, False,
                                          lambda fn=fn: _analyse_uncalled(interp, fn))
                self.ran += 1
            uncalled[fn] = record
            self.order.append(record)
            if record is not prev:
                self._track(record, prev, names=False)

    def _function_chunk(self, chunk: Chunk, defined: list[Function], start: int,
                        before: list[Record]) -> int:
        """Apply the last run's chunk of uncalled-function analyses at this place if the
        next functions nobody called are its functions, each would replay the last run's
        record here (the same record at the same place, nothing it read can differ, its
        class offers what it read) and the chunk is applied as those records would be.
        Returns the index in ``defined`` after its last function, or 0 (not applied)."""
        at = len(self.uncalled)
        diff = self.diff
        if diff is None or self.session._blind or not chunk.read_keys.isdisjoint(diff) or \
                not all(map(is_, chunk.records, before[at:at + CHUNK])):
            return 0
        called = self.tables["called"]
        fns, records = chunk.keys, chunk.records
        k, n = start, 0
        while n < CHUNK:  # the next CHUNK functions nobody called, in the loop's order
            if k >= len(defined):
                return 0
            fn = defined[k]
            k += 1
            if set.__contains__(called, fn):
                continue
            if fn is not fns[n] or not owner_ok(records[n].owner_deps, fn):
                return 0
            n += 1
        # (A chunk's records are the last run's at these places: none of their logs calls
        # a later one of its functions, or that one would not have been analysed here.)
        self.session._apply_chunk(chunk, self.tables, self.writers)
        self.uncalled.update(zip(fns, records))
        self.order.extend(records)
        self.reused += CHUNK
        self.session.fn_chunks_applied += 1
        return k


def _analyse_uncalled(interp: Interpreter, fn: Function) -> bool:
    interp.call_function(fn, [], {}, fn.node, unknown_params=True)
    return True
