"""Judge ShapeLens's analysis of a third-party program against what TensorFlow did with it
(used by ``ecosystem_tf.py``).

The engine runs in process, as the CLI runs it (``analyze`` with the file's config; a
notebook as its one program from ``read_notebook``): line numbers are then program lines,
the ones the TF run recorded. Three questions:

1. False alarms. An error or warning on a line TF executed without raising there (neither
   the program's final exception nor one its own ``try`` caught) is false,
   unless it is a None-gradient warning (``silent_outcome == "none-gradient"``) and a
   ``tape.gradient`` on that statement really returned a None, or SL314 and a gradient call
   on it really got no sources. A silent wrong-gradient claim (SL306) cannot be disproved by
   a clean run and is listed as unverified. Findings on lines TF never reached are listed
   apart (no run says anything about them).
2. Shape agreement, over ``name = expr`` values TF recorded as tensors/arrays: coverage is
   the share of them for which the engine has a fully known shape (every dim an int);
   agreement compares the pairs where both shapes are fully known. A difference only in the
   leading axis where TF's size is that of a stubbed dataset is counted apart ("stub size").
3. Misses: TF's exception (a genuine one: not a blocked download, a missing package or the
   time budget) with no engine error/warning on its statement, and every None gradient TF
   returned where the engine has no gradient finding on that statement.
"""

from __future__ import annotations

import ast
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT / "tests" / "oracle", ROOT / "server"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from ecotf_stubs import SMALL_STUBS, STUB_SIZES  # noqa: E402
from gradient_probe import (  # noqa: E402  # pyright: ignore[reportMissingImports]
    calls_on_statement,
    prove_empty_gradients,
    prove_none_gradient,
    statement_span,
)
from oracle_support import (  # noqa: E402  # pyright: ignore[reportMissingImports]
    severity_name,
    tf_tensor_records,
)

REPORTED = ("error", "warning")


@dataclass
class EngineView:
    """The engine's analysis of one program, in program lines."""

    source: str
    tree: ast.Module | None
    findings: list[Any]
    facts: dict[tuple[int, str], Any]
    locate: Any  # program line -> "cell:line" text (notebooks) or "line"
    seconds: float
    error: str | None = None


def _where(program: Any) -> Any:
    if program is None:
        return str
    return lambda line: f"{program.locate(line).cell}:{program.locate(line).line}"


def analyse(path: Path) -> EngineView:
    """Analyse ``path`` with the engine the way ``shapelens check`` does, keeping program
    lines (for a notebook, ``analyze_notebook`` would map them to cells; we map when printing)."""
    from shapelens.core import analyze, disk_resolver, load_config
    from shapelens.notebook import read_notebook
    from shapelens.sources import read_source

    source = read_source(path)
    program = None
    config = load_config(path.parent)
    started = time.perf_counter()
    try:
        if path.suffix == ".ipynb":
            program = read_notebook(source)
            source = program.source
            analysis = analyze(source, str(path), config)
        else:
            roots = [config.root] if config.root is not None else [Path.cwd()]
            analysis = analyze(source, str(path), config,
                               resolver=disk_resolver([*roots, path.parent]))
    except Exception as exc:  # an engine crash is a result, not the end of the run
        return EngineView(source, None, [], {}, _where(program), time.perf_counter() - started,
                          error=f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = None
    facts: dict[tuple[int, str], Any] = {}
    for fact in analysis.assignments:
        facts.setdefault((fact.line, fact.name), fact)
    findings = [f for f in analysis.findings if severity_name(f.severity) in REPORTED]
    return EngineView(source, tree, findings, facts, _where(program), seconds)


@dataclass
class Judgement:
    """Everything the comparison found for one program (JSON-ready lists of dicts)."""

    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    confirmed: list[dict[str, Any]] = field(default_factory=list)  # true findings
    unverified: list[dict[str, Any]] = field(default_factory=list)
    unreached: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    tf_tensors: int = 0
    tf_known: int = 0  # ... whose static shape in TF is fully known (no None dimension)
    covered: int = 0
    # ... whose engine shape has TF's rank and every dim TF's static shape knows (TF's None
    # dims: anything), and the engine shapes of known rank that contradict TF's
    given: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    compared: int = 0
    agreeing: int = 0
    stub_size: int = 0
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    uncovered: list[dict[str, Any]] = field(default_factory=list)  # JSON only: where to look


def _span(view: EngineView, line: int) -> tuple[int, int]:
    return statement_span(view.tree, line) if view.tree is not None else (line, line)


def _reached(view: EngineView, record: dict[str, Any], line: int) -> bool:
    """Did TF execute the statement holding ``line``, in Python or while tracing it into a
    graph (``graph_lines``)? Records of harness versions <= 6 have no mapped graph lines: then
    a line inside a function of that name AutoGraph converted counts as reached."""
    first, last = _span(view, line)
    executed = set(record.get("executed") or []) | set(record.get("graph_lines") or [])
    if any(n in executed for n in range(first, last + 1)):
        return True
    graph = set(record.get("graph_functions") or [])
    if record.get("graph_lines") or view.tree is None or not graph:
        return False
    for node in ast.walk(view.tree):
        if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in graph
                and node.lineno <= line <= (node.end_lineno or node.lineno)):
            return True
    return False


