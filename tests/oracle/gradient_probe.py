"""Record what ``GradientTape.gradient`` (and ``jacobian``/``batch_jacobian``) really return.

Used by ``tf_runner.py`` while a fixture runs: ``GradientProbe`` patches the three methods on
``tf.GradientTape`` for the duration of one fixture and records, for every call made *by the
fixture itself* (the calling frame is in the fixture file, directly or through AutoGraph's
generated code for a ``tf.function``), the line of the call and each returned gradient: is it
``None``, its shape and dtype, and (eager, small) its value; plus each source's shape. Calls
that Keras or TF make internally (``model.fit``'s train step, ``jacobian``'s own
``gradient`` calls) are not recorded.

Also here, because the oracle needs it next to the probe: ``tf_only_rewrite``, which turns
the NumPy / ``float()`` parts of a tape's recorded code into TensorFlow ops (same lines), so
that a "silently wrong gradient" can be proven by comparing the fixture's gradient with the
gradient of the rewritten program.

Nothing here imports TensorFlow at module level, so the oracle's self-tests stay fast.
"""

from __future__ import annotations

import ast
import functools
import gc
import sys
import threading
from types import FrameType
from typing import Any

METHODS = ("gradient", "jacobian", "batch_jacobian")
MAX_CALLS = 2000  # per fixture; later calls are only counted
MAX_VALUES_PER_LINE = 3  # eager values kept for the first calls on each line
MAX_VALUE_SIZE = 4096  # elements; larger gradients keep no value
_AUTOGRAPH_FILE = "__autograph_generated_file"
_AUTOGRAPH_MACHINERY = ("/tensorflow/python/autograph/", "/tensorflow/python/util/")


def _dims(shape: Any) -> list[int | None] | None:
    if shape is None:
        return None
    try:
        as_list = shape.as_list() if hasattr(shape, "as_list") else list(shape)
    except (TypeError, ValueError):
        return None
    return [None if d is None else int(d) for d in as_list]


class GradientProbe:
    """Context manager: patch ``tf.GradientTape`` methods and record the fixture's calls."""

    def __init__(self, tf: Any, np: Any, filename: str) -> None:
        self.tf = tf
        self.np = np
        self.filename = filename
        self.calls: list[dict[str, Any]] = []
        self.dropped = 0
        self._originals: dict[str, Any] = {}
        self._local = threading.local()
        self._values_per_line: dict[int, int] = {}

    # -------------------------------------------------------------- patching
    def __enter__(self) -> GradientProbe:
        tape_cls = self.tf.GradientTape
        for name in METHODS:
            original = getattr(tape_cls, name, None)
            if original is None:
                continue
            self._originals[name] = original
            setattr(tape_cls, name, self._wrap(name, original))
        return self

    def __exit__(self, *exc: Any) -> None:
        tape_cls = self.tf.GradientTape
        for name, original in self._originals.items():
            setattr(tape_cls, name, original)
        self._originals.clear()

    def _wrap(self, method: str, original: Any) -> Any:
        probe = self

        @functools.wraps(original)
        def wrapper(tape: Any, *args: Any, **kwargs: Any) -> Any:
            depth = getattr(probe._local, "depth", 0)
            line = probe._user_line(sys._getframe(1)) if depth == 0 else None
            probe._local.depth = depth + 1
            try:
                result = original(tape, *args, **kwargs)
            finally:
                probe._local.depth = depth
            if line is not None:
                try:
                    target = args[0] if args else kwargs.get("target")
                    if len(args) > 1:
                        sources = args[1]
                    else:
                        sources = kwargs.get("sources", kwargs.get("source"))
                    probe._record(method, line, target, sources, result)
                except Exception as exc:  # recording must never break the fixture
                    probe.calls.append({"line": line, "method": method, "probe_error": repr(exc)})
            return result

        return wrapper

    # -------------------------------------------------------------- where the call is
    def _user_line(self, frame: FrameType | None) -> int | None:
        """The fixture line that called the method, or None if TF/Keras made the call."""
        while frame is not None:
            filename = frame.f_code.co_filename
            if filename == self.filename:
                return frame.f_lineno
            if _AUTOGRAPH_FILE in filename:
                origin = _autograph_origin(frame)
                if origin is not None and origin[0] == self.filename:
                    return origin[1]
                return None
            if any(part in filename for part in _AUTOGRAPH_MACHINERY):
                frame = frame.f_back  # converted_call & co. between the user code and us
                continue
            return None
        return None

    # -------------------------------------------------------------- what it returned
    def _record(self, method: str, line: int, target: Any, sources: Any, result: Any) -> None:
        if len(self.calls) >= MAX_CALLS:
            self.dropped += 1
            return
        nest = self.tf.nest
        flat_sources = nest.flatten(sources)
        flat_results = nest.flatten(result) if result is not None else [None]
        if len(flat_results) != len(flat_sources):  # e.g. a single source given
            flat_results = [result] if len(flat_sources) == 1 else flat_results
        keep_values = self._values_per_line.get(line, 0) < MAX_VALUES_PER_LINE
        grads = [self._describe(g, keep_values) for g in flat_results]
        if keep_values:
            self._values_per_line[line] = self._values_per_line.get(line, 0) + 1
        target_shapes = []
        for t in nest.flatten(target) if target is not None else []:
            target_shapes.append(_dims(getattr(t, "shape", None)))
        self.calls.append(
            {
                "line": line,
                "method": method,
                "graph": not self.tf.executing_eagerly(),
                "sources": [_dims(getattr(s, "shape", None)) for s in flat_sources],
                "targets": target_shapes,
                "grads": grads,
            }
        )

    def _describe(self, grad: Any, keep_value: bool) -> dict[str, Any]:
        if grad is None:
            return {"none": True}
        info: dict[str, Any] = {
            "none": False,
            "type": type(grad).__name__,
            "shape": _dims(getattr(grad, "shape", None)),
            "dtype": getattr(getattr(grad, "dtype", None), "name", None),
        }
        if keep_value and self.tf.executing_eagerly():
            try:
                dense = self.tf.convert_to_tensor(grad)
                if int(self.np.prod(dense.shape)) <= MAX_VALUE_SIZE:
                    info["value"] = self.np.asarray(dense, dtype=self.np.float64).tolist()
            except Exception:
                pass
        return info


