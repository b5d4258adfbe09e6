"""Run fixture programs under real TensorFlow and record what actually happens.

Usage: ``python tests/oracle/tf_runner.py --out results.json FILE...``

All fixtures run in this one process, because importing TensorFlow takes seconds and the
oracle should pay that once. For each fixture we record

* every ``name = expr`` statement the first time it is reached: the value's shape, dtype
  and kind (``tensor``/``variable``/``ndarray``/``keras``, or ``other`` for non-tensors);
* the exception it raised, if any: class (and its MRO names), full message, and the line in
  the fixture where it was raised;
* for every assignment whose value is a Keras model (``keras.Model``, ``Sequential``), the
  per-layer table ``model.summary()`` shows: layer class, output shape and ``count_params()``
  in the order of ``model.layers``, plus ``model.count_params()``. Only built models have a
  table: a model not yet built when its assignment is first reached (a lazily built
  ``Sequential``, a subclassed model) is looked at again when the fixture ends and recorded
  then, flagged ``"when": "end"``, if it was built by then (only when the fixture ran without
  an exception: a failed build or call can leave a model half built).

Instrumentation is textual: ``; __shapelens_record__(...)`` is appended right after each
assignment statement, at the end position ``ast`` reports. Every original line keeps its
number and columns, so tracebacks point at the real lines, and the instrumented text is put
in ``linecache`` under the fixture's real path so AutoGraph (``tf.function``), which re-reads
function source, converts the instrumented code too. A fixture never kills the runner: all
exceptions are caught and each fixture has a time budget (``signal.alarm``).

A notebook (``.ipynb``) runs as the one program ShapeLens analyses: its code cells in order,
magics and shell lines blanked in place (``shapelens.notebook.read_notebook``), so cells run
in order in one namespace, as in a kernel, and every line number is a program line, comparable
with the engine's as for a ``.py`` fixture. Its record also gives the ``cell`` and
``cell_line`` (line in the cell) of the error and of each assignment, through the same map.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import io
import json
import linecache
import numbers
import os
import random
import re
import signal
import sys
import time
import traceback
import warnings
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from gradient_probe import GradientProbe  # records what tape.gradient returns
from notebook_runs import add_cells, read_program  # .ipynb fixtures as one program

RECORDER = "__shapelens_record__"
SEED = 0
DEFAULT_BUDGET_S = 60
_MAX_CAPTURE = 4000


class FixtureTimeout(BaseException):
    """Raised by the alarm when a fixture exceeds its time budget (BaseException so that a
    fixture's own ``except Exception`` cannot swallow it)."""


def _assignment_ends(tree: ast.AST) -> list[tuple[int, int, int, int, str]]:
    """(end_line, end_col, line, col, name) of every ``name = expr`` statement."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.end_lineno is not None
            and node.end_col_offset is not None
        ):
            found.append(
                (
                    node.end_lineno,
                    node.end_col_offset,
                    node.lineno,
                    node.col_offset,
                    node.targets[0].id,
                )
            )
    return found


def instrument(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Append a recorder call after each assignment; returns (new source, statement table).

    Columns from ``ast`` are UTF-8 byte offsets, so edits are made on encoded lines.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    encoded = [line.encode("utf-8") for line in lines]
    statements: list[dict[str, Any]] = []
    ends = sorted(_assignment_ends(tree), key=lambda t: (t[2], t[3]))
    for index, (_end_line, _end_col, line, col, name) in enumerate(ends):
        statements.append({"index": index, "line": line, "col": col, "name": name})
    # Edit from the bottom right so earlier offsets stay valid.
    for index, (end_line, end_col, _line, _col, name) in sorted(
        enumerate(ends), key=lambda item: (item[1][0], item[1][1]), reverse=True
    ):
        raw = encoded[end_line - 1]
        call = f"; {RECORDER}({index}, {name})".encode()
        encoded[end_line - 1] = raw[:end_col] + call + raw[end_col:]
    return b"".join(encoded).decode("utf-8"), statements


class Recorder:
    """Collects the first value each instrumented assignment produced.

    With ``describe_model`` (``value -> table dict``, or None for a non-model), Keras models
    get a per-layer table too: at first reach if built, else at ``finish()`` if built by then.
    """

    def __init__(
        self, statements: list[dict[str, Any]], describe: Any, describe_model: Any = None
    ) -> None:
        self.statements = statements
        self.describe = describe
        self.describe_model = describe_model
        self.seen: set[int] = set()
        self.records: list[dict[str, Any]] = []
        self.models: list[dict[str, Any]] = []
        self._unbuilt: list[tuple[dict[str, Any], Any]] = []

    def __call__(self, index: int, value: Any) -> None:
        if index in self.seen:
            return
        self.seen.add(index)
        stmt = self.statements[index]
        try:
            info = self.describe(value)
        except Exception as exc:  # describing must never break the fixture
            info = {"kind": "other", "shape": None, "dtype": None, "type": repr(exc)}
        self.records.append(
            {"line": stmt["line"], "col": stmt["col"], "name": stmt["name"], **info}
        )
        if self.describe_model is not None:
            self._record_model(stmt, value, "assignment")

    def _record_model(self, stmt: dict[str, Any], value: Any, when: str) -> None:
        try:
            table = self.describe_model(value)
        except Exception:  # a broken table must never break the fixture
            return
        if table is None:  # not a model
            return
        if not table.get("built"):
            if when == "assignment":
                self._unbuilt.append((stmt, value))
            return
        self.models.append(
            {"line": stmt["line"], "col": stmt["col"], "name": stmt["name"], "when": when, **table}
        )

    def finish(self) -> None:
        """Record the models that were unbuilt at first reach and are built now."""
        pending, self._unbuilt = self._unbuilt, []
        for stmt, value in pending:
            self._record_model(stmt, value, "end")


def _dims(shape: Any) -> list[int | None] | None:
    """A shape object (TensorShape, tuple, ...) as a list of int/None, None if rank unknown."""
    if shape is None:
        return None
    as_list = getattr(shape, "as_list", None)
    if callable(as_list):
        try:
            return [None if d is None else int(d) for d in as_list()]
        except ValueError:  # TensorShape of unknown rank
            return None
    dims: list[int | None] = []
    for dim in shape:
        dim = getattr(dim, "value", dim)  # tf.compat.v1.Dimension
        dims.append(None if dim is None else int(dim))
    return dims


def _dtype_name(dtype: Any) -> str | None:
    if dtype is None:
        return None
    if isinstance(dtype, str):
        return dtype
    name = getattr(dtype, "name", None)
    return name if isinstance(name, str) else str(dtype)


def make_describer(tf: Any, np: Any, keras: Any) -> Any:
    """Build ``describe(value) -> {kind, shape, dtype, type}`` for the imported libraries."""
    keras_tensor_types: tuple[type, ...] = ()
    keras_variable_types: tuple[type, ...] = ()
    if keras is not None:
        kt = getattr(keras, "KerasTensor", None)
        if isinstance(kt, type):
            keras_tensor_types = (kt,)
        kv = getattr(keras, "Variable", None)
        if isinstance(kv, type):
            keras_variable_types = (kv,)

    def describe(value: Any) -> dict[str, Any]:
        type_name = f"{type(value).__module__}.{type(value).__qualname__}"
        kind: str | None = None
        if isinstance(value, (type, tf.TypeSpec)):
            kind = None
        elif keras_tensor_types and isinstance(value, keras_tensor_types):
            kind = "keras"
        elif isinstance(value, tf.Variable) or (
            keras_variable_types and isinstance(value, keras_variable_types)
        ):
            kind = "variable"
        elif isinstance(value, (tf.Tensor, tf.RaggedTensor, tf.SparseTensor)):
            kind = "tensor"
        elif isinstance(value, (np.ndarray, np.generic)):
            kind = "ndarray"
        elif hasattr(value, "shape") and hasattr(value, "dtype"):
            kind = "tensor"  # some other tensor-like (e.g. an IndexedSlices)
        if kind is None:
            return {"kind": "other", "shape": None, "dtype": None, "type": type_name}
        try:
            shape = _dims(value.shape)
        except (TypeError, ValueError):
            return {"kind": "other", "shape": None, "dtype": None, "type": type_name}
        return {"kind": kind, "shape": shape, "dtype": _dtype_name(value.dtype), "type": type_name}

    return describe


def _shape_structure(value: Any) -> Any:
    """A (possibly nested) output as dims: one tensor/shape gives ``[d, ...]``, several give
    ``[[d, ...], ...]``; None where a shape is unknown."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)) and not (
        value and all(d is None or isinstance(d, numbers.Integral) for d in value)
    ):
        items = [_shape_structure(v) for v in value]
        return items[0] if len(items) == 1 else items
    shape = getattr(value, "shape", value)
    try:
        return _dims(shape)
    except (TypeError, ValueError):
        return None


