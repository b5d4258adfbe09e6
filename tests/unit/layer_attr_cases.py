"""Attributes of Keras layer objects (``layer.output``/``input``, ``kernel``/``bias``/...,
``weights``, a Sequential's ``inputs``/``outputs``) with the value TensorFlow 2.21 / Keras 3
gives ``probe`` (kind, dtype, static shape; a weight is a ``tensor``, a KerasTensor
``keras``); programs whose value the engine must leave unknown (TF may raise there: an
attribute Keras does not define, or a node the engine cannot see); and gradients w.r.t. a
layer's ``trainable_variables``: connected (no finding; TF gives no ``None``) or certainly
unconnected (SL303; TF gives only ``None``).

``tests/unit/test_layer_attributes.py`` holds the engine to them; the oracle
(``tests/oracle/test_layer_attr_oracle.py``) runs each under TensorFlow.
"""

from __future__ import annotations

SETUP = "import keras\nimport tensorflow as tf\n"
SEQ = ('model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(7, name="h"), '
       "keras.layers.Dense(2)])\n")
LAZY = ('lazy = keras.Sequential([keras.layers.Dense(7, name="h2"), keras.layers.Dense(2)])\n'
        "y = lazy(tf.ones((3, 9)))\n")
FUNCTIONAL = ("inp = keras.Input((4,))\n"
              'hid = keras.layers.Dense(6, name="hid")\n'
              "m = keras.Model(inp, keras.layers.Dense(2)(hid(inp) * 2.0))\n")
BLOCK = ("class Block(keras.layers.Layer):\n"
         "    def __init__(self):\n"
         "        super().__init__()\n"
         "        self.d = keras.layers.Dense(3)\n"
         "    def call(self, x):\n"
         "        return self.d(x)\n")
MHA = ("mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)\n"
       "y = mha(keras.Input((5, 8)), keras.Input((7, 8)))\n")
TAPE = ("x = tf.ones((3, 5))\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = tf.reduce_mean({call})\n"
        "grads = tape.gradient(loss, {sources})\n")
CONNECTED_CHECK = ("assert grads and all(g is not None for g in grads), grads\n"
                   "probe = tf.constant(0.0)\n")
UNCONNECTED_CHECK = ("assert grads and all(g is None for g in grads), grads\n"
                     "probe = tf.constant(0.0)\n")

# (name, program, expected "kind dtype shape" of probe)
CASES: list[tuple[str, str, str]] = [
    ("get_layer_output", SEQ + 'probe = model.get_layer("h").output', "keras float32 (None, 7)"),
    ("get_layer_input", SEQ + 'probe = model.get_layer("h").input', "keras float32 (None, 5)"),
    ("dense_kernel", SEQ + 'probe = model.get_layer("h").kernel', "tensor float32 (5, 7)"),
    ("dense_bias", SEQ + 'probe = model.get_layer("h").bias', "tensor float32 (7,)"),
    ("layers_index_kernel", SEQ + "probe = model.layers[-1].kernel", "tensor float32 (7, 2)"),
    ("weights_item", SEQ + 'probe = model.get_layer("h").weights[1]', "tensor float32 (7,)"),
    ("feature_extractor", SEQ + "fx = keras.Model(inputs=model.inputs, "
     'outputs=model.get_layer(name="h").output)\nprobe = fx(tf.ones((3, 5)))',
     "tensor float32 (3, 7)"),
    ("sequential_outputs", SEQ + "probe = model.outputs[0]", "keras float32 (None, 2)"),
    ("sequential_inputs", SEQ + "probe = model.inputs[0]", "keras float32 (None, 5)"),
    ("functional_get_layer_output", FUNCTIONAL + 'probe = m.get_layer("hid").output',
     "keras float32 (None, 6)"),
    ("lazy_kernel", LAZY + 'probe = lazy.get_layer("h2").kernel', "tensor float32 (9, 7)"),
    ("conv2d_kernel", "c = keras.layers.Conv2D(8, 3)\ny = c(keras.Input((28, 28, 1)))\n"
     "probe = c.kernel", "tensor float32 (3, 3, 1, 8)"),
    ("conv2d_groups", "c = keras.layers.Conv2D(6, (3, 5), groups=3)\n"
     "y = c(keras.Input((8, 8, 3)))\nprobe = c.kernel", "tensor float32 (3, 5, 1, 6)"),
    ("conv2d_channels_first", 'c = keras.layers.Conv2D(6, 3, data_format="channels_first")\n'
     "y = c(keras.Input((3, 8, 8)))\nprobe = c.kernel", "tensor float32 (3, 3, 3, 6)"),
    ("conv1d_bias", "c = keras.layers.Conv1D(4, 2)\ny = c(tf.ones((2, 10, 3)))\n"
     "probe = c.bias", "tensor float32 (4,)"),
    ("conv2d_transpose", "c = keras.layers.Conv2DTranspose(8, 3)\n"
     "y = c(keras.Input((6, 6, 2)))\nprobe = c.kernel", "tensor float32 (3, 3, 8, 2)"),
    ("embedding", "e = keras.layers.Embedding(100, 8)\n"
     'y = e(keras.Input((5,), dtype="int32"))\nprobe = e.embeddings',
     "tensor float32 (100, 8)"),
    ("batch_norm_moving_mean", "bn = keras.layers.BatchNormalization(axis=1)\n"
     "y = bn(keras.Input((3, 5)))\nprobe = bn.moving_mean", "tensor float32 (3,)"),
    ("layer_norm_weights", "ln = keras.layers.LayerNormalization()\n"
     "y = ln(keras.Input((3, 5)))\nprobe = ln.weights[1]", "tensor float32 (5,)"),
    ("lstm_weights", "r = keras.layers.LSTM(5)\ny = r(keras.Input((3, 4)))\n"
     "probe = r.weights[1]", "tensor float32 (5, 20)"),
    ("gru_bias", "r = keras.layers.GRU(4)\ny = r(keras.Input((3, 5)))\n"
     "probe = r.weights[2]", "tensor float32 (2, 12)"),
    ("second_call_keeps_first_node", "d = keras.layers.Dense(3)\n"
     "a = d(keras.Input((4,)))\nb = d(keras.Input((2, 4)))\nprobe = d.output",
     "keras float32 (None, 3)"),
    ("attention_output", MHA + "probe = mha.output", "keras float32 (None, 5, 8)"),
    ("eager_then_symbolic", "d = keras.layers.Dense(3)\ne = d(tf.ones((2, 4)))\n"
     "s = d(keras.Input((4,)))\nprobe = d.output", "keras float32 (None, 3)"),
]

