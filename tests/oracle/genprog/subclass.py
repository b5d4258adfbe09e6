"""Classes users write around the ops: a ``tf.Module`` with ``tf.Variable`` attributes, a
``keras.Model`` subclass (layers made in ``__init__``, or ``tf.Variable``/``add_weight``
weights), trained with a tape loop over ``trainable_variables`` or with ``fit`` through a
custom ``train_step``; also printing the weights before the first call, as the TF guides do.

Drawn to fail: data whose width is not the weights' (a matmul error in ``__call__``/``call``).
"""

from __future__ import annotations

from .core import Gen, lit


def _module_class(g: Gen, n_in: int, hidden: int, n_out: int) -> None:
    g.emit("class Net(tf.Module):")
    g.emit("    def __init__(self):")
    g.emit("        super().__init__()")
    g.emit(f"        self.w1 = tf.Variable(tf.random.normal({lit([n_in, hidden])}))")
    g.emit(f"        self.b1 = tf.Variable(tf.zeros([{hidden}]))")
    g.emit(f"        self.w2 = tf.Variable(tf.random.normal({lit([hidden, n_out])}))")
    g.emit("\n    def __call__(self, x):")
    g.emit("        h = tf.nn.relu(x @ self.w1 + self.b1)")
    g.emit("        return tf.matmul(h, self.w2)\n\n")


def _keras_class(g: Gen, n_in: int, hidden: int, n_out: int, weights: str) -> None:
    g.emit("class Net(keras.Model):")
    g.emit("    def __init__(self):")
    g.emit("        super().__init__()")
    if weights == "layers":
        g.emit(f'        self.d1 = keras.layers.Dense({hidden}, activation="relu")')
        g.emit(f"        self.d2 = keras.layers.Dense({n_out})")
        body = ["        return self.d2(self.d1(x))"]
    elif weights == "variables":
        g.emit(f"        self.w1 = tf.Variable(tf.random.normal({lit([n_in, hidden])}))")
        g.emit(f"        self.w2 = tf.Variable(tf.random.normal({lit([hidden, n_out])}))")
        body = ["        h = tf.nn.relu(tf.matmul(x, self.w1))",
                "        return tf.matmul(h, self.w2)"]
    else:
        g.emit(f"        self.w1 = self.add_weight(shape=({n_in}, {hidden}), "
               'initializer="random_normal")')
        g.emit(f'        self.w2 = self.add_weight(shape=({hidden}, {n_out}), initializer="zeros")')
        body = ["        h = tf.nn.relu(x @ self.w1)", "        return h @ self.w2"]
    g.emit("\n    def call(self, x):")
    g.lines.extend(body)
    g.emit("\n")


TRAIN_STEP = """\
class Trainer(Net):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            pred = self(x, training=True)
            loss = tf.reduce_mean(tf.square(pred - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}

"""


def class_program(g: Gen) -> None:
    g.flavour = "tf"
    n, n_in, hidden, n_out = g.dim(2, 8), g.dim(2, 6), g.dim(2, 8), g.dim(1, 4)
    style = g.pick(["module", "keras", "keras"])
    # tf.Variable attributes of a keras.Model are not tracked by Keras 3: trainable_variables
    # is empty and apply_gradients fails, so that style is drawn less often.
    weights = g.pick(["layers", "layers", "add_weight", "add_weight", "variables"])
    if style == "module":
        _module_class(g, n_in, hidden, n_out)
    else:
        _keras_class(g, n_in, hidden, n_out, weights)
    width = n_in + 1 if g.bad() else n_in
    g.emit(f"x = tf.random.normal({lit([n, width])})")
    g.emit(f"y = tf.random.normal({lit([n, n_out])})")
    if style == "keras" and g.chance(0.35):
        g.emit(TRAIN_STEP)
        g.emit("model = Trainer()")
        g.emit(f'model.compile(optimizer="{g.pick(["adam", "sgd"])}")')
        g.emit("history = model.fit(x, y, epochs=1, batch_size=4, verbose=0)")
        g.emit("pred = model(x)")
        return
    g.emit("model = Net()")
    if g.chance(0.3):
        g.emit("print([v.name for v in model.trainable_variables])")
    if g.chance(0.4):
        g.emit("first = model(x)")
    g.emit(f"opt = keras.optimizers.{g.pick(['SGD(learning_rate=0.01)', 'Adam()'])}")
    g.emit(f"for step in range({g.rng.randint(1, 3)}):")
    g.emit("    with tf.GradientTape() as tape:")
    g.emit("        pred = model(x)")
    g.emit("        loss = tf.reduce_mean(tf.square(pred - y))")
    g.emit("    grads = tape.gradient(loss, model.trainable_variables)")
    g.emit("    opt.apply_gradients(zip(grads, model.trainable_variables))")
    if g.chance(0.5):
        g.emit("out = model(x)")
