"""Buggy programs for the fix oracle beyond the fixtures: one per fixer variant that no fixture
exercises (a reshape moved as a transpose, a watch after the binding statement, a tape made
persistent inside a ``tf.function``, a gradient moved out of the block, a constant created as
a variable, a forward pass moved into the tape...).

Each program is a real, small TensorFlow program with exactly one fix the engine offers
(``FIX_ID``, a finding's primary fix or one of its alternatives). Where the fixed program
can check the *value* of what it computes, it does so with ``tf.debugging.assert_near`` on
the known analytic gradient, so "the fix is right" is
proven by TF, not just "the gradient is no longer None". ``BUGGY`` says what the unfixed
program does under TF: ``"none"`` (a gradient is None), ``"error"`` (it raises), or
``"same"`` (it works; the fix must keep every gradient value, e.g. gradient-out-of-with).
"""

from __future__ import annotations

from typing import NamedTuple


class Program(NamedTuple):
    fix_id: str
    buggy: str  # "none" | "error" | "same"
    source: str


HEAD = "import numpy as np\nimport tensorflow as tf\n\n"
KERAS = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n"

PROGRAMS: dict[str, Program] = {
    "watch_after_binding": Program("add-watch", "none", HEAD + """\
with tf.GradientTape() as tape:
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.reduce_sum(tf.sin(x) * x)
dx = tape.gradient(y, x)
if dx is not None:
    tf.debugging.assert_near(dx, tf.cos(x) * x + tf.sin(x))
"""),
    "watch_one_line_block": Program("add-watch", "none", HEAD + """\
x = tf.constant(3.0)
with tf.GradientTape() as tape: y = x * x * x
g = tape.gradient(y, x)
if g is not None:
    tf.debugging.assert_near(g, 27.0)
"""),
    "watch_in_function": Program("add-watch", "none", HEAD + """\
def input_gradient(weights, batch):
    inputs = tf.convert_to_tensor(batch)
    with tf.GradientTape() as tape:
        scores = tf.reduce_sum(tf.matmul(inputs, weights))
    return tape.gradient(scores, inputs)

weights = tf.Variable(tf.ones((3, 2)))
grads = input_gradient(weights, np.ones((4, 3), np.float32))
if grads is not None:
    tf.debugging.assert_near(grads, tf.fill((4, 3), 2.0))
"""),
    "transpose_after_gradient": Program("reshape-after-gradient", "none", HEAD + """\
w = tf.Variable(tf.reshape(tf.range(6, dtype=tf.float32), (2, 3)))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.square(w))
g = tape.gradient(loss, tf.transpose(w, perm=[1, 0]))
if g is not None:
    tf.debugging.assert_near(g, tf.transpose(2.0 * w))
"""),
    "squeeze_after_gradient": Program("reshape-after-gradient", "none", HEAD + """\
w = tf.Variable(tf.ones((1, 4)))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(3.0 * w)
g = tape.gradient(loss, tf.squeeze(w))
if g is not None:
    tf.debugging.assert_near(g, tf.fill((4,), 3.0))
"""),
    "expand_dims_after_gradient": Program("reshape-after-gradient", "none", HEAD + """\
w = tf.Variable([1.0, 2.0])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w * w)
g = tape.gradient(loss, tf.expand_dims(w, 0))
if g is not None:
    tf.debugging.assert_near(g, [[2.0, 4.0]])
"""),
    "cast_after_gradient": Program("reshape-after-gradient", "none", HEAD + """\
w = tf.Variable([1.0, -2.0])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w * w * w)
g = tape.gradient(loss, tf.cast(w, tf.float64))
if g is not None:
    tf.debugging.assert_near(g, tf.constant([3.0, 12.0], tf.float64))
"""),
    "reshape_one_of_two_sources": Program("reshape-after-gradient", "none", HEAD + """\
kernel = tf.Variable(tf.ones((3, 2)))
bias = tf.Variable(tf.zeros((2,)))
x = tf.ones((5, 3))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(x @ kernel + bias)
g_bias, g_kernel = tape.gradient(loss, [bias, tf.reshape(kernel, [-1])])
if g_kernel is not None:
    tf.debugging.assert_near(g_kernel, tf.fill((6,), 5.0))
    tf.debugging.assert_near(g_bias, tf.fill((2,), 5.0))
"""),
    "persistent_in_loop": Program("persistent-tape", "error", HEAD + """\
w = tf.Variable([0.5, -1.0])
for step in range(3):
    with tf.GradientTape(watch_accessed_variables=True) as tape:
        fit = tf.reduce_sum(tf.square(w - 1.0))
        penalty = tf.reduce_sum(tf.abs(w))
    g_fit = tape.gradient(fit, w)
    g_penalty = tape.gradient(penalty, w)
    w.assign_sub(0.1 * (g_fit + 0.01 * g_penalty))
"""),
    "persistent_in_tf_function": Program("persistent-tape", "error", HEAD + """\
w = tf.Variable([1.0, 2.0])


@tf.function
def step():
    with tf.GradientTape() as tape:
        a = tf.reduce_sum(w * w)
        b = tf.reduce_sum(3.0 * w)
    ga = tape.gradient(a, w)
    gb = tape.gradient(b, w)
    return ga + gb


tf.debugging.assert_near(step(), [5.0, 7.0])
"""),
    "gradient_out_of_with": Program("gradient-out-of-with", "same", HEAD + """\
w = tf.Variable([1.0, 2.0])
for step in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w)
        grad = tape.gradient(loss, w)
        tf.print("loss", loss)
    w.assign_sub(0.1 * grad)
"""),
    "float_variable_list": Program("float-variable", "error", HEAD + """\
counts = tf.Variable([1, 2, 3])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.square(tf.cast(counts, tf.float32)))
g = tape.gradient(loss, counts)
print("gradient shape", g.shape)
tf.debugging.assert_near(g, [2.0, 4.0, 6.0])
"""),
    "float_variable_cast_initial_value": Program("float-variable", "error", HEAD + """\
level = tf.Variable(tf.range(4))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(2.0 * tf.cast(level, tf.float32))
g = tape.gradient(loss, level)
tf.debugging.assert_near(g + 0.0, tf.fill((4,), 2.0))
"""),
    # constant-to-variable is SL301's alternative fix (add-watch is the primary one)
    "constant_to_variable": Program("constant-to-variable", "none", HEAD + """\
x = tf.constant([1.0, 2.0, 3.0])  # the point to differentiate at
with tf.GradientTape() as tape:
    y = tf.reduce_sum(tf.sin(x) * x)
dx = tape.gradient(y, x)
if dx is not None:
    tf.debugging.assert_near(dx, tf.cos(x) * x + tf.sin(x))
"""),
    "convert_to_tensor_to_variable_in_function": Program(
        "constant-to-variable", "none", HEAD + """\
def input_gradient(weights, batch):
    inputs = tf.convert_to_tensor(batch, tf.float32)
    with tf.GradientTape() as tape:
        scores = tf.reduce_sum(tf.matmul(inputs, weights))
    return tape.gradient(scores, inputs)

weights = tf.Variable(tf.ones((3, 2)))
grads = input_gradient(weights, np.ones((4, 3)))
if grads is not None:
    tf.debugging.assert_near(grads, tf.fill((4, 3), 2.0))
"""),
    "move_forward_pass_into_tape": Program("move-into-tape", "none", HEAD + """\
w = tf.Variable([1.0, 2.0])
b = tf.Variable(0.5)
x = tf.constant([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]])
for step in range(2):
    # forward pass
    pred = tf.reduce_sum(x * w, axis=1) + b

    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(pred))
    gw, gb = tape.gradient(loss, [w, b])
    if gw is not None:
        tf.debugging.assert_near(gw, tf.reduce_sum(2.0 * pred[:, None] * x, axis=0))
        tf.debugging.assert_near(gb, tf.reduce_sum(2.0 * pred))
        w.assign_sub(0.01 * gw)
        b.assign_sub(0.01 * gb)
"""),
    "move_after_leading_watch": Program("move-into-tape", "none", HEAD + """\
x = tf.constant([1.0, 2.0])
w = tf.Variable(3.0)
h = w * x
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.reduce_sum(h * x)
gw, gx = tape.gradient(y, [w, x])
if gw is not None:
    tf.debugging.assert_near(gw, tf.reduce_sum(x * x))
    tf.debugging.assert_near(gx, 2.0 * w * x)
"""),
    "assign_sub_update": Program("assign-in-place", "none", HEAD + """\
w = tf.Variable([1.0, -2.0])
x = tf.constant([0.5, 2.0])
lr = 0.1
for step in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(w * x))
    g = tape.gradient(loss, w)
    if g is None:
        break
    tf.debugging.assert_near(g, 2.0 * w * x * x)
    w = w - lr * g
"""),
    # a NumPy target: TF's tape.gradient raises (the array has no tape id)
    "np_sum_in_tape": Program("numpy-to-tf", "error", HEAD + """\
w = tf.Variable([1.0, 2.0, 3.0])
x = tf.constant([2.0, 0.5, -1.0])
with tf.GradientTape() as tape:
    y = w * x
    loss = np.sum(y ** 2)
g = tape.gradient(loss, w)
if g is not None:
    tf.debugging.assert_near(g, 2.0 * w * x * x)
"""),
    "numpy_method_in_tape": Program("numpy-to-tf", "none", HEAD + """\
w = tf.Variable([0.5, -1.0])
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as tape:
    h = tf.tanh(w * x)
    loss = tf.reduce_sum(tf.constant(h.numpy()) * x)
g = tape.gradient(loss, w)
if g is not None:
    tf.debugging.assert_near(g, (1.0 - tf.tanh(w * x) ** 2) * x * x)
"""),
    "np_exp_silently_constant": Program("numpy-to-tf", "error", HEAD + """\
w = tf.Variable([0.5, -0.25])
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as tape:
    y = w * x
    loss = tf.reduce_sum(y) + tf.reduce_sum(np.exp(y))
g = tape.gradient(loss, w)
tf.debugging.assert_near(g, x + tf.exp(w * x) * x)
"""),
    "variable_made_in_tape": Program("variable-to-tensor", "none", HEAD + """\
factor = tf.Variable([[0.5, -1.0], [2.0, 0.25]])
x = tf.constant([[1.0, 2.0]])
with tf.GradientTape() as tape:
    scaled = tf.Variable(3.0 * factor)
    loss = tf.reduce_sum(x @ scaled)
g = tape.gradient(loss, factor)
if g is not None:
    tf.debugging.assert_near(g, 3.0 * tf.transpose(x) @ tf.ones((1, 2)))
"""),
    "weights_read_before_build": Program("build-model", "error", KERAS + """\
model = keras.Sequential([keras.layers.Dense(1, use_bias=False)])
x = tf.constant([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]])
params = model.trainable_variables
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(model(x))
grads = tape.gradient(loss, params)
assert len(grads) == 1, "the model had no weights when params was read"
tf.debugging.assert_near(grads[0], tf.reshape(tf.reduce_sum(x, axis=0), (3, 1)))
"""),
    "one_hot_targets_sparse_loss": Program("matching-loss", "error", KERAS + """\
rng = np.random.default_rng(0)
x = rng.normal(size=(32, 4)).astype("float32")
y = keras.utils.to_categorical(rng.integers(0, 3, size=(32,)), 3)
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
              metrics=["sparse_categorical_accuracy"])
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
with tf.GradientTape() as tape:
    probs = model(x)
    loss = tf.reduce_mean(keras.losses.categorical_crossentropy(y, probs))
grads = tape.gradient(loss, model.trainable_variables)
tf.debugging.assert_near(grads[1], tf.reduce_mean(probs - y, axis=0), atol=1e-5)
"""),
    "class_ids_categorical_loss": Program("matching-loss", "error", KERAS + """\
rng = np.random.default_rng(1)
x = rng.normal(size=(24, 5)).astype("float32")
y = rng.integers(0, 4, size=(24,))
model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(4)])
model.compile(optimizer="sgd", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
with tf.GradientTape() as tape:
    logits = model(x)
    loss = tf.reduce_mean(
        keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))
grads = tape.gradient(loss, model.trainable_variables)
expected = tf.reduce_mean(tf.nn.softmax(logits) - tf.one_hot(y, 4), axis=0)
tf.debugging.assert_near(grads[1], expected, atol=1e-5)
"""),
    "dense_after_conv_without_flatten": Program("insert-flatten", "error", KERAS + """\
rng = np.random.default_rng(2)
x = rng.normal(size=(16, 6, 6, 1)).astype("float32")
y = rng.integers(0, 4, size=(16,))
model = keras.Sequential([
    keras.Input(shape=(6, 6, 1)),
    keras.layers.Conv2D(2, 3, activation="relu"),
    keras.layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
with tf.GradientTape() as tape:
    probs = model(x)
    loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, probs))
grads = tape.gradient(loss, model.trainable_variables)
expected = tf.reduce_mean(probs - tf.one_hot(y, 4), axis=0)
tf.debugging.assert_near(grads[-1], expected, atol=1e-5)
"""),
    "input_shape_on_first_layer": Program("input-layer", "same", KERAS + """\
keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.layers.Dense(2, activation="tanh", input_shape=(3,)),
    keras.layers.Dense(1),
])
x = tf.constant([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(model(x))
grads = tape.gradient(loss, model.trainable_variables)
tf.debugging.assert_near(grads[3], tf.constant([2.0]))
"""),
    "save_weights_checkpoint_prefix": Program("weights-suffix", "error", KERAS + """\
import tempfile

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
x = tf.constant([[1.0, 2.0, 3.0]])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(model(x))
grads = tape.gradient(loss, model.trainable_variables)
tf.debugging.assert_near(grads[0], tf.constant([[1.0], [2.0], [3.0]]))
folder = tempfile.mkdtemp()
model.save_weights(f"{folder}/my_checkpoint")
restored = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
restored.load_weights(f"{folder}/my_checkpoint.weights.h5")
tf.debugging.assert_near(restored(x), model(x))
"""),
    "save_model_without_extension": Program("weights-suffix", "error", KERAS + """\
import tempfile

model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
x = tf.constant([[1.0, -1.0]])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(model(x))
grads = tape.gradient(loss, model.trainable_variables)
folder = tempfile.mkdtemp().lstrip("/")  # (a path starting with literal text: not hf://)
model.save(f"/{folder}/exported")
reloaded = keras.models.load_model(f"/{folder}/exported.keras")
tf.debugging.assert_near(reloaded(x), model(x))
"""),
    "recompute_hoisted_forward_pass": Program("recompute-in-tape", "none", HEAD + """\
w = tf.Variable([1.0, -1.0])
x = tf.constant([[1.0, 2.0], [0.5, 0.5]])
hidden = tf.tanh(x * w)
print("first activations", hidden[0])
for step in range(2):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(hidden ** 2)
    g = tape.gradient(loss, w)
    if g is None:
        break
    h = tf.tanh(x * w)
    tf.debugging.assert_near(g, tf.reduce_sum(2.0 * h * (1.0 - h * h) * x, axis=0))
    w.assign_sub(0.1 * g)
"""),
    "ndarray_reduction_in_tape": Program("numpy-to-tf", "error", HEAD + """\
w = tf.Variable([0.5, -1.5, 2.0])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(3.0 * w) + np.square(w).sum()
g = tape.gradient(loss, w)
tf.debugging.assert_near(g, 3.0 + 2.0 * w)
"""),
}
