"""Programs for ``shapefns/keras_cells.py`` (Keras recurrent cells, ``StackedRNNCells``,
``RNN(cell)``), each binding ``probe``, with the value the engine gives
(``tests/unit/test_keras_cells.py``) and the one TensorFlow 2.21 / Keras 3 makes of the same
program (``tests/oracle/test_keras_cells_oracle.py``).

A value is written ``"<kind> <dtype> <shape>"`` (kind ``tensor``, ``variable`` or ``keras``, a
KerasTensor; ``None`` an unknown dim), ``"int <n>"`` for a Python int, and a list or tuple as
``list[...]``/``tuple[...]`` of its items.
"""

from __future__ import annotations

SETUP = "import tensorflow as tf\nimport keras\nL = keras.layers\n"
X = "x = tf.zeros((2, 5))\n"
SEQ = "seq = tf.zeros((2, 4, 5))\n"
S3 = "s3 = tf.zeros((2, 3))\n"
T23 = "tensor float32 (2, 3)"
T24 = "tensor float32 (2, 4)"
K3 = "keras float32 (None, 3)"
K4 = "keras float32 (None, 4)"


def _tuple(*items: str) -> str:
    return f"tuple[{', '.join(items)}]"


def _list(*items: str) -> str:
    return f"list[{', '.join(items)}]"


LSTM_OUT = _tuple(T23, _list(T23, T23))

