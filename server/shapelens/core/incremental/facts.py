"""Lines moved (``relocate.py``): the facts ``analysis.py`` keeps per assignments part follow.

``analysis._assignment_facts`` keeps the facts of each part of the assignments table it saw
(``Session.part_facts``, by the part's identity) and their order (``Session.fact_order``).
An Enter near the top of a long file moves every part below it, as new dicts (a record's
parts joined into one): their facts are renumbered here, as the parts are, instead of being
built again from the values and sorted again by the next analysis. A move keeps the order
of what it moves.
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
        seen: set[tuple[int, str]] = set()
        facts: list[AssignmentFact] = []
        objects: list[tuple[tuple[int, str], Any]] = []
        for _, keys, part_facts, part_objects in found:  # type: ignore[misc]
            if seen.isdisjoint(keys):
                facts += part_facts
                objects += part_objects
            else:  # first write wins
                facts += [f for f in part_facts if (f.line, f.name) not in seen]
                objects += [(k, v) for k, v in part_objects if k not in seen]
            seen |= keys
        cache[id(new)] = (
            new, frozenset([(k[0] + delta, k[1]) if k[0] >= threshold else k for k in seen]),
            [_fact(f, threshold, delta, moved) for f in facts],
            [((k[0] + delta, k[1]) if k[0] >= threshold else k, v) for k, v in objects])
    order = session.fact_order
    if order is not None:
        session.fact_order = [moved.get(id(f), f) for f in order]


def _fact(fact: AssignmentFact, threshold: int, delta: int,
          moved: dict[int, AssignmentFact]) -> AssignmentFact:
    if fact.line < threshold:
        return fact
    found = moved.get(id(fact))
    if found is None:
        found = moved[id(fact)] = AssignmentFact(
            fact.line + delta, fact.col, fact.name, fact.shape, fact.dtype, fact.kind,
            fact.origin, fact.cell)
    return found
