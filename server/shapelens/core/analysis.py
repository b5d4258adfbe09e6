"""``analyze``: source text → findings, per-assignment shapes and per-expression values.

The one entry point of the pure core (no pygls, no TensorFlow, never executes the code).
"""

from __future__ import annotations

import ast
import bisect
import time
from operator import attrgetter

from ..domain.values import Instance, LayerValue, ModelValue, Tensor, Value
from .config import Config
from .incremental.facts import joined
from .incremental.reparse import split_lines
from .interpreter.machine import Interpreter
from .interpreter.state import BudgetExceeded, Resolver
from .keras import is_keras_subclass, model_rows, subclass_rows
from .lazylog import logger
from .parse import parse_source
from .results import (
    Analysis,
    AssignmentFact,
    Finding,
    GradientFact,
    LayerFact,
    LayerRow,
    ModelFact,
    Span,
    TapeFact,
)
from .suppress import is_suppressed, suppressions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .incremental.session import Session

    # (the part, the facts of its tensors, its Keras objects)
    _PartFacts = tuple[dict[Any, Any], list[AssignmentFact], list[tuple[tuple[int, str], Value]]]

log = logger(__name__)
DEFAULT_TIME_BUDGET = 10.0  # seconds per document; partial results after that


class LineIndex:
    """Converts ``ast``'s UTF-8 byte columns to code-point columns."""

    def __init__(self, source: str, lines: list[str] | None = None):
        # As ast counts lines (a form feed ends none); line breaks are kept.
        self.raw = lines if lines is not None else split_lines(source)

    def text(self, line: int) -> str:
        return self.raw[line - 1].rstrip("\r\n") if 1 <= line <= len(self.raw) else ""

    def col(self, line: int, byte_col: int) -> int:
        if not 1 <= line <= len(self.raw):
            return byte_col
        text = self.raw[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8", errors="surrogatepass")[:byte_col]
                   .decode("utf-8", errors="ignore"))

    def span(self, node: ast.AST) -> Span:
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        col = self.col(line, getattr(node, "col_offset", 0))
        end_col = self.col(end_line, getattr(node, "end_col_offset", None) or 0)
        return Span(line, col, end_line, end_col)


def analyze(source: str, path: str = "<string>", config: Config | None = None,
            time_budget: float | None = None, resolver: Resolver | None = None,
            session: Session | None = None, lines: list[str] | None = None) -> Analysis:
    """Analyse one file. ``resolver`` finds the source of workspace modules it imports
    (open editor buffers first, then disk); their functions are analysed from that source.

    ``time_budget``: seconds (default: the config's ``time_budget``; 0 or less: none).
    ``session``: the document's incremental state; the previous analysis in it is reused
    for every top-level statement the edit cannot have changed (``incremental.py``).
    ``lines``: ``split_lines(source)`` if the caller keeps it (the language server does):
    the session then does not split the text again.
    """
    config = config or Config()
    if time_budget is None:
        time_budget = getattr(config, "time_budget", DEFAULT_TIME_BUDGET)
    result = Analysis(path)
    index = LineIndex(source, session.lines_for(source, lines) if session is not None else lines)
    size = len(source.encode("utf-8", errors="replace"))
    if size > config.max_file_size:
        result.findings.append(Finding(
            "SL902", f"file is {size:,} bytes, over the {config.max_file_size:,}-byte analysis "
            "limit (max-file-size); not analysed", Span(1, 0, 1, 0), "information"))
        return _filter(result, source, config, path)
    try:
        parsed = session.parse(source, path) if session is not None else \
            parse_source(source, path)
    except (RecursionError, MemoryError):
        result.findings.append(Finding(
            "SL903", "an expression is nested too deeply for the parser; not analysed",
            Span(1, 0, 1, 0), "information"))
        return _filter(result, source, config, path)
    for err in parsed.errors:
        end_col = len(index.text(err.line))
        severity = "error" if err.code == "SL901" else "information"
        result.findings.append(Finding(err.code, err.message,
                                       Span(err.line, err.col, err.line, max(end_col, err.col)),
                                       severity))
    result.tree = parsed.tree
    interp = _interpret(parsed.tree, path, time_budget, resolver, session, result)
    _collect(interp, index, session, result)
    return _filter(result, source, config, path)