# (name, program, the engine's value, TensorFlow's value)
CASES: list[tuple[str, str, str, str]] = [
    ("lstm_list_states", X + S3 + "probe = L.LSTMCell(3)(x, [s3, s3])", LSTM_OUT, LSTM_OUT),
    ("lstm_tuple_states", X + S3 + "probe = L.LSTMCell(3)(x, (s3, s3))", LSTM_OUT, LSTM_OUT),
    ("lstm_training_flag", X + S3 + "probe = L.LSTMCell(3, dropout=0.5)(x, [s3, s3], "
     "training=True)",
     LSTM_OUT, LSTM_OUT),
    ("lstm_initial_state", X + "c = L.LSTMCell(3)\n"
     "probe = c(x, c.get_initial_state(batch_size=2))", LSTM_OUT, LSTM_OUT),
    ("lstm_stepped_twice", X + S3 + "c = L.LSTMCell(3)\nh, s = c(x, [s3, s3])\n"
     "probe = c(x, s)", LSTM_OUT, LSTM_OUT),
    ("lstm_state_batch_one", X + "s = tf.zeros((1, 3))\nprobe = L.LSTMCell(3)(x, [s, s])",
     LSTM_OUT, LSTM_OUT),
    ("lstm_carry_width_one", X + S3 + "probe = L.LSTMCell(3)(x, [s3, tf.zeros((2, 1))])",
     LSTM_OUT, LSTM_OUT),
    ("gru_list_state", X + S3 + "probe = L.GRUCell(3)(x, [s3])", _tuple(T23, _list(T23)),
     _tuple(T23, _list(T23))),
    ("gru_tensor_state", X + S3 + "probe = L.GRUCell(3)(x, s3)", _tuple(T23, T23),
     _tuple(T23, T23)),
    ("simple_rnn_tuple_state", X + S3 + "probe = L.SimpleRNNCell(3)(x, (s3,))",
     _tuple(T23, _list(T23)), _tuple(T23, _list(T23))),
    ("simple_rnn_tensor_state", X + S3 + "probe = L.SimpleRNNCell(3)(x, s3)",
     _tuple(T23, T23), _tuple(T23, T23)),
    ("lstm_symbolic", "probe = L.LSTMCell(3)(keras.Input((5,)), [keras.Input((3,)), "
     "keras.Input((3,))])", _tuple(K3, _list(K3, K3)), _tuple(K3, _list(K3, K3))),
    ("lstm_initial_state_list", "probe = L.LSTMCell(3).get_initial_state(batch_size=4)",
     _list("tensor float32 (4, 3)", "tensor float32 (4, 3)"),
     _list("tensor float32 (4, 3)", "tensor float32 (4, 3)")),
    ("gru_initial_state_list", "probe = L.GRUCell(3).get_initial_state(batch_size=4)",
     _list("tensor float32 (4, 3)"), _list("tensor float32 (4, 3)")),
    ("lstm_state_size", "probe = L.LSTMCell(3).state_size", _list("int 3", "int 3"),
     _list("int 3", "int 3")),
    ("gru_state_size", "probe = L.GRUCell(3).state_size", "int 3", "int 3"),
    ("simple_rnn_output_size", "probe = L.SimpleRNNCell(3).output_size", "int 3", "int 3"),
    ("lstm_kernel", X + S3 + "c = L.LSTMCell(3)\nc(x, [s3, s3])\nprobe = c.kernel",
     "variable float32 (5, 12)", "variable float32 (5, 12)"),
    ("lstm_recurrent_kernel", X + S3 + "c = L.LSTMCell(3)\nc(x, [s3, s3])\n"
     "probe = c.recurrent_kernel", "variable float32 (3, 12)", "variable float32 (3, 12)"),
    ("gru_bias", X + S3 + "c = L.GRUCell(3)\nc(x, s3)\nprobe = c.bias",
     "variable float32 (2, 9)", "variable float32 (2, 9)"),
    ("gru_bias_reset_before", X + S3 + "c = L.GRUCell(3, reset_after=False)\nc(x, s3)\n"
     "probe = c.bias", "variable float32 (9,)", "variable float32 (9,)"),
    ("simple_rnn_weights", X + S3 + "c = L.SimpleRNNCell(3)\nc(x, s3)\n"
     "probe = [w.shape[-1] for w in c.weights]", _list("int 3", "int 3", "int 3"),
     _list("int 3", "int 3", "int 3")),
    ("rnn_lstm_cell", SEQ + "probe = L.RNN(L.LSTMCell(3))(seq)", T23, T23),
    ("rnn_gru_sequences", SEQ + "probe = L.RNN(L.GRUCell(3), return_sequences=True)(seq)",
     "tensor float32 (2, 4, 3)", "tensor float32 (2, 4, 3)"),
    ("rnn_lstm_state", SEQ + "probe = L.RNN(L.LSTMCell(3), return_state=True)(seq)",
     _tuple(T23, T23, T23), _tuple(T23, T23, T23)),
    ("rnn_gru_state", SEQ + "probe = L.RNN(L.GRUCell(3), return_state=True)(seq)",
     _tuple(T23, T23), _tuple(T23, T23)),
    ("rnn_symbolic", "probe = L.RNN(L.SimpleRNNCell(3))(keras.Input((4, 5)))", K3, K3),
    ("rnn_cell_kernel", SEQ + "c = L.LSTMCell(3)\nL.RNN(c)(seq)\nprobe = c.kernel",
     "variable float32 (5, 12)", "variable float32 (5, 12)"),
    ("rnn_weights", SEQ + "r = L.RNN(L.GRUCell(3))\nr(seq)\nprobe = r.weights[1]",
     "variable float32 (3, 9)", "variable float32 (3, 9)"),
    ("rnn_cell_list_state", SEQ + "probe = L.RNN([L.LSTMCell(3), L.GRUCell(4)], "
     "return_state=True)(seq)", _tuple(T24, _list(T23, T23), _list(T24)),
     _tuple(T24, _list(T23, T23), _list(T24))),
    ("rnn_stacked_symbolic", "probe = L.RNN(L.StackedRNNCells([L.LSTMCell(3), L.GRUCell(4)]),"
     " return_state=True)(keras.Input((4, 5)))", _tuple(K4, _list(K3, K3), K4),
     _tuple(K4, _list(K3, K3), K4)),
    ("rnn_second_cell_kernel", SEQ + "c = L.GRUCell(4)\n"
     "L.RNN([L.LSTMCell(3), c])(seq)\nprobe = c.kernel", "variable float32 (3, 12)",
     "variable float32 (3, 12)"),
    ("stacked_call", X + "st = L.StackedRNNCells([L.LSTMCell(3), L.GRUCell(4)])\n"
     "probe = st(x, st.get_initial_state(batch_size=2))",
     _tuple(T24, _list(_list(T23, T23), _list(T24))),
     _tuple(T24, _list(_list(T23, T23), _list(T24)))),
    ("stacked_tensor_state", X + S3 + "st = L.StackedRNNCells([L.GRUCell(3), L.GRUCell(4)])\n"
     "probe = st(x, [s3, tf.zeros((2, 4))])", _tuple(T24, _list(T23, T24)),
     _tuple(T24, _list(T23, T24))),
    ("stacked_state_size", "probe = L.StackedRNNCells([L.LSTMCell(3), L.GRUCell(4)])"
     ".state_size", _list(_list("int 3", "int 3"), "int 4"),
     _list(_list("int 3", "int 3"), "int 4")),
    ("rnn_state_starred", SEQ + "x, *state = L.RNN(L.LSTMCell(3), return_state=True)(seq)\n"
     "probe = state", _list(T23, T23), _list(T23, T23)),
    ("feedback_step", SEQ + "c = L.LSTMCell(3)\nx, *state = L.RNN(c, return_state=True)(seq)\n"
     "probe = c(tf.zeros((2, 5)), states=state, training=None)", LSTM_OUT, LSTM_OUT),
    ("starred_middle", "a, *rest, b = (1, 2, 3, 4)\nprobe = rest", _list("int 2", "int 3"),
     _list("int 2", "int 3")),
    ("starred_empty", "a, *rest = [tf.zeros((2, 3))]\nprobe = (a, rest)", _tuple(T23, "list[]"),
     _tuple(T23, "list[]")),
    ("rnn_cell_attribute", SEQ + "r = L.RNN(L.GRUCell(3))\nr(seq)\nprobe = r.cell.kernel",
     "variable float32 (5, 9)", "variable float32 (5, 9)"),
    ("stacked_cells_attribute", X + "st = L.StackedRNNCells([L.GRUCell(3), L.GRUCell(4)])\n"
     "st(x, st.get_initial_state(batch_size=2))\nprobe = st.cells[1].recurrent_kernel",
     "variable float32 (4, 12)", "variable float32 (4, 12)"),
    ("sequential_rnn_params", "m = keras.Sequential([keras.Input((4, 5)), L.RNN(L.LSTMCell(8)),"
     " L.Dense(1)])\nprobe = m.count_params()", f"int {4 * 8 * 13 + 32 + 9}",
     f"int {4 * 8 * 13 + 32 + 9}"),
    ("sequential_stacked_params", "m = keras.Sequential([keras.Input((4, 5)), "
     "L.RNN([L.GRUCell(3), L.SimpleRNNCell(2)])])\nprobe = m.count_params()",
     f"int {3 * 3 * 8 + 18 + 2 * 5 + 2}", f"int {3 * 3 * 8 + 18 + 2 * 5 + 2}"),
    ("functional_cell_params", "inp, h0, c0 = keras.Input((5,)), keras.Input((3,)), "
     "keras.Input((3,))\nh, (h1, c1) = L.LSTMCell(3)(inp, [h0, c0])\n"
     "m = keras.Model([inp, h0, c0], [h, c1])\nprobe = m.count_params()", "int 108",
     "int 108"),
    ("params_without_bias", "m = keras.Sequential([keras.Input((4, 5)), "
     "L.LSTM(3, use_bias=False), L.Dense(1, use_bias=False)])\nprobe = m.count_params()",
     "int 99", "int 99"),
    ("gru_params_reset_before", "m = keras.Sequential([keras.Input((4, 5)), "
     "L.RNN(L.GRUCell(3, reset_after=False))])\nprobe = m.count_params()", "int 81", "int 81"),
    ("stepped_over_80_steps", "seq = tf.zeros((2, 80, 5))\nc = L.LSTMCell(3)\n"
     "s = c.get_initial_state(batch_size=2)\nfor step in tf.unstack(seq, axis=1):\n"
     "    h, s = c(step, s)\nprobe = h", T23, T23),
    ("in_tf_function", X + S3 + "c = L.LSTMCell(3)\nf = tf.function(lambda a, s: c(a, s))\n"
     "probe = f(x, [s3, s3])", LSTM_OUT, LSTM_OUT),
]

