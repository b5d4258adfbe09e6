"""``textDocument/inlayHint``: the inferred shape after each tensor assignment target.

``x = tf.reshape(t, [4, 2])`` shows as ``x: (4, 2) = tf.reshape(t, [4, 2])``, the way type
checkers show inferred types. Only the requested range is answered; hint positions are
absolute document positions (the range's start line is an offset, not an origin, a bug the
pygls example has). The hint carries ``(uri, version, line, col)`` in ``data`` so that
``inlayHint/resolve`` can add the full hover card as a tooltip on demand, which keeps the
first answer small. ``shapelens.inlayHints.enable = false`` turns the hints off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..core.results import AssignmentFact
from .convert import shape_text
from .hover import SourceIndex, fact_card

if TYPE_CHECKING:
    from .results import Result
    from .state import ShapeLensServer

OPTIONS = types.InlayHintOptions(resolve_provider=True)


def _facts(ls: ShapeLensServer, result: Result, first: int,
           last: int) -> list[AssignmentFact]:
    """Facts on 1-based lines ``first..last``, from the last good result where needed."""
    out: list[AssignmentFact] = []
    for line in range(first, last + 1):
        out.extend(result.assignments_by_line.get(line, []) or
                   ls.documents.fallback_facts(result, line))
    return out


def hint_for(result: Result, fact: AssignmentFact) -> types.InlayHint | None:
    """The hint right after the target name, or ``None`` if the name is not there."""
    lines = result.positions.lines
    if not 1 <= fact.line <= len(lines):
        return None
    end = fact.col + len(fact.name)
    if lines[fact.line - 1][fact.col:end] != fact.name:
        return None  # a fallback fact whose text moved, or an unusual target
    return types.InlayHint(
        position=result.positions.position(fact.line, end),
        label=f": {shape_text(fact.shape)}",
        kind=types.InlayHintKind.Type,
        data={"uri": result.uri, "version": result.version, "line": fact.line,
              "col": fact.col},
    )


async def inlay_hints(ls: ShapeLensServer,
                      params: types.InlayHintParams) -> list[types.InlayHint] | None:
    settings = ls.settings
    if not (settings.enable and settings.inlay_hints.enable):
        return None
    result = await ls.documents.get(params.text_document.uri)
    if result is None:
        return None
    return hints_in(ls, result, params.range)


def hints_in(ls: ShapeLensServer, result: Result, rng: types.Range) -> list[types.InlayHint]:
    """The hints inside ``rng`` of ``result``'s text (a file, or a notebook's program)."""
    first = max(rng.start.line, 0) + 1
    last = min(rng.end.line + 1, len(result.positions.lines))
    hints = []
    for fact in _facts(ls, result, first, last):
        hint = hint_for(result, fact)
        if hint is None or fact.shape is None:
            continue
        pos = hint.position
        if (rng.start.line, rng.start.character) <= (pos.line, pos.character) \
                <= (rng.end.line, rng.end.character):
            hints.append(hint)
    return hints


async def resolve(ls: ShapeLensServer, hint: types.InlayHint) -> types.InlayHint:
    """Add the hover card as the tooltip, if the document is still at the hint's version."""
    data: Any = hint.data
    if not isinstance(data, dict) or not isinstance(data.get("uri"), str):
        return hint
    result = await ls.documents.get(data["uri"])
    if result is None or result.version != data.get("version"):
        return hint
    for fact in _facts(ls, result, data.get("line", 0), data.get("line", 0)):
        if fact.col == data.get("col"):
            index = SourceIndex.of(result)
            hint.tooltip = types.MarkupContent(kind=types.MarkupKind.Markdown,
                                               value=fact_card(index, fact))
            break
    return hint
