"""``textDocument/hover``: a Markdown card for the tensor, model, tape or gradient under the cursor.

A tensor's card names the expression, its kind and dtype, then one line saying where the
shape came from, in the form ``(64, 10, 32)  ← LSTM(32, return_sequences=True) on
(64, 10, 20)``: the producing call (a called layer is shortened to its class and config),
followed by the shapes of the tensors it was applied to. A variable shows the call of its
definition and the line. A name bound to a Keras model shows the per-layer table like
``model.summary()``; a tape, what it watches; ``tape.gradient(...)``, each gradient's shape
or why it is None. Unknown dimensions read ``?``, symbolic ones by name. When the cursor is
on a diagnostic, the rule's code, name, summary and documentation link follow (``cards``).

The engine records values by raw ``ast`` position and keeps the (recovered) tree it analysed;
``SourceIndex`` walks only the top-level statement under the cursor (and the one defining a
variable) to find the node behind a value, its arguments, and assignment right-hand sides.
"""

from __future__ import annotations

import ast
import bisect
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..core.parse import parse_source
from ..core.results import AssignmentFact, Span
from ..domain.values import Opaque, Seq, Tensor, Value
from .cards import card, gradient_card, model_card, object_card, plain, rule_card, tape_card
from .convert import shape_text
from .results import Result

if TYPE_CHECKING:
    from .state import ShapeLensServer

OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
             ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@"}
MAX_TEXT = 60
AstKey = tuple[int, int, int, int]


@dataclass
class SourceIndex:
    """Lookups from positions to ``ast`` nodes and values for one analysed version.

    Nodes are indexed lazily, one top-level statement at a time: walking a 2,000-line module
    for every version would cost as much as analysing it, and a hover needs one statement.

    Kept in its result's ``cache``, it refers back to the result weakly: a cycle between the
    two made every hovered version (its analysis, values and index) garbage that only a
    full collection frees, the main growth of the server's memory in ``bench/soak.py``.
    """

    owner: weakref.ReferenceType[Result]
    nodes: dict[AstKey, ast.expr] = field(default_factory=dict)
    assigned: dict[tuple[int, int], ast.expr] = field(default_factory=dict)
    by_line: dict[int, list[tuple[Span, AstKey, Value]]] = field(default_factory=dict)
    names: dict[int, list[tuple[Span, ast.Name]]] = field(default_factory=dict)
    body: list[ast.stmt] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    walked: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, result: Result) -> SourceIndex:
        cached = result.cache.get("source_index")
        if cached is None:
            cached = result.cache["source_index"] = cls._build(result)
        return cached

    @property
    def result(self) -> Result:
        """The result this index was built for (alive while anyone asks its index)."""
        result = self.owner()
        if result is None:
            raise ReferenceError("the analysis of this index is gone")
        return result

    @classmethod
    def _build(cls, result: Result) -> SourceIndex:
        index = cls(weakref.ref(result))
        for key, value in result.analysis.expressions.items():
            span = result.positions.span_from_ast(key)
            for line in range(span.line, span.end_line + 1):
                index.by_line.setdefault(line, []).append((span, key, value))
        tree = getattr(result.analysis, "tree", None)
        if tree is None and len(result.source) <= result.config.max_file_size:
            tree = parse_source(result.source).tree
        index.body = list(tree.body) if tree is not None else []
        index.starts = [_first_line(stmt) for stmt in index.body]
        return index

    def ensure(self, line: int) -> None:
        """Index the nodes of the top-level statement that contains ``line`` (1-based)."""
        i = bisect.bisect_right(self.starts, line) - 1
        if i < 0 or i in self.walked or line > (self.body[i].end_lineno or 0):
            return
        self.walked.add(i)
        positions = self.result.positions
        for node in ast.walk(self.body[i]):
            if isinstance(node, ast.expr) and hasattr(node, "end_lineno"):
                self.nodes.setdefault(_key(node), node)
                if isinstance(node, ast.Name):
                    span = positions.span_from_ast(_key(node))
                    self.names.setdefault(node.lineno, []).append((span, node))
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for name in (n for t in targets for n in ast.walk(t)):
                    if isinstance(name, ast.Name):
                        col = positions.col_from_bytes(name.lineno, name.col_offset)
                        self.assigned.setdefault((name.lineno, col), node.value)

    def node(self, key: AstKey) -> ast.expr | None:
        self.ensure(key[0])
        return self.nodes.get(key)

    def assignment(self, line: int, col: int) -> ast.expr | None:
        """The right-hand side assigned to the name at ``line``/``col``."""
        self.ensure(line)
        return self.assigned.get((line, col))

    def name_at(self, line: int, col: int) -> tuple[Span, ast.Name] | None:
        self.ensure(line)
        return next(((s, n) for s, n in self.names.get(line, []) if _contains(s, line, col)),
                    None)

    def value(self, node: ast.AST) -> Value | None:
        return self.result.analysis.expressions.get(_key(node))

    def text(self, node: ast.AST) -> str:
        span = self.result.positions.span_from_ast(_key(node))
        lines = self.result.positions.lines[span.line - 1:span.end_line]
        if not lines:
            return ""
        if len(lines) == 1:
            raw = lines[0][span.col:span.end_col]
        else:
            raw = "\n".join([lines[0][span.col:], *lines[1:-1], lines[-1][:span.end_col]])
        return " ".join(raw.split())


