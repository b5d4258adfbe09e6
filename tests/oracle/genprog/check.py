"""Compare what the engine says about a program with what TensorFlow did when it ran it.

Three checks, per program:

(a) **false alarm**: an error or warning the run disproves. TF ran cleanly: every error or
    warning is false, except a silent-capable gradient rule (SL3xx with a ``none-gradient``
    outcome, SL314) that the gradient probe proves: some ``tape.gradient`` on that statement
    returned None (SL314: some call got no sources), and a ``constant-result`` warning (SL115),
    which expects the run to succeed. TF raised: findings in module-level
    statements that TF finished before the failing one are false (defs, whose bodies may run
    later, are not judged).
(b) **shape disagreement**: an engine shape whose int dims are not those of any value TF
    gave that ``name = expr`` (``genprog.run`` records up to 4 distinct ones); None or a
    symbol in the engine claims nothing, ``DYNAMIC`` claims TF's
    None), an engine dtype that is not TF's (a wrong dtype is how SL111 false alarms start),
    or the model table of a Sequential/functional model that differs from Keras'
    (``compare_model_table``). When TF raised, only module-level statements it finished
    are compared (a function body's fact may come from a call TF never made).
(c) **miss**: TF raised at a module-level simple statement, TF's error is one the catalogue
    names (some rule's ``tf_errors`` match it), and the engine *knew every input*: every
    name the statement reads (other than modules) has an engine tensor fact with fully known
    int dims and a dtype, at its latest module-level assignment above (a Keras model: the
    engine has its layer table). Then the engine must
    report an error on that statement with a rule whose ``tf_errors`` match. Statements that
    read non-tensor values (lists of tensors, layers, models) or run code elsewhere (calls of
    helpers, fit) are not judged: the engine cannot be required to know what it cannot see.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from gradient_probe import calls_on_statement, prove_empty_gradients, prove_none_gradient
from oracle_support import (
    TENSOR_KINDS,
    EngineResult,
    compare_model_table,
    engine_agrees,
    rule_matches,
    severity_name,
    tf_model_records,
    tf_tensor_records,
)

MODULES = frozenset({"tf", "np", "keras"})
GRADIENT_OUTCOMES = frozenset({"none-gradient"})
EMPTY_GRADIENT_CODES = frozenset({"SL314"})
SOME_NONE_CODES = frozenset({"SL312"})
# Model tables are compared for graph models only. Keras builds a subclassed model by a
# symbolic run (batch None), or inside fit with its batch size, so its summary rows need not
# have the batch the engine gives from the first eager call (bench/FUZZ.md).
GRAPH_MODELS = frozenset({"Sequential", "Functional"})
# Rules whose errors depend on the values in the data, not only on shapes (an index past a
# dimension): a miss is judged only where the index is in the program text, not in the data.
VALUE_RULES = frozenset({"SL108"})
# Rules whose tf_errors regex also fits errors of other calls: judged only on statements
# with this call (SL312's "Cannot update variable with shape" is also var.assign_add's).
RULE_CALLS = {"SL312": "apply_gradients"}
DATA_METHODS = frozenset({"fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
                          "predict_on_batch"})


@dataclass
class Verdict:
    """What one program showed."""

    tf_error: dict[str, Any] | None = None
    false_alarms: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    hits: int = 0
    judged_errors: int = 0  # TF errors where (c) applied
    shapes_compared: int = 0
    crash: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.false_alarms or self.disagreements or self.crash)

    def signature(self) -> str:
        """A coarse class of the failure, kept constant while shrinking."""
        if self.crash:
            return "crash:" + self.crash.split(":")[0]
        if self.false_alarms:
            return "false-alarm:" + self.false_alarms[0].split()[2]
        if self.disagreements:
            return "dtype" if " dtype " in self.disagreements[0] else "disagreement"
        return "miss" if self.misses else ""


def _top_statements(tree: ast.Module) -> list[ast.stmt]:
    return list(tree.body)


def _top_index(tree: ast.Module, line: int) -> int | None:
    for i, node in enumerate(tree.body):
        if node.lineno <= line <= (node.end_lineno or node.lineno):
            return i
    return None


def _silent_justified(code: str, line: int, tree: ast.Module, calls: list[dict[str, Any]]
                      ) -> bool:
    """Is a silent-capable finding proven by what ``tape.gradient`` returned?"""
    from shapelens.rules.catalogue import BY_CODE

    rule = BY_CODE.get(code)
    if rule is None:
        return False
    if rule.silent_outcome in GRADIENT_OUTCOMES:
        return prove_none_gradient(calls_on_statement(calls, tree, line)) is None
    if code in EMPTY_GRADIENT_CODES:
        return prove_empty_gradients(calls) is None
    if code in SOME_NONE_CODES:  # the warning half of SL312: some gradient really was None
        return prove_none_gradient(calls) is None
    # A degenerate computation (argmax over a size-1 axis) claims a constant result, not a
    # failure: TF running the line is what it expects; the size-1 axis it names is a shape,
    # which check (b) compares with TF's.
    return rule.silent_outcome == "constant-result"


def _describe(finding: Any) -> str:
    return f"line {finding.span.line} {finding.code} ({severity_name(finding.severity)}): " \
           f"{finding.message}"


def false_alarms(tree: ast.Module, record: dict[str, Any], engine: EngineResult) -> list[str]:
    """Check (a)."""
    error = record.get("error")
    calls = record.get("gradients") or []
    failing = None if error is None or error.get("line") is None else \
        _top_index(tree, error["line"])
    out = []
    for finding in engine.reported():
        line = finding.span.line
        if error is not None:
            top = _top_index(tree, line)
            if failing is None or top is None or top >= failing:
                continue
            if isinstance(tree.body[top], (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                continue
        if _silent_justified(finding.code, line, tree, calls):
            continue
        out.append(_describe(finding))
    return out


def _reached_fully(tree: ast.Module, line: int, failing: int | None) -> bool:
    """After TF raised in top-level statement ``failing``, may the engine's fact for ``line``
    be compared? Only for module-level statements TF finished: a function body's fact may
    come from a call TF never made (e.g. after the error)."""
    if failing is None:
        return True
    top = _top_index(tree, line)
    return top is not None and top < failing and not isinstance(
        tree.body[top], (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))


def disagreements(tree: ast.Module, record: dict[str, Any], engine: EngineResult
                  ) -> tuple[list[str], int]:
    """Check (b): (problems, number of shapes compared)."""
    error = record.get("error")
    failing = None
    if error is not None:
        failing = -1 if error.get("line") is None else _top_index(tree, error["line"])
        failing = -1 if failing is None else failing
    facts = engine.shapes()
    out, compared = [], 0
    values: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for item in record.get("assignments", []):
        if item["kind"] in TENSOR_KINDS and item["shape"] is not None:
            values.setdefault((item["line"], item["name"]), []).append(item)
    for (line, name), item in sorted(tf_tensor_records(record).items()):
        fact = facts.get((line, name))
        if fact is None or fact.shape is None or not _reached_fully(tree, line, failing):
            continue
        compared += 1
        seen = values.get((line, name), [item])
        engine_shape = tuple(fact.shape)
        if not any(dims_agree(engine_shape, v["shape"]) for v in seen):
            tf_text = " or ".join(str(tuple(v["shape"])) for v in seen)
            out.append(f"line {line} {name}: engine {engine_shape} vs tf {tf_text}")
        elif fact.dtype is not None and all(v.get("dtype") and fact.dtype != v["dtype"]
                                            for v in seen):
            out.append(f"line {line} {name}: engine dtype {fact.dtype} vs tf {item['dtype']}")
    models = engine.models()
    for (line, name), tf_model in sorted(tf_model_records(record).items()):
        if tf_model.get("class") not in GRAPH_MODELS:
            continue  # a subclassed model's rows: see GRAPH_MODELS
        fact = models.get((line, name))
        if fact is None or not getattr(fact, "layers", None):
            continue
        result = compare_model_table(_RowsView(fact), tf_model)
        out.extend(f"line {line} model {name}: {p}" for p in result.problems)
    return out, compared


def dims_agree(engine: tuple[Any, ...], tf: list[int | None]) -> bool:
    """``engine_agrees``, and a dim the engine proves ``None`` (``DYNAMIC``) is None in TF."""
    if not engine_agrees(engine, tf):
        return False
    return all(tf_dim is None for e, tf_dim in zip(engine, tf) if _is_dynamic(e))


def _is_dynamic(dim: Any) -> bool:
    return type(dim).__name__ == "Dynamic"


def _plain(shape: Any) -> Any:
    """A row's output shape with dims the table comparison does not know (``DYNAMIC``) as
    a symbol, which claims nothing there."""
    if isinstance(shape, (tuple, list)):
        return type(shape)(_plain(d) for d in shape)
    return "dynamic" if _is_dynamic(shape) else shape


class _RowsView:
    """A model fact whose rows' output shapes are ``_plain``."""

    def __init__(self, fact: Any) -> None:
        self.params = getattr(fact, "params", None)
        self.layers = [_Row(r) for r in fact.layers]


