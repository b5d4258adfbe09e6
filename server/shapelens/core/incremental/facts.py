"""Lines moved (``relocate.py``): the facts ``analysis.py`` keeps per assignments part follow.

``analysis._assignment_facts`` keeps the facts of each part of the assignments table it saw
(``Session.part_facts``, by the part's identity) and their order (``Session.fact_order``).
An Enter near the top of a long file moves every part below it, as new dicts (a record's
parts joined into one): their facts are renumbered here, as the parts are, instead of being
built again from the values and sorted again by the next analysis. A move keeps the order
of what it moves. ``joined`` reads parts in order as the merged table would hold them.
"""

from __future__ import annotations

from ..results import AssignmentFact

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .session_port import SessionState as Session


def move_facts(session: Session, parts: list[tuple[list[Any], Any]], threshold: int,
               delta: int) -> None:
    """``parts``: (old parts, the moved part joining them); facts of lines from
    ``threshold`` on move by ``delta``."""
    cache = session.part_facts
    moved: dict[int, AssignmentFact] = {}  # id(old fact) -> moved fact
    for olds, new in parts:
        found = [cache.get(id(old)) for old in olds]
        if any(entry is None or entry[0] is not old for entry, old in zip(found, olds)):
            continue  # (built again from the values by the next analysis)
        if len(found) == 1:
            facts, objects = found[0][1], found[0][2]  # type: ignore[index]
        else:
            facts, objects = joined(found)  # type: ignore[arg-type]
        out: list[AssignmentFact] = []
        for fact in facts:
            if fact.line >= threshold:
                fact = moved.get(id(fact)) or moved.setdefault(id(fact), AssignmentFact(
                    fact.line + delta, fact.col, fact.name, fact.shape, fact.dtype,
                    fact.kind, fact.origin, fact.cell))
            out.append(fact)
        cache[id(new)] = (new, out, [((k[0] + delta, k[1]) if k[0] >= threshold else k, v)
                                     for k, v in objects])
    order = session.fact_order
    if order is not None:
        session.fact_order = [moved.get(id(f), f) for f in order]


def joined(found: list[Any]) -> tuple[list[AssignmentFact], list[Any]]:
    """The facts and objects of ``(part, facts, objects)`` entries taken in order, first
    write wins (a key an earlier part wrote is that part's): the table as ``analysis.py``
    reads it, and a chain of parts joined by a move."""
    seen: set[tuple[int, str]] = set()
    facts: list[AssignmentFact] = []
    objects: list[Any] = []
    for part, part_facts, part_objects in found:
        if seen.isdisjoint(part):
            facts += part_facts
            objects += part_objects
        else:
            facts += [f for f in part_facts if (f.line, f.name) not in seen]
            objects += [(k, v) for k, v in part_objects if k not in seen]
        seen.update(part)
    return facts, objects
