"""What an analysis produces: findings, per-assignment shapes and per-expression facts.

Positions are 1-based lines and 0-based code-point columns (``Span``); the CLI prints 1-based
columns and the LSP layer converts to UTF-16 once, in its converter.
"""

from __future__ import annotations

import ast
import re

from ..domain.shapes import DYNAMIC, Dim, Shape, format_shape
from ..domain.values import Value
from ..structs import Frozen, Mutable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any


LINE_REF = re.compile(r"\bline (\d+)")  # how messages and fix titles quote a program line


def requote_lines(text: str, where: Callable[[int], str]) -> str:
    """``text`` with each quoted ``line N`` (a program line) replaced by ``where(N)``: lines
    move after an edit, and in a notebook the user knows cells, not program lines."""
    if "line " not in text:
        return text
    return LINE_REF.sub(lambda m: where(int(m[1])), text)


class Span(Frozen):
    """A source range: 1-based lines, 0-based code-point columns; ordered by position."""

    __slots__ = ("line", "col", "end_line", "end_col")

    def __init__(self, line: int, col: int, end_line: int, end_col: int) -> None:
        self.line = line
        self.col = col
        self.end_line = end_line
        self.end_col = end_col

    def __lt__(self, other: Span) -> bool:
        return self._key(self) < other._key(other)

    def __le__(self, other: Span) -> bool:
        return self._key(self) <= other._key(other)

    def __gt__(self, other: Span) -> bool:
        return self._key(self) > other._key(other)

    def __ge__(self, other: Span) -> bool:
        return self._key(self) >= other._key(other)


class Fix(Frozen):
    """A machine-applicable fix, carried with the finding (fixers turn it into edits)."""

    __slots__ = ("fix_id", "title", "safe", "args")

    def __init__(self, fix_id: str, title: str, safe: bool = True,
                 args: tuple[tuple[str, Any], ...] = ()) -> None:
        self.fix_id = fix_id
        self.title = title
        self.safe = safe
        self.args = args


class Finding(Frozen):
    """One reported problem: rule code, message, where, and how to fix it (if known)."""

    __slots__ = ("code", "message", "span", "severity", "fix", "related", "cell",
                 "alternatives")

    def __init__(self, code: str, message: str, span: Span, severity: str = "error",
                 fix: Fix | None = None, related: tuple[tuple[Span, str], ...] = (),
                 cell: int | None = None, alternatives: tuple[Fix, ...] = ()) -> None:
        self.code = code
        self.message = message
        self.span = span
        self.severity = severity
        self.fix = fix
        self.related = related
        self.cell = cell  # notebooks: the cell number; span lines are then in-cell lines
        # Other ways to fix it, offered as extra (never preferred) quick fixes and never
        # applied in bulk by ``check --fix``: ``fix`` stays the one recommended fix.
        self.alternatives = alternatives

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    @property
    def fixes(self) -> tuple[Fix, ...]:
        """The primary fix (if any) followed by the alternatives."""
        return ((self.fix,) if self.fix is not None else ()) + self.alternatives


class AssignmentFact(Frozen):
    """The value of ``name = <expr>`` the first time that statement is reached."""

    __slots__ = ("line", "col", "name", "shape", "dtype", "kind", "origin", "cell")

    def __init__(self, line: int, col: int, name: str, shape: Shape, dtype: str | None,
                 kind: str, origin: str | None = None, cell: int | None = None) -> None:
        self.line = line
        self.col = col
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.kind = kind
        self.origin = origin
        self.cell = cell  # notebooks: the cell number; ``line`` is then the in-cell line

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "line": self.line,
            "name": self.name,
            "shape": None if self.shape is None else [json_dim(d) for d in self.shape],
            "dtype": self.dtype,
        }
        if self.cell is not None:
            data["cell"] = self.cell
        return data

    @property
    def shape_text(self) -> str:
        return format_shape(self.shape)


