"""Call summaries: a user-function call whose inputs are unchanged replays its last analysis.

The statement-level engine (``session.py``) replays a top-level statement only when nothing it
read changed. A script whose ``main()`` (behind ``if __name__ == "__main__":``) calls every
function of the module is one statement: an edit anywhere runs it again, and with it every
function it calls. So each call of a user function is recorded too, as a ``Summary``: what it
read (module variables and side-table entries, with the values it saw), what it wrote (the
tables' log entries, its display-table writes as merged ``part`` dicts) and its result. A
later run that makes the same call — same memo key (``memo.py``: the function, its
arguments, the values of the free names it reaches), same calling context (call stack,
silencing counters, enclosing ``try`` handlers, loop unrolling depth) — where everything it
read is still ``same`` replays those writes instead of interpreting the body again.

Only calls whose effects the log holds completely are summarised: their result is memoised
(no layer, model, tape or instance in it, no list of the caller's mutated), they wrote no
module variable, read none holding an object, imported nothing and touched no state the
tracker cannot see (``tracker.opaque``, graph mode). The summaries of one run are kept for
the next (with those of the calls inside a replayed call), and dropped when lines move.
"""

from __future__ import annotations

from ..interpreter.memo import Key
from .bodies import Body
from .journal import replay
from .records import compact
from .sharing import FROZEN, MISSING, OPAQUE, clone, frozen, kind, objects, same
from .summary import Recording, Summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ...domain.values import Value
    from ..interpreter.state import RunState
    from .journal import Tracker


_NO_OBJECTS = frozenset({"called", "defined", "memo"})  # functions, and frozen results