def _autograph_origin(frame: FrameType) -> tuple[str, int] | None:
    """Map a frame in AutoGraph-generated code to (original file, line) via its source map."""
    for ref in gc.get_referrers(frame.f_code):
        source_map = getattr(ref, "ag_source_map", None)
        if not source_map:
            continue
        for loc, origin in source_map.items():
            if loc.lineno == frame.f_lineno and loc.filename == frame.f_code.co_filename:
                return origin.loc.filename, origin.loc.lineno
    return None


# ------------------------------------------------------------------ tf-only rewrite
TNP = "__import__('tensorflow').experimental.numpy"
FLOAT_AS_TF = (
    "(lambda __v: __import__('tensorflow').reshape(__v, []) "
    "if __import__('tensorflow').is_tensor(__v) else float(__v))"
)


def _is_tape_with(node: ast.AST) -> bool:
    if not isinstance(node, (ast.With, ast.AsyncWith)):
        return False
    for item in node.items:
        call = item.context_expr
        if isinstance(call, ast.Call):
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "GradientTape":
                return True
    return False


def _recorded_regions(tree: ast.Module) -> list[ast.AST]:
    """The bodies of GradientTape with-blocks, plus module-level functions (transitively)
    called by name inside them: the code whose ops the tape records."""
    functions = {
        n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    regions: list[ast.AST] = [n for n in ast.walk(tree) if _is_tape_with(n)]
    seen: set[str] = set()
    queue = list(regions)
    while queue:
        region = queue.pop()
        for node in ast.walk(region):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name = node.func.id
                if name in functions and name not in seen:
                    seen.add(name)
                    regions.append(functions[name])
                    queue.append(functions[name])
    return regions


def tf_only_rewrite(source: str, numpy_functions: set[str] | None = None) -> str | None:
    """Rewrite ``np.f(...)`` and ``float(...)`` in the tape-recorded code into TF ops.

    ``np.f`` becomes ``tf.experimental.numpy.f`` (only for names in ``numpy_functions``
    when given) and ``float(t)`` of a tensor becomes ``tf.reshape(t, [])``, so TensorFlow
    records what the fixture meant. Every edit stays on its line, so line numbers are kept.
    Returns None when there is nothing to rewrite.
    """
    tree = ast.parse(source)
    edits: set[tuple[int, int, int, str]] = set()  # (line, col, end_col, replacement)
    for region in _recorded_regions(tree):
        for node in ast.walk(region):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in ("np", "numpy")
                and (numpy_functions is None or func.attr in numpy_functions)
            ):
                v = func.value
                edits.add((v.lineno, v.col_offset, v.end_col_offset or 0, TNP))
            elif isinstance(func, ast.Name) and func.id == "float" and len(node.args) == 1:
                edits.add((func.lineno, func.col_offset, func.end_col_offset or 0, FLOAT_AS_TF))
    if not edits:
        return None
    lines = [line.encode("utf-8") for line in source.splitlines(keepends=True)]
    for line, col, end_col, text in sorted(edits, reverse=True):
        raw = lines[line - 1]
        lines[line - 1] = raw[:col] + text.encode() + raw[end_col:]
    return b"".join(lines).decode("utf-8")


def statement_span(tree: ast.Module, line: int) -> tuple[int, int]:
    """(first, last) line of the innermost simple statement covering ``line``."""
    best = (line, line)
    best_size = 1 << 30
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or isinstance(
            node,
            (
                ast.With,
                ast.AsyncWith,
                ast.For,
                ast.AsyncFor,
                ast.While,
                ast.If,
                ast.Try,
                ast.FunctionDef,
                ast.AsyncFunctionDef,
                ast.ClassDef,
            ),
        ):
            continue
        end = node.end_lineno or node.lineno
        if node.lineno <= line <= end and end - node.lineno < best_size:
            best, best_size = (node.lineno, end), end - node.lineno
    return best


