"""Subclassed Keras layers and models (``core/keras/subclass.py``): the first call runs the
class's own ``build`` with the input shapes Keras passes, then ``call``; ``add_weight`` makes
variables; a built layer called on another width fails inside ``call`` where TF raises.

Every shape asserted here is the one TF 2.21 / Keras 3 gives for the same program (checked by
running them: ``y.shape`` after each call), and every finding is the error TF raises there."""

from __future__ import annotations

import textwrap

from shapelens.core import analyze
from shapelens.core.analysis import Analysis
from shapelens.domain.shapes import DYNAMIC

LINEAR = """\
import keras
import numpy as np
import tensorflow as tf
from keras import ops


class Linear(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


"""


def _run(body: str, head: str = LINEAR) -> Analysis:
    return analyze(head + textwrap.dedent(body), "t.py")


def _shapes(result: Analysis) -> dict[str, object]:
    """The last shape bound to each name at module level (line order)."""
    return {fact.name: fact.shape for fact in sorted(result.assignments,
                                                     key=lambda f: f.line)}


def _codes(result: Analysis) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in result.findings]


def test_build_runs_on_the_first_call_and_call_gives_the_output() -> None:
    result = _run("""\
    layer = Linear(4)
    y = layer(tf.ones((2, 3)))
    z = layer(np.ones((7, 3)))
    """)
    shapes = _shapes(result)
    assert shapes["y"] == (2, 4) and shapes["z"] == (7, 4)
    assert _codes(result) == []


def test_a_second_call_on_another_width_fails_inside_call() -> None:
    # TF: InvalidArgumentError "Matrix size-incompatible: In[0]: [2,5], In[1]: [3,4]" raised
    # at the matmul in call() (the kernel was built for 3 features); nothing at the call site.
    result = _run("""\
    layer = Linear(4)
    y = layer(tf.ones((2, 3)))
    z = layer(tf.ones((2, 5)))
    """)
    matmul_line = LINEAR.splitlines().index(
        "        return ops.matmul(inputs, self.w) + self.b") + 1
    assert _codes(result) == [("SL102", matmul_line)]


def test_a_symbolic_input_builds_with_a_none_batch() -> None:
    result = _run("""\
    inputs = keras.Input(shape=(5,))
    outputs = Linear(3)(inputs)
    model = keras.Model(inputs, outputs)
    y = model(np.ones((6, 5), "float32"))
    """)
    shapes = _shapes(result)
    assert shapes["outputs"] == ("batch", 3)  # TF: (None, 3)
    assert shapes["y"] == (6, 3)


def test_nested_layers_are_built_by_the_outer_call_and_counted() -> None:
    result = _run("""\
    class MLPBlock(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.linear_1 = Linear(32)
            self.linear_2 = Linear(1)

        def call(self, inputs):
            x = self.linear_1(inputs)
            x = keras.activations.relu(x)
            return self.linear_2(x)


    mlp = MLPBlock()
    before = tf.zeros((len(mlp.weights), 2))
    y = mlp(ops.ones(shape=(3, 64)))
    after = tf.zeros((len(mlp.weights), len(mlp.non_trainable_weights) + 1))
    """)
    shapes = _shapes(result)
    assert shapes["y"] == (3, 1)
    # TF: no weights before the first call; 4 (two kernels, two biases), none frozen, after
    assert shapes["before"] == (0, 2) and shapes["after"] == (4, 1)


def test_build_gets_the_structure_or_the_named_shapes() -> None:
    # Keras 3 passes a list of shape tuples for a list input, and <argument>_shape to a
    # build with several parameters.
    result = _run("""\
    class Joined(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[0][-1] + input_shape[1][-1], 2))

        def call(self, inputs):
            return ops.matmul(ops.concatenate(inputs, axis=-1), self.w)


    class Pair(keras.layers.Layer):
        def build(self, a_shape, b_shape):
            self.w = self.add_weight(shape=(a_shape[-1], b_shape[-1]))

        def call(self, a, b):
            return ops.matmul(ops.matmul(a, self.w), ops.transpose(b))


    joined = Joined()([tf.ones((2, 3)), tf.ones((2, 4))])
    paired = Pair()(tf.ones((5, 3)), tf.ones((6, 7)))
    """)
    shapes = _shapes(result)
    assert shapes["joined"] == (2, 2) and shapes["paired"] == (5, 6)
    assert _codes(result) == []


