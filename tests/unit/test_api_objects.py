"""What the engine gives for the non-tensor and newly covered tensor APIs that real programs
call (``shapefns/api_objects.py``, ``shapefns/api_tensors.py``): known values where TF 2.21
makes them certain, unknown where it does not, never a shape that was not given."""

from __future__ import annotations

import ast
import textwrap

import pytest

from shapelens.core import analyze
from shapelens.core.interpreter.machine import Interpreter
from shapelens.domain.values import NONE, UNKNOWN, Const, ListOf, Opaque, Seq, Tensor, Value

SETUP = """\
import numpy as np
import tensorflow as tf
import keras
from tensorflow.keras import backend as K
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
x = tf.zeros((2, 4))
"""


def run(program: str) -> dict[str, Value]:
    source = SETUP + textwrap.dedent(program)
    interp = Interpreter(ast.parse(source))
    interp.run()
    return interp.module_scope.vars


def kind(v: Value) -> str | None:
    return v.kind if isinstance(v, Opaque) else None


def test_model_methods_that_return_none() -> None:
    env = run("a = model.summary()\nb = model.save('m.keras')\n"
              "c = model.load_weights('m.weights.h5')\nd = model.set_weights([])\n")
    assert [env[n] for n in "abcd"] == [NONE] * 4


def test_get_weights_is_a_list_of_arrays_of_unknown_shape() -> None:
    w = run("w = model.get_weights()\n")["w"]
    assert isinstance(w, ListOf) and isinstance(w.element, Tensor)
    assert w.element.shape is None and w.element.kind == "ndarray"


def test_version_is_a_str_of_unknown_value_and_both_branches_run() -> None:
    env = run("v = tf.__version__\nif tf.__version__.startswith('1.'):\n"
              "    z = tf.zeros((3,))\nelse:\n    z = tf.zeros((4,))\n")
    assert kind(env["v"]) == "py:str"
    assert isinstance(env["z"], Tensor) and env["z"].shape == (None,)


@pytest.mark.parametrize(("arg", "expected"), [
    ("x", Const(True)), ("tf.Variable(1.0)", Const(True)), ("np.zeros(2)", Const(False)),
    ("keras.Input((3,))", Const(False)), ("3", Const(False))])
def test_is_tensor(arg: str, expected: Value) -> None:
    assert run(f"r = tf.is_tensor({arg})\n")["r"] == expected


def test_is_tensor_of_an_unknown_value_is_an_unknown_bool() -> None:
    assert kind(run("r = tf.is_tensor(undefined_thing)\n")["r"]) == "py:bool"


def test_library_objects_and_their_methods() -> None:
    env = run("""\
        es = keras.callbacks.EarlyStopping(patience=3)
        ck = tf.train.Checkpoint(model=model)
        path = ck.save('ckpt')
        status = ck.restore(path).expect_partial()
        writer = tf.summary.create_file_writer('logs')
        with writer.as_default():
            inside = tf.ones((5,))
        with tf.device('/cpu:0'):
            on_cpu = tf.ones((6,))
        gpus = tf.config.list_physical_devices('GPU')
        other = ck.no_such_attribute
        """)
    assert kind(env["es"]) == "keras.callbacks.EarlyStopping"
    assert kind(env["ck"]) == "tf.train.Checkpoint"
    assert kind(env["path"]) == "py:str"
    assert kind(env["status"]) == "tf.train.CheckpointLoadStatus"
    assert env["inside"].shape == (5,) and env["on_cpu"].shape == (6,)  # type: ignore[attr-defined]
    assert isinstance(env["gpus"], ListOf) and env["gpus"].at_least == 0
    assert env["other"] is UNKNOWN


def test_a_loaded_model_stays_unknown_where_it_matters() -> None:
    env = run("m = keras.models.load_model('m.keras')\np = m.predict(x)\nq = m(x)\n"
              "v = m.trainable_variables\ns = m.summary()\n")
    assert kind(env["m"]) == "keras.Model (loaded)"
    assert env["p"] is UNKNOWN and env["q"] is UNKNOWN and env["v"] is UNKNOWN
    assert env["s"] == NONE