_NOT_ERRORS = frozenset({"StopIteration", "StopAsyncIteration", "GeneratorExit"})


def _caught_here(view: EngineView, record: dict[str, Any], line: int) -> str:
    """The exception classes TF raised on this statement although the program went on
    (caught by its own ``try``), as text; empty if none."""
    first, last = _span(view, line)
    raised = record.get("raised_lines") or {}
    names = {name for n in range(first, last + 1) for name in raised.get(str(n), ())}
    return ", ".join(sorted(names - _NOT_ERRORS))


def _source_texts(view: EngineView, line: int) -> list[str] | None:
    """The sources of the ``.gradient(target, sources)`` call on this statement, as source
    text in the order the probe records them (``tf.nest.flatten``: a dict by sorted key)."""
    if view.tree is None:
        return None
    first, last = _span(view, line)
    for node in ast.walk(view.tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "gradient" and first <= node.lineno <= last):
            continue
        sources = node.args[1] if len(node.args) > 1 else next(
            (k.value for k in node.keywords if k.arg == "sources"), None)
        if sources is None:
            return None
        if isinstance(sources, (ast.List, ast.Tuple)):
            return [ast.unparse(e) for e in sources.elts]
        if isinstance(sources, ast.Dict):
            pairs = [(ast.literal_eval(k), ast.unparse(v)) for k, v in
                     zip(sources.keys, sources.values, strict=True)
                     if isinstance(k, ast.Constant)]
            return [v for _, v in sorted(pairs)]
        return [ast.unparse(sources)]
    return None


def _named_source_not_none(view: EngineView, finding: Any, calls: list[dict[str, Any]],
                           ) -> str | None:
    """None if the source the message names got a None gradient (or cannot be told apart),
    else why not: a None for *another* source does not make this claim true."""
    match = re.search(r"w\.r\.t\. (\S+) is None", finding.message)
    texts = _source_texts(view, finding.span.line)
    if match is None or not texts or match.group(1) not in texts:
        return None
    index = texts.index(match.group(1))
    for call in calls:
        grads = call.get("grads") or []
        if index < len(grads) and grads[index].get("none"):
            return None
    return f"TF's gradient w.r.t. {match.group(1)} is not None (another source's is)"


def _error_lines(view: EngineView, error: dict[str, Any] | None) -> set[int]:
    """Every line of the statements TF's exception points at."""
    if not error:
        return set()
    lines: set[int] = set()
    for line in [error.get("line"), error.get("frame_line"), *(error.get("message_lines") or [])]:
        if isinstance(line, int):
            first, last = _span(view, line)
            lines.update(range(first, last + 1))
    return lines