def _key(node: Any) -> AstKey:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def _contains(span: Span, line: int, col: int) -> bool:
    return (span.line, span.col) <= (line, col) < (span.end_line, span.end_col)


def _size(span: Span) -> tuple[int, int]:
    return (span.end_line - span.line, span.end_col - span.col)


def origin_of(index: SourceIndex, node: ast.expr | None, fallback: str | None) -> str | None:
    """The "← ..." part: the producing expression and the shapes it consumed.

    The engine's own description wins when it is a full one (``Dense(4) on (4, 8)`` for
    ``model.predict``, where the source text would only say ``model.predict(x)``).
    """
    if (fallback and " on " in fallback) or node is None:
        return fallback
    if isinstance(node, ast.Call):
        inputs: list[ast.expr] = [*node.args, *(k.value for k in node.keywords)]
        if isinstance(node.func, ast.Attribute):
            inputs.insert(0, node.func.value)  # the receiver of x.reshape(...)
        shapes = [shape_text(v.shape) for v in map(index.value, inputs) if isinstance(v, Tensor)]
        if isinstance(node.func, ast.Call):  # a layer instance applied to its inputs
            layer = node.func
            what = index.text(layer)
            if isinstance(layer.func, ast.Attribute):
                what = layer.func.attr + what[len(index.text(layer.func)):]
        else:
            what = index.text(node)
        return _clip(what) + (" on " + ", ".join(shapes) if shapes else "")
    if isinstance(node, ast.BinOp):
        left, right = index.value(node.left), index.value(node.right)
        symbol = OPERATORS.get(type(node.op))
        if isinstance(left, Tensor) and isinstance(right, Tensor) and symbol:
            return f"{shape_text(left.shape)} {symbol} {shape_text(right.shape)}"
    if isinstance(node, ast.Name):
        return _definition(index, node) or fallback
    return _clip(index.text(node)) or fallback


def _definition(index: SourceIndex, node: ast.Name) -> str | None:
    """Where a variable got its value: the last assignment before this use."""
    here = (node.lineno, index.result.positions.col_from_bytes(node.lineno, node.col_offset))
    facts = [f for f in index.result.analysis.assignments
             if f.name == node.id and (f.line, f.col) < here]
    if not facts:
        return None
    fact = facts[-1]
    rhs = index.assignment(fact.line, fact.col)
    if rhs is None:
        return fact.origin
    return f"{origin_of(index, rhs, fact.origin)}  ({index.result.where(fact.line)})"


def fact_card(index: SourceIndex, fact: AssignmentFact) -> str:
    """The card of an assignment target (also the inlay hint's tooltip)."""
    rhs = index.assignment(fact.line, fact.col)
    return card(fact.name, fact.shape, fact.dtype, fact.kind,
                origin_of(index, rhs, fact.origin))