def test_no_finding_from_the_objects() -> None:
    source = SETUP + textwrap.dedent("""\
        m = keras.models.load_model('m.keras')
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(m(x))
        grads = tape.gradient(loss, m.trainable_variables)
        ck = tf.train.Checkpoint(model=m)
        manager = tf.train.CheckpointManager(ck, 'd', max_to_keep=2)
        ck.restore(manager.latest_checkpoint)
        """)
    assert not analyze(source).findings


@pytest.mark.parametrize(("expr", "shape", "dtype"), [
    ("K.dot(tf.zeros((5, 2, 3)), tf.zeros((6, 3, 4)))", (5, 2, 6, 4), "float32"),
    ("K.arange(2, 9, 3)", (3,), "int32"),
    ("K.permute_dimensions(tf.zeros((2, 3, 4)), (0, 2, 1))", (2, 4, 3), "float32"),
    ("np.rot90(np.zeros((2, 3, 4)), -1, axes=(1, 2))", (2, 4, 3), "float64"),
    ("np.moveaxis(np.zeros((2, 3, 4, 5)), [0, 1], [-1, -2])", (4, 5, 3, 2), "float64"),
    ("np.take_along_axis(np.zeros((3, 4)), np.zeros((1, 2), np.int64), axis=1)", (3, 2),
     "float64"),
    ("tf.linalg.diag_part(tf.zeros((4, 2, 3)))", (4, 2), "float32"),
])
def test_tensor_apis(expr: str, shape: tuple[int, ...], dtype: str) -> None:
    r = run(f"r = {expr}\n")["r"]
    assert isinstance(r, Tensor) and (r.shape, r.dtype) == (shape, dtype)


def test_a_mismatched_backend_dot_is_unknown_not_an_error() -> None:
    source = SETUP + "r = K.dot(tf.zeros((2, 3)), tf.zeros((4, 5)))\n"
    assert not analyze(source).findings
    assert run("r = K.dot(tf.zeros((2, 3)), tf.zeros((4, 5)))\n")["r"] is UNKNOWN


def test_nest_flatten_hands_back_the_leaves_themselves() -> None:
    env = run("a = tf.ones((2,))\nleaves = tf.nest.flatten({'b': a, 'a': [x, 1]})\n")
    leaves = env["leaves"]
    assert isinstance(leaves, Seq) and leaves.items[2] is env["a"]
    assert leaves.items[0] is env["x"] and leaves.items[1] == Const(1)


def test_strategy_scope_is_a_context_manager_and_run_still_calls() -> None:
    env = run("s = tf.distribute.MirroredStrategy()\nsc = s.scope()\nwith s.scope():\n"
              "    v = tf.Variable(tf.zeros((3,)))\nr = s.run(lambda: tf.ones((2,)))\n")
    assert kind(env["sc"]) == "context manager"
    assert env["v"].shape == (3,) and env["r"].shape == (2,)  # type: ignore[attr-defined]


def test_array_item_tolist_and_copy() -> None:
    env = run("a = np.zeros((2, 3))\ni = a[0, 0].item()\nl = a.tolist()\nc = a.copy()\n"
              "y = x + i\n")
    assert kind(env["i"]) == "py:number"
    lst = env["l"]
    assert isinstance(lst, ListOf) and lst.at_least == 2
    assert isinstance(lst.element, ListOf) and lst.element.at_least == 3
    assert isinstance(env["c"], Tensor) and (env["c"].shape, env["c"].kind) == ((2, 3), "ndarray")
    assert env["y"] is UNKNOWN  # a number of unknown value: no claim


