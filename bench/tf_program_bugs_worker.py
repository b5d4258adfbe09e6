"""Run one TensorFlow-Program-Bugs program under TF 2.21 in graph mode, the way TF 1.x ran it.

Usage: ``python bench/tf_program_bugs_worker.py PROGRAM.py OUT.json`` (one process per program,
started by ``bench/tf_program_bugs.py``; the working directory is the program's own folder, so
its data files are found).

The program text is rewritten line for line (every line keeps its number):
``import tensorflow as tf`` becomes ``import tensorflow.compat.v1 as tf; tf.disable_v2_behavior()``
and the ``assert tf.__version__ == "1.8.0"`` pins become ``pass``. What TF 2.21 no longer ships
or what would need the network is stubbed with values of the right shapes and dtypes:
``tensorflow.examples.tutorials.mnist.input_data`` (MNIST as ``read_data_sets`` gave it: 784
float32 pixels, labels one-hot (10,) float64 or class ids uint8), ``tf.contrib.rnn`` (the
``tf.nn.rnn_cell`` cells and ``static_rnn`` it became), ``tf.contrib.keras...preprocessing.image``
(``load_img`` / ``img_to_array`` of an RGB image of ``target_size``), and scikit-learn's
``train_test_split`` / pandas where the machine has none. A ``range`` of over 1000 steps is
capped at 300, so training loops end; the first exception is what we record: its class, first
message line, the program line it was raised at, and the program lines TF names as where the
failing node was defined (``... defined at (most recent call last)``).
"""

from __future__ import annotations

import builtins
import importlib
import importlib.util
import json
import math
import os
import re
import signal
import sys
import traceback
import types
from typing import Any

BUDGET_S = 120
RANGE_LIMIT = 1000  # training loops (20000 steps) end early; data-sized ranges stay whole
RANGE_CAP = 300


def rewrite(text: str) -> str:
    """The TF1 program as TF 2.21 runs it in graph mode; line numbers unchanged."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        if re.fullmatch(r"import tensorflow as tf", stripped):
            lines[i] = indent + "import tensorflow.compat.v1 as tf; tf.disable_v2_behavior()"
        elif re.match(r"assert tf\.__version__", stripped):
            lines[i] = indent + "pass"
    return "\n".join(lines)


def _module(name: str, **attrs: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


class _DataSet:
    """One split of ``read_data_sets``: images (n, 784) float32 in [0, 1], labels."""

    def __init__(self, np: Any, n: int, one_hot: bool) -> None:
        rng = np.random.default_rng(0)
        self.images = rng.random((n, 784), dtype=np.float32)
        ids = rng.integers(0, 10, n).astype(np.uint8)
        self.labels = np.eye(10)[ids] if one_hot else ids
        self._at = 0

    def next_batch(self, size: int) -> tuple[Any, Any]:
        """``size`` examples, wrapping around at the end of an epoch as TF1's did."""
        import numpy as np

        rows = (self._at + np.arange(size)) % len(self.images)
        self._at = int(rows[-1]) + 1 if size else self._at
        return self.images[rows], self.labels[rows]


def _stub_mnist(np: Any) -> None:
    def read_data_sets(_path: str = "", one_hot: bool = False, **_kw: Any) -> Any:
        return types.SimpleNamespace(train=_DataSet(np, 1100, one_hot),
                                     validation=_DataSet(np, 500, one_hot),
                                     test=_DataSet(np, 1000, one_hot))

    _module("tensorflow.examples")
    _module("tensorflow.examples.tutorials")
    mnist = _module("tensorflow.examples.tutorials.mnist")
    mnist.input_data = _module(  # type: ignore[attr-defined]
        "tensorflow.examples.tutorials.mnist.input_data", read_data_sets=read_data_sets)