class _Row:
    def __init__(self, row: Any) -> None:
        self.layer = row.layer
        self.params = getattr(row, "params", None)
        self.output_shape = _plain(getattr(row, "output_shape", None))


def _runs_on_data(stmt: ast.stmt) -> bool:
    """Does the statement run a model over data (fit, evaluate, predict, a call)?"""
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in DATA_METHODS:
            return True
    return False


def _loaded_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _inputs_known(tree: ast.Module, stmt: ast.stmt, engine: EngineResult,
                  record: dict[str, Any]) -> bool:
    """Did the engine know every input of this module-level statement (see module doc)?"""
    facts = engine.shapes()
    models = engine.models()
    kinds = {(r["line"], r["name"]): r["kind"] for r in record.get("assignments", [])}
    for name in _loaded_names(stmt) - MODULES:
        lines = [n.lineno for n in tree.body[: tree.body.index(stmt)]
                 if isinstance(n, ast.Assign) and any(
                     isinstance(t, ast.Name) and t.id == name for t in n.targets)]
        if lines and getattr(models.get((lines[-1], name)), "layers", None):
            continue  # a model the engine has the whole layer table of
        if not lines or kinds.get((lines[-1], name)) not in TENSOR_KINDS:
            return False
        fact = facts.get((lines[-1], name))
        if fact is None or fact.shape is None or fact.dtype is None:
            return False
        if not all(isinstance(d, int) and not isinstance(d, bool) for d in fact.shape):
            return False
    return True