def error_headline(error: dict[str, Any]) -> str:
    """``Class: the real cause`` of TF's exception, out of the "in user code:" and Keras
    "Exception encountered when calling" wrappers."""
    lines = [ln.strip() for ln in (error.get("message") or "").splitlines() if ln.strip()]
    kind = error.get("type", "Exception")
    for i, line in enumerate(lines):
        match = re.match(r"(\w+(?:Error|Exception|Warning)): (.*)", line)
        if match:
            kind, text = match.group(1), match.group(2)
            if text.startswith("Exception encountered when calling") and i + 1 < len(lines):
                text = lines[i + 1]
            return f"{kind}: {text}"[:300]
    if lines and lines[0].startswith("Exception encountered when calling") and len(lines) > 1:
        return f"{kind}: {lines[1]}"[:300]
    return f"{kind}: {lines[0]}"[:300] if lines else kind


def rules_for_error(error: dict[str, Any]) -> list[str]:
    """Rule codes whose catalogued TF errors (class + message pattern) fit this exception:
    the errors ShapeLens means to catch. Empty: outside the rules (an API or data error)."""
    from shapelens.rules.catalogue import BY_CODE

    classes = set(error.get("mro") or [error.get("type")])
    message = error.get("message") or ""
    return sorted(code for code, rule in BY_CODE.items() for names, pattern in rule.tf_errors
                  if classes.intersection(names) and re.search(pattern, message, re.S))


def _gradient_claim(code: str) -> str:
    from shapelens.rules.catalogue import BY_CODE

    rule = BY_CODE.get(code)
    return getattr(rule, "silent_outcome", "") if rule is not None else ""


def _finding_item(view: EngineView, finding: Any, why: str = "") -> dict[str, Any]:
    line = finding.span.line
    return {"line": line, "where": view.locate(line), "code": finding.code,
            "message": finding.message, **({"why": why} if why else {})}


def judge_findings(view: EngineView, record: dict[str, Any], genuine_error: bool,
                   out: Judgement) -> None:
    """Sort every error/warning into false alarm, confirmed, unverified or unreached."""
    calls = record.get("gradients") or []
    error_lines = _error_lines(view, record.get("error")) if genuine_error else set()
    for finding in view.findings:
        line = finding.span.line
        item = _finding_item(view, finding)
        if not _reached(view, record, line):
            out.unreached.append(item)
            continue
        if line in error_lines:
            out.confirmed.append({**item, "why": "TF raised on this statement"})
            continue
        caught = _caught_here(view, record, line)
        if caught:
            out.confirmed.append({**item, "why": f"TF raised {caught} here; the program "
                                  "caught it"})
            continue
        claim = _gradient_claim(finding.code)
        here = calls_on_statement(calls, view.tree, line) if view.tree is not None else []
        if claim == "none-gradient":
            why = prove_none_gradient(here)
            if why is None:
                why = _named_source_not_none(view, finding, here)
            if why is None:
                out.confirmed.append({**item, "why": "tape.gradient returned None here"})
                continue
            item["why"] = why
        elif finding.code == "SL314" and here and prove_empty_gradients(here) is None:
            out.confirmed.append({**item, "why": "tape.gradient got no sources here"})
            continue
        elif claim == "wrong-gradient" and finding.code == "SL306":
            out.unverified.append({**item, "why": "a wrong-gradient claim; TF runs either way"})
            continue
        out.false_alarms.append(item)