def _stub_contrib(tf: Any, np: Any) -> None:
    """``tf.contrib`` as far as these programs use it, on what TF 2.21 still has."""
    class BasicLSTMCell:
        """Shapes of an LSTM cell (TF 2.21's own needs Keras 2): (batch, units) out."""

        def __init__(self, num_units: int, **_kw: Any) -> None:
            self.num_units = num_units

    def static_rnn(cell: BasicLSTMCell, inputs: list[Any], dtype: Any = None,
                   **_kw: Any) -> tuple[list[Any], Any]:
        size = int(inputs[0].shape[-1])
        kernel = tf.Variable(tf.zeros([size + cell.num_units, cell.num_units], dtype))
        state = tf.zeros_like(tf.matmul(inputs[0], kernel[:size]))
        outputs = []
        for x in inputs:
            state = tf.tanh(tf.matmul(tf.concat([x, state], 1), kernel))
            outputs.append(state)
        return outputs, state

    rnn = types.SimpleNamespace(BasicLSTMCell=BasicLSTMCell, static_rnn=static_rnn)

    def load_img(_path: str, target_size: tuple[int, int] = (32, 32), **_kw: Any) -> Any:
        return np.zeros((target_size[0], target_size[1], 3), dtype=np.uint8)

    def img_to_array(img: Any, **_kw: Any) -> Any:
        return np.asarray(img, dtype=np.float32)

    image = types.SimpleNamespace(load_img=load_img, img_to_array=img_to_array)
    contrib = _module("tensorflow.contrib", rnn=rnn)
    for name in ("rnn", "rnn.python", "rnn.python.ops", "keras", "keras.api",
                 "keras.api.keras", "keras.api.keras.preprocessing"):
        _module("tensorflow.contrib." + name, rnn=rnn, rnn_cell=rnn, image=image)
    tf.contrib = contrib
    imported = importlib.import_module("tensorflow.compat.v1")  # what `import ... as tf` binds
    setattr(imported, "contrib", contrib)  # noqa: B010 (a module attribute TF 2.x lacks)


def _stub_sklearn_pandas(np: Any) -> None:
    def train_test_split(*arrays: Any, train_size: float | None = None,
                         test_size: float | None = None, **_kw: Any) -> list[Any]:
        n = len(arrays[0])
        n_test = math.ceil(test_size * n) if isinstance(test_size, float) else \
            n - math.floor(train_size * n) if isinstance(train_size, float) else \
            math.ceil(0.25 * n)
        order = np.random.permutation(n)
        out: list[Any] = []
        for a in arrays:
            a = np.asarray(a)
            out += [a[order[: n - n_test]], a[order[n - n_test:]]]
        return out

    if importlib.util.find_spec("sklearn") is None:
        _module("sklearn")
        _module("sklearn.model_selection", train_test_split=train_test_split)
    if importlib.util.find_spec("pandas") is None:
        _module("pandas")


def _lines_in(text: str, path: str) -> list[int]:
    return [int(m.group(1)) for m in re.finditer(
        r'File "' + re.escape(path) + r'", line (\d+)', text)]


def _first_line(message: str) -> str:
    """The message's first line; for a graph execution error, the kernel's own line (the one
    after ``Node: '...'``)."""
    lines = message.strip().split("\n")
    if lines[0].startswith("Graph execution error"):
        for i, line in enumerate(lines[:-1]):
            if line.startswith("Node: "):
                return lines[i + 1].strip()[:400]
    return lines[0][:400]


def _program_builtins(tf: Any) -> types.ModuleType:
    real_range = builtins.range

    def capped_range(*args: Any) -> Any:
        if any(tf.is_tensor(a) for a in args):
            return real_range(*args)
        r = real_range(*args)
        return r[:RANGE_CAP] if len(r) > RANGE_LIMIT else r

    module = types.ModuleType("builtins")
    module.__dict__.update(builtins.__dict__)
    module.range = capped_range  # type: ignore[attr-defined]
    return module


def run(path: str) -> dict[str, Any]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    import numpy as np
    import tensorflow as real_tf

    tf = real_tf.compat.v1
    _stub_mnist(np)
    _stub_contrib(tf, np)
    _stub_sklearn_pandas(np)
    with open(path, encoding="utf-8") as f:
        code = compile(rewrite(f.read()), path, "exec")
    namespace = {"__name__": "__main__", "__file__": path, "__builtins__": _program_builtins(tf)}

    def timeout(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"no exception within {BUDGET_S} s")

    signal.signal(signal.SIGALRM, timeout)
    signal.alarm(BUDGET_S)
    try:
        exec(code, namespace)
    except TimeoutError as exc:
        return {"error": None, "timeout": str(exc)}
    except BaseException as exc:
        tb_lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__)
                    if f.filename == path]
        message = str(exc)
        return {"error": {
            "class": type(exc).__name__,
            "message": _first_line(message),
            "line": tb_lines[-1] if tb_lines else None,
            "defined_at": sorted(set(_lines_in(message, path))),
        }}
    finally:
        signal.alarm(0)
    return {"error": None}


def main() -> None:
    program, out = sys.argv[1], sys.argv[2]
    result = run(os.path.abspath(program))
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