def misses(tree: ast.Module, record: dict[str, Any], engine: EngineResult
           ) -> tuple[list[str], int, int]:
    """Check (c): (misses, hits, judged)."""
    from shapelens.rules.catalogue import RULES

    error = record.get("error")
    if error is None or error.get("line") is None:
        return [], 0, 0
    top = _top_index(tree, error["line"])
    if top is None:
        return [], 0, 0
    stmt = tree.body[top]
    if not isinstance(stmt, (ast.Assign, ast.Expr)) or error["line"] != error.get("frame_line"):
        return [], 0, 0
    named = [r.code for r in RULES if r.tf_errors and rule_matches(r.code, error)]
    if not named or not _inputs_known(tree, stmt, engine, record):
        return [], 0, 0
    if set(named) <= VALUE_RULES and _runs_on_data(stmt):
        return [], 0, 0  # e.g. token ids past an Embedding's vocabulary: values, not shapes
    named = [c for c in named if RULE_CALLS.get(c, "") in ast.unparse(stmt)]
    if not named:
        return [], 0, 0  # the message fits a rule about another call (see RULE_CALLS)
    end = stmt.end_lineno or stmt.lineno
    here = [f for f in engine.reported() if stmt.lineno <= f.span.line <= end]
    if any(rule_matches(f.code, error) for f in here):
        return [], 1, 1
    if any(severity_name(f.severity) == "error" for f in here):
        return [], 0, 0  # another error there too (TF names only the first it checks)
    got = ", ".join(f.code for f in here) or "nothing"
    return [f"line {error['line']}: TF {error['type']} ({'/'.join(named)}: "
            f"{error['message'].splitlines()[0][:160]}), engine reports {got}"], 0, 1


def judge(source: str, record: dict[str, Any], engine: EngineResult) -> Verdict:
    """All three checks for one program."""
    verdict = Verdict(tf_error=record.get("error"))
    if engine.error is not None:
        verdict.crash = engine.error
        return verdict
    tree = ast.parse(source)
    verdict.false_alarms = false_alarms(tree, record, engine)
    verdict.disagreements, verdict.shapes_compared = disagreements(tree, record, engine)
    verdict.misses, verdict.hits, verdict.judged_errors = misses(tree, record, engine)
    return verdict
