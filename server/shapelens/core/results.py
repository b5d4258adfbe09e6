"""What an analysis produces: findings, per-assignment shapes and per-expression facts.

Positions are 1-based lines and 0-based code-point columns (``Span``); the CLI prints 1-based
columns and the LSP layer converts to UTF-16 once, in its converter.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .shapes import Shape, format_shape
from .values import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """A source range: 1-based lines, 0-based code-point columns."""

    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True)
class Fix:
    """A machine-applicable fix, carried with the finding (fixers turn it into edits)."""

    fix_id: str
    title: str
    safe: bool = True
    args: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Finding:
    """One reported problem: rule code, message, where, and how to fix it (if known)."""

    code: str
    message: str
    span: Span
    severity: str = "error"
    fix: Fix | None = None
    related: tuple[tuple[Span, str], ...] = ()
    cell: int | None = None  # notebooks: the cell number; span lines are then in-cell lines
    # Other ways to fix it, offered as extra (never preferred) quick fixes and never applied
    # in bulk by ``check --fix``: ``fix`` stays the one recommended fix.
    alternatives: tuple[Fix, ...] = ()

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    @property
    def fixes(self) -> tuple[Fix, ...]:
        """The primary fix (if any) followed by the alternatives."""
        return ((self.fix,) if self.fix is not None else ()) + self.alternatives


@dataclass(frozen=True)
class AssignmentFact:
    """The value of ``name = <expr>`` the first time that statement is reached."""

    line: int
    col: int
    name: str
    shape: Shape
    dtype: str | None
    kind: str
    origin: str | None = None
    cell: int | None = None  # notebooks: the cell number; ``line`` is then the in-cell line

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "line": self.line,
            "name": self.name,
            "shape": None if self.shape is None else list(self.shape),
            "dtype": self.dtype,
        }
        if self.cell is not None:
            data["cell"] = self.cell
        return data

    @property
    def shape_text(self) -> str:
        return format_shape(self.shape)


@dataclass(frozen=True)
class LayerRow:
    """One row of a model's per-layer table (as ``model.summary()`` prints it)."""

    layer: str
    output_shape: Shape
    params: int | None


@dataclass(frozen=True)
class ModelFact:
    """A Keras model bound by ``name = ...``: its per-layer table as ``model.summary()``."""

    line: int
    name: str
    kind: str
    layers: tuple[LayerRow, ...]

    @property
    def total_params(self) -> int | None:
        counts = [row.params for row in self.layers]
        return None if any(c is None for c in counts) else sum(c for c in counts if c)


@dataclass(frozen=True)
class LayerFact:
    """A Keras layer bound by ``name = ...`` and built: input → output shape, parameters."""

    line: int
    name: str
    layer: str
    input_shape: Shape
    output_shape: Shape | tuple[Shape, ...]
    params: int | None


@dataclass(frozen=True)
class TapeFact:
    """A ``with tf.GradientTape() as name:`` block: what it records (for the hover card)."""

    line: int
    name: str
    persistent: bool
    watched: tuple[str, ...]  # variables read inside and tensors passed to tape.watch


@dataclass(frozen=True)
class GradientFact:
    """One ``tape.gradient(...)`` call: per source, the gradient's shape or why it is None."""

    span: Span
    sources: tuple[tuple[str, Shape, str | None], ...]  # (source text, shape, None-reason)


@dataclass
class Analysis:
    """Everything one analysis of a file found: findings and per-assignment facts."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    assignments: list[AssignmentFact] = field(default_factory=list)
    models: list[ModelFact] = field(default_factory=list)
    layers: list[LayerFact] = field(default_factory=list)
    tapes: list[TapeFact] = field(default_factory=list)
    gradients: list[GradientFact] = field(default_factory=list)
    # The parsed (recovered) module the values refer to: consumers need not parse again.
    tree: ast.Module | None = None
    imports: list[str] = field(default_factory=list)  # workspace modules it depends on
    # (line, col, end_line, end_col) of an expression -> its value, first time reached.
    # A dict, or its lazily merged equivalent from the incremental engine (``Merged``).
    expressions: Mapping[tuple[int, int, int, int], Value] = field(default_factory=dict)