def test_weights_made_in_init_and_their_kinds() -> None:
    result = _run("""\
    class ComputeSum(keras.layers.Layer):
        def __init__(self, input_dim):
            super().__init__()
            self.total = self.add_weight(initializer="zeros", shape=(input_dim,),
                                         trainable=False)
            self.count = self.add_weight(initializer="zeros", dtype="int32")

        def call(self, inputs):
            self.total.assign_add(ops.sum(inputs, axis=0))
            return self.total


    my_sum = ComputeSum(2)
    y = my_sum(ops.ones((2, 2)))
    counts = tf.zeros((len(my_sum.weights), len(my_sum.non_trainable_weights)))
    step = my_sum.count + 1
    """)
    shapes = _shapes(result)
    # TF: the total is (2,); 2 weights, 1 of them non-trainable; a scalar int32 counter
    assert shapes["y"] == (2,) and shapes["counts"] == (2, 1) and shapes["step"] == ()
    facts = {f.name: f for f in result.assignments}
    assert facts["step"].dtype == "int32"
    assert _codes(result) == []


def test_arrays_reach_call_as_tensors_of_the_layer_dtype() -> None:
    # TF: Keras casts a float64 input to the layer's float32 before call(): the matmul with a
    # float32 constant runs. Claiming float64 there would be a false dtype error.
    result = _run("""\
    class Project(keras.layers.Layer):
        def call(self, x):
            return tf.matmul(x, tf.ones((3, 2)))


    y = Project()(np.ones((4, 3)))
    """)
    assert _shapes(result)["y"] == (4, 2)
    assert _codes(result) == []


def test_fit_builds_a_subclassed_model_and_predict_concatenates_batches() -> None:
    result = _run("""\
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.d1 = keras.layers.Dense(8)
            self.d2 = keras.layers.Dense(2)

        def call(self, x):
            h = self.d1(x)
            return self.d2(h)


    model = Net()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((70, 3)), np.ones((70, 2)), verbose=0)
    params = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(tf.ones((70, 3))))
    grads = tape.gradient(loss, params)
    out = model.predict(np.ones((70, 3)), verbose=0)
    """)
    # TF: after fit the model holds 4 variables (no SL314); predict gives (70, 2); inside
    # call() under fit the batch is TF's None (the engine's batch symbol), never 70.
    assert _codes(result) == []
    shapes = _shapes(result)
    assert shapes["out"] == (70, 2)
    assert shapes["h"] == ("batch", 8)  # first reached under fit: one batch


def test_unknown_stays_unknown() -> None:
    result = _run("y = Linear(4)(tf.ones(unknown_shape()))\n")
    assert _shapes(result).get("y") is None
    assert _codes(result) == []


def test_a_positional_name_is_the_keras_3_error_and_makes_no_weight() -> None:
    # TF: ValueError "`name` must be passed as a keyword argument. Received:
    # add_weight('w', ...)" at the add_weight line, on the first call (SL212); no weight.
    result = _run("""\
    class Named(keras.layers.Layer):
        def build(self, s):
            self.w = self.add_weight('w', shape=(s[-1], 2))

        def call(self, x):
            return ops.matmul(x, self.w)


    y = Named()(tf.ones((2, 3)))
    """)
    line = len(LINEAR.splitlines()) + 3
    assert _codes(result) == [("SL212", line)]
    assert _shapes(result).get("y") is None


