"""Recording one run of a top-level statement (or of an uncalled function's analysis) as a
``Record``: what it read and wrote, the objects it made or changed with copies of their end
state, and whether it can ever be replayed. Used by the incremental ``Session``."""

from __future__ import annotations

import ast

from ...domain.values import ClassValue, Function
from .identity import keep_methods, owner_deps, swap
from .journal import ModuleVars, Tracker
from .records import Record, read_groups
from .relocate import hash_keys
from .segments import Split
from .sharing import CLONEABLE, MISSING, OPAQUE, clone, fingerprint, frozen, kind, objects

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..execute import Interpreter
    from .session_port import SessionState as Session


def execute(session: Session, interp: Interpreter, tracker: Tracker, tables: dict[str, Any],
            key: Any, node: Any, dead: bool, body: Any) -> Record:
    """Run ``body`` (one top-level statement, or the analysis of an uncalled function keyed by
    it) while the tracker records it, and return its ``Record``."""
    session._materialize(tracker.writers)
    imports = len(interp.imports)
    deps = owner_deps(key) if isinstance(key, Function) else None
    calls = session._calls
    if calls is not None:
        calls.roots = []
    raised = interp.state.raised
    tracker.start()
    try:
        flows = bool(body())
    finally:
        tracker.stop()
    just_raised = interp.just_raised
    raised = interp.state.raised - raised
    env = session.scope.vars
    if not isinstance(env, ModuleVars):  # defensive: keep recording next time
        env = session.scope.vars = ModuleVars(env, tracker)
    owners = ()
    if isinstance(node, ast.ClassDef):  # (its methods may be swapped in the log: no segments)
        tracker.segments = []
        owners = keep_methods_of(session, node, env, tracker, tables)
    # Every name it bound, even to the object that was there before (``x = f()`` giving
    # the same unknown value again): replayed after a different past, it binds it too.
    writes = {name: dict.get(env, name, MISSING) for name in tracker.wrote}
    module = session.scope
    split = Split(tracker.log, tracker.segments, module)
    log = split.rest
    seen = tracker.read_objects.values()
    record = Record(key, node, dead, writes, log, bulk=split.bulk,
                    groups=read_groups(tracker.reads), flows=flows, just_raised=just_raised,
                    replays_dead=not dead and not raised and not split.dead_differs(),
                    read_objects=tuple(obj for obj, _ in seen),
                    object_writers=(tuple(tracker.read_objects),
                                    tuple(writer for _, writer in seen)),
                    owners=owners, owner_deps=deps, premade=split.premade,
                    summaries=tuple(calls.roots) if calls is not None else ())
    level, holders = split.holders(module)  # logged values that hold objects
    for value in writes.values():  # and written ones
        found = kind(value, module)
        if found:
            level = max(level, found)
            holders.append(value)
    opaque = level == OPAQUE or tracker.opaque
    if opaque or len(interp.imports) != imports or interp.active_tapes or \
            _related_elsewhere(split.related_lines(), node) or \
            any(table == "memo" and value is not MISSING and not frozen(value, module)
                for (table, _), value in tracker.reads.items()):
        record.reusable = False
        if opaque:  # it may have changed objects it reached in ways we cannot see
            session._blind = True
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
        for found in split.premade:  # made inside summarised calls: their state is never restored
            for oid in found:
                made.pop(oid, None)
        restore = {k: o for k, o in made.items() if k not in read}
        restore.update(changed)
        for oid in restore:  # their state is now the one this statement left
            tracker.writers[oid] = session._live[oid] = record
        touched_objects = [("obj", oid) for oid in restore]
        if record.reusable:
            shared = [o for k, o in read.items() if k not in restore]
            record.objects = list(restore.values())
            record.shared = shared
            record.copies = clone(record.objects, {id(o): o for o in shared})
    record.deletes = any(value is MISSING for value in writes.values())
    hash_keys(record, touched_objects, split.key_hashes())
    return record


def _related_elsewhere(related: list[int | None], node: ast.AST) -> bool:
    """Does a finding of this statement point at another statement (the assignment that
    made fit's targets, the first gradient call on a tape)? ``related``: the lines its
    findings point at. Replayed, it would keep that node even after an edit re-parsed it:
    such a statement runs again instead."""
    first = getattr(node, "lineno", 0)
    last = getattr(node, "end_lineno", first) or first
    return any(line is not None and not first <= line <= last for line in related)


def keep_methods_of(session: Session, node: ast.ClassDef, env: dict[str, Any],
                    tracker: Tracker, tables: dict[str, Any]
                    ) -> tuple[tuple[Function, ClassValue], ...]:
    """A top-level class statement ran: its unchanged methods become the last run's
    functions again (``identity.keep_methods``), in the class and in what the statement
    logged; returns its (method, class) pairs for the record."""
    cls = dict.get(env, node.name)
    if not isinstance(cls, ClassValue) or cls.node is not node:
        return ()
    replaced = keep_methods(cls, session.methods) if session.methods else {}
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