@pytest.mark.parametrize(("expr", "shape", "dtype"), [
    ("tf.py_function(lambda t: t, [x], tf.float32)", None, "float32"),
    ("tf.math.confusion_matrix([0, 1], [1, 1])", (None, None), "int32"),
    ("tf.signal.stft(tf.zeros((2, 1000)), 200, 100, pad_end=True)", (2, 10, 129), "complex64"),
    ("tf.nn.depthwise_conv2d(tf.zeros((1, 8, 7, 3)), tf.zeros((3, 2, 3, 2)), [1, 2, 2, 1], "
     "'VALID')", (1, 3, 3, 6), "float32"),
    ("tf.bitcast(tf.zeros((2, 4), tf.uint8), tf.float32)", (2,), "float32"),
    ("np.unique(np.zeros((4, 5)))", (None,), "float64"),
])
def test_more_tensor_apis(expr: str, shape: tuple[int | None, ...] | None, dtype: str) -> None:
    r = run(f"r = {expr}\n")["r"]
    assert isinstance(r, Tensor) and (r.shape, r.dtype) == (shape, dtype)


def test_dtensor_constants_are_their_strings() -> None:
    env = run("u = tf.experimental.dtensor.UNSHARDED\n")
    assert env["u"] == Const("unsharded")


def test_enum_values_and_keras_getters() -> None:
    env = run("""\
        m = tf.image.ResizeMethod.NEAREST_NEIGHBOR
        img = tf.image.resize(tf.zeros((4, 4, 3), tf.uint8), (2, 2), method=m)
        key = tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY
        op = tf.distribute.ReduceOp.SUM
        reg = keras.regularizers.get('l2')
        none = keras.regularizers.get(None)
        bad = keras.regularizers.get('no_such_regularizer')
        config = keras.regularizers.serialize(reg)
        """)
    assert env["m"] == Const("nearest") and env["key"] == Const("serving_default")
    assert isinstance(env["img"], Tensor) and env["img"].dtype == "uint8"  # nearest keeps it
    assert kind(env["op"]) == "tf.distribute.ReduceOp"
    assert kind(env["reg"]) == "keras.regularizers.Regularizer" and env["none"] == NONE
    assert env["bad"] is UNKNOWN  # Keras raises ValueError: no claim
    assert kind(env["config"]) == "py:dict"


def test_checkpoint_reader_and_tflite_objects() -> None:
    env = run("""\
        reader = tf.train.load_checkpoint('ckpt')
        array = reader.get_tensor('v')
        shapes = reader.get_variable_to_shape_map()
        converter = tf.lite.TFLiteConverter.from_saved_model('sm')
        blob = converter.convert()
        interpreter = tf.lite.Interpreter(model_content=blob)
        allocated = interpreter.allocate_tensors()
        inputs = interpreter.get_input_details()
        out = interpreter.get_tensor(0)
        """)
    assert isinstance(env["array"], Tensor) and env["array"].shape is None
    assert env["array"].kind == "ndarray"
    assert kind(env["shapes"]) == "py:dict" and kind(env["blob"]) == "py:bytes"
    assert env["allocated"] == NONE and isinstance(env["inputs"], ListOf)
    assert isinstance(env["out"], Tensor) and env["out"].shape is None


def test_tf_losses_are_keras_losses() -> None:
    env = run("""\
        y = tf.zeros((4, 3))
        loss = tf.losses.CategoricalCrossentropy()
        v1 = loss(y, y)
        v2 = tf.losses.categorical_crossentropy(y, y)
        """)
    assert kind(env["loss"]) == "loss:categorical_crossentropy"
    assert env["v1"].shape == () and env["v2"].shape == (4,)  # type: ignore[attr-defined]
    source = SETUP + "v = tf.losses.categorical_crossentropy(tf.zeros((4,)), tf.zeros((4, 3)))\n"
    assert [f.code for f in analyze(source).findings] == ["SL119"]  # TF raises ValueError