# Programs TF runs whose probe the engine leaves unknown: a user's own cell class in an RNN, a
# stack of one cell, states read from a value the engine cannot follow.
UNKNOWN: list[tuple[str, str]] = [
    ("own_cell_class", SEQ + "class Cell(L.Layer):\n"
     "    def __init__(self):\n        super().__init__()\n        self.state_size = 3\n"
     "    def build(self, shape):\n        self.k = self.add_weight(shape=(shape[-1], 3))\n"
     "    def call(self, x, states):\n        h = tf.matmul(x, self.k) + states[0]\n"
     "        return h, [h]\n"
     "probe = L.RNN(Cell())(seq)"),
    ("stack_of_one", SEQ + "probe = L.RNN([L.LSTMCell(3)], return_state=True)(seq)"),
    ("states_from_a_dict_get", X + "d = {'s': [tf.zeros((2, 3))]}\n"
     "probe = L.GRUCell(3)(x, d.get(next(iter(d))))[1]"),
]

# (name, program, the exception TF raises, the rule the engine reports on the line TF raises
# at: the last line, or the one of ``return`` inside a traced function)
FINDINGS: list[tuple[str, str, str, str]] = [
    ("lstm_wider_second_call", X + S3 + "c = L.LSTMCell(3)\nc(x, [s3, s3])\n"
     "probe = c(tf.zeros((2, 7)), [s3, s3])", "InvalidArgumentError", "SL102"),
    ("gru_state_width", X + "probe = L.GRUCell(3)(x, tf.zeros((2, 4)))",
     "InvalidArgumentError", "SL102"),
    ("simple_rnn_state_width", X + "probe = L.SimpleRNNCell(3)(x, [tf.zeros((2, 4))])",
     "InvalidArgumentError", "SL102"),
    ("lstm_state_batch", X + "s = tf.zeros((4, 3))\nprobe = L.LSTMCell(3)(x, [s, s])",
     "InvalidArgumentError", "SL103"),
    ("lstm_carry_width", X + S3 + "probe = L.LSTMCell(3)(x, [s3, tf.zeros((2, 4))])",
     "InvalidArgumentError", "SL103"),
    ("symbolic_wider_second_call", "c = L.GRUCell(3)\ns = keras.Input((3,))\n"
     "c(keras.Input((5,)), [s])\nprobe = c(keras.Input((7,)), [s])", "ValueError", "SL102"),
    ("stacked_second_state_width", X + S3 + "st = L.StackedRNNCells([L.GRUCell(3), "
     "L.GRUCell(4)])\nprobe = st(x, [s3, s3])", "InvalidArgumentError", "SL102"),
    ("feedback_step_on_the_output", SEQ + "c = L.LSTMCell(3)\n"
     "x, *state = L.RNN(c, return_state=True)(seq)\nprobe = c(x, states=state)",
     "InvalidArgumentError", "SL102"),
    ("in_tf_function_wider", X + S3 + "c = L.SimpleRNNCell(3)\nc(x, s3)\n@tf.function\n"
     "def f(a, s):\n    return c(a, s)\nprobe = f(tf.zeros((2, 6)), s3)",
     "ValueError", "SL102"),
]