class CallSummaries:
    """The summaries of one run: the last run's (``old``) to replay, this run's (``new``)."""

    def __init__(self, tracker: Tracker, tables: dict[str, Any], module: Any,
                 old: dict[Any, Summary], active_tapes: list[Any]) -> None:
        self.tracker = tracker
        self.tables = tables
        self.module = module  # the module Scope (its ``vars`` are replaced at merges)
        self.old = old
        self.new: dict[Any, Summary] = {}
        self.active_tapes = active_tapes
        self.replayed = self.recorded = 0
        # the contexts of the calls made so far by the statement being recorded outside any
        # other summarised call (``Record.summaries``: only the contexts, so a record that is
        # not replayed any more does not keep the summaries alive)
        self.roots: list[Any] = []

    def enter(self, key: Any, state: RunState) -> tuple[Value | None, Recording | None]:
        """Before a memoisable call runs: its replayed result, or the recording to finish
        with ``leave`` (or ``abandon``), or neither (the call cannot be summarised)."""
        tracker = self.tracker
        if not tracker.active or self.active_tapes or (key[3] and key[0].owner is not None):
            # (A method analysed without its arguments reads its class's members through
            # ``self``, which its memo key leaves out: ``identity.owner_deps``.)
            return None, None
        frames = state.frames
        context = Key((key, len(frames), any(f.unknown for f in frames),
                       state.in_tf_function(), bool(state.dead), bool(state.foreign),
                       bool(state.replaying), state.unroll_depth, tuple(state.catching)))
        summary = self.replays(context, state)
        if summary is not None:
            return summary.result, None
        return None, self.record(context, state)

    def replays(self, context: Any, state: RunState) -> Summary | None:
        """The last run's summary under ``context``, replayed, if what it read is unchanged."""
        summary = self.old.get(context)
        if summary is not None and self._valid(summary, state.frames):
            self._replay(context, summary, state)
            return summary
        return None

    def record(self, context: Any, state: RunState) -> Recording:
        """Start recording a call (or a statement, ``statements.py``) under ``context``."""
        tracker = self.tracker
        recording = Recording(context, len(tracker.log), state, tracker.opaque)
        tracker.opaque = False
        tracker.calls.append(recording)
        return recording

    def body(self, body: list[Any], run: Any, state: RunState) -> Body:
        """A body no summary covers, analysed statement by statement (``bodies.py``)."""
        return Body(self, body, run, state)

    def _valid(self, summary: Summary, frames: list[Any]) -> bool:
        """Everything the call read is as it was, and none of the functions it called is
        being analysed now (a call of one of those would stop short: recursion)."""
        callees = summary.callees
        if callees:
            for frame in frames:  # (a loop: this runs for every replayed call)
                if id(frame.fn) in callees:
                    return False
        env, tables = self.module.vars, self.tables
        for (table, key), value in summary.reads.items():
            now = dict.get(tables[table] if table else env, key, MISSING)
            if now is not value and not same(now, value):
                return False
        return True

    def _replay(self, context: Any, summary: Summary, state: RunState) -> None:
        """Do what the call did to the tables, and log and read it as the statement being
        recorded (and the call around it) would have seen it run (``journal.py``'s wrappers,
        applied in bulk)."""
        tracker, tables = self.tracker, self.tables
        env = self.module.vars
        reads, wrote, written = tracker.reads, tracker.wrote, tracker.written
        for key in summary.reads:
            if key in reads:
                continue
            table, name = key
            if table:
                if key not in written:
                    reads[key] = dict.get(tables[table], name, MISSING)
            elif name in wrote:
                tracker.read_var(name, env)  # the statement rebound it: as journal.py does
            else:
                reads[key] = dict.get(env, name, MISSING)
        replay(tables, summary.rest)
        if not tracker.calls:  # the statement's record takes this part from the summary
            start = len(tracker.log)
            tracker.segments.append((start, start + len(summary.log), summary))
        tracker.log.extend(summary.log)
        written.update(summary.written)
        state.raised += summary.raised
        state.partial_exits += summary.partial
        self.replayed += 1
        self._carry([(context, summary)])
        if not tracker.calls:
            self.roots.append(context)
        else:
            parent = tracker.calls[-1]
            parent.children.append((context, summary))
            preads, pwritten = parent.reads, parent.written
            for key, value in summary.reads.items():
                if key not in preads and key not in pwritten:
                    preads[key] = value
            pwritten.update(summary.written)

    def keep(self, contexts: Any) -> None:
        """The summaries of these contexts (the calls of a replayed statement), and those
        inside them, serve the next run too."""
        old = self.old
        self._carry([(c, old[c]) for c in contexts if c in old])

    def _carry(self, todo: list[tuple[Any, Summary]]) -> None:
        """These (context, summary) pairs and the summaries inside them serve the next run."""
        new = self.new
        while todo:
            context, summary = todo.pop()
            if context not in new:
                new[context] = summary
                todo.extend(summary.children)

    def abandon(self, recording: Recording) -> None:
        """The call ended with an exception: no summary."""
        tracker = self.tracker
        if recording in tracker.calls:
            del tracker.calls[tracker.calls.index(recording):]
        tracker.opaque = recording.opaque or tracker.opaque

    def leave(self, recording: Recording, result: Value, state: RunState,
              memoised: bool) -> None:
        """The call returned ``result``: summarise it if its log says all it did, and hand
        what it read and wrote to the call around it."""
        tracker = self.tracker
        tracker.calls.pop()
        opaque = tracker.opaque
        tracker.opaque = recording.opaque or opaque
        children = recording.children
        ok = memoised and not recording.impure and not opaque and \
            len(state.imports) == recording.imports and \
            state.escaped_mutations == recording.escaped
        if ok and kind(result, self.module) == FROZEN:
            log = tracker.log
            callees = frozenset([id(value) for table, _, _, value in log[recording.start:]
                                 if table == "called"])
            entries = None if any(id(f.fn) in callees for f in state.frames) else \
                self._compacted(log[recording.start:])
            if entries is not None:
                summary = Summary(result, recording.reads, entries,
                                  state.raised - recording.raised,
                                  state.partial_exits - recording.partial, children, callees)
                log[recording.start:] = entries
                self.new.setdefault(recording.context, summary)
                self.recorded += 1
                children = [(recording.context, summary)]
        if not tracker.calls:
            self.roots.extend(context for context, _ in children)
        else:
            parent = tracker.calls[-1]
            parent.children.extend(children)
            reads, written = parent.reads, parent.written
            for key, value in recording.reads.items():
                if key not in reads and key not in written:
                    reads[key] = value
            written |= recording.written
            parent.impure = parent.impure or recording.impure

    def _compacted(self, log: list[tuple[str, str, Any, Any]]
                   ) -> list[tuple[str, str, Any, Any]] | None:
        """The call's log as its summary keeps it: table entries, its display-table writes
        as ``part`` dicts, and ``objects`` entries: the objects it made, which nothing after
        it reaches (its result holds none), with copies of their state. None: it cannot be
        summarised (``_replayable``)."""
        rest, parts, premade = compact(log)
        if not self._replayable(rest):
            return None
        inner = {id(value) for _, op, _, value in log if op == "part"}
        mine: list[Any] = [list(entries.values()) for found in parts.values()
                           for entries in found if id(entries) not in inner]
        # and the objects only the bookkeeping tables hold (the tapes it made, what its
        # gradient calls saw): nothing outside the call reaches them either, so the
        # statements that make or replay the call need not copy them again
        mine.append([value for table, _, _, value in rest if table not in _NO_OBJECTS])
        made = objects(mine, {})
        for found in premade:  # those of the calls inside it are theirs
            for oid in found:
                made.pop(oid, None)
        if made:
            copies = clone(list(made.values()), {})
            premade.append({oid: (obj, copy)
                            for (oid, obj), copy in zip(made.items(), copies)})
        return [*rest, *((table, "part", None, entries) for table, found in parts.items()
                         for entries in found),
                *(("", "objects", None, found) for found in premade)]

    def _replayable(self, rest: list[tuple[str, str, Any, Any]]) -> bool:
        """Nothing it logged holds state that changes after the call: a function it defined
        and did not call closes over objects (their analysis as an uncalled function would
        change them) or over mutable state. (One it called, a nested helper, is never
        analysed again: ``segments.held`` leaves it out for the same reason.)"""
        module = self.module
        called = {id(value) for table, _, _, value in rest if table == "called"}
        for table, _, _, value in rest:
            if table == "defined":
                if id(value) not in called and not frozen(value, module):
                    return False
            elif table not in ("called", "memo") and kind(value, module) == OPAQUE:
                return False
        return True