def _graph_nodes(model: Any) -> set[int] | None:
    """ids of the graph nodes of a Functional (or built Sequential) model, None if it has no
    graph (a subclassed model)."""
    graph = getattr(model, "_functional", None) or model
    by_depth = getattr(graph, "_nodes_by_depth", None)
    if not isinstance(by_depth, dict):
        return None
    return {id(node) for nodes in by_depth.values() for node in nodes}


def _layer_output(layer: Any, graph: set[int] | None) -> Any:
    """The layer's output shape in this model, the way ``model.summary()`` finds it: the first
    call of the layer inside the model's graph, else ``compute_output_shape`` on the shapes the
    layer was built with (subclassed models); None if neither is known."""
    nodes = [
        node
        for node in getattr(layer, "_inbound_nodes", None) or []
        if graph is None or id(node) in graph
    ]
    if nodes:
        return _shape_structure(nodes[0].output_tensors)
    build_shapes = getattr(layer, "_build_shapes_dict", None)
    if build_shapes:
        try:
            return _shape_structure(layer.compute_output_shape(**build_shapes))
        except Exception:
            return None
    return None


def _count_params(obj: Any) -> int | None:
    try:
        return int(obj.count_params())
    except Exception:  # unbuilt layers raise
        return None


def make_model_describer(keras: Any) -> Any:
    """Build ``describe_model(value)``: None for a non-model, else ``{built, class, params,
    layers: [{layer, name, output_shape, params}]}`` (layers only when built)."""
    model_type = getattr(keras, "Model", None) if keras is not None else None
    if not isinstance(model_type, type):
        return None

    def describe_model(value: Any) -> dict[str, Any] | None:
        if not isinstance(value, model_type):
            return None
        table: dict[str, Any] = {
            "built": bool(getattr(value, "built", False)),
            "class": type(value).__name__,
        }
        if not table["built"]:
            return table
        graph = _graph_nodes(value)
        table["params"] = _count_params(value)
        table["layers"] = [
            {
                "layer": type(layer).__name__,
                "name": getattr(layer, "name", None),
                "output_shape": _layer_output(layer, graph),
                "params": _count_params(layer),
            }
            for layer in value.layers
        ]
        return table

    return describe_model


