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
from itertools import repeat
from operator import is_

from ...domain.values import Const, Function
from ...structs import fields
from ..execute import Interpreter
from ..interpreter.module_facts import legacy_keras, numpy_promotion
from ..interpreter.scope import Scope
from ..lazylog import logger
from ..parse import Parsed, parse_source
from .journal import LogList, LogSet, ModuleVars, Table, Tracker, replay
from .passes import Pass
from .recording import execute
from .records import BULK, CHUNK, Chunk, Merged, Record, apply_combined, parts_of
from .relocate import move
from .reparse import Moved, reparse, split_lines
from .sharing import MISSING, clone, same
from .summaries import CallSummaries, Summary

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
        self.part_facts: dict[int, Any] = {}  # analysis.py's facts per assignments part
        self.findings: dict[int, Any] = {}  # analysis.py's findings, by id(raw finding)
        self.fact_order: list[Any] | None = None  # analysis.py's facts in position order
        self.order: list[Record] = []  # the records of the last run, in the order applied
        self.chunks: dict[int, Chunk] = {}  # statement index -> the last run's chunk there
        # The same for the analyses of uncalled functions: index among them -> chunk.
        self.fn_chunks: dict[int, Chunk] = {}
        self.fn_chunks_applied = 0  # in the last run (what the tests look at)
        self._pending: tuple[list[str], list[ast.stmt], bool] | None = None
        self._blind = False
        self._split: tuple[str, list[str]] | None = None
        self._live: dict[int, Record] = {}
        self._dirty: dict[int, Any] = {}
        # The last run's methods of top-level classes, by definition node (``identity.py``).
        self.methods: dict[int, Function] = {}
        # ``module_facts.numpy_promotion`` and ``legacy_keras`` of the last run's module
        self.promotion: tuple[int, bool] = (0, False)
        self.n_main = 0  # how many of ``order`` are top-level statements (then: uncalled)
        self.summaries: dict[Any, Summary] = {}  # the last run's calls (``summaries.py``)
        self.calls_replayed = 0
        self._calls: CallSummaries | None = None  # the summaries of the run going on
        self._tree = ast.Module(body=[], type_ignores=[])  # the module being parsed and run

    # ------------------------------------------------------------------ parsing
    def lines_for(self, source: str, lines: list[str] | None = None) -> list[str]:
        """``split_lines(source)``, computed once per analysed text (``lines``: the caller
        has it already, as a language server keeping a document's lines across edits)."""
        if self._split is None or self._split[0] is not source:
            self._split = (source, split_lines(source) if lines is None else lines)
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
        """Lines were added or removed above ``body[moved.index:]``: ``relocate.move``."""
        self.summaries = {}  # their log entries hold lines
        for record in (*self.records.values(), *self.spare.values(), *self.uncalled.values()):
            record.summaries = ()
        for chunk in self.chunks.values():
            chunk.summaries = []
        move(self, body, lines, moved)

    # ------------------------------------------------------------------ running
    def run(self, interp: Interpreter) -> None:
        """Run the module like ``Interpreter.run``, reusing what the last run learnt."""
        assert self._pending is not None, "parse() first"
        lines, body, clean = self._pending
        tree = self._tree if self._tree.body is body else ast.Module(body=body, type_ignores=[])
        # (the interpreter asks for the same tree: cached)
        level = (numpy_promotion(tree), legacy_keras(tree))
        if level != self.promotion:  # a switch anywhere changes what every statement does
            self.promotion = level
            self.records, self.by_node, self.uncalled, self.chunks = {}, {}, {}, {}
            self.fn_chunks = {}
            self.spare, self.order, self.summaries = {}, [], {}
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
        summaries = CallSummaries(tracker, tables, self.scope, self.summaries,
                                  interp.active_tapes)
        interp.calls.summaries = self._calls = summaries
        run = Pass(self, interp, tracker, tables, writers, lines, body)
        self.fn_chunks_applied = 0
        try:
            run.statements()
            run.functions()
        finally:
            interp.calls.summaries = self._calls = None
        self._commit(run, clean)
        self.summaries = summaries.new
        self.calls_replayed = summaries.replayed  # (for the benchmark's probes)

    def _commit(self, run: Pass, clean: bool) -> None:
        """A complete run becomes the session's state (an exception before this point keeps
        the previous one) and the interpreter gets the merged display tables."""
        tables, writers, order = run.tables, run.writers, run.order
        self.methods = {id(fn.node): fn for fn in tables["defined"]
                        if fn.owner is not None and fn.scope is self.scope}
        self._materialize(writers)
        parts: dict[str, list[dict[Any, Any]]] = {name: [] for name in BULK}
        for record in order:
            for name, entries in record.bulk.items():
                parts[name] += parts_of(entries)
        for name in BULK:  # first write wins, merged where read (``Merged``)
            setattr(run.interp, name, Merged(parts[name]))
        self.lines, self.body, self.clean = run.lines, run.body, clean
        self.spare = run.spare_next
        self.records, self.by_node, self.uncalled = run.records, run.by_node, run.uncalled
        self.order = order
        self.n_main = len(order) - len(run.uncalled)
        self.chunks = self._chunks(order[:len(run.body)], self.chunks)
        self.fn_chunks = self._chunks(order[self.n_main:], self.fn_chunks)
        self.stats = {"reused": run.reused, "run": run.ran,
                      "parsed_lines": self.stats["parsed_lines"],
                      "moved": self.stats.get("moved", 0)}
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
        if record.summaries and self._calls is not None:
            self._calls.keep(record.summaries)

    def _apply_chunk(self, chunk: Chunk, tables: dict[str, Any],
                     writers: dict[int, Record]) -> None:
        self._restore(chunk.last_writers, chunk.writes, chunk.deletes, [], tables, writers)
        apply_combined(tables, chunk.ops)  # its records' logs, as a few bulk operations
        for fn, cls in chunk.owners:
            fn.owner = cls
        if chunk.summaries and self._calls is not None:
            self._calls.keep(chunk.summaries)

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

    @staticmethod
    def _chunks(main: list[Record], before: dict[int, Chunk]) -> dict[int, Chunk]:
        """This run's chunks of ``main`` (its top-level statements' records, or its uncalled
        functions'): the last run's (``before``) where their records are the same."""
        chunks: dict[int, Chunk] = {}
        for start in range(0, len(main) - CHUNK + 1, CHUNK):
            group = main[start:start + CHUNK]
            old = before.get(start)
            if old is not None and all(map(is_, old.records, group)):
                chunks[start] = old
            elif Chunk.fits(group):
                chunks[start] = Chunk(group)
        return chunks

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
        return execute(self, interp, tracker, tables, key, node, dead, body)



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
