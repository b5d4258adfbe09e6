"""Keras lookup/text layers and ``model.get_layer`` with the value TensorFlow 2.21 / Keras 3
gives ``probe`` (kind, dtype, static shape; ``keras`` for a symbolic KerasTensor), programs
TF refuses with the rule that predicts it, and programs where the engine must stay unknown
and silent though TF runs them.

``tests/unit/test_keras_lookup_get_layer.py`` holds the engine to them; the oracle
(``tests/oracle/test_keras_lookup_oracle.py``) runs each under TensorFlow.
"""

from __future__ import annotations

SETUP = "import keras\nimport tensorflow as tf\n"
STRINGS = 's = tf.constant([["a", "b", "c"], ["d", "e", "a"]])\n'
FUNCTIONAL = ("inp = keras.Input((4,))\n"
              'h = keras.layers.Dense(8, name="h")(inp)\n'
              'm = keras.Model(inp, keras.layers.Dense(2, name="o")(h))\n')
SEQUENTIAL = ('s = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, name="a"), '
              "keras.layers.Dense(3)])\n")
SUBCLASS = ("class Sub(keras.Model):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            '        self.d = keras.layers.Dense(3, name="dd")\n'
            '        self.e = keras.layers.Dense(2, name="ee")\n'
            "    def call(self, x):\n"
            "        return self.e(self.d(x))\n"
            "sm = Sub()\n"
            "y = sm(tf.zeros((2, 4)))\n")

# (name, program, expected "kind dtype shape" of probe)
CASES: list[tuple[str, str, str]] = [
    ("string_lookup", STRINGS + 'probe = keras.layers.StringLookup(vocabulary=["a", "b"])(s)',
     "tensor int64 (2, 3)"),
    ("string_lookup_scalar",
     'probe = keras.layers.StringLookup(vocabulary=["a"])(tf.constant("a"))', "tensor int64 ()"),
    ("string_lookup_dtype_ignored", STRINGS + 'probe = keras.layers.StringLookup('
     'vocabulary=["a"], dtype="int32")(s)', "tensor int64 (2, 3)"),
    ("string_lookup_symbolic", 'probe = keras.layers.StringLookup(vocabulary=["a"])('
     'keras.Input((3,), dtype="string"))', "keras int64 (None, 3)"),
    ("integer_lookup_int32_input", "probe = keras.layers.IntegerLookup(vocabulary=[1, 2, 3])("
     'keras.Input((4,), dtype="int32"))', "keras int64 (None, 4)"),
    ("integer_lookup_float_data", "probe = keras.layers.IntegerLookup(vocabulary=[1, 2])("
     "tf.constant([[1.0, 5.0]]))", "tensor int64 (1, 2)"),
    ("text_vectorization_length", 'probe = keras.layers.TextVectorization(vocabulary=["a", '
     '"b"], output_sequence_length=5)(tf.constant(["a b", "c"]))', "tensor int64 (2, 5)"),
    ("text_vectorization_column", 'probe = keras.layers.TextVectorization(vocabulary=["a"], '
     'output_sequence_length=5)(tf.constant([["a b"], ["c"]]))', "tensor int64 (2, 5)"),
    ("text_vectorization_scalar", 'probe = keras.layers.TextVectorization(vocabulary=["a"], '
     'output_sequence_length=3)(tf.constant("a b"))', "tensor int64 (3,)"),
    ("text_vectorization_characters", 'probe = keras.layers.TextVectorization(vocabulary=["a"]'
     ', split="character", output_sequence_length=3)(tf.constant(["ab"]))',
     "tensor int64 (1, 3)"),
    ("text_vectorization_symbolic", "probe = keras.layers.TextVectorization(max_tokens=100, "
     'output_sequence_length=12)(keras.Input((1,), dtype="string"))', "keras int64 (None, 12)"),
    ("text_vectorization_symbolic_no_length", "probe = keras.layers.TextVectorization()("
     'keras.Input((), dtype="string"))', "keras int64 (None, None)"),
    ("text_vectorization_into_embedding", "tok = keras.layers.TextVectorization("
     'max_tokens=100, output_sequence_length=12)(keras.Input((1,), dtype="string"))\n'
     "probe = keras.layers.Embedding(100, 8)(tok)", "keras float32 (None, 12, 8)"),
    ("lookup_in_sequential", 'probe = keras.Sequential([keras.layers.StringLookup(vocabulary='
     '["a", "b"]), keras.layers.Embedding(5, 3)])(tf.constant([["a", "b"]]))',
     "tensor float32 (1, 2, 3)"),
    ("get_layer_functional_name", FUNCTIONAL + 'probe = m.get_layer("h")(tf.zeros((2, 4)))',
     "tensor float32 (2, 8)"),
    ("get_layer_functional_name_keyword", FUNCTIONAL +
     'probe = m.get_layer(name="o")(tf.zeros((2, 8)))', "tensor float32 (2, 2)"),
    ("get_layer_sequential_index", SEQUENTIAL +
     "probe = s.get_layer(index=1)(tf.zeros((2, 8)))", "tensor float32 (2, 3)"),
    ("get_layer_sequential_negative_index", SEQUENTIAL +
     "probe = s.get_layer(index=-2)(tf.zeros((2, 4)))", "tensor float32 (2, 8)"),
    ("get_layer_sequential_name", SEQUENTIAL +
     'probe = s.get_layer("a")(tf.zeros((5, 4)))', "tensor float32 (5, 8)"),
    ("get_layer_lazy_sequential", "s = keras.Sequential([keras.layers.Dense(8), "
     "keras.layers.Dense(3)])\ns(tf.zeros((2, 4)))\n"
     "probe = s.get_layer(index=1)(tf.zeros((5, 8)))", "tensor float32 (5, 3)"),
    ("get_layer_after_pop", SEQUENTIAL + "s.pop()\n"
     "probe = s.get_layer(index=-1)(tf.zeros((2, 4)))", "tensor float32 (2, 8)"),
    ("get_layer_subclass_name", SUBCLASS + 'probe = sm.get_layer("ee")(tf.zeros((1, 3)))',
     "tensor float32 (1, 2)"),
]