_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")  # Keras bolds parts of its error messages
_USER_CODE_RE = r'File "{path}", line (\d+)'
GRAPH_MODE = [False]  # set by --graph


def error_line(exc: BaseException, tb: TracebackType | None, filename: str) -> dict[str, Any]:
    """Where in the fixture an exception was raised.

    ``frame_line`` is the innermost traceback frame in the fixture. Errors raised while
    tracing a ``tf.function`` carry the user's frames in the message instead ("in user
    code: File ..., line N"); the last such line is deeper, so it wins when present. In
    graph mode (``--graph``) the frames in a message are where the failing node was defined;
    TF raises at the ``run`` / ``eval`` line, the frame line.
    """
    frame_line = None
    for frame, lineno in traceback.walk_tb(tb):
        if _same_file(frame, filename):
            frame_line = lineno
    message_lines = [
        int(m) for m in re.findall(_USER_CODE_RE.format(path=re.escape(filename)), str(exc))
    ]
    line = message_lines[-1] if message_lines and not GRAPH_MODE[0] else frame_line
    return {"line": line, "frame_line": frame_line, "message_lines": message_lines}


def _same_file(frame: FrameType, filename: str) -> bool:
    return frame.f_code.co_filename == filename


def reset_state(tf: Any, np: Any, keras: Any) -> None:
    """Give every fixture the same fresh, seeded TensorFlow/Keras state."""
    if keras is not None:
        with contextlib.suppress(Exception):
            keras.backend.clear_session()
        with contextlib.suppress(Exception):
            keras.config.set_floatx("float32")
            keras.config.set_image_data_format("channels_last")
            keras.mixed_precision.set_global_policy("float32")
    with contextlib.suppress(Exception):
        tf.config.run_functions_eagerly(False)
    random.seed(SEED)
    np.random.seed(SEED)
    tf.random.set_seed(SEED)
    if keras is not None:
        with contextlib.suppress(Exception):
            keras.utils.set_random_seed(SEED)


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise FixtureTimeout("fixture exceeded its time budget")


