"""Buggy programs for the fix oracle's SL214 fixes that no fixture exercises (see
``fix_programs.py`` for the format): an optimizer given ``lr=``, a legacy optimizer and a
model trained with ``fit_generator``, each of which Keras 3 refuses. After the fix, each
trains a step through a tape and checks the gradient against its analytic value."""

from __future__ import annotations

from fix_programs import KERAS, Program

_STEP = """\
x = tf.constant([[1.0, 2.0, 3.0]])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(model(x))
grads = tape.gradient(loss, model.trainable_variables)
tf.debugging.assert_near(grads[0], tf.constant([[1.0], [2.0], [3.0]]))
optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""
_MODEL = "model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])\n"

PROGRAMS: dict[str, Program] = {
    "optimizer_lr_keyword": Program("rename-api", "error", KERAS + _MODEL +
                                    "optimizer = keras.optimizers.Adam(lr=0.01)\n" + _STEP),
    "legacy_optimizer": Program("rename-api", "error", KERAS + _MODEL +
                                "optimizer = tf.keras.optimizers.legacy.SGD(learning_rate=0.1)\n"
                                + _STEP),
    "fit_generator": Program("rename-api", "error", KERAS + _MODEL + """\
optimizer = keras.optimizers.SGD(learning_rate=0.1)
model.compile(optimizer=optimizer, loss="mse")


def batches():
    while True:
        yield np.ones((4, 3), np.float32), np.zeros((4, 1), np.float32)


model.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)
""" + _STEP),
}
