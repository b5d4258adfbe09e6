"""Moving recorded analyses with their statements when an edit adds or removes lines.

Pressing Enter near the top of a file moves every statement below it down one line. Their
text is unchanged, and so is what they mean, but a record (``records.py``) holds line numbers:
in the keys of the tables it wrote (findings, expressions, assignments), in values (the line
where a variable was rebound, a layer's or a tape's line, a fix's ``with_line``, the line a
message quotes) and in the syntax nodes it refers to. ``Mover`` renumbers all of them, so the
incremental engine can replay the moved statements instead of running them again.

Every line at or after ``threshold`` (in the old numbering) moves by ``delta``; lines before
it stay. Syntax nodes are moved in place by the caller (``shift_nodes``), so findings and
functions that point at nodes follow them without being touched here.
"""

from __future__ import annotations

import ast
import operator

from ...domain.values import LayerValue, ModelValue, TapeValue
from ...structs import replace
from ..results import requote_lines
from .facts import move_facts
from .reach import lined, reach
from .records import CHUNK, READ_TABLES, Chain, Chunk, Record, Shifted
from .reparse import statement_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .reparse import Moved
    from .session_port import SessionState as Session

_PENDING = 16  # line moves a record's recorded expressions wait for a read, at most

# Tables whose keys start with a line: (line, col, code), (line, name), (line, col, ...).
_KEYED = frozenset({"findings", "assignments", "expressions"})


