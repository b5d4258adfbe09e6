"""``textDocument/hover``: a Markdown card for the tensor under the cursor.

The card names the expression, its kind and dtype, then one line saying where the shape came
from, in the form ``(64, 10, 32)  ← LSTM(32, return_sequences=True) on (64, 10, 20)``: the
producing call (a called layer is shortened to its class and config), followed by the shapes
of the tensors it was applied to. A variable shows the call of its definition and the line.
Unknown dimensions read ``?``; symbolic ones (the batch axis) by their name. When the cursor
is on a diagnostic, the rule's code, name, summary and documentation link follow.

The engine records values by raw ``ast`` position; ``SourceIndex`` re-parses the analysed
text once per version (with the core's recovering parser) to find the node behind a value,
its arguments, and the right-hand side of each assignment.
"""

from __future__ import annotations

import ast
import asyncio
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..core.parse import parse_source
from ..core.results import AssignmentFact, Finding, ModelFact, Span
from ..core.shapes import Shape
from ..core.values import Seq, Tensor, Value
from ..rules.catalogue import BY_CODE
from .convert import shape_text
from .documents import Result

if TYPE_CHECKING:
    from .server import ShapeLensServer

KIND = {"tensor": "Tensor", "variable": "Variable", "ndarray": "ndarray",
        "keras": "KerasTensor"}
OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
             ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@"}
MODEL_KINDS = {"sequential": "Sequential", "functional": "Functional", "subclass": "Subclassed"}
MAX_TEXT = 60


@dataclass
class SourceIndex:
    """Lookups from positions to ``ast`` nodes and values for one analysed version."""

    result: Result
    nodes: dict[tuple[int, int, int, int], ast.expr] = field(default_factory=dict)
    assigned: dict[tuple[int, int], ast.expr] = field(default_factory=dict)
    by_line: dict[int, list[tuple[Span, ast.expr | None, Value]]] = field(default_factory=dict)
    names: dict[int, list[tuple[Span, ast.Name]]] = field(default_factory=dict)

    @classmethod
    def of(cls, result: Result) -> SourceIndex:
        cached = result.cache.get("source_index")
        if cached is None:
            cached = result.cache["source_index"] = cls._build(result)
        return cached

    @classmethod
    async def of_async(cls, result: Result, ls: ShapeLensServer) -> SourceIndex:
        """Built in the analysis thread: parsing a large file must not stall the loop."""
        cached = result.cache.get("source_index")
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(ls.documents.executor, cls.of, result)

    @classmethod
    def _build(cls, result: Result) -> SourceIndex:
        index = cls(result)
        if len(result.source) > result.config.max_file_size:
            return index  # not analysed either (SL902): nothing to look up
        tree = parse_source(result.source).tree
        for node in ast.walk(tree):
            if isinstance(node, ast.expr) and hasattr(node, "end_lineno"):
                index.nodes[_key(node)] = node
                if isinstance(node, ast.Name):
                    span = result.positions.span_from_ast(_key(node))
                    index.names.setdefault(node.lineno, []).append((span, node))
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            col = result.positions.col_from_bytes(name.lineno, name.col_offset)
                            index.assigned[(name.lineno, col)] = node.value
        for key, value in result.analysis.expressions.items():
            span = result.positions.span_from_ast(key)
            entry = (span, index.nodes.get(key), value)
            for line in range(span.line, span.end_line + 1):
                index.by_line.setdefault(line, []).append(entry)
        return index

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


def _key(node: Any) -> tuple[int, int, int, int]:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def origin_of(index: SourceIndex, node: ast.expr | None, fallback: str | None) -> str | None:
    """The "← ..." part: the producing expression and the shapes it consumed.

    The engine's own description wins when it is a full one (``Dense(4) on (4, 8)`` for
    ``model.predict``, where the source text would only say ``model.predict(x)``).
    """
    if fallback and " on " in fallback:
        return fallback
    if node is None:
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
    rhs = index.assigned.get((fact.line, fact.col))
    if rhs is None:
        return fact.origin
    return f"{origin_of(index, rhs, fact.origin)}  (line {fact.line})"


