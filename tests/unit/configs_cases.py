"""Programs for ``core/keras/configs.py`` and ``cloning.py`` (``get_config``/``from_config``,
``type(layer)``, ``keras.models.clone_model``), each binding ``probe``, with what the engine
gives (``tests/unit/test_configs.py``) and what TensorFlow 2.21 / Keras 3 make of the same
program (``tests/oracle/test_configs_oracle.py``).

A value is written ``"<kind> <dtype> <shape>"`` for a tensor (kind ``tensor`` or ``keras``;
``None`` an unknown dtype or dim), ``"layer <Class> built|unbuilt"``, ``"model <Class>
built|unbuilt"`` (``Functional`` or ``Sequential``), ``"class <Name>"`` for a class, and
``"gradients none"`` / ``"gradients some"`` for a list of gradients all ``None`` / with at
least one tensor.
"""

from __future__ import annotations

SETUP = "import numpy as np\nimport tensorflow as tf\nimport keras\n"
DENSE = "d = keras.layers.Dense(4, activation='relu', name='d')\n"
FUNC = ("inp = keras.Input((8,))\nh = keras.layers.Dense(16, name='h')(inp)\n"
        "m = keras.Model(inp, keras.layers.Dense(2, name='o')(h))\n")
SEQ = "s = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)])\n"
LAZY = "lazy = keras.Sequential([keras.layers.Dense(3)])\nlazy(tf.zeros((32, 7)))\n"
X = "x = tf.zeros((2, 8))\n"
TILE = ("class Tile(keras.layers.Layer):\n"
        "    def __init__(self, times=2):\n        super().__init__()\n"
        "        self.times = times\n"
        "    def call(self, inputs):\n        return tf.tile(inputs, [1, self.times])\n"
        "    def get_config(self):\n        return {'times': self.times}\n"
        "t = Tile(4)\n")
SCALED = ("class Scaled(keras.layers.Layer):\n"
          "    def __init__(self, factor, **kwargs):\n        super().__init__(**kwargs)\n"
          "        self.factor = factor\n"
          "    @classmethod\n    def make(cls, factor):\n        return cls(factor)\n"
          "    def call(self, x):\n        return x * self.factor\n")

