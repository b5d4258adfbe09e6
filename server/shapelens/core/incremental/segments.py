"""What a record needs from the log entries of the summaries it replayed, worked out once.

A statement that runs again after an edit (a script's ``if __name__ == "__main__": main()``)
mostly replays the summaries of its calls and statements (``summaries.py``): thousands of
log entries, each of which ``recording.execute`` used to walk to build the new record (split
the bulk tables off, find the values holding objects, hash the keys it sets). The log of a
summary never changes, so each summary's share of that work is kept with it as a ``Digest``
and the record is built from the digests of the segments it replayed plus the few entries
it logged itself. The result is the one the walk over the whole log gives.
"""

from __future__ import annotations

from ...domain.values import Function
from .journal import BULK
from .records import READ_TABLES, Chain, compact
from .sharing import kind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Entry = tuple[str, str, "Any", "Any"]
# What a run writes only where its statement is live (``RunState.report``, the gradient
# calls of ``provenance/gradients.py``): a record that wrote none replays where it is dead.
_DEAD_DIFFERS = frozenset({"findings", "gradient_calls"})


class Digest:
    """One summary's log, walked once (see the module docstring)."""

    __slots__ = ("called", "dead_differs", "holders", "level", "parts", "premade",
                 "related", "rest", "set_hashes", "touched_hashes")

    def __init__(self, log: list[Entry], module: Any) -> None:
        self.rest, self.parts, self.premade = compact(log)
        self.called = frozenset([id(v) for table, _, _, v in self.rest if table == "called"])
        self.holders: list[Any] = []
        self.level = 0
        for value in held(self.rest, self.called):
            found = kind(value, module)
            if found:
                self.level = max(self.level, found)
                self.holders.append(value)
        self.dead_differs = any(table in _DEAD_DIFFERS for table, _, _, _ in self.rest)
        self.related = tuple(getattr(where, "lineno", None)
                             for table, _, _, value in self.rest if table == "findings"
                             for where, _ in getattr(value, "related", ()))
        self.set_hashes = frozenset([hash((t, k)) for t, op, k, _ in self.rest if op == "set"])
        self.touched_hashes = frozenset([hash((t, k)) for t, _, k, _ in self.rest
                                         if t in READ_TABLES])


def digest(summary: Any, module: Any) -> Digest:
    found: Digest | None = summary.digest
    if found is None:
        found = summary.digest = Digest(summary.log, module)
    return found


def held(log: list[Entry], called: frozenset[int] | set[int]) -> list[Any]:
    """The logged values that may hold objects whose state matters (``recording._held``):
    not a summarised call's display-table writes or objects, not a function of the bulk
    tables, nor one defined and called within the statement (``called``: the ids of every
    function it called)."""
    return [value for table, op, _, value in log
            if op != "part" and op != "objects" and not (isinstance(value, Function) and (
                table in BULK or (table in ("defined", "called") and id(value) in called)))]


class Split:
    """A statement's log, split as ``recording.execute`` needs it: its table entries, its
    bulk tables' parts (``records.Chain``), the objects its summarised calls made."""

    def __init__(self, log: list[Entry], segments: list[tuple[int, int, Any]],
                 module: Any) -> None:
        rest: list[Entry] = []
        parts: dict[str, list[dict[Any, Any]]] = {name: [] for name in BULK}
        self.premade: list[dict[int, tuple[Any, Any]]] = []
        self.digests: list[Digest] = []
        own: list[Entry] = []  # the entries it logged itself, outside any segment
        at = 0
        for start, end, summary in segments:
            self._own(log[at:start], rest, parts, own)
            found = digest(summary, module)
            self.digests.append(found)
            rest += found.rest
            for table, dicts in found.parts.items():
                parts[table] += dicts
            self.premade += found.premade
            at = end
        self._own(log[at:], rest, parts, own)
        self.rest, self.own = rest, own
        # the parts as they are (never changed in place: shared with the summaries)
        self.bulk: dict[str, Any] = {name: found[0] if len(found) == 1 else Chain(found)
                                     for name, found in parts.items() if found}

    def _own(self, entries: list[Entry], rest: list[Entry],
             parts: dict[str, list[dict[Any, Any]]], own: list[Entry]) -> None:
        """Entries outside segments, as ``compact`` splits them (a run of single bulk writes
        is one dict; segments between runs start new ones)."""
        if not entries:
            return
        own += entries
        mine, found, premade = compact(entries)
        rest += mine
        for table, dicts in found.items():
            parts[table] += dicts
        self.premade += premade

    def holders(self, module: Any) -> tuple[int, list[Any]]:
        """The highest ``kind`` of the logged values and the values holding objects."""
        called = {id(v) for table, _, _, v in self.own if table == "called"}
        for found in self.digests:
            called |= found.called
        level = 0
        out: list[Any] = []
        for value in held(self.own, called):
            found_kind = kind(value, module)
            if found_kind:
                level = max(level, found_kind)
                out.append(value)
        for found in self.digests:
            if found.holders:
                level = max(level, found.level)
                out += found.holders
        return level, out

    def dead_differs(self) -> bool:
        return any(table in _DEAD_DIFFERS for table, _, _, _ in self.own) or \
            any(found.dead_differs for found in self.digests)

    def related_lines(self) -> list[int | None]:
        lines: list[int | None] = [getattr(where, "lineno", None)
                                   for table, _, _, value in self.own if table == "findings"
                                   for where, _ in getattr(value, "related", ())]
        for found in self.digests:
            lines += found.related
        return lines

    def key_hashes(self) -> tuple[frozenset[int], frozenset[int]]:
        """Hashes of the (table, key) pairs it sets, and of those of the tables read while
        the module runs that it wrote (``relocate.hash_keys``)."""
        sets = [hash((t, k)) for t, op, k, _ in self.own if op == "set"]
        touched = [hash((t, k)) for t, _, k, _ in self.own if t in READ_TABLES]
        return (frozenset(sets).union(*(d.set_hashes for d in self.digests)),
                frozenset(touched).union(*(d.touched_hashes for d in self.digests)))