def _interpret(tree: ast.Module, path: str, time_budget: float | None, resolver: Resolver | None,
               session: Session | None, result: Analysis) -> Interpreter:
    """Run the interpreter over ``tree`` (through the session when there is one); running
    out of time or stack leaves the results so far and an SL903 saying so."""
    interp = Interpreter(tree, None, resolver, path)
    # The budget starts once the parts are built: their per-module facts (graph mode, NumPy
    # promotion) are read like the parse is, so even a tiny budget analyses the first lines.
    interp.state.deadline = time.perf_counter() + time_budget \
        if time_budget and time_budget > 0 else None
    result.imports = interp.imports  # filled as the run goes
    try:
        if session is not None:
            session.run(interp)
        else:
            interp.run()
    except BudgetExceeded:
        result.findings.append(Finding(
            "SL903", f"analysis stopped after its {time_budget:g} s budget; results after this "
            "point are unknown", Span(1, 0, 1, 0), "information"))
    except RecursionError:
        result.findings.append(Finding(
            "SL903", "an expression is nested too deeply to analyse; results are partial",
            Span(1, 0, 1, 0), "information"))
    return interp


def _collect(interp: Interpreter, index: LineIndex, session: Session | None,
             result: Analysis) -> None:
    """What the run found, with positions: findings, per-assignment facts, models, layers,
    tapes and gradient calls, and the per-expression values (hover)."""
    made = session.findings if session is not None else {}
    kept: dict[int, tuple[Any, Finding]] = {}
    for raw in interp.findings.values():
        span = index.span(raw.node)
        related = tuple([(index.span(n), text) for n, text in raw.related])
        # A replayed statement hands back the same raw finding: the same Finding object
        # (the language server keeps its converted form by identity) while its place holds.
        old = made.get(id(raw))
        if old is not None and old[0] is raw and old[1].span == span and \
                old[1].related == related:
            finding = old[1]
        else:
            finding = Finding(raw.code, raw.message, span, raw.severity, raw.fix,
                              related=related, alternatives=raw.alternatives)
        kept[id(raw)] = (raw, finding)
        result.findings.append(finding)
    if session is not None:
        session.findings = kept
    objects = _assignment_facts(interp, index, session, result)
    objects.sort(key=lambda item: item[0])
    result.models = model_facts(objects)
    result.layers = [LayerFact(line, name, value.rule.name, value.built_shape,
                               value.output_shape, value.params)
                     for (line, name), value in objects
                     if isinstance(value, LayerValue) and value.built_shape is not None]
    seen_tapes: set[int] = set()
    for t in interp.tapes:  # a tape made in a loop: its first iteration speaks for it
        if t.with_line and t.with_line not in seen_tapes:
            seen_tapes.add(t.with_line)
            watched = {interp.token_names.get(tok, "?") for tok in t.watched | t.accessed}
            result.tapes.append(TapeFact(t.with_line, t.name, t.persistent,
                                         tuple(sorted(watched))))
    seen_calls: set[int] = set()
    for node, record in interp.gradient_calls:
        if id(node) not in seen_calls:
            seen_calls.add(id(node))
            result.gradients.append(GradientFact(index.span(node), tuple(
                (text, value.shape if isinstance(value, Tensor) else None, why)
                for text, value, why in record)))
    result.expressions = interp.expressions