def _named_part(index: SourceIndex, line: int, col: int) -> tuple[str, Span] | None:
    """A name bound to a Keras model or a GradientTape: its latest definition's card."""
    hit = index.name_at(line, col)
    if hit is None:
        return None
    span, name = hit
    analysis = index.result.analysis
    models = [m for m in analysis.models if m.name == name.id and m.line <= line]
    if models:
        return model_card(models[-1]), span
    tapes = [t for t in getattr(analysis, "tapes", []) if t.name == name.id and t.line <= line]
    if tapes:
        return tape_card(tapes[-1], index.result.where(tapes[-1].line)), span
    return None


def _gradient_part(index: SourceIndex, line: int, col: int,
                   within: Span | None) -> tuple[str, Span] | None:
    """``tape.gradient(...)`` under the cursor, unless a smaller expression is (``within``)."""
    hits = [g for g in getattr(index.result.analysis, "gradients", [])
            if _contains(g.span, line, col)]
    if not hits:
        return None
    gradient = min(hits, key=lambda g: _size(g.span))
    if within is not None and _size(within) < _size(gradient.span):
        return None
    span: Span = gradient.span
    text: str = index.result.positions.lines[span.line - 1]
    label = _clip(" ".join(text[span.col:span.end_col].split())
                  if span.line == span.end_line else "tape.gradient(...)")
    return gradient_card(label, gradient), span


def _value_part(index: SourceIndex, ls: ShapeLensServer, line: int,
                col: int) -> tuple[str, Span] | None:
    """The card of the innermost thing under the cursor that the engine knows about."""
    result = index.result
    facts = result.assignments_by_line.get(line, []) or \
        ls.documents.fallback_facts(result, line)
    for fact in facts:
        span = Span(fact.line, fact.col, fact.line, fact.col + len(fact.name))
        if _contains(span, line, col):
            return fact_card(index, fact), span
    if named := _named_part(index, line, col):
        return named
    hits = [(span, key, value) for span, key, value in index.by_line.get(line, [])
            if _contains(span, line, col) and (isinstance(value, Tensor | Seq) or
                                               type(value) is Opaque)]
    smallest = min(hits, key=lambda hit: _size(hit[0])) if hits else None
    if gradient := _gradient_part(index, line, col, smallest[0] if smallest else None):
        return gradient
    if smallest is None:
        return None
    span, key, value = smallest
    node = index.node(key)
    label = _clip(index.text(node)) if node is not None else "expression"
    if isinstance(value, Tensor):
        return card(label, value.shape, value.dtype, value.kind,
                    origin_of(index, node, value.origin)), span
    if isinstance(value, Opaque):  # a callback, a checkpoint, tf.__version__ (a str)...
        return object_card(label, value.kind), span
    tensors = [v for v in value.items if isinstance(v, Tensor)]
    if not tensors:
        return None
    rows = "\n".join(shape_text(t.shape) + f"  {t.dtype or '?'}" for t in tensors)
    return f"**`{label}`** · {value.kind} of {len(value.items)}\n```text\n{rows}\n```", span


async def hover(ls: ShapeLensServer, params: types.HoverParams) -> types.Hover | None:
    result = await ls.documents.get(params.text_document.uri)
    if result is None or not ls.settings.enable:
        return None
    return hover_at(ls, result, params.position)


def hover_at(ls: ShapeLensServer, result: Result,
             position: types.Position) -> types.Hover | None:
    """The hover at ``position`` of ``result``'s text (a file, or a notebook's program)."""
    where = result.positions.from_position(position)
    if where is None:
        return None
    line, col = where
    parts: list[str] = []
    part = _value_part(SourceIndex.of(result), ls, line, col)
    span = part[1] if part else None
    if part:
        parts.append(part[0])
    findings = [f for f in result.analysis.findings if _contains(f.span, line, col)
                or (f.span.line, f.span.col) == (line, col)]
    parts.extend(rule_card(f) for f in findings)
    if not parts:
        return None
    if span is None:
        span = findings[0].span
    markdown = "\n\n---\n\n".join(parts)
    caps = ls.client_capabilities.text_document
    formats = caps.hover.content_format if caps and caps.hover else None
    if formats and types.MarkupKind.Markdown not in formats:
        content = types.MarkupContent(kind=types.MarkupKind.PlainText, value=plain(markdown))
    else:
        content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
    return types.Hover(contents=content, range=result.positions.range(span))