# (name, program, rule code): TF raises at the last line, the engine finds it there
ERRORS: list[tuple[str, str, str]] = [
    ("lookup_ids_into_float_matmul", STRINGS + 'ids = keras.layers.StringLookup('
     'vocabulary=["a"])(s)\nprobe = tf.matmul(ids, tf.zeros((3, 2)))', "SL111"),
    ("get_layer_built_for_another_width", FUNCTIONAL +
     'probe = m.get_layer("h")(tf.zeros((2, 5)))', "SL201"),
    ("get_layer_index_built_for_another_width", SEQUENTIAL +
     "probe = s.get_layer(index=0)(tf.zeros((2, 5)))", "SL201"),
    ("get_layer_subclass_built_for_another_width", SUBCLASS +
     'probe = sm.get_layer("dd")(tf.zeros((2, 5)))', "SL201"),
]

# (name, program): TF runs them; the engine leaves probe unknown and reports nothing
UNKNOWN: list[tuple[str, str]] = [
    ("multi_hot_width_from_vocabulary", STRINGS + "probe = keras.layers.StringLookup("
     'vocabulary=["a"], output_mode="multi_hot")(s)'),
    ("inverted_lookup_gives_strings", "probe = keras.layers.StringLookup(vocabulary=['a'], "
     "invert=True)(tf.constant([[1, 2]], tf.int64))"),
    ("tf_idf", 'probe = keras.layers.TextVectorization(vocabulary=["a"], output_mode="tf_idf",'
     ' idf_weights=[1.0])(tf.constant(["a b"]))'),
    ("ragged_rows", 'probe = keras.layers.TextVectorization(vocabulary=["a"], ragged=True)('
     'tf.constant(["a b", "c"]))'),
    ("get_layer_auto_name", "inp = keras.Input((4,))\nm = keras.Model(inp, "
     'keras.layers.Dense(2)(inp))\nlayer = m.get_layer(index=1)\n'
     "probe = m.get_layer(layer.name)(tf.zeros((2, 4)))"),
    ("get_layer_functional_index", FUNCTIONAL +
     "probe = m.get_layer(index=1)(tf.zeros((2, 4)))"),
    ("get_layer_subclass_index", SUBCLASS + "probe = sm.get_layer(index=0)(tf.zeros((2, 4)))"),
    ("get_layer_subclass_unknown_before", SUBCLASS.replace(
        "super().__init__()\n", "super().__init__()\n        self.z = keras.layers.deserialize("
        '{"module": "keras.layers", "class_name": "Dense", '
        '"config": {"units": 3, "name": "ee"}})\n')
     + 'probe = sm.get_layer("ee")(tf.zeros((1, 3)))'),
]
