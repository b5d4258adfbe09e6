"""The last program line a record holds (``Record.reach``): what an edit's move must renumber.

``relocate.Mover`` renumbers the lines at or after an edit's threshold in a record: its key,
the keys of the tables it wrote and read, finding messages and fixes, the lines of the layers
and tapes it made. A record holding no such line is left as it is, without a look. Which
records hold one is not a matter of where their statement is: the analysis of a function
nobody calls, defined near the top, runs the body of a helper defined at the bottom when it
calls it, and its record holds that helper's lines. So each record's largest line is found
once (a scan of what the Mover would visit) and then moved with it.
"""

from __future__ import annotations

from ...domain.values import LayerValue, ModelValue, TapeValue
from ..results import LINE_REF
from .records import Shifted, parts_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .records import Record

_KEYED = frozenset({"findings", "assignments", "expressions"})
_LINED = _KEYED | {"rebound"}


def reach(record: Record) -> int:
    """``record.reach``, found on first use (``-1``: not yet known)."""
    found = record.reach
    if found < 0:
        found = record.reach = _scan(record)
    return found


def lined(record: Record) -> bool:
    """``record.lined``: does its log or do its reads hold a line (what ``Mover.record``
    renumbers besides the bulk tables)? Found on first use; no move changes it."""
    found = record.lined
    if found < 0:
        found = record.lined = int(
            any(table in _LINED for table, _, _, _ in record.log) or
            any(table in _LINED for table, _, _ in record.groups))
    return bool(found)


def _scan(record: Record) -> int:
    top = 0
    key = record.key
    if type(key) is tuple and len(key) == 5:  # a statement: (line, col, end, end_col, text)
        top = key[2]
    top = max(top, getattr(record.node, "end_lineno", None) or 0)
    for table, held in record.bulk.items():
        for entries in parts_of(held):
            moved = None
            if type(entries) is Shifted:  # lines move monotonically: the last stays last
                moved, entries = entries, entries.entries
            at = 2 if table == "expressions" else 0
            for part in parts_of(entries):
                if part:
                    last = max(k[at] for k in part)
                    top = max(top, moved.line(last) if moved is not None else last)
    for table, _, key, value in record.log:
        if table in _KEYED:
            top = max(top, key[2] if table == "expressions" else key[0])
            if table == "findings" and value is not None:
                top = max(top, _finding(value))
        elif table == "rebound" and isinstance(value, int):
            top = max(top, value)
    for table, keys, values in record.groups:
        if table in _KEYED:
            for k in keys:
                top = max(top, k[2] if table == "expressions" else k[0])
        if table == "findings" or table == "rebound":
            for value in values:
                if isinstance(value, int):
                    top = max(top, value)
                elif value is not None and hasattr(value, "message"):
                    top = max(top, _finding(value))
    objs = [*record.objects, *record.copies]
    for made in record.premade:
        for obj, copy in made.values():
            objs += (obj, copy)
    for obj in objs:
        top = max(top, _object(obj))
    return top


def _text(text: str) -> int:
    if "line " not in text:
        return 0
    return max((int(m[1]) for m in LINE_REF.finditer(text)), default=0)


def _finding(raw: Any) -> int:
    top = max(_text(raw.message), getattr(raw.node, "end_lineno", None) or 0)
    for node, text in raw.related:
        top = max(top, _text(text), getattr(node, "end_lineno", None) or 0)
    for fix in (raw.fix, *raw.alternatives):
        if fix is not None:
            top = max(top, _text(fix.title), *(
                value for name, value in fix.args
                if name.endswith("line") and isinstance(value, int)))
    return top


def _object(obj: Any) -> int:
    if isinstance(obj, LayerValue | ModelValue):
        return obj.line or 0
    if isinstance(obj, TapeValue):
        return max(obj.with_line or 0, *obj.used_at) if obj.used_at else obj.with_line or 0
    return 0