# ------------------------------------------------------------------ proofs (used by the tests)
def _shape_compatible(a: list[int | None] | None, b: list[int | None] | None) -> bool:
    """Equal rank and equal dims where both are known (None = unknown)."""
    if a is None or b is None:
        return True
    if len(a) != len(b):
        return False
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


def expected_grad_shape(call: dict[str, Any], index: int) -> list[int | None] | None:
    """The shape the ``index``-th result of ``call`` must have: the source's shape for
    ``gradient``, target + source for ``jacobian``, target + source[1:] for batch_jacobian."""
    source = call["sources"][index] if index < len(call["sources"]) else None
    if source is None:
        return None
    if call["method"] == "gradient":
        return source
    targets = call.get("targets") or [None]
    target = targets[0]
    if target is None:
        return None
    return target + (source if call["method"] == "jacobian" else source[1:])


def shape_problems(call: dict[str, Any]) -> list[str]:
    """Results of one recorded call that are None or not shaped like their source."""
    if "probe_error" in call:
        return [f"line {call['line']}: the gradient probe failed: {call['probe_error']}"]
    problems = []
    for i, grad in enumerate(call["grads"]):
        where = f"line {call['line']} {call['method']} result #{i}"
        if grad["none"]:
            problems.append(f"{where} is None")
            continue
        want = expected_grad_shape(call, i)
        if not _shape_compatible(grad.get("shape"), want):
            problems.append(f"{where} has shape {grad.get('shape')}, expected {want}")
    return problems


def calls_on_statement(
    calls: list[dict[str, Any]], tree: ast.Module, line: int
) -> list[dict[str, Any]]:
    """Recorded calls made by the simple statement that contains ``line``."""
    first, last = statement_span(tree, line)
    return [c for c in calls if first <= c["line"] <= last]


def prove_none_gradient(calls: list[dict[str, Any]]) -> str | None:
    """None if some call returned a None gradient, else why not."""
    if not calls:
        return "no tape.gradient call was reached on this line"
    if any(g["none"] for c in calls for g in c.get("grads", [])):
        return None
    return f"all {len(calls)} call(s) on this line returned no None gradient"


def _values_differ(a: Any, b: Any, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    if isinstance(a, list) != isinstance(b, list):
        return True
    if isinstance(a, list):
        if len(a) != len(b):
            return True
        return any(_values_differ(x, y, rtol, atol) for x, y in zip(a, b, strict=True))
    return abs(a - b) > atol + rtol * abs(b)


def prove_wrong_gradient(
    calls: list[dict[str, Any]], reference: list[dict[str, Any]] | None
) -> str | None:
    """None if the gradient on this line is proven silently wrong, else why not.

    Proof: a gradient is not None and either (a) its shape is not the one its source
    requires (a wrong-shaped gradient is wrong) or (b) its value differs from the value on the
    same line of the TF-only rewrite (``reference``: that run's calls on the line).
    """
    if not calls:
        return "no tape.gradient call was reached on this line"
    if any(g["none"] for c in calls for g in c.get("grads", [])):
        return "a gradient on this line is None, not a wrong value"
    for call in calls:
        for i, grad in enumerate(call["grads"]):
            if not _shape_compatible(grad.get("shape"), expected_grad_shape(call, i)):
                return None
    if reference is None:
        return "shapes are right and there is no TF-only rewrite to compare values with"
    if not reference:
        return "the TF-only rewrite never reached this line"
    got, want = calls[0], reference[0]
    pairs = list(zip(got["grads"], want["grads"], strict=False))
    if not pairs or any("value" not in g or "value" not in w or w["none"] for g, w in pairs):
        return "no comparable eager gradient values on this line"
    if any(_values_differ(g["value"], w["value"]) for g, w in pairs):
        return None
    return (
        f"the gradient equals the TF-only rewrite's ({[g['value'] for g, _ in pairs]}): not wrong"
    )


def prove_empty_gradients(calls: list[dict[str, Any]]) -> str | None:
    """None if some tape.gradient call of the fixture got no sources (returned nothing)."""
    if any(c["method"] == "gradient" and not c.get("sources") for c in calls):
        return None
    return "no tape.gradient call in the fixture returned an empty list of gradients"


def prove_restarted_training(calls: list[dict[str, Any]]) -> str | None:
    """None if some ``tape.gradient`` line ran at least twice and returned the same gradient
    values every time (each step started again from the same weights: the updates were
    lost), else why not."""
    runs: dict[int, list[list[dict[str, Any]]]] = {}
    for call in calls:
        grads = call.get("grads") or []
        if call["method"] == "gradient" and grads and \
                all("value" in g and not g["none"] for g in grads):
            runs.setdefault(call["line"], []).append(grads)
    for seen in runs.values():
        if len(seen) >= 2 and not any(
                _values_differ(g["value"], f["value"])
                for later in seen[1:] for g, f in zip(later, seen[0], strict=True)):
            return None
    return "no tape.gradient line returned the same gradient at two steps"
