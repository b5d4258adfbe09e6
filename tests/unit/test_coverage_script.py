"""``bench/coverage.py``: counting API sites in a program through its imports, and the
resolution marks the table gives them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "coverage.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shapelens_bench_coverage", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


cov = _load()

SNIPPET = '''
import numpy as np
import tensorflow as tf
import matplotlib.pyplot as plt
from tensorflow import keras
from tensorflow.keras.layers import Dense as D

def helper(x):
    return x

class Net(keras.Model):
    def call(self, x):
        return self.dense(x)

x = tf.reshape(tf.zeros([2, 3]), [-1])
y = np.random.default_rng(0).integers(0, 3, size=4)
model = keras.Sequential([D(4), keras.layers.Dense(1)])
model.fit(x, y)
model.fit(x, y, epochs=2)
z = x.numpy().reshape(-1, 1).astype(np.float32)
names = ", ".join(["a", "b"])
plt.plot(z)
helper(x)
w = tf.keras.layers.Dense(3)(x)
n = tf.newaxis
'''


def test_counts_calls_methods_and_attributes_through_imports() -> None:
    sites = cov.count_source(SNIPPET)
    S = cov.Site
    assert sites[S("tf.reshape", "call")] == 1
    assert sites[S("tf.zeros", "call")] == 1
    assert sites[S("np.random.default_rng", "call")] == 1
    # every spelling of a Dense layer is one canonical name
    assert sites[S("keras.layers.Dense", "call")] == 3
    assert sites[S("keras.Sequential", "call")] == 1
    assert sites[S("keras.Model", "type")] == 1  # a base class, not called: a type site
    assert sites[S("np.float32", "attribute")] == 1
    assert sites[S("tf.newaxis", "attribute")] == 1
    assert sites[S(".fit()", "method")] == 2
    assert sites[S(".integers()", "method")] == 1
    assert sites[S(".numpy()", "method")] == 1
    assert sites[S(".reshape()", "method")] == 1
    assert sites[S(".astype()", "method")] == 1
    # str.join, a module function (plt.plot), self.* and the file's own function are no APIs
    names = {s.name for s in sites}
    assert not names & {".join()", ".plot()", ".dense()", "helper", ".helper()"}
    # a partial chain (tf.keras.layers inside tf.keras.layers.Dense) is not a site
    assert not any(n in names for n in ("tf", "keras.layers", "np.random"))


def test_resolution_marks() -> None:
    S = cov.Site
    assert cov.resolution(S("tf.reshape", "call")) == "fn"
    assert cov.resolution(S("keras.layers.Dense", "call")) == "engine"
    assert cov.resolution(S("tf.float32", "attribute")) == "attr"
    assert cov.resolution(S(".reshape()", "method")) == "fn"
    assert cov.resolution(S(".fit()", "method")) == "engine"
    assert cov.resolution(S("tf.no_such_function", "call")) == "-"
    # objects an overlay builds: read off the interpreter's overlay table
    assert cov.resolution(S("keras.layers.concatenate", "call")) == "engine"
    assert cov.resolution(S("tf.GradientTape", "call")) == "engine"


def test_unparsable_source_counts_nothing() -> None:
    assert not cov.count_source("def broken(:\n")


def test_cli_over_a_folder(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.py").write_text("import tensorflow as tf\nx = tf.ones([2])\n"
                                   "y = tf.ones([3])\nz = tf.not_modelled(x)\n")
    out = tmp_path / "cov.json"
    assert cov.main(["--dir", str(tmp_path), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    rows = {r["name"]: r for r in report["rows"]}
    assert rows["tf.ones"]["sites"] == 2 and rows["tf.ones"]["resolved"] == "fn"
    assert rows["tf.not_modelled"]["resolved"] == "-"
    assert report["summary"]["1"]["sites"] == 3
    assert report["summary"]["1"]["resolved_sites"] == 2
    assert "tf.ones" in capsys.readouterr().out


FOREIGN_SNIPPET = '''
import argparse
import matplotlib.pyplot as plt
import tensorflow as tf

parser = argparse.ArgumentParser()
parser.add_argument("--n")
fig, ax = plt.subplots()
ax.set_title("loss")
sub = fig.add_subplot(1, 2, 1)
sub.imshow(tf.zeros([2, 2]))
with open("log.txt") as f:
    f.read()
t = tf.zeros([2])
t.numpy()

def draw(canvas):
    canvas.result([1])
'''


def test_methods_of_other_libraries_objects_are_out_of_scope() -> None:
    sites = cov.count_source(FOREIGN_SNIPPET)
    S = cov.Site
    assert sites[S(".add_argument()", "method", "argparse object")] == 1
    assert sites[S(".set_title()", "method", "matplotlib object")] == 1
    assert sites[S(".imshow()", "method", "matplotlib object")] == 1  # fig -> sub
    assert sites[S(".read()", "method", "file object (open)")] == 1
    assert sites[S(".numpy()", "method")] == 1  # a TF value: in scope
    # a parameter: may be anything, in scope (.result(): Keras metrics have it; a
    # method no TF/NumPy/Keras class has, such as .plot(), is out whatever its receiver)
    assert sites[S(".result()", "method")] == 1
    assert cov.resolution(S(".set_title()", "method", "matplotlib object")) == "out"


def test_known_non_tensor_values_and_composite_apis() -> None:
    S = cov.Site
    assert cov.resolution(S(".summary()", "method")) == "value"
    assert cov.resolution(S("tf.train.Checkpoint", "call")) == "value"
    assert cov.resolution(S("tf.__version__", "attribute")) == "value"
    assert cov.resolution(S("tf.sparse.to_dense", "call")) == "fn"
    assert cov.resolution(S(".to_tensor()", "method")) == "fn"
    assert cov.resolution(S("keras.backend.dot", "call")) == "fn"


def test_out_of_scope_is_not_resolved_in_the_summary() -> None:
    rows = cov.table(cov.count_source(FOREIGN_SNIPPET), cov.count_source(FOREIGN_SNIPPET))
    s = cov.summary(rows)
    classes = s["classes"]
    assert classes["out"][0] == 5  # add_argument, set_title, add_subplot, imshow, read
    assert s["resolved_names"] == s["names"] - classes["out"][0] - classes["-"][0]


def test_types_and_assigned_aliases() -> None:
    sites = cov.count_source('''
import numpy as np
import tensorflow as tf
from tensorflow import keras

mnist = keras.datasets.mnist
(x, y), _ = mnist.load_data()

class Cb(keras.callbacks.Callback):
    pass

def f(t: tf.Tensor) -> np.ndarray:
    return np.asarray(t)
''')
    S = cov.Site
    assert sites[S("keras.datasets.mnist.load_data", "call")] == 1
    assert sites[S(".load_data()", "method")] == 0
    assert sites[S("tf.Tensor", "type")] == 1 and sites[S("np.ndarray", "type")] == 1
    assert sites[S("keras.callbacks.Callback", "type")] == 1
    assert cov.resolution(S("tf.Tensor", "type")) == "type"
    assert cov.resolution(S("keras.Model", "type")) == "engine"  # a base the engine models
