"""A body summarised statement by statement (``statements.py``), replayed a run at a time.

A script's ``main()`` is hundreds of statements, each with its summary; after an edit in one
function, every other statement replays its own, each paying for its key, its checks and its
share of the record. So the summaries of consecutive statements that replayed or were
recorded (each continuing to the next, none raising) are joined into one ``Summary`` of the
run, ``RUN`` statements long: what the run read from outside it (a statement's read of what
an earlier one of the run wrote is the run's own), its log, the locals it bound. The next
run of the body replays it at its first statement when the statements are the same nodes,
the first one's key is the same, the locals the later ones read from outside the run hold
the same values and what it read is as it was; otherwise its statements go one by one.
"""

from __future__ import annotations

from ..interpreter.memo import Key
from .statements import replayed, statement_context, summarise_statement
from .summary import Summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast
    from collections.abc import Callable
    from typing import Any

    from ..interpreter.state import RunState
    from .statements import Summaries

RUN = 16  # statements per joined summary


class Body:
    """One analysis of a function body by statement: the step ``exec_block`` runs each
    statement with, and the runs of summaries it joins at the end (``close``)."""

    def __init__(self, summaries: Summaries, body: list[ast.stmt],
                 run: Callable[[ast.stmt], bool], state: RunState) -> None:
        self.summaries, self.body, self.run, self.state = summaries, body, run, state
        self.at = 0  # the index in ``body`` of the statement the step is given next
        self.skip = 0  # statements before this index were replayed as part of a run
        self.ordered = True  # the steps came in the body's order so far (runs need it)
        # (index, context, summary) of each statement this run summarised, in order
        self.done: list[tuple[int, Any, Summary]] = []

    def step(self, stmt: ast.stmt) -> bool:
        body, i = self.body, self.at
        if not self.ordered or i >= len(body) or body[i] is not stmt:
            self.ordered = False  # (not the body's order: each statement alone, no runs)
            self.done = []
            return summarise_statement(self.summaries, stmt, self.run, self.state)[0]
        self.at = i + 1
        if i < self.skip:
            return True  # replayed with the run that starts before it
        context = statement_context(self.summaries, stmt, self.state)
        if context is not None and self._replay_run(i, context):
            return True
        flows, context, summary = summarise_statement(self.summaries, stmt, self.run,
                                                      self.state, context)
        if summary is not None and flows and not self.state.just_raised:
            self.done.append((i, context, summary))
        return flows

    def _replay_run(self, i: int, context: Any) -> bool:
        """Replay the run of statements that starts at ``body[i]``, if there is one."""
        summaries, state = self.summaries, self.state
        key = Key(("run", context))
        found = summaries.old.get(key)
        if found is None or found.run is None:
            return False
        nodes, outer = found.run
        body, local = self.body, state.scope.vars
        if len(body) < i + len(nodes) or any(a is not b for a, b in zip(nodes, body[i:])) or \
                tuple([local.get(name) for name, _ in outer]) != tuple(v for _, v in outer):
            return False
        summary = summaries.replays(key, state)
        if summary is None:
            return False
        replayed(summary, local, state)
        self.skip = i + len(nodes)
        return True

    def close(self) -> None:
        """Join the summaries of each run of ``RUN`` statements summarised in a row, for the
        next run of the body (``summaries.new``)."""
        done, new = self.done, self.summaries.new
        start = 0
        while start + RUN <= len(done):
            first = done[start][0]
            if done[start + RUN - 1][0] != first + RUN - 1:  # not RUN statements in a row
                start += 1
                continue
            members = done[start:start + RUN]
            key = Key(("run", members[0][1]))
            if key not in new:  # (one replayed this run is there already)
                new[key] = self._join(members)
            start += RUN

    def _join(self, members: list[tuple[int, Any, Summary]]) -> Summary:
        """One summary of the members' summaries, with its statements and the locals it
        reads from outside the run (and their values) as its ``run``."""
        reads: dict[Any, Any] = {}
        written: set[Any] = set()
        bound: dict[str, Any] = {}
        outer: dict[str, Any] = {}
        log: list[Any] = []
        raised = partial = 0
        callees: frozenset[int] = frozenset()
        for _, context, summary in members:
            for name, value in context[-1]:  # the locals it read: its key's last part
                if name not in bound and name not in outer:
                    outer[name] = value
            for key, value in summary.reads.items():
                if key not in reads and key not in written:
                    reads[key] = value
            written |= summary.written
            bound.update(summary.result[2])  # type: ignore[index]
            log += summary.log
            raised += summary.raised
            partial += summary.partial
            callees |= summary.callees
        joined = Summary((True, False, tuple(bound.items())), reads, log, raised, partial,
                         [(context, summary) for _, context, summary in members], callees)
        joined.run = (tuple(self.body[i] for i, _, _ in members), tuple(outer.items()))
        return joined