def card(label: str, shape: Shape, dtype: str | None, kind: str, origin: str | None) -> str:
    """The tensor part of the hover, also the tooltip of an inlay hint."""
    head = f"**`{label}`** · {KIND.get(kind, kind)} · `{dtype or '?'}`"
    line = shape_text(shape) + (f"  ← {origin}" if origin else "")
    return f"{head}\n```text\n{line}\n```"


def fact_card(index: SourceIndex, fact: AssignmentFact) -> str:
    rhs = index.assigned.get((fact.line, fact.col))
    return card(fact.name, fact.shape, fact.dtype, fact.kind,
                origin_of(index, rhs, fact.origin))


def model_card(model: ModelFact) -> str:
    """``model.summary()`` as a Markdown table."""
    total = model.total_params
    head = f"**`{model.name}`** · {MODEL_KINDS.get(model.kind, model.kind)} model"
    if total is not None:
        head += f" · {total:,} params"
    rows = [f"| {row.layer} | `{shape_text(row.output_shape)}` | "
            f"{'?' if row.params is None else f'{row.params:,}'} |" for row in model.layers]
    return "\n".join([head, "", "| layer | output shape | params |", "|:--|:--|--:|", *rows])


def _model_part(index: SourceIndex, line: int, col: int) -> tuple[str, Span] | None:
    """A name bound to a Keras model: the per-layer table of its latest definition."""
    for span, name in index.names.get(line, []):
        if not _contains(span, line, col):
            continue
        models = [m for m in index.result.analysis.models
                  if m.name == name.id and m.line <= line]
        if models:
            return model_card(models[-1]), span
    return None


def rule_card(finding: Finding) -> str:
    rule = BY_CODE.get(finding.code)
    if rule is None:
        return f"**{finding.code}** {finding.message}"
    return f"**{rule.code}** `{rule.name}`: {rule.summary} [docs]({rule.url})"


def _contains(span: Span, line: int, col: int) -> bool:
    return (span.line, span.col) <= (line, col) < (span.end_line, span.end_col)


def _size(span: Span) -> tuple[int, int]:
    return (span.end_line - span.line, span.end_col - span.col)


def _value_part(index: SourceIndex, ls: ShapeLensServer, line: int,
                col: int) -> tuple[str, Span] | None:
    """The card of the innermost tensor-valued expression or assignment target here."""
    result = index.result
    facts = result.assignments_by_line.get(line, []) or \
        ls.documents.fallback_facts(result, line)
    for fact in facts:
        span = Span(fact.line, fact.col, fact.line, fact.col + len(fact.name))
        if _contains(span, line, col):
            return fact_card(index, fact), span
    if model := _model_part(index, line, col):
        return model
    hits = [(span, node, value) for span, node, value in index.by_line.get(line, [])
            if _contains(span, line, col) and isinstance(value, Tensor | Seq)]
    if not hits:
        return _model_part(index, line, col)
    span, node, value = min(hits, key=lambda hit: _size(hit[0]))
    label = _clip(index.text(node)) if node is not None else "expression"
    if isinstance(value, Tensor):
        return card(label, value.shape, value.dtype, value.kind,
                    origin_of(index, node, value.origin)), span
    tensors = [v for v in value.items if isinstance(v, Tensor)]
    if not tensors:
        return None
    rows = "\n".join(shape_text(t.shape) + f"  {t.dtype or '?'}" for t in tensors)
    return f"**`{label}`** · {value.kind} of {len(value.items)}\n```text\n{rows}\n```", span


def _plain(markdown: str) -> str:
    text = re.sub(r"```\w*\n?", "", markdown)
    return text.replace("**", "").replace("`", "")


async def hover(ls: ShapeLensServer, params: types.HoverParams) -> types.Hover | None:
    result = await ls.documents.get(params.text_document.uri)
    if result is None or not ls.settings.enable:
        return None
    where = result.positions.from_position(params.position)
    if where is None:
        return None
    line, col = where
    index = await SourceIndex.of_async(result, ls)
    parts: list[str] = []
    part = _value_part(index, ls, line, col)
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
        content = types.MarkupContent(kind=types.MarkupKind.PlainText, value=_plain(markdown))
    else:
        content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
    return types.Hover(contents=content, range=result.positions.range(span))
