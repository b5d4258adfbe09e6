"""``bench/coverage.py``'s honest classes for what it cannot resolve: ``absent`` (not in TF 2.21 /
Keras 3 / NumPy 2 as spelled), ``tf1`` (kept only as ``tf.compat.v1.X``), ``out`` (another
library's method, or one no TF/NumPy/Keras class has) and ``type`` (a class tested against or
caught). The lists themselves are checked under TF by
``tests/oracle/test_coverage_absent_oracle.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "coverage.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shapelens_bench_coverage_classes", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


cov = _load()

TF1 = '''
import tensorflow.compat.v1 as tf1
import tensorflow as tf
import numpy as np

step = tf1.train.get_global_step()
step2 = tf.compat.v1.train.get_global_step()
other = tf.train.get_global_step()
est = tf.estimator.Estimator(model_fn=None)
spec = tf1.estimator.EstimatorSpec(mode=None)
x = np.float(3)
y = tf.reshape(tf.zeros([2]), [-1])
'''


def test_absent_and_tf1_names_by_spelling() -> None:
    sites = cov.count_source(TF1)
    S = cov.Site
    # a TF1 API spelled through compat.v1 exists in TF 2.21; spelled tf.X it does not
    assert sites[S("tf.train.get_global_step", "call", "", "tf1")] == 2
    assert sites[S("tf.train.get_global_step", "call", "", "absent")] == 1
    assert sites[S("tf.estimator.Estimator", "call", "", "absent")] == 1
    assert sites[S("tf.estimator.EstimatorSpec", "call", "", "absent")] == 1
    assert sites[S("np.float", "call", "", "absent")] == 1
    assert sites[S("tf.reshape", "call")] == 1  # a TF 2.21 name is unmarked
    assert cov.resolution(S("tf.train.get_global_step", "call", "", "tf1")) == "tf1"
    assert cov.resolution(S("tf.estimator.Estimator", "call", "", "absent")) == "absent"
    # a name the engine resolves keeps its mark whatever the spelling
    assert cov.resolution(S("tf.reshape", "call", "", "absent")) == "fn"


METRICS = '''
import tensorflow as tf

loss = tf.keras.metrics.Mean()
acc = tf.keras.metrics.SparseCategoricalAccuracy()
rnn = tf.keras.layers.LSTM(4, stateful=True)
loss.reset_states()
acc.reset_states()
rnn.reset_states()

def reset(metric):
    metric.reset_states()
'''


def test_reset_states_is_absent_on_a_keras_3_metric_only() -> None:
    sites = cov.count_source(METRICS)
    S = cov.Site
    assert sites[S(".reset_states()", "method", "", "absent")] == 2
    # an RNN layer has it in Keras 3; a parameter may be either: not marked
    assert sites[S(".reset_states()", "method")] == 2
    assert cov.resolution(S(".reset_states()", "method", "", "absent")) == "absent"


FOREIGN = '''
import pathlib
import tensorflow as tf
import torch

data_dir = tf.keras.utils.get_file("x", "y")
data_dir = pathlib.Path(data_dir)
roses = list(data_dir.glob("roses/*"))

def step(model, loss, optimizer):
    optimizer.zero_grad()
    loss.backward()

fig = make_figure()
ax = fig.axes
ax.set_xlim(0, 1)
t = tf.zeros([2])
t.numpy()
'''


def test_methods_no_tf_keras_numpy_class_has_are_out_of_scope() -> None:
    sites = cov.count_source(FOREIGN)
    out = {s.name: s.outside for s in sites if s.outside}
    # bound twice (a str, then a Path): the receiver is not proven; the method name is
    assert "pathlib" in out[".glob()"]
    assert "torch" in out[".zero_grad()"] and "torch" in out[".backward()"]
    assert "matplotlib" in out[".set_xlim()"]
    assert ".numpy()" not in out
    assert cov.resolution(cov.Site(".glob()", "method", out[".glob()"])) == "out"


TYPES = '''
import tensorflow as tf

def f(x):
    if isinstance(x, tf.RaggedTensor):
        return x
    try:
        return tf.reshape(x, [-1])
    except (tf.errors.InvalidArgumentError, ValueError):
        return None

class T:
    def test(self):
        self.assertIsInstance(f(1), tf.Tensor)
        with self.assertRaises(tf.errors.NotFoundError):
            f(2)
y = tf.RaggedTensor.from_row_lengths([1, 2], [1, 1])
'''


def test_classes_tested_against_or_caught_are_types() -> None:
    sites = cov.count_source(TYPES)
    S = cov.Site
    assert sites[S("tf.RaggedTensor", "type")] == 1
    assert sites[S("tf.errors.InvalidArgumentError", "type")] == 1
    assert sites[S("tf.errors.NotFoundError", "type")] == 1
    assert sites[S("tf.Tensor", "type")] == 1
    assert not sites[S("tf.RaggedTensor", "attribute")]
    assert sites[S("tf.RaggedTensor.from_row_lengths", "call")] == 1


CHAIN = '''
import matplotlib.pyplot as plt

fig = plt.figure()
grid = fig.add_gridspec(2, 2)
cell = grid.new_subplotspec((0, 0))
panel = fig.add_subplot(cell)
panel.hist([1, 2])
'''


def test_foreign_receivers_are_followed_to_a_fixed_point() -> None:
    sites = cov.count_source(CHAIN)
    assert sites[cov.Site(".hist()", "method", "matplotlib object")] == 1


INTERNAL = '''
from keras.src.ops import numpy as knp
import keras

x = keras.ops.zeros((2, 3))
y = knp.Add().symbolic_call(x, x)
z = keras.layers.Dense(2).symbolic_call(x)
'''


def test_methods_of_a_library_s_own_modules_objects_are_not_api_uses() -> None:
    sites = cov.count_source(INTERNAL)
    out = {(s.name, s.outside) for s in sites}
    assert (".symbolic_call()", "an object of keras.src.ops.numpy (a library's own module, "
            "not its API)") in out
    assert (".symbolic_call()", "") in out  # a public layer's: counted as an API use
    assert not any(s.name.startswith("keras.src") for s in sites)


UNDEFINED = '''
import tensorflow as tf
import pandas as pd

features = {'a': np.array([6.4, 5.0])}
rows = tf.zeros([2]).numpy()
'''


def test_methods_of_a_name_the_program_never_binds_are_out_of_scope() -> None:
    """``np.array(...)`` in a notebook that never imports NumPy is a NameError, not an API
    use; a star import may bind any name, so nothing is classed there."""
    out = {s.name: s.outside for s in cov.count_source(UNDEFINED) if s.outside}
    assert "NameError" in out[".array()"]
    assert ".numpy()" not in out
    starred = cov.count_source("from helpers import *\n" + UNDEFINED)
    assert not any(s.outside for s in starred if s.name == ".array()")
    bound = cov.count_source(UNDEFINED.replace("import pandas as pd", "import numpy"))
    assert any(s.outside for s in bound if s.name == ".array()")  # `numpy`, not `np`
    assert not any(s.outside for s in cov.count_source("import numpy as np\n" + UNDEFINED)
                   if s.name.endswith("array()"))


def test_unittest_assertions_are_out_of_scope() -> None:
    """``test_obj.assertIsInstance(inputs, dict)`` (a test case handed to a helper) is
    unittest's assertion, whatever the receiver; TF's own ``assertAllClose`` is not one."""
    import unittest

    source = ("import tensorflow as tf\n\ndef check(test_obj, x):\n"
              "    test_obj.assertIsInstance(x, dict)\n    test_obj.assertAllClose(x, x)\n")
    out = {s.name: s.outside for s in cov.count_source(source)}
    assert "unittest" in out[".assertIsInstance()"]
    assert out[".assertAllClose()"] == ""
    assert hasattr(unittest.TestCase, "assertIsInstance")
    assert not hasattr(unittest.TestCase, "assertAllClose")