class Mover:
    """Renumbers lines at or after ``threshold`` by ``delta``."""

    def __init__(self, threshold: int, delta: int):
        self.threshold = threshold
        self.delta = delta
        self._findings: dict[int, Any] = {}  # id(old finding) -> moved finding (shared)
        self.parts: list[tuple[list[Any], Any]] = []  # (old parts, moved) of assignments

    def line(self, line: int) -> int:
        return line + self.delta if line >= self.threshold else line

    def text(self, text: str) -> str:
        return requote_lines(text, lambda n: f"line {self.line(n)}")

    def key(self, table: str, key: Any) -> Any:
        if table == "expressions":
            line, col, end_line, end_col = key
            return (self.line(line), col, self.line(end_line), end_col)
        if table in _KEYED:
            return (self.line(key[0]), *key[1:])
        return key

    def value(self, table: str, value: Any) -> Any:
        if table == "rebound" and isinstance(value, int):
            return self.line(value)
        if table == "findings" and value is not None:
            return self.finding(value)
        return value

    def finding(self, raw: Any) -> Any:
        moved = self._findings.get(id(raw))
        if moved is None:
            message, fix = self.text(raw.message), self.fix(raw.fix)
            alternatives = tuple([self.fix(f) for f in raw.alternatives])
            related = tuple([(node, self.text(text)) for node, text in raw.related])
            if message == raw.message and fix is raw.fix and related == raw.related and \
                    all(map(operator.is_, alternatives, raw.alternatives)):
                moved = raw  # it quotes no line that moved: the very same finding
            else:
                moved = replace(raw, message=message, fix=fix, alternatives=alternatives,
                                related=related)
            self._findings[id(raw)] = moved
        return moved

    def fix(self, fix: Any) -> Any:
        if fix is None:
            return None
        args = tuple((name, self.line(value) if name.endswith("line") and
                      isinstance(value, int) else value) for name, value in fix.args)
        title = self.text(fix.title)
        if title == fix.title and args == fix.args:
            return fix
        return replace(fix, title=title, args=args)

    # ---------------------------------------------------------------------- records
    def records(self, records: list[Record]) -> None:
        """Renumber ``records`` in place, and the objects they made or changed (with the
        copies of their states): an object made above the edit keeps its line, and one made
        by a statement that is not replayed is made again."""
        reached: dict[int, Any] = {}
        threshold, delta = self.threshold, self.delta
        for record in records:
            if record.bulk or record.lined:  # (-1, not known yet, is true)
                self.record(record)
            if record.reach >= threshold:
                record.reach += delta
            # ``objects`` holds every object the statement made or changed, nested ones
            # too, and ``copies`` a copy of each: no need to walk into them.
            if record.objects:
                for obj in (*record.objects, *record.copies):
                    reached[id(obj)] = obj
            for made in record.premade:
                for obj, copy in made.values():
                    reached[id(obj)] = obj
                    reached[id(copy)] = copy
        for obj in reached.values():
            self.object(obj)

    def _bulk(self, table: str, entries: Any, parts: list[Any] | None = None) -> Any:
        """One part of a bulk table, its lines moved (``parts``: the parts it joins)."""
        t, d = self.threshold, self.delta
        if table == "expressions":  # read by hovers only: moved when read (``Shifted``)
            if type(entries) is Shifted:
                moved = Shifted(entries.entries, (*entries.moves, (t, d)))
                # Moves pile up while nobody hovers: now and then they are applied.
                return moved if len(moved.moves) < _PENDING else moved.resolve()
            return Shifted(entries, ((t, d),)) if entries else entries
        moved = {(k[0] + d if k[0] >= t else k[0], k[1]): v  # assignments: (line, name)
                 for k, v in entries.items()}
        self.parts.append((parts or [entries], moved))
        return moved

    def record(self, record: Record) -> None:
        bulk: dict[str, Any] = {}
        for table, entries in record.bulk.items():
            if type(entries) is not Chain or table == "expressions":
                bulk[table] = self._bulk(table, entries)  # (a chain: one ``Shifted``)
            else:  # one dict from here on: the parts' entries, first write first
                merged: dict[Any, Any] = {}
                for part in reversed(entries):
                    merged.update(part)
                bulk[table] = self._bulk(table, merged, list(entries))
        record.bulk = bulk
        if not lined(record):
            return  # nothing it logged or read holds a line
        before = _keyed_hashes(record)
        if record.log:
            record.log = [(table, op, self.key(table, key), self.value(table, value))
                          if table in _KEYED or table == "rebound" else (table, op, key, value)
                          for table, op, key, value in record.log]
        groups = []
        for table, keys, values in record.groups:
            if table in _KEYED:
                keys = tuple([self.key(table, k) for k in keys])
            if table == "findings" or table == "rebound":
                values = tuple([self.value(table, v) for v in values])
            groups.append((table, keys, values))
        record.groups = groups
        if any(before):  # otherwise no key it read or wrote holds a line: the same hashes
            # Only the hashes of keys that hold a line change: swap those (hashing every
            # memo key again, whose hashes are computed in Python, costs more than moving).
            after = _keyed_hashes(record)
            record.read_keys = (record.read_keys - before[0]) | after[0]
            record.write_keys = (record.write_keys - before[1]) | after[1]
            record.touched_keys = (record.touched_keys - before[2]) | after[2]

    def object(self, obj: Any) -> None:
        if isinstance(obj, LayerValue | ModelValue):
            obj.line = self.line(obj.line) if obj.line else obj.line
        elif isinstance(obj, TapeValue):
            if obj.with_line:
                obj.with_line = self.line(obj.with_line)
            obj.used_at[:] = [self.line(line) for line in obj.used_at]


# Fields that never hold syntax nodes (names, flags, ``ctx``): not worth a look.
_LEAVES = frozenset({"ctx", "id", "attr", "arg", "name", "level", "module", "kind",
                     "type_comment", "conversion", "is_async", "simple", "n", "s"})


# Per node class: whether it has a position, and the fields that may hold nodes.
_BRANCHES: dict[type, tuple[bool, tuple[str, ...]]] = {}


