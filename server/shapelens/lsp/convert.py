"""The one translator between the core's results and lsprotocol types.

Three coordinate systems meet here, and only here:

* the core's ``Span``: 1-based lines, 0-based columns in code points;
* ``Analysis.expressions`` keys: raw ``ast`` positions, 1-based lines, UTF-8 *byte* columns;
* LSP positions: 0-based lines, columns in the negotiated encoding (UTF-16 unless the
  client offered ``general.positionEncodings`` and pygls picked UTF-8 or UTF-32).

``Positions`` holds the lines of one document version and its pygls position codec, and
converts in both directions. Lines are split the way LSP and ``ast`` split them
(``\\n``, ``\\r\\n``, ``\\r``), not with ``str.splitlines`` which also breaks on form feeds
and Unicode separators. Everything else here maps findings, edits and severities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.workspace import PositionCodec

from ..core.results import Finding, Fix, Span
from ..domain.shapes import DYNAMIC, Dim, Shape
from ..rules.catalogue import BY_CODE

if TYPE_CHECKING:
    from ..fixes.base import Edit

SOURCE = "shapelens"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
# Rules whose diagnostics editors should render specially (faded, struck through).
TAGS: dict[str, tuple[types.DiagnosticTag, ...]] = {
    "SL211": (types.DiagnosticTag.Deprecated,),  # input_shape= on a layer: deprecated API
}


def split_lines(source: str) -> list[str]:
    """The document's lines without their line breaks, as LSP and ``ast`` count them."""
    if "\r" not in source:
        return source.split("\n")  # the common case, several times faster than the regex
    return _LINE_BREAK.split(source)


class Positions:
    """Position conversion for one version of one document."""

    def __init__(self, source: str, codec: PositionCodec,
                 lines: Sequence[str] | None = None):
        """``lines``: ``split_lines(source)`` if the caller has it already (an open
        document keeps its lines from edit to edit: ``workspace.LspTextDocument.split``)."""
        self.lines: Sequence[str] = split_lines(source) if lines is None else lines
        self.codec = codec

    # -- core (1-based line, code points) -> LSP ------------------------------------------
    def position(self, line: int, col: int) -> types.Position:
        """Clamped into the document: the core may point one past the last line."""
        if line < 1:
            return types.Position(line=0, character=0)
        if line > len(self.lines):
            last = len(self.lines) - 1
            return types.Position(line=last, character=self.codec.client_num_units(
                self.lines[last]))
        prefix = self.lines[line - 1][:max(col, 0)]
        # ASCII is one unit per character in every encoding: skip the codec (it counts in
        # Python, character by character).
        units = len(prefix) if prefix.isascii() else self.codec.client_num_units(prefix)
        return types.Position(line=line - 1, character=units)

    def range(self, span: Span) -> types.Range:
        return types.Range(start=self.position(span.line, span.col),
                           end=self.position(span.end_line, span.end_col))

    # -- LSP -> core ----------------------------------------------------------------------
    def from_position(self, pos: types.Position) -> tuple[int, int] | None:
        """``(line, code-point col)`` or ``None`` when the position is outside the document.

        A column past the end of its line is clamped to the line end (clients do send
        those, e.g. for the end of a selection).
        """
        if pos.line < 0 or pos.character < 0 or pos.line >= len(self.lines):
            return None
        text = self.lines[pos.line]
        units = 0
        for index, char in enumerate(text):
            if units >= pos.character:
                return pos.line + 1, index
            units += self.codec.client_num_units(char)
        return pos.line + 1, len(text)

    def from_range(self, rng: types.Range) -> Span | None:
        start, end = self.from_position(rng.start), self.from_position(rng.end)
        if start is None:
            return None
        if end is None:  # a range may end one past the last line
            end = (len(self.lines), len(self.lines[-1]))
        return Span(start[0], start[1], end[0], end[1])

    # -- raw ast (UTF-8 bytes) -> code points ---------------------------------------------
    def col_from_bytes(self, line: int, byte_col: int) -> int:
        if not 1 <= line <= len(self.lines):
            return byte_col
        text = self.lines[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def span_from_ast(self, key: tuple[int, int, int, int]) -> Span:
        line, col, end_line, end_col = key
        return Span(line, self.col_from_bytes(line, col), end_line,
                    self.col_from_bytes(end_line, end_col))


@dataclass(frozen=True)
class DiagnosticSupport:
    """Optional diagnostic fields the client declared (``textDocument.publishDiagnostics``).

    ``codeDescription`` and ``data`` are always sent: clients ignore fields they do not
    know, and Neovim's pull path uses them without declaring so.
    """

    related_information: bool = True
    tags: bool = True

    @classmethod
    def of(cls, caps: types.ClientCapabilities) -> DiagnosticSupport:
        text = caps.text_document
        publish = text.publish_diagnostics if text else None
        if publish is None:
            return cls()
        return cls(related_information=bool(publish.related_information),
                   tags=publish.tag_support is not None)


def fix_data(fix: Fix) -> dict[str, Any]:
    """``Diagnostic.data["fix"]``: what a code action needs to rebuild the ``Fix``."""
    return {"fixId": fix.fix_id, "title": fix.title, "safe": fix.safe,
            "args": [[key, _jsonable(value)] for key, value in fix.args]}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def _frozen(value: Any) -> Any:
    """JSON lists back to tuples so a rebuilt ``Fix`` is hashable like the engine's."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def diagnostic(finding: Finding, positions: Positions, uri: str,
               severity: str | None = None,
               support: DiagnosticSupport = DiagnosticSupport()) -> types.Diagnostic:
    """A ``Finding`` as an LSP ``Diagnostic``; ``severity`` overrides the engine's."""
    rule = BY_CODE.get(finding.code)
    related = None
    if finding.related and support.related_information:
        related = [types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=positions.range(span)), message=message)
            for span, message in finding.related]
    data: dict[str, Any] = {"code": finding.code}
    if finding.fix is not None:
        data["fix"] = fix_data(finding.fix)
    if finding.alternatives:
        data["alternatives"] = [fix_data(fix) for fix in finding.alternatives]
    tags = TAGS.get(finding.code) if support.tags else None
    return types.Diagnostic(
        range=positions.range(finding.span),
        message=finding.message,
        severity=SEVERITY.get(severity or finding.severity, types.DiagnosticSeverity.Error),
        code=finding.code,
        code_description=types.CodeDescription(href=rule.url) if rule is not None else None,
        source=SOURCE,
        related_information=related,
        tags=list(tags) if tags else None,
        data=data,
    )


