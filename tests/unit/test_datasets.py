"""``tf.data.Dataset``: the element spec the engine gives each dataset, the element a loop
binds, and the datasets TensorFlow refuses to build (SL123), from ``dataset_cases.py`` (whose
expectations the oracle checks against TensorFlow); then datasets fed to Keras models."""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dataset_cases import CASES, ERRORS, SETUP
from shapelens.core import analyze
from shapelens.core.interpreter.machine import Interpreter
from shapelens.domain.shapes import DYNAMIC, Dim, Shape
from shapelens.domain.values import UNKNOWN, Const, DictValue, Seq, Tensor, Value
from shapelens.shapefns.tf_data import DatasetValue


def _dim(d: Dim) -> str:
    return "None" if d is DYNAMIC else str(d) if isinstance(d, int) else "?"


def _shape(shape: Shape) -> str:
    if shape is None:
        return "<unknown>"
    return "(" + ", ".join(_dim(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def spec(v: Value) -> str:
    """A value or dataset element in the notation of ``dataset_cases.py``."""
    if isinstance(v, DatasetValue):
        return spec(v.element)
    if isinstance(v, Tensor):
        return f"{v.dtype}{_shape(v.shape)}"
    if isinstance(v, Seq):
        return "(" + ", ".join(spec(i) for i in v.items) + ("," if len(v.items) == 1 else "") + ")"
    if isinstance(v, DictValue):
        return "{" + ", ".join(f"{k.value!r}: {spec(i)}" for k, i in v.items
                               if isinstance(k, Const)) + "}"
    return "unknown"


def probe_value(program: str) -> Value:
    """The value ``probe`` has after the program, as the engine knows it."""
    source = SETUP + textwrap.dedent(program) + "\n"
    assert not analyze(source).findings
    interp = Interpreter(ast.parse(source))
    interp.run()
    return interp.module_scope.vars.get("probe", UNKNOWN)


@pytest.mark.parametrize(("program", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_element_spec(program: str, expected: str) -> None:
    assert spec(probe_value(program)) == expected


@pytest.mark.parametrize(("program", "code"), [(e[1], e[3]) for e in ERRORS],
                         ids=[e[0] for e in ERRORS])
def test_refused_datasets(program: str, code: str) -> None:
    source = SETUP + program + "\n"
    findings = analyze(source).findings
    assert [(f.code, f.span.line) for f in findings] == [(code, source.count("\n"))]


def test_unknown_data_claims_nothing() -> None:
    """A dataset of data the engine cannot read: no element, no finding, whatever follows."""
    source = ("import tensorflow as tf\nimport keras\n"
              "ds = tf.data.Dataset.from_tensor_slices(load()).batch(32).map(lambda a: a)\n"
              "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
              "model.compile(loss='mse')\nmodel.fit(ds)\nfor b in ds:\n"
              "    c = tf.reshape(b, (3, 5))\n")
    assert analyze(source).findings == []


FIT = """\
import numpy as np
import tensorflow as tf
import keras
x = np.zeros((16, 28, 28), np.float32)
y = np.zeros((16,), np.int64)
model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                          keras.layers.Dense(10)])
model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
"""


@pytest.mark.parametrize(("line", "codes"), [
    ("model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(4), epochs=1)", []),
    ("model.fit(x=tf.data.Dataset.from_tensor_slices((x, y)).batch(4))", []),
    ("model.evaluate(tf.data.Dataset.from_tensor_slices((x, y)).batch(4))", []),
    ("model.predict(tf.data.Dataset.from_tensor_slices(x).batch(4))", []),
    # Keras squeezes a trailing axis of 1 (probed: fit runs)
    ("model.fit(tf.data.Dataset.from_tensor_slices((x[..., None], y)).batch(4))", []),
    ("model.fit(tf.data.Dataset.from_tensor_slices((x[:, :, :27], y)).batch(4))", ["SL206"]),
    ("model.predict(tf.data.Dataset.from_tensor_slices(x[:, :, :27]).batch(4))", ["SL206"]),
    ("model.fit(tf.data.Dataset.from_tensor_slices((x, y)).map("
     "lambda a, b: (a, tf.one_hot(b, 10))).batch(4))", ["SL207"]),
], ids=["fit", "fit-x", "evaluate", "predict", "trailing-1", "fit-width", "predict-width",
        "one-hot-sparse-loss"])
def test_datasets_fed_to_keras(line: str, codes: list[str]) -> None:
    """Keras takes x and y from each element; TF's verdict on each line was probed."""
    findings = analyze(FIT + line + "\n").findings
    assert [f.code for f in findings] == codes
    assert all(f.span.line == FIT.count("\n") + 1 for f in findings)


def test_a_string_scalar_element_gives_bytes() -> None:
    """tf.data guide: a file read in map() is a scalar string tensor; its .numpy() is Python
    bytes, which slicing accepts (an ndarray scalar would raise IndexError)."""
    source = ("import tensorflow as tf\n"
              "files = tf.data.Dataset.list_files('/tmp/*')\n"
              "pairs = files.map(lambda f: (tf.io.read_file(f), f))\n"
              "for raw, name in pairs.take(1):\n"
              "    print(raw.numpy()[:100], name.numpy()[:3])\n")
    assert analyze(source).findings == []