def shift_nodes(tree: ast.AST, delta: int) -> None:
    """``ast.increment_lineno`` for a statement that moves again and again: its nodes with a
    position are listed on its first move and the list is kept on the statement, so later
    moves are tight loops (Enter near the top of a long file moves every statement below
    it, at every press). A statement's nodes never change once parsed; an edit inside it
    parses it anew, as a new node."""
    found = tree.__dict__.get(_POSITIONED)
    if found is None:
        found = tree.__dict__[_POSITIONED] = _positioned(tree)
    both, starts = found
    # The statement itself is not in its lists: a list on a node holding that node would be a
    # reference cycle, and every statement an edit replaces would wait for the cyclic
    # garbage collector (the soak's RSS crept up by that much).
    if getattr(tree, "lineno", None) is not None:
        tree.lineno += delta  # type: ignore[attr-defined]
        if getattr(tree, "end_lineno", None) is not None:
            tree.end_lineno += delta  # type: ignore[attr-defined]
    for node in both:
        node.lineno += delta  # type: ignore[attr-defined]
        node.end_lineno += delta  # type: ignore[attr-defined]
    for node in starts:
        node.lineno += delta  # type: ignore[attr-defined]


def shift_from(tree: ast.AST, threshold: int, delta: int) -> None:
    """Move the lines at or after ``threshold`` of a statement the edit lies inside
    (``gaps.py``: blank lines added or removed in it): its nodes before that line stay.
    Only the nodes around the edit are looked at one by one; a member wholly after it (a
    method below, in a class of hundreds) moves as a whole (``shift_nodes``), one before it
    is not visited."""
    todo = [tree]
    while todo:
        node = todo.pop()
        line = getattr(node, "lineno", None)
        if line is not None:
            end = getattr(node, "end_lineno", None) or line
            if end < threshold:
                continue
            decorators = getattr(node, "decorator_list", None)
            start = min([line, *(d.lineno for d in decorators)]) if decorators else line
            if start >= threshold:
                if isinstance(node, _DEFS):  # moved again by the next Enter above it
                    shift_nodes(node, delta)
                else:
                    for inner in ast.walk(node):
                        if getattr(inner, "lineno", None) is not None:
                            inner.lineno += delta  # type: ignore[attr-defined]
                            if getattr(inner, "end_lineno", None) is not None:
                                inner.end_lineno += delta  # type: ignore[attr-defined]
                continue
            if line >= threshold:  # a definition below its decorators
                node.lineno += delta  # type: ignore[attr-defined]
            node.end_lineno += delta  # type: ignore[attr-defined]
        todo.extend(ast.iter_child_nodes(node))


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_POSITIONED = "_shapelens_positioned"  # not an ``ast`` field: ``ast.dump`` never shows it


def _positioned(tree: ast.AST) -> tuple[list[ast.AST], list[ast.AST]]:
    """The nodes of ``tree`` that have a line and an end line, and those with a line only."""
    both: list[ast.AST] = []
    starts: list[ast.AST] = []
    todo = [tree]
    pop, push, extend, node_type = todo.pop, todo.append, todo.extend, ast.AST
    fields = _BRANCHES
    while todo:
        node = pop()
        kind = type(node)
        branches = fields.get(kind)
        if branches is None:
            branches = fields[kind] = (
                "lineno" in kind._attributes,
                tuple(name for name in kind._fields if name not in _LEAVES))
        if branches[0] and node is not tree and getattr(node, "lineno", None) is not None:
            if getattr(node, "end_lineno", None) is not None:
                both.append(node)
            else:
                starts.append(node)
        for name in branches[1]:
            value = getattr(node, name, None)
            if type(value) is list:
                extend([v for v in value if isinstance(v, node_type)])
            elif isinstance(value, node_type):
                push(value)
    return both, starts


def _keyed_hashes(record: Record) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """The hashes ``hash_keys`` puts in the record's read, write and touched key sets for
    the keys that hold a line (findings, assignments, expressions)."""
    read = frozenset([hash((table, key)) for table, keys, _ in record.groups
                      if table in _KEYED for key in keys])
    keyed = [(t, op, k) for t, op, k, _ in record.log if t in _KEYED]
    write = frozenset([hash((t, k)) for t, op, k in keyed if op == "set"])
    touched = frozenset([hash((t, k)) for t, _, k in keyed if t in READ_TABLES])
    return read, write, touched


