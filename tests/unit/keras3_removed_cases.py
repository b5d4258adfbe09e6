"""Programs for SL214 (``core/keras/removed.py``): Keras 2 spellings Keras 3 removed.

``FINDINGS``: (name, program, the line SL214 is reported on, the exception TF 2.21 raises
there); ``SILENT``: programs TF runs to the end, where the engine reports nothing (the Keras 3
spellings, a user's own ``reset_states``, a caught error, ``getattr``). The engine side is
``tests/unit/test_keras3_removed.py``; ``tests/oracle/test_keras3_removed_oracle.py`` runs
every program under TF.
"""

from __future__ import annotations

SETUP = "import tensorflow as tf\nimport keras\n"
MODEL = "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
MODEL += "model.compile(optimizer='sgd', loss='mse')\n"
GENERATOR = ("def batches():\n    while True:\n"
             "        yield tf.ones((4, 3)), tf.zeros((4, 2))\n")

FINDINGS: list[tuple[str, str, str, str]] = [
    ("metric_reset_states", "m = keras.metrics.Mean()\nm.update_state(2.0)\nm.reset_states()",
     "m.reset_states()", "AttributeError"),
    ("tf_keras_metric_in_loop", "acc = tf.keras.metrics.SparseCategoricalAccuracy()\n"
     "for epoch in range(2):\n    acc.update_state([1], [[0.2, 0.8]])\n    acc.reset_states()",
     "    acc.reset_states()", "AttributeError"),
    ("metric_passed_to_a_function", "def end_epoch(metric):\n    metric.reset_states()\n"
     "end_epoch(keras.metrics.AUC())", "    metric.reset_states()", "AttributeError"),
    ("model_fit_generator", MODEL + GENERATOR +
     "model.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)",
     "model.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)",
     "AttributeError"),
    ("model_predict_generator", MODEL + GENERATOR + "p = model.predict_generator(batches(), 1)",
     "p = model.predict_generator(batches(), 1)", "AttributeError"),
    ("model_evaluate_generator", MODEL + GENERATOR +
     "e = model.evaluate_generator(batches(), steps=1)",
     "e = model.evaluate_generator(batches(), steps=1)", "AttributeError"),
    ("model_reset_states", "model = keras.Sequential([keras.Input((4, 3), batch_size=2), "
     "keras.layers.LSTM(2, stateful=True)])\nmodel.reset_states()", "model.reset_states()",
     "AttributeError"),
    ("adam_lr", "opt = keras.optimizers.Adam(lr=0.01)", "opt = keras.optimizers.Adam(lr=0.01)",
     "ValueError"),
    ("tf_optimizers_sgd_lr_and_learning_rate",
     "opt = tf.optimizers.SGD(learning_rate=0.1, lr=0.1, momentum=0.9)",
     "opt = tf.optimizers.SGD(learning_rate=0.1, lr=0.1, momentum=0.9)", "ValueError"),
    ("tf_keras_rmsprop_lr_in_compile", MODEL.split("\n")[0] + "\n"
     "model.compile(optimizer=tf.keras.optimizers.RMSprop(lr=1e-3), loss='mse')",
     "model.compile(optimizer=tf.keras.optimizers.RMSprop(lr=1e-3), loss='mse')",
     "ValueError"),
    ("legacy_sgd", "opt = tf.keras.optimizers.legacy.SGD(learning_rate=0.1)",
     "opt = tf.keras.optimizers.legacy.SGD(learning_rate=0.1)", "ImportError"),
    ("legacy_adam_keras", "opt = keras.optimizers.legacy.Adam()",
     "opt = keras.optimizers.legacy.Adam()", "ImportError"),
]

SILENT: list[tuple[str, str]] = [
    ("metric_reset_state", "m = keras.metrics.Mean()\nm.update_state(2.0)\nm.reset_state()\n"
     "r = m.result()"),
    ("caught_attribute_error", "m = keras.metrics.Mean()\ntry:\n    m.reset_states()\n"
     "except AttributeError:\n    m.reset_state()"),
    ("getattr_with_default", "m = keras.metrics.Mean()\n"
     "reset = getattr(m, 'reset_states', None) or m.reset_state\nreset()"),
    ("own_metric_defines_reset_states", "class Counter(keras.metrics.Metric):\n"
     "    def __init__(self):\n        super().__init__()\n"
     "        self.n = self.add_variable(shape=(), initializer='zeros', name='n')\n"
     "    def update_state(self, x):\n        self.n.assign_add(1.0)\n"
     "    def result(self):\n        return self.n\n"
     "    def reset_states(self):\n        self.n.assign(0.0)\n"
     "c = Counter()\nc.update_state(1.0)\nc.reset_states()"),
    ("stateful_layer_reset_states", "lstm = keras.layers.LSTM(2, stateful=True)\n"
     "model = keras.Sequential([keras.Input((4, 3), batch_size=2), lstm])\n"
     "lstm.reset_states()"),
    ("model_fit_generator_python", MODEL + GENERATOR +
     "model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)"),
    ("adam_learning_rate", "opt = keras.optimizers.Adam(learning_rate=0.01)"),
    ("adam_positional", "opt = tf.keras.optimizers.Adam(0.01)"),
    ("schedule_object", "s = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)\n"
     "opt = keras.optimizers.SGD(learning_rate=s)"),
    ("compat_v1_train_optimizer", "opt = tf.compat.v1.train.AdamOptimizer(0.1)"),
    ("lr_set_then_read", "opt = keras.optimizers.Adam()\nopt.lr = 0.5\nx = opt.lr"),
]