# Programs TF refuses for a reason that is no shape rule's (an IndexError, no states, Keras 3
# refusing a flag given positionally): the engine says nothing.
REFUSED: list[tuple[str, str, str]] = [
    ("lstm_one_state", X + S3 + "probe = L.LSTMCell(3)(x, [s3])", "IndexError"),
    ("cell_without_states", X + "probe = L.GRUCell(3)(x)", "TypeError"),
    ("training_flag_positional", X + S3 + "probe = L.LSTMCell(3)(x, [s3, s3], True)",
     "ValueError"),
]


# Gradients through cells (provenance): (name, program binding ``probe`` to the gradients, the
# codes the engine reports, TensorFlow's value of ``probe``). A cell's weights are linked to its
# outputs, nested ones included, and to the RNN layer or stack that holds it; a cell built by
# ``cell.build(shape)`` has them (no SL314 on its model's trainable_variables).
GRADIENTS: list[tuple[str, str, list[str], str]] = [
    ("through_carry_state", X + S3 + "c = L.LSTMCell(3)\nwith tf.GradientTape() as tape:\n"
     "    _, (h, carry) = c(x, [s3, s3])\n    loss = tf.reduce_sum(carry)\n"
     "probe = tape.gradient(loss, c.trainable_variables)", [],
     _list("tensor float32 (5, 12)", "tensor float32 (3, 12)", "tensor float32 (12,)")),
    ("stepped_twice", X + S3 + "c = L.GRUCell(3)\nwith tf.GradientTape() as tape:\n"
     "    h, s = c(x, s3)\n    h, s = c(x, s)\n    loss = tf.reduce_sum(h)\n"
     "probe = tape.gradient(loss, c.trainable_variables)", [],
     _list("tensor float32 (5, 9)", "tensor float32 (3, 9)", "tensor float32 (2, 9)")),
    ("rnn_of_a_cell_list", SEQ + "a, b = L.SimpleRNNCell(3), L.SimpleRNNCell(4)\n"
     "rnn = L.RNN([a, b])\nwith tf.GradientTape() as tape:\n"
     "    loss = tf.reduce_sum(rnn(seq))\n"
     "probe = tape.gradient(loss, a.trainable_variables)", [],
     _list("tensor float32 (5, 3)", "tensor float32 (3, 3)", "tensor float32 (3,)")),
    ("stacked_cells", X + S3 + "a, b = L.GRUCell(3), L.GRUCell(3)\n"
     "st = L.StackedRNNCells([a, b])\nwith tf.GradientTape() as tape:\n"
     "    h, _ = st(x, [s3, s3])\n    loss = tf.reduce_sum(h)\n"
     "probe = tape.gradient(loss, a.trainable_variables)", [],
     _list("tensor float32 (5, 9)", "tensor float32 (3, 9)", "tensor float32 (2, 9)")),
    ("built_by_build", "class M(keras.Model):\n    def __init__(self):\n"
     "        super().__init__()\n        self.cell = L.LSTMCell(3)\n"
     "m = M()\nm.cell.build((None, 5))\nfor v in m.trainable_variables:\n"
     "    v.assign(tf.zeros_like(v))\nprobe = len(m.trainable_variables)", [], "int 3"),
    ("never_built", "class M(keras.Model):\n    def __init__(self):\n"
     "        super().__init__()\n        self.cell = L.GRUCell(3)\n"
     "m = M()\nfor v in m.trainable_variables:\n"
     "    v.assign(tf.zeros_like(v))\nprobe = len(m.trainable_variables)", ["SL314"], "int 0"),
    ("another_cell", X + S3 + "c, other = L.LSTMCell(3), L.LSTMCell(3)\nother(x, [s3, s3])\n"
     "with tf.GradientTape() as tape:\n    h, _ = c(x, [s3, s3])\n"
     "    loss = tf.reduce_sum(h)\nprobe = tape.gradient(loss, other.trainable_variables)",
     ["SL303"], _list("None", "None", "None")),
]