def _assignment_facts(interp: Interpreter, index: LineIndex, session: Session | None,
                      result: Analysis) -> list[tuple[tuple[int, str], Value]]:
    """The tensor bound by each assignment; returns the Keras objects bound.

    The incremental engine hands the table over as the parts its records wrote, first write
    first (``Merged.parts``): a part the last run had too (the same dict, a replayed
    statement's or call's) keeps its facts, so an edit builds the facts of the parts it
    made and not those of every assignment of the file again."""
    table = interp.assignments
    # (a ``Merged`` has its parts: no import of the incremental engine for a plain check)
    parts = table.parts() if hasattr(table, "parts") else [table]
    cache = session.part_facts if session is not None else {}
    kept: dict[int, _PartFacts] = {}
    fresh: list[AssignmentFact] = []
    found_parts: list[_PartFacts] = []
    for part in parts:
        found = kept.get(id(part)) or cache.get(id(part))
        if found is None or found[0] is not part:
            found = _part_facts(part, index)
            fresh += found[1]
        kept[id(part)] = found
        found_parts.append(found)
    facts, objects = joined(found_parts)
    previous = session.fact_order if session is not None else None
    result.assignments = _in_order(facts, fresh, previous)
    if session is not None:
        session.part_facts = kept
        session.fact_order = result.assignments
    return objects


def _part_facts(part: dict[tuple[int, str], tuple[ast.Name, Value]],
                index: LineIndex) -> _PartFacts:
    facts: list[AssignmentFact] = []
    objects: list[tuple[tuple[int, str], Value]] = []
    for key, (target, value) in part.items():
        if isinstance(value, Tensor):
            if value.kind != "pyscalar":
                line = key[0]
                facts.append(AssignmentFact(line, index.col(line, target.col_offset), key[1],
                                            value.shape, value.dtype, value.kind,
                                            value.origin))
        elif isinstance(value, ModelValue | Instance | LayerValue):
            objects.append((key, value))
    return part, facts, objects


_POSITION = attrgetter("line", "col")


def _in_order(facts: list[AssignmentFact], fresh: list[AssignmentFact],
              previous: list[AssignmentFact] | None) -> list[AssignmentFact]:
    """``facts`` by position. After an edit most of them are the last analysis's own fact
    objects, already in order there: those keep that order and the few new ones are put in
    place, instead of sorting thousands of facts again on every keystroke. (Two facts never
    share a position: one target, one name.)"""
    if previous is None or 4 * len(fresh) > len(facts):
        return sorted(facts, key=_POSITION)
    listed = {id(f) for f in facts}
    fresh = [f for f in fresh if id(f) in listed]  # (a later part's write of a key: dropped)
    new = {id(f) for f in fresh}
    alive = listed - new
    ordered = [f for f in previous if id(f) in alive]
    if len(ordered) != len(alive):  # (defensive: a fact the last order did not hold)
        return sorted(facts, key=_POSITION)
    for fact in sorted(fresh, key=_POSITION):
        bisect.insort(ordered, fact, key=_POSITION)
    return ordered


def model_facts(objects: list[tuple[tuple[int, str], Value]]) -> list[ModelFact]:
    """Per-layer tables of the models bound by assignments (their final, built state);
    ``objects``: ``((line, name), value)`` in source order."""
    facts = []
    for (line, name), value in objects:
        if isinstance(value, ModelValue) and value.built:
            rows = tuple(LayerRow(*row) for row in model_rows(value))
            if rows or value.kind == "sequential":  # (a functional model has InputLayer
                # rows unless its layers are not modelled: keras.applications, no table)
                facts.append(ModelFact(line, name, value.kind, rows))
        elif isinstance(value, Instance) and is_keras_subclass(value.cls):
            rows = tuple(LayerRow(*row) for row in subclass_rows(value))
            if rows:
                facts.append(ModelFact(line, name, "subclass", rows))
    return facts


def _filter(result: Analysis, source: str, config: Config, path: str) -> Analysis:
    table = suppressions(source)
    kept = [f for f in result.findings
            if config.enabled(f.code, path) and not is_suppressed(table, f.span.line, f.code)]
    result.findings = sorted(kept, key=lambda f: (f.span.line, f.span.col, f.code))
    return result