# (name, program, the engine's value, TensorFlow's value)
CASES: list[tuple[str, str, str, str]] = [
    ("layer_from_config", DENSE + "probe = keras.layers.Dense.from_config(d.get_config())",
     "layer Dense unbuilt", "layer Dense unbuilt"),
    ("type_from_config_call", DENSE + "n = type(d).from_config(d.get_config())\n"
     "probe = n(tf.zeros((2, 3)))", "tensor float32 (2, 4)", "tensor float32 (2, 4)"),
    ("class_attr_from_config", DENSE + "probe = d.__class__.from_config(d.get_config())",
     "layer Dense unbuilt", "layer Dense unbuilt"),
    ("rebuilt_of_built_layer", DENSE + "d(tf.zeros((2, 3)))\n"
     "probe = type(d).from_config(d.get_config())", "layer Dense unbuilt",
     "layer Dense unbuilt"),
    ("rebuilt_builds_on_other_width", DENSE + "d(tf.zeros((2, 3)))\n"
     "probe = type(d).from_config(d.get_config())(tf.zeros((2, 9)))",
     "tensor float32 (2, 4)", "tensor float32 (2, 4)"),
    ("conv_from_config", "c = keras.layers.Conv2D(6, 3, padding='same')\n"
     "probe = keras.layers.Conv2D.from_config(c.get_config())(tf.zeros((1, 5, 5, 2)))",
     "tensor float32 (1, 5, 5, 6)", "tensor float32 (1, 5, 5, 6)"),
    ("input_shape_not_in_config", "d = keras.layers.Dense(4, input_shape=(3,))\n"
     "probe = keras.Sequential([keras.layers.Dense.from_config(d.get_config())])",
     "model Sequential unbuilt", "model Sequential unbuilt"),
    ("type_of_layer", DENSE + "probe = type(d)", "class Dense", "class Dense"),
    ("type_of_functional", FUNC + "probe = type(m)", "class Functional", "class Functional"),
    ("type_of_sequential", SEQ + "probe = s.__class__", "class Sequential",
     "class Sequential"),
    ("model_from_config", FUNC + "probe = keras.Model.from_config(m.get_config())",
     "model Functional built", "model Functional built"),
    ("model_from_config_call", FUNC + "probe = keras.Model.from_config(config=m.get_config())"
     "(tf.zeros((5, 8)))", "tensor float32 (5, 2)", "tensor float32 (5, 2)"),
    ("model_from_config_output", FUNC + "probe = keras.Model.from_config(m.get_config())"
     ".output", "keras float32 (None, 2)", "keras float32 (None, 2)"),
    ("type_model_from_config", FUNC + "probe = type(m).from_config(m.get_config())"
     "(tf.zeros((3, 8)))", "tensor float32 (3, 2)", "tensor float32 (3, 2)"),
    ("sequential_from_config", SEQ + "probe = keras.Sequential.from_config(s.get_config())"
     "(tf.zeros((4, 5)))", "tensor float32 (4, 3)", "tensor float32 (4, 3)"),
    ("unbuilt_sequential_from_config", "u = keras.Sequential([keras.layers.Dense(3)])\n"
     "probe = keras.Sequential.from_config(u.get_config())", "model Sequential unbuilt",
     "model Sequential unbuilt"),
    ("clone_functional", FUNC + "probe = keras.models.clone_model(m)(tf.zeros((3, 8)))",
     "tensor float32 (3, 2)", "tensor float32 (3, 2)"),
    ("clone_sequential", SEQ + "probe = keras.models.clone_model(s)",
     "model Sequential built", "model Sequential built"),
    ("clone_lazy_sequential", LAZY + "probe = keras.models.clone_model(lazy)"
     "(tf.zeros((4, 7)))", "tensor float32 (4, 3)", "tensor float32 (4, 3)"),
    ("clone_unbuilt_sequential", "u = keras.Sequential([keras.layers.Dense(3)])\n"
     "probe = keras.models.clone_model(u)", "model Sequential unbuilt",
     "model Sequential unbuilt"),
    ("clone_function_sequential", SEQ + "def widen(layer):\n"
     "    return keras.layers.Dense(7)\n"
     "probe = keras.models.clone_model(s, clone_function=widen)(tf.zeros((3, 5)))",
     "tensor float32 (3, 7)", "tensor float32 (3, 7)"),
    ("clone_function_rebuilds", SEQ + "def rebuild(layer):\n"
     "    return type(layer).from_config(layer.get_config())\n"
     "probe = keras.models.clone_model(s, clone_function=rebuild)(tf.zeros((3, 5)))",
     "tensor float32 (3, 3)", "tensor float32 (3, 3)"),
    # a class of the program: Keras' inherited from_config is cls(**config); a classmethod
    ("user_class_from_config", TILE + "probe = Tile.from_config(t.get_config())"
     "(tf.ones((2, 3)))", "tensor None (2, 12)",
     "tensor float32 (2, 12)"),
    ("user_classmethod", SCALED + "probe = Scaled.make(2.0)(tf.ones((4, 5)))",
     "tensor None (4, 5)", "tensor float32 (4, 5)"),
    # gradients: a clone's weights are its own
    ("clone_gradient_own", FUNC + X + "c = keras.models.clone_model(m)\n"
     "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(c(x))\n"
     "probe = tape.gradient(loss, c.trainable_variables)", "gradients some",
     "gradients some"),
    ("clone_gradient_original", FUNC + X + "c = keras.models.clone_model(m)\n"
     "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(c(x))\n"
     "probe = tape.gradient(loss, m.trainable_variables)", "gradients none",
     "gradients none"),
    ("rebuilt_gradient_original", FUNC + X + "r = keras.Model.from_config(m.get_config())\n"
     "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(r(x))\n"
     "probe = tape.gradient(loss, m.trainable_variables)", "gradients none",
     "gradients none"),
    ("rebuilt_layer_gradient_original", DENSE + "d(tf.zeros((2, 3)))\n"
     "n = type(d).from_config(d.get_config())\n"
     "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(n(tf.ones((2, 3))))\n"
     "probe = tape.gradient(loss, d.trainable_variables)", "gradients none",
     "gradients none"),
    ("unknown_structure_clone_shares", FUNC + X +
     "c = keras.models.clone_model(m, clone_function=lambda layer: layer)\n"
     "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(c(x))\n"
     "probe = tape.gradient(loss, m.trainable_variables)", "gradients some",
     "gradients some"),
    ("shared_by_clone_function", SEQ + "def same(layer):\n    return layer\n"
     "c = keras.models.clone_model(s, clone_function=same)\n"
     "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(c(tf.zeros((2, 5))))\n"
     "probe = tape.gradient(loss, s.trainable_variables)", "gradients some",
     "gradients some"),
]