# Subclassed models holding cells: (name, program building ``m`` and calling it, its layers'
# (class, parameter count) as the engine's model table gives them and Keras' ``m.layers``).
MODEL = ("class M(keras.Model):\n"
         "    def __init__(self):\n        super().__init__()\n"
         "        self.embed = L.Embedding(50, 10)\n        self.cell = L.{cell}(16)\n"
         "        self.head = L.Dense(1)\n"
         "    def call(self, ids):\n        x = self.embed(ids)\n"
         "        state = self.cell.get_initial_state(batch_size=4)\n"
         "        for step in tf.unstack(x, axis=1):\n"
         "            out, state = self.cell(step, state)\n"
         "        return self.head(out)\n"
         "m = M()\ny = m(tf.zeros((4, 7), tf.int32))\n"
         "probe = [(type(v).__name__, v.count_params()) for v in m.layers]")
MODEL_TABLES: list[tuple[str, str, list[tuple[str, int]]]] = [
    ("model_with_lstm_cell", MODEL.format(cell="LSTMCell"),
     [("Embedding", 500), ("LSTMCell", 4 * 16 * (10 + 16) + 4 * 16), ("Dense", 17)]),
    ("model_with_gru_cell", MODEL.format(cell="GRUCell"),
     [("Embedding", 500), ("GRUCell", 3 * 16 * (10 + 16) + 2 * 3 * 16), ("Dense", 17)]),
    ("model_with_simple_rnn_cell", MODEL.format(cell="SimpleRNNCell"),
     [("Embedding", 500), ("SimpleRNNCell", 16 * (10 + 16) + 16), ("Dense", 17)]),
]


def table_text(rows: list[tuple[str, int]]) -> str:
    """Keras' ``[(class, count_params())]`` as the oracle's ``describe`` writes it."""
    return _list(*(_tuple(f"str {name}", f"int {n}") for name, n in rows))
