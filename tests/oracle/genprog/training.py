"""GradientTape programs: module-level ``tf.Variable``s (or a Keras layer/model) read by
helper functions, the helpers called out of and inside tapes, loops around tapes,
``tape.gradient`` with lists, watched constants, intermediate tensors and persistent tapes,
and ``apply_gradients`` / ``assign_sub`` updates, sometimes inside ``tf.function``.

Drawn to fail: a weight whose size does not fit the activations (a matmul error in the
helper). Drawn to give a None gradient (TF raises nothing; the gradient probe sees it): a
variable no loss reads, included in the sources.
"""

from __future__ import annotations

from .core import Gen, lit

# Constructs left out (unless ``Gen.known_bugs``, ``bench/fuzz.py --known-bugs``) while the
# engine has a known false alarm on them (reproducers in bench/FUZZ.md). "zero"
# (unconnected_gradients=ZERO) and "intermediate" (the gradient w.r.t. a tensor the tape
# recorded) were such until 4d7189d fixed them; "split": a forward pass through tf.split /
# tf.unstack / top_k(...).values got SL303 "the target was not computed from it" (bench/FUZZ.md 9)
# until the tape recorded each piece of a list result.
EXCLUDED: frozenset[str] = frozenset()

OPTIMIZERS = ("keras.optimizers.SGD(learning_rate=0.01)", "keras.optimizers.Adam()",
              "tf.keras.optimizers.SGD(learning_rate=0.1)")


def _weights(g: Gen, n_in: int, n_out: int) -> tuple[list[str], list[str]]:
    """Module-level variables of a 1-3 layer perceptron; (names, forward-body lines)."""
    names, body = [], []
    dims = [n_in] + [g.dim(2, 8) for _ in range(g.rng.randint(0, 2))] + [n_out]
    current = "inp"
    for i in range(len(dims) - 1):
        rows = dims[i] + 1 if g.bad() else dims[i]
        w, b = f"w{i + 1}", f"b{i + 1}"
        g.emit(f"{w} = tf.Variable(tf.random.normal({lit([rows, dims[i + 1]])}))")
        names.append(w)
        mm = f"tf.matmul({current}, {w})" if g.chance(0.6) else f"{current} @ {w}"
        if g.chance(0.6):
            g.emit(f"{b} = tf.Variable(tf.zeros([{dims[i + 1]}]))")
            names.append(b)
            mm = f"{mm} + {b}"
        last = i == len(dims) - 2
        act = mm if last or g.chance(0.3) else f"tf.nn.{g.pick(['relu', 'tanh'])}({mm})"
        body.append(f"    h{i + 1} = {act}")
        current = f"h{i + 1}"
        if not last and dims[i + 1] % 2 == 0 and ("split" not in EXCLUDED or g.known_bugs) \
                and g.chance(0.3):
            body.append(f"    a{i + 1}, c{i + 1} = tf.split({current}, 2, axis=-1)")
            body.append(f"    {current} = tf.concat([c{i + 1}, a{i + 1}], axis=-1)")
    body.append(f"    return {current}")
    return names, body


def _keras_forward(g: Gen, n_in: int, n_out: int) -> tuple[str, list[str]]:
    """A Keras layer or Sequential model as the forward pass; (sources expr, body)."""
    g.imports.add("import keras")
    hidden = g.dim(2, 8)
    if g.chance(0.5):
        inp = f"keras.Input(shape=({n_in},)), " if g.chance(0.5) else ""
        g.emit(f"model = keras.Sequential([{inp}keras.layers.Dense({hidden}, "
               f'activation="relu"), keras.layers.Dense({n_out})])')
        return "model.trainable_variables", ["    return model(inp)"]
    g.emit(f"layer = keras.layers.Dense({n_out})")
    return "layer.trainable_variables", ["    return layer(inp)"]


def _update(g: Gen, sources: str, in_function: bool) -> list[str]:
    """Lines that compute the gradients and apply them (indented by the caller)."""
    lines = [f"grads = tape.gradient(loss, {sources})"]
    how = g.pick(["opt", "opt", "assign"])
    if how == "opt":
        lines.append(f"opt.apply_gradients(zip(grads, {sources}))")
    else:
        lines += [f"for var, grad in zip({sources}, grads):",
                  "    var.assign_sub(0.01 * grad)"]
    if in_function:
        lines.append("return loss")
    return lines