# Programs TF runs whose probe the engine leaves unknown (or, for a model of unknown
# structure, a tensor of unknown shape), with no finding.
UNKNOWN: list[tuple[str, str]] = [
    # a config held in a variable: the engine does not follow changes of a dict
    ("named_config", DENSE + "cfg = d.get_config()\n"
     "probe = keras.layers.Dense.from_config(cfg)(tf.zeros((2, 3)))"),
    ("named_model_config", FUNC + "config = m.get_config()\n"
     "probe = keras.Model.from_config(config)(tf.zeros((5, 8)))"),
    ("named_user_config", TILE + "config = t.get_config()\n"
     "probe = Tile.from_config(config)(tf.ones((2, 3)))"),
    ("mutated_config", DENSE + "cfg = d.get_config()\ncfg['units'] = 8\n"
     "probe = keras.layers.Dense.from_config(cfg)(tf.zeros((2, 3)))"),
    ("updated_config", DENSE + "cfg = d.get_config()\ncfg.update(units=8)\n"
     "probe = keras.layers.Dense.from_config(cfg)(tf.zeros((2, 3)))"),
    ("aliased_config", DENSE + "cfg = d.get_config()\nother = cfg\nother['units'] = 8\n"
     "probe = keras.layers.Dense.from_config(cfg)(tf.zeros((2, 3)))"),
    ("nested_model_config_mutated", FUNC + "cfg = m.get_config()\n"
     "cfg['layers'][-1]['config']['units'] = 5\n"
     "probe = keras.Model.from_config(cfg)(tf.zeros((3, 8)))"),
    ("clone_function_functional", FUNC + "def widen(layer):\n"
     "    return keras.layers.Dense(7)\n"
     "probe = keras.models.clone_model(m, clone_function=widen)(tf.zeros((3, 8)))"),
    ("clone_function_declares_input", SEQ + "def declared(layer):\n"
     "    return keras.layers.Dense(4, input_shape=(3,))\n"
     "probe = keras.models.clone_model(s, clone_function=declared)(tf.zeros((2, 5)))"),
    ("clone_lambda_model", "i = keras.Input((4,))\n"
     "lm = keras.Model(i, keras.layers.Lambda(lambda t: t * 2)(i))\n"
     "probe = keras.models.clone_model(lm, clone_function=lambda l: l)(tf.zeros((2, 4)))"),
    ("sequential_from_functional_config", FUNC +
     "probe = keras.Sequential.from_config(m.get_config())"),
    ("user_config_mutated", TILE + "config = t.get_config()\nconfig['times'] = 3\n"
     "probe = Tile.from_config(config)(tf.ones((2, 3)))"),
    ("user_config_from_base", "class Tile(keras.layers.Layer):\n"
     "    def __init__(self, times=2, **kwargs):\n        super().__init__(**kwargs)\n"
     "        self.times = times\n"
     "    def call(self, inputs):\n        return tf.tile(inputs, [1, self.times])\n"
     "    def get_config(self):\n        config = super().get_config()\n"
     "        config.update({'times': self.times})\n        return config\n"
     "probe = Tile.from_config(Tile(3).get_config())(tf.ones((2, 3)))"),
    ("user_layer_class", "class Scale(keras.layers.Layer):\n"
     "    def call(self, t):\n        return t * 2.0\n"
     "probe = type(Scale()).from_config({})(tf.zeros((2, 3)))"),
]

# Programs TF refuses (the exception class), where the engine reports nothing.
RAISES: list[tuple[str, str, str]] = [
    ("other_class_config", "c = keras.layers.Conv2D(3, 3)\n"
     "probe = keras.layers.Dense.from_config(c.get_config())", "TypeError"),
    ("model_from_sequential_config", SEQ + "probe = keras.Model.from_config(s.get_config())",
     "ValueError"),
    ("call_function_on_sequential", SEQ + "probe = keras.models.clone_model(s, "
     "call_function=lambda layer, *a, **k: layer(*a, **k))", "ValueError"),
]

# Programs TF refuses at their last line, where the engine reports that code there.
FINDINGS: list[tuple[str, str, str, str]] = [
    ("rebuilt_layer_second_width", DENSE + "n = type(d).from_config(d.get_config())\n"
     "n(tf.zeros((2, 3)))\nprobe = n(tf.zeros((2, 5)))", "SL201", "ValueError"),
    ("clone_function_breaks_build", SEQ + "def squeeze(layer):\n"
     "    return keras.layers.Reshape((4,))\n"
     "probe = keras.models.clone_model(s, clone_function=squeeze)", "SL204", "ValueError"),
]