def run_fixture(path: Path, libs: tuple[Any, Any, Any], budget_s: int) -> dict[str, Any]:
    """Execute one fixture and return its record."""
    tf, np, keras = libs
    filename = str(path.resolve())
    started = time.perf_counter()
    result: dict[str, Any] = {
        "path": filename,
        "error": None,
        "assignments": [],
        "statements": 0,
        "stdout": "",
        "models": [],
    }
    program = None
    try:
        source, program = read_program(path)
        try:
            instrumented, statements = instrument(source)
            code = compile(instrumented, filename, "exec", dont_inherit=True)
        except SyntaxError:  # never expected; run the fixture unrecorded rather than not at all
            instrumented, statements = source, []
            code = compile(source, filename, "exec", dont_inherit=True)
    except Exception as exc:  # unreadable/unparsable fixture: report it like a TF error
        result["error"] = {
            "type": type(exc).__name__,
            "mro": _mro(exc),
            "message": str(exc),
            "line": getattr(exc, "lineno", None),
            "frame_line": None,
            "message_lines": [],
            "traceback": traceback.format_exc(),
        }
        result["duration_s"] = time.perf_counter() - started
        return result
    result["statements"] = len(statements)
    lines = instrumented.splitlines(keepends=True)
    linecache.cache[filename] = (len(instrumented), None, lines, filename)

    recorder = Recorder(statements, make_describer(tf, np, keras), make_model_describer(keras))
    do_not_convert = getattr(getattr(tf, "autograph", None), "experimental", None)
    hook: Any = recorder
    if do_not_convert is not None:
        hook = do_not_convert.do_not_convert(recorder)
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__file__": filename,
        "__builtins__": builtins,
        "__package__": None,
        "__spec__": None,
        RECORDER: hook,
    }
    reset_state(tf, np, keras)
    gradients = GradientProbe(tf, np, filename)
    out = io.StringIO()
    old_argv, old_path = sys.argv, list(sys.path)
    sys.argv = [filename]
    sys.path.insert(0, str(path.parent))
    previous_handler = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(budget_s)
    try:
        with (
            warnings.catch_warnings(),
            gradients,
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(out),
        ):
            warnings.simplefilter("ignore")
            exec(code, namespace)
    except BaseException as exc:  # SystemExit and timeouts are results too
        if isinstance(exc, KeyboardInterrupt):
            raise
        result["error"] = {
            "type": type(exc).__name__,
            "mro": _mro(exc),
            "message": _ANSI_RE.sub("", str(exc)),
            **error_line(exc, exc.__traceback__, filename),
            "traceback": "".join(traceback.format_exception(exc))[-_MAX_CAPTURE:],
        }
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous_handler)
        sys.argv = old_argv
        sys.path[:] = old_path
        linecache.cache.pop(filename, None)
    if result["error"] is None:  # after an exception a model is in whatever state it left
        with contextlib.suppress(Exception), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            recorder.finish()
    result["assignments"] = recorder.records
    result["models"] = recorder.models
    result["gradients"] = gradients.calls
    result["stdout"] = out.getvalue()[-_MAX_CAPTURE:]
    result["duration_s"] = round(time.perf_counter() - started, 3)
    if program is not None:
        add_cells(result, program)
    return result


def _mro(exc: BaseException) -> list[str]:
    return [cls.__name__ for cls in type(exc).__mro__]


def import_libraries() -> tuple[Any, Any, Any]:
    """Import TensorFlow, NumPy and Keras (Keras is optional), with TF's C++ logging quiet."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # deterministic kernels, fewer logs
    import numpy as np
    import tensorflow as tf

    try:
        import keras
    except Exception:
        keras = None
    with contextlib.suppress(Exception):
        tf.get_logger().setLevel("ERROR")
    return tf, np, keras


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="where to write the JSON")
    parser.add_argument(
        "--budget", type=int, default=DEFAULT_BUDGET_S, help="seconds each fixture may run"
    )
    parser.add_argument(
        "--graph", action="store_true",
        help="graph mode: tensorflow.compat.v1 with v2 behaviour disabled (TF1 programs), "
        "each file on a fresh default graph",
    )
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    report: dict[str, Any] = {"fixtures": {}}
    try:
        libs = import_libraries()
    except Exception as exc:
        report["import_error"] = f"{type(exc).__name__}: {exc}"
        args.out.write_text(json.dumps(report, indent=1))
        print(f"cannot import TensorFlow: {report['import_error']}", file=sys.stderr)
        return 2
    tf, np, keras = libs
    report.update(
        {
            "tensorflow": tf.__version__,
            "numpy": np.__version__,
            "keras": getattr(keras, "__version__", None),
            "python": sys.version.split()[0],
            "import_s": round(time.perf_counter() - started, 3),
        }
    )
    if args.graph:  # process-wide, hence a runner of its own for graph-mode fixtures
        tf.compat.v1.disable_v2_behavior()
        GRAPH_MODE[0] = True
    for path in args.files:
        if args.graph:
            tf.compat.v1.reset_default_graph()
        record = run_fixture(path, libs, args.budget)
        report["fixtures"][record["path"]] = record
    report["total_s"] = round(time.perf_counter() - started, 3)
    args.out.write_text(json.dumps(report, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