def tape_program(g: Gen) -> None:
    g.imports.add("import tensorflow as tf")
    g.flavour = "tf"
    n, n_in, n_out = g.dim(2, 8), g.dim(2, 6), g.dim(1, 4)
    uses_keras = g.chance(0.25)
    if uses_keras:
        sources, body = _keras_forward(g, n_in, n_out)
    else:
        names, body = _weights(g, n_in, n_out)
        unused = not g.broken and g.chance(0.1)
        if unused:
            g.emit("w_extra = tf.Variable(tf.ones([3]))")
            names.append("w_extra")
        g.emit(f"params = [{', '.join(names)}]")
        sources = "params"
    g.emit(f"x = tf.random.normal({lit([n, n_in])})")
    g.emit(f"y = tf.random.normal({lit([n, n_out])})")
    optimizer = g.pick(OPTIMIZERS)
    if "keras." in optimizer and not optimizer.startswith("tf."):
        g.imports.add("import keras")
    g.emit(f"opt = {optimizer}")
    g.emit("\n\ndef forward(inp):")
    g.lines.extend(body)
    g.emit("\n\ndef loss_fn():")
    g.emit("    pred = forward(x)")
    g.emit("    return tf.reduce_mean(tf.square(pred - y))\n\n")
    if g.chance(0.4):
        g.emit("initial = loss_fn()")
    if g.chance(0.15):
        _extra_gradients(g, n, n_in)
    style = g.pick(["loop", "loop", "single", "function"])
    inside = g.pick(["loss = loss_fn()", "pred = forward(x)\n"
                     "loss = tf.reduce_mean(tf.square(pred - y))"])
    tape_lines = ["with tf.GradientTape() as tape:",
                  *("    " + line for line in inside.splitlines())]
    if style == "function":
        g.emit("@tf.function\ndef train_step():")
        for line in [*tape_lines, *_update(g, sources, True)]:
            g.emit("    " + line)
        g.emit("\n\nfor step in range(3):\n    loss = train_step()")
    elif style == "loop":
        g.emit(f"for step in range({g.rng.randint(2, 3)}):")
        for line in [*tape_lines, *_update(g, sources, False)]:
            g.emit("    " + line)
    else:
        for line in [*tape_lines, *_update(g, sources, False)]:
            g.emit(line)
    if g.chance(0.3):
        g.emit("final = loss_fn()")


def _extra_gradients(g: Gen, n: int, n_in: int) -> None:
    """Gradients w.r.t. a watched constant, an intermediate tensor, or with a persistent
    tape computing two gradients; sometimes ``unconnected_gradients=ZERO``."""
    kind = g.pick([k for k in ("watch", "intermediate", "persistent", "zero")
                   if g.known_bugs or k not in EXCLUDED])
    if kind == "watch":
        g.emit(f"xc = tf.constant(tf.random.normal({lit([n, n_in])}))")
        g.emit("with tf.GradientTape() as tape0:\n    tape0.watch(xc)\n"
               "    out0 = tf.reduce_sum(forward(xc))")
        g.emit("gx = tape0.gradient(out0, xc)")
    elif kind == "intermediate":
        g.emit("with tf.GradientTape() as tape0:\n    pred0 = forward(x)\n"
               "    loss0 = tf.reduce_mean(tf.square(pred0 - y))")
        g.emit("g_pred = tape0.gradient(loss0, pred0)")
    elif kind == "persistent":
        g.emit("with tf.GradientTape(persistent=True) as tape0:\n    loss0 = loss_fn()\n"
               "    loss1 = 2.0 * loss0")
        g.emit("ga = tape0.gradient(loss0, x)\ngb = tape0.gradient(loss1, x)\ndel tape0")
    else:
        g.emit("w_free = tf.Variable(tf.ones([2]))")
        g.emit("with tf.GradientTape() as tape0:\n    loss0 = loss_fn()")
        g.emit("g_free = tape0.gradient(loss0, w_free, "
               "unconnected_gradients=tf.UnconnectedGradients.ZERO)")