def hash_keys(record: Record, touched_objects: list[tuple[str, int]],
              log_hashes: tuple[frozenset[int], frozenset[int]] | None = None) -> None:
    """The record's key sets, as hashes of ("", name), (table, key) and ("obj", id) keys:
    what it read, what it sets to one value whatever was there before, and everything it
    may have changed. (Hashes: memo keys hold values whose hash is computed in Python, and
    these sets are probed for every replayed statement. A collision only costs a value
    comparison.)"""
    names = [hash(("", name)) for name in record.writes]
    objs = [hash(key) for key in touched_objects]
    log = record.log
    record.read_keys = frozenset(
        [hash((table, key)) for table, keys, _ in record.groups for key in keys]).union(
        hash(("obj", oid)) for oid in record.object_writers[0])
    if log_hashes is None:  # (``log_hashes``: the log's, worked out by ``segments.Split``)
        log_hashes = (frozenset([hash((t, k)) for t, op, k, _ in log if op == "set"]),
                      frozenset([hash((t, k)) for t, _, k, _ in log if t in READ_TABLES]))
    record.write_keys = frozenset(names).union(log_hashes[0], objs)
    record.touched_keys = frozenset(names).union(log_hashes[1], objs)


def move(session: Session, body: list[ast.stmt], lines: list[str], moved: Moved) -> None:
    """Lines were added or removed above ``body[moved.index:]`` (or inside ``moved.split``):
    renumber those statements and every record holding a line from the threshold on (its
    ``reach``: an uncalled function's analysis may hold the lines of a helper defined far
    below it), so the run replays them. The session then describes the new text: the edited
    region's statements have no record yet, the moved ones have theirs under their new keys."""
    threshold, delta = moved.threshold, moved.delta
    mover = Mover(threshold, delta)
    records = [r for r in (*session.by_node.values(), *session.uncalled.values())
               if reach(r) >= threshold]
    split = moved.split
    for node in (*body[moved.index:], *moved.inner):
        shift_nodes(node, delta)
    if split is not None:
        shift_from(split, threshold, delta)
    mover.records(records)
    move_facts(session, mover.parts, threshold, delta)
    moving = {id(r) for r in records}
    kept = {id(node) for node in body}
    after = {id(node) for node in body[moved.index:]}
    rekeyed: dict[Any, Record] = {}
    for key, record in session.records.items():
        if id(record.node) not in kept:
            continue  # a statement of the edited region: parsed anew
        if id(record) in moving:  # same text, same columns: lines moved
            if split is not None and record.node is split:
                key = statement_key(split, lines)
            elif id(record.node) in after:
                line, col, end, end_col, text = key
                key = (line + delta, col, end + delta, end_col, text)
            record.key = key
        rekeyed[key] = record
    session.records = rekeyed
    # Chunks above the edit stay as they are. Below it, where the statements kept their
    # places (as many as before), a chunk's records are the moved ones: combined again
    # under their new keys, so the run can replay them sixteen at a time.
    aligned = len(body) == len(session.body)
    chunks = {}
    for start, chunk in session.chunks.items():
        if body[start:start + CHUNK] != chunk.nodes:
            continue
        if all(id(r) not in moving for r in chunk.records):
            chunks[start] = chunk
        elif aligned:
            if any(lined(r) for r in chunk.records):
                chunk = Chunk(chunk.records)
            else:  # its combined log and key sets hold no line: only the keys moved
                chunk.keyed = {r.key: r for r in chunk.records}
                chunk.keys = [r.key for r in chunk.records]
            chunks[start] = chunk
    session.chunks = chunks
    # The same for the chunks of uncalled functions' analyses (keyed by the functions: no
    # key moved). A run applies one only where its records are the last run's at the same
    # places (``Pass._function_chunk``).
    fn_chunks = {}
    for start, chunk in session.fn_chunks.items():
        if any(id(r) in moving and lined(r) for r in chunk.records):
            chunk = Chunk(chunk.records)
        chunk.summaries = []  # the records' call summaries are gone (``Session._move``)
        fn_chunks[start] = chunk
    session.fn_chunks = fn_chunks
    session.lines, session.body, session.clean = lines, body, True
    session.spare = {}
    session.stats["moved"] = len(records)