def find_misses(view: EngineView, record: dict[str, Any], genuine_error: bool,
                out: Judgement) -> None:
    """TF's genuine exception and None gradients that no engine finding explains."""
    flagged: set[int] = set()
    gradient_flagged: set[int] = set()
    for finding in view.findings:
        first, last = _span(view, finding.span.line)
        flagged.update(range(first, last + 1))
        if finding.code.startswith("SL3"):
            gradient_flagged.update(range(first, last + 1))
    error = record.get("error")
    if genuine_error and error:
        lines = _error_lines(view, error)
        if not lines & flagged:
            line = error.get("line")
            rules = rules_for_error(error)
            out.misses.append({
                "kind": "error" if rules else "error outside the rules", "line": line,
                "where": view.locate(line) if isinstance(line, int) else "?",
                "message": error_headline(error), "rules": sorted(set(rules)),
            })
    seen: set[int] = set()
    for call in record.get("gradients") or []:
        line = call.get("line")
        if not isinstance(line, int) or line in seen:
            continue
        nones = [i for i, g in enumerate(call.get("grads") or []) if g.get("none")]
        if not nones or line in gradient_flagged:
            continue
        seen.add(line)
        out.misses.append({
            "kind": "none-gradient", "line": line, "where": view.locate(line),
            "message": f"{call['method']} returned None for source(s) {nones} of "
            f"{len(call.get('grads') or [])}",
        })


def _known(shape: Any) -> bool:
    return shape is not None and all(isinstance(d, int) and not isinstance(d, bool)
                                     for d in shape)


def compare_shapes(view: EngineView, record: dict[str, Any], out: Judgement) -> None:
    """Agreement and coverage over the TF-recorded tensor values."""
    stubs = set((record.get("harness") or {}).get("stubs") or ())
    small = bool(stubs & SMALL_STUBS)
    for (line, name), item in tf_tensor_records(record).items():
        out.tf_tensors += 1
        out.tf_known += _known(item["shape"])
        fact = view.facts.get((line, name))
        engine = tuple(fact.shape) if fact is not None and fact.shape is not None else None
        verdict = _static_verdict(engine, item["shape"])
        out.given += verdict == "given"
        if verdict == "conflict" and not _known(engine):
            out.conflicts.append({"where": view.locate(line), "name": name,
                                  "engine": list(engine or ()), "tf": item["shape"]})
        if not _known(engine):
            out.uncovered.append({"where": view.locate(line), "name": name, "tf": item["shape"],
                                  "engine": None if engine is None else list(engine)})
            continue
        out.covered += 1
        tf_shape = item["shape"]
        if not _known(tf_shape):
            continue
        out.compared += 1
        if list(engine or ()) == list(tf_shape):
            out.agreeing += 1
            continue
        entry = {"line": line, "where": view.locate(line), "name": name,
                 "engine": list(engine or ()), "tf": tf_shape}
        if stubs and _only_stub_axis(list(engine or ()), tf_shape, small):
            out.stub_size += 1
            entry["stub_size"] = True
        out.disagreements.append(entry)


def _static_verdict(engine: tuple[Any, ...] | None, tf: list[Any] | None) -> str:
    """"given": the engine's shape has TF's rank and each dim TF's static shape knows (a dim
    TF leaves None may be a symbol or unknown in the engine); "conflict": a known rank or
    dim that differs from TF's; "partial": neither (rank only, or dims TF knows missing)."""
    if engine is None or tf is None:
        return "partial"
    if len(engine) != len(tf):
        return "conflict"
    if any(isinstance(e, int) and isinstance(t, int) and e != t for e, t in zip(engine, tf)):
        return "conflict"
    return "given" if all(isinstance(e, int) for e, t in zip(engine, tf)
                          if isinstance(t, int)) else "partial"


def _only_stub_axis(engine: list[int], tf: list[int], small: bool) -> bool:
    """Same rank, differing only on axis 0 where TF's size is an old small stub's, or, when
    the program loaded a data set stubbed smaller than the real one, smaller than the
    engine's (as the stub, or a slice of it, is)."""
    if len(engine) != len(tf) or not engine or engine[1:] != tf[1:]:
        return False
    return tf[0] in STUB_SIZES or (small and tf[0] < engine[0])


def judge(view: EngineView, record: dict[str, Any], status: str) -> Judgement:
    """The whole comparison for one program TF ran (``status`` from the harness)."""
    out = Judgement()
    genuine_error = status == "raised"
    judge_findings(view, record, genuine_error, out)
    find_misses(view, record, genuine_error, out)
    compare_shapes(view, record, out)
    return out