def json_dim(d: Dim) -> int | str | None:
    """A dim in JSON output: an int, ``null`` where TF's static shape has None (a proven
    dynamic dim, Keras' batch axis), ``"?"`` where the analyzer does not know it."""
    if d is None:
        return "?"
    if d is DYNAMIC or d == "batch":
        return None
    return d if isinstance(d, int | str) else "?"


class LayerRow(Frozen):
    """One row of a model's per-layer table (as ``model.summary()`` prints it)."""

    __slots__ = ("layer", "output_shape", "params")

    def __init__(self, layer: str, output_shape: Shape, params: int | None) -> None:
        self.layer = layer
        self.output_shape = output_shape
        self.params = params


class ModelFact(Frozen):
    """A Keras model bound by ``name = ...``: its per-layer table as ``model.summary()``."""

    __slots__ = ("line", "name", "kind", "layers")

    def __init__(self, line: int, name: str, kind: str, layers: tuple[LayerRow, ...]) -> None:
        self.line = line
        self.name = name
        self.kind = kind
        self.layers = layers

    @property
    def total_params(self) -> int | None:
        counts = [row.params for row in self.layers]
        return None if any(c is None for c in counts) else sum(c for c in counts if c)


class LayerFact(Frozen):
    """A Keras layer bound by ``name = ...`` and built: input → output shape, parameters."""

    __slots__ = ("line", "name", "layer", "input_shape", "output_shape", "params")

    def __init__(self, line: int, name: str, layer: str, input_shape: Shape,
                 output_shape: Shape | tuple[Shape, ...], params: int | None) -> None:
        self.line = line
        self.name = name
        self.layer = layer
        self.input_shape = input_shape
        self.output_shape = output_shape
        self.params = params


class TapeFact(Frozen):
    """A ``with tf.GradientTape() as name:`` block: what it records (for the hover card)."""

    __slots__ = ("line", "name", "persistent", "watched")

    def __init__(self, line: int, name: str, persistent: bool,
                 watched: tuple[str, ...]) -> None:
        self.line = line
        self.name = name
        self.persistent = persistent
        self.watched = watched  # variables read inside and tensors passed to tape.watch


class GradientFact(Frozen):
    """One ``tape.gradient(...)`` call: per source, the gradient's shape or why it is None."""

    __slots__ = ("span", "sources")

    def __init__(self, span: Span, sources: tuple[tuple[str, Shape, str | None], ...]) -> None:
        self.span = span
        self.sources = sources  # (source text, shape, None-reason) per source


class Analysis(Mutable):
    """Everything one analysis of a file found: findings and per-assignment facts."""

    __slots__ = ("path", "findings", "assignments", "models", "layers", "tapes", "gradients",
                 "tree", "imports", "expressions")

    def __init__(self, path: str, findings: list[Finding] | None = None,
                 assignments: list[AssignmentFact] | None = None,
                 models: list[ModelFact] | None = None, layers: list[LayerFact] | None = None,
                 tapes: list[TapeFact] | None = None,
                 gradients: list[GradientFact] | None = None, tree: ast.Module | None = None,
                 imports: list[str] | None = None,
                 expressions: Mapping[tuple[int, int, int, int], Value] | None = None) -> None:
        self.path = path
        self.findings = [] if findings is None else findings
        self.assignments = [] if assignments is None else assignments
        self.models = [] if models is None else models
        self.layers = [] if layers is None else layers
        self.tapes = [] if tapes is None else tapes
        self.gradients = [] if gradients is None else gradients
        # The parsed (recovered) module the values refer to: consumers need not parse again.
        self.tree = tree
        self.imports = [] if imports is None else imports  # workspace modules it depends on
        # (line, col, end_line, end_col) of an expression -> its value, first time reached.
        # A dict, or its lazily merged equivalent from the incremental engine (``Merged``).
        self.expressions = {} if expressions is None else expressions