def test_tf_keras_base_and_a_build_the_code_calls_itself() -> None:
    # TF: layer.build((None, 3)) builds it; the first call does not build again, so a call
    # on 5 features fails in call() against the 3-row kernel.
    result = _run("""\
    class Scale(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.k = self.add_weight(shape=(input_shape[-1], 1))

        def call(self, x):
            return tf.matmul(x, self.k)


    layer = Scale()
    layer.build((None, 3))
    y = layer(tf.ones((2, 5)))
    """)
    lines = (LINEAR + textwrap.dedent("""\
    class Scale(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.k = self.add_weight(shape=(input_shape[-1], 1))

        def call(self, x):
            return tf.matmul(x, self.k)
    """)).splitlines()
    assert _codes(result) == [("SL102", lines.index("        return tf.matmul(x, self.k)") + 1)]


def test_a_functional_subclass_and_its_own_train_step_under_fit() -> None:
    # TF: CustomModel(inputs, outputs) is a functional model; fit calls train_step with one
    # batch (x, y) (batch None in its trace), self(x) gives (None, 1) and compute_loss a
    # scalar; called directly on 6 rows it gives (6, 1).
    result = _run("""\
    class CustomModel(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply(grads, self.trainable_variables)
            return {"loss": loss}


    inputs = keras.Input(shape=(32,))
    outputs = keras.layers.Dense(1)(inputs)
    model = CustomModel(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.random.random((100, 32)), np.random.random((100, 1)), epochs=1, verbose=0)
    direct = model(np.ones((6, 32)))
    """)
    shapes = _shapes(result)
    assert shapes["y_pred"] == ("batch", 1) and shapes["loss"] == ()
    assert shapes["direct"] == (6, 1)
    assert _codes(result) == []


def test_masks_keras_computes_or_passes() -> None:
    # TF: Embedding(mask_zero=True).compute_mask(ids) is a bool (32, 10) tensor; the mask
    # Keras hands a call(..., mask=None) is never the default None for certain, so the code
    # after ``assert mask is not None`` runs (TF: the layer gives (None, None, 1)).
    result = _run("""\
    class MyLayer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.embedding = keras.layers.Embedding(input_dim=5000, output_dim=16,
                                                    mask_zero=True)

        def call(self, inputs):
            mask = self.embedding.compute_mask(inputs)
            return self.embedding(inputs)


    class TemporalSoftmax(keras.layers.Layer):
        def call(self, inputs, mask=None):
            assert mask is not None
            scores = ops.exp(inputs)
            return scores


    ids = (np.random.random((32, 10)) * 100).astype("int32")
    y = MyLayer()(ids)
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
    outputs = TemporalSoftmax()(keras.layers.Dense(1)(x))
    """)
    shapes = _shapes(result)
    assert shapes["mask"] == (32, 10) and shapes["y"] == (32, 10, 16)
    assert shapes["outputs"] == ("batch", DYNAMIC, 1)
    facts = {f.name: f for f in result.assignments}
    assert facts["mask"].dtype == "bool"


def test_a_call_in_a_function_analysed_without_its_arguments_proves_nothing() -> None:
    # TF runs only the module-level call (5 features): no error anywhere. The function is
    # never called; the layer's state when it would be is unknown, so no SL102 in call().
    result = _run("""\
    layer = Linear(4)


    def never_called():
        return layer(tf.ones((2, 3)))


    y = layer(tf.ones((2, 5)))
    """)
    assert _codes(result) == []
    assert _shapes(result)["y"] == (2, 4)


def test_a_subclass_forwarding_its_arguments_to_keras_model_is_functional() -> None:
    # TF: CustomModel(inputs, outputs) with __init__(self, *args, **kwargs) calling
    # super().__init__(*args, **kwargs) is the functional model: (6, 32) -> (6, 1).
    result = _run("""\
    class CustomModel(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_fn = keras.losses.MeanSquaredError()


    inputs = keras.Input(shape=(32,))
    outputs = keras.layers.Dense(1)(inputs)
    model = CustomModel(inputs, outputs)
    y = model(np.ones((6, 32)))
    loss = model.loss_fn(np.ones((6, 1)), y)
    """)
    shapes = _shapes(result)
    assert shapes["y"] == (6, 1) and shapes["loss"] == ()