def finding_from_diagnostic(diag: types.Diagnostic, positions: Positions) -> Finding | None:
    """Rebuild the ``Finding`` (with its ``Fix``) that a diagnostic of ours came from.

    ``None`` for other tools' diagnostics and for ranges outside the current text.
    """
    if diag.source != SOURCE or not isinstance(diag.code, str):
        return None
    span = positions.from_range(diag.range)
    if span is None:
        return None
    data = diag.data if isinstance(diag.data, dict) else {}
    fix = fix_from_data(data.get("fix"))
    raw_alternatives = data.get("alternatives")
    alternatives = tuple(alt for raw in raw_alternatives if (alt := fix_from_data(raw))) \
        if isinstance(raw_alternatives, list) else ()
    return Finding(diag.code, diag.message, span, fix=fix, alternatives=alternatives)


def fix_from_data(raw: Any) -> Fix | None:
    """The ``Fix`` that ``fix_data`` wrote (None for anything else)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("fixId"), str):
        return None
    args = tuple((str(pair[0]), _frozen(pair[1])) for pair in raw.get("args", [])
                 if isinstance(pair, list) and len(pair) == 2)
    return Fix(raw["fixId"], str(raw.get("title", raw["fixId"])), bool(raw.get("safe")), args)


def text_edit(edit: Edit, positions: Positions) -> types.TextEdit:
    return types.TextEdit(range=positions.range(edit.span), new_text=edit.new_text)


def workspace_edit(uri: str, version: int | None, edits: list[Edit], positions: Positions,
                   document_changes: bool = False) -> types.WorkspaceEdit:
    """Versioned ``documentChanges`` when the client supports them, else plain ``changes``.

    With a version the client refuses to apply an edit computed for older text.
    """
    text_edits: list[Any] = [text_edit(e, positions) for e in edits]
    if document_changes:
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri,
                                                                        version=version),
            edits=text_edits)])
    return types.WorkspaceEdit(changes={uri: text_edits})


def dim_text(dim: Dim) -> str:
    """A known size, a symbol by its name, ``None`` where TF's static shape has None (proven
    dynamic), or ``?`` when the analyzer knows nothing."""
    if dim is DYNAMIC:
        return "None"
    return "?" if dim is None else str(dim)


def shape_text(shape: Shape) -> str:
    """``(64, ?, 32)``, ``(4,)``, ``()``; ``(?…)`` when even the rank is unknown."""
    if shape is None:
        return "(?…)"
    if len(shape) == 1:
        return f"({dim_text(shape[0])},)"
    return "(" + ", ".join(dim_text(d) for d in shape) + ")"