# (name, program): TF runs them; the engine leaves probe unknown and says nothing
UNKNOWN: list[tuple[str, str]] = [
    ("lstm_has_no_kernel", "r = keras.layers.LSTM(5)\ny = r(keras.Input((3, 4)))\n"
     "probe = r.cell.kernel"),
    ("trainable_variables_length", SEQ + 'probe = model.get_layer("h").trainable_variables[0]'),
    ("subclass_inner_layer_output", BLOCK + "b = Block()\ny = b(keras.Input((4,)))\n"
     "probe = b.output"),
    ("attention_input_is_a_list", MHA + "probe = mha.input[1]"),  # [query, value]
    ("functional_layers_start_with_input_layers", FUNCTIONAL + "probe = m.layers[0].output"),
    ("layer_reused_in_sequential", "d = keras.layers.Dense(3)\nz = d(keras.Input((2, 4)))\n"
     "s = keras.Sequential([keras.Input((4,)), d])\nprobe = s.outputs[0]"),
]

# (name, program raising under TF): the engine gives probe no value and finds nothing
UNDEFINED: list[tuple[str, str]] = [
    ("eager_call_makes_no_node", "d = keras.layers.Dense(3)\ne = d(tf.ones((2, 4)))\n"
     "probe = d.output"),
    ("sequential_output_is_its_own_node", SEQ + "probe = model.output"),  # (outputs[0]:
    # its graph's end; output: its own first node, never called here)
    ("subclass_call_makes_no_node", BLOCK + "b = Block()\ny = b(keras.Input((4,)))\n"
     "probe = b.d.output"),
]

# (name, program): gradients w.r.t. a layer's variables through a model that uses it
CONNECTED: list[tuple[str, str]] = [
    ("inner_layer_of_sequential", SEQ + TAPE.format(
        call="model(x)", sources='model.get_layer("h").trainable_variables')),
    ("nested_sequential", "enc = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])\n"
     "dec = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])\n"
     "auto = keras.Sequential([keras.Input((5,)), enc, dec])\n" + TAPE.format(
         call="auto(x)", sources="enc.trainable_variables")),
    ("functional_inner_layer", FUNCTIONAL.replace("(4,)", "(5,)") + TAPE.format(
        call="m(x)", sources="hid.trainable_variables")),
    ("layer_called_alone_model_weights", SEQ + TAPE.format(
        call='model.get_layer("h")(x)', sources="model.trainable_variables[:2]")),
    ("kernel_read_directly", SEQ + TAPE.format(
        call='tf.matmul(x, model.get_layer("h").kernel)',
        sources='[model.get_layer("h").kernel]')),
    ("subclass_in_functional", BLOCK + "b = Block()\ninp = keras.Input((5,))\n"
     "fm = keras.Model(inp, b(inp))\n" + TAPE.format(
         call="fm(x)", sources="b.d.trainable_variables")),
]

# (name, program): TF gives only None; the engine reports SL303 at the gradient call
UNCONNECTED: list[tuple[str, str]] = [
    ("other_model", SEQ + "other = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])\n"
     + TAPE.format(call="other(x)", sources='model.get_layer("h").trainable_variables')),
]