@pytest.mark.parametrize(("expr", "shape", "dtype"), [
    ("tf.Variable(tf.zeros((2, 3))).read_value()", (2, 3), "float32"),
    ("np.zeros((2, 3)).dot(np.zeros((3, 4)))", (2, 4), "float64"),
    ("tf.math.unsorted_segment_min(tf.zeros((2, 5, 3)), tf.zeros((2, 5), tf.int32), 4)", (4, 3),
     "float32"),
    ("tf.linalg.diag(tf.zeros((2, 3)))", (2, 3, 3), "float32"),
    ("tf.nn.convolution(tf.zeros((1, 8, 8, 3)), tf.zeros((3, 3, 3, 5)), strides=2, "
     "padding='SAME')", (1, 4, 4, 5), "float32"),
    ("np.trapezoid(np.zeros((4, 5), np.int64), axis=0)", (5,), "float64"),
    ("np.column_stack([np.zeros((3, 2)), np.zeros(3)])", (3, 3), "float64"),
])
def test_third_batch_of_tensor_apis(expr: str, shape: tuple[int, ...], dtype: str) -> None:
    r = run(f"r = {expr}\n")["r"]
    assert isinstance(r, Tensor) and (r.shape, r.dtype) == (shape, dtype)


def test_a_plain_tensor_has_no_read_value_and_csv_columns_follow_their_defaults() -> None:
    env = run("bad = x.read_value()\n"
              "cols = tf.io.decode_csv(tf.constant(['1,2.0,a']), [[0], [0.0], ['']])\n")
    assert env["bad"] is UNKNOWN
    cols = env["cols"]
    assert isinstance(cols, Seq)
    assert [(c.shape, c.dtype) for c in cols.items] == [  # type: ignore[attr-defined]
        ((1,), "int32"), ((1,), "float32"), ((1,), "string")]


def test_layer_methods_from_the_table() -> None:
    env = run("norm = keras.layers.Normalization()\na = norm.adapt(np.zeros((10, 4)))\n"
              "w = keras.layers.Dense(2).get_weights()\n")
    assert env["a"] == NONE
    assert isinstance(env["w"], ListOf)


@pytest.mark.parametrize(("expr", "shape", "dtype"), [
    ("tf.nn.separable_conv2d(tf.zeros((1, 8, 8, 3)), tf.zeros((3, 3, 3, 2)), "
     "tf.zeros((1, 1, 6, 5)), [1, 2, 2, 1], 'SAME')", (1, 4, 4, 5), "float32"),
    ("tf.nn.batch_normalization(tf.zeros((4, 5, 6)), tf.zeros((6,)), tf.ones((6,)), None, "
     "None, 1e-3)", (4, 5, 6), "float32"),
    ("keras.metrics.sparse_categorical_accuracy(tf.zeros((4,)), tf.zeros((4, 3)))", (4,),
     "float32"),
    ("np.dstack([np.zeros(3), np.zeros(3)])", (1, 3, 2), "float64"),
    ("np.trace(np.zeros((3, 3), np.int32))", (), "int64"),
    ("tf.compat.v2.constant([1, 2])", (2,), "int32"),
])
def test_fourth_batch_of_tensor_apis(expr: str, shape: tuple[int, ...], dtype: str) -> None:
    r = run(f"r = {expr}\n")["r"]
    assert isinstance(r, Tensor) and (r.shape, r.dtype) == (shape, dtype)


def test_clip_by_global_norm_keeps_the_tensors_and_the_gradient_path() -> None:
    source = SETUP + textwrap.dedent("""\
        w = tf.Variable(tf.ones((3,)))
        with tf.GradientTape() as tape:
            clipped, norm = tf.clip_by_global_norm([w * 2.0], 1.0)
            loss = tf.reduce_sum(clipped[0]) + norm
        g = tape.gradient(loss, w)
        """)
    assert not analyze(source).findings  # TF: a real gradient, no None
    env = run(source[len(SETUP):])
    assert env["norm"].shape == () and env["clipped"].items[0].shape == (3,)  # type: ignore
