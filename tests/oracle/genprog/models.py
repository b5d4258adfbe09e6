"""Keras model programs: Sequential and functional models on vectors, images, token
sequences and float sequences (Dense, Dropout, normalisation, Conv1D/Conv2D, pooling,
Flatten, Embedding, LSTM/GRU/SimpleRNN, Add/Concatenate), compiled with a loss that fits a
drawn head, and ``fit`` for one epoch on tiny random data; then ``predict`` or a call.

Drawn to fail: data whose feature size is not the model's, a regression target of the wrong
width, a convolution kernel larger than its input, token ids past the embedding's vocabulary.
"""

from __future__ import annotations

from .core import Gen, tup

HEADS = ("regression", "sparse", "categorical", "binary")


def _body(g: Gen, kind: str, dims: tuple[int, ...], vocab: int) -> list[str]:
    """Layer constructors (as text) from the input to just before the head."""
    layers: list[str] = []
    if kind == "vector":
        for _ in range(g.rng.randint(1, 2)):
            layers.append(f'keras.layers.Dense({g.dim(2, 16)}, activation="relu")')
            if g.chance(0.25):
                layers.append(g.pick(["keras.layers.Dropout(0.1)",
                                      "keras.layers.BatchNormalization()",
                                      "keras.layers.LayerNormalization()"]))
    elif kind == "image":
        h = dims[0]
        for _ in range(g.rng.randint(1, 2)):
            if h < 1:  # an earlier kernel was drawn too large: the model fails there
                break
            k = h + 1 if g.bad() else g.rng.randint(1, min(3, h))
            pad = g.pick(["valid", "same"]) if k <= h else "valid"
            layers.append(f'keras.layers.Conv2D({g.dim(2, 8)}, {k}, padding="{pad}", '
                          f'activation="relu")')
            h = h if pad == "same" else h - k + 1
            if h >= 2 and g.chance(0.5):
                layers.append("keras.layers.MaxPooling2D(2)")
                h //= 2
        layers.append(g.pick(["keras.layers.Flatten()",
                              "keras.layers.GlobalAveragePooling2D()"]))
    else:
        if kind == "tokens":
            layers.append(f"keras.layers.Embedding({vocab}, {g.dim(2, 8)})")
        rnn = g.pick(["LSTM", "GRU", "SimpleRNN", "pool", "conv"])
        if rnn == "pool":
            layers.append("keras.layers.GlobalAveragePooling1D()")
        elif rnn == "conv":
            layers.append(f'keras.layers.Conv1D({g.dim(2, 8)}, 2, activation="relu")')
            layers.append("keras.layers.GlobalMaxPooling1D()")
        else:
            if g.chance(0.3):
                layers.append(f"keras.layers.{rnn}({g.dim(2, 8)}, return_sequences=True)")
            layers.append(f"keras.layers.{rnn}({g.dim(2, 8)})")
    return layers


def _head(g: Gen, head: str, k: int) -> tuple[str, str]:
    """(head layer, loss)."""
    if head == "regression":
        return f"keras.layers.Dense({k})", '"mse"'
    if head == "binary":
        return 'keras.layers.Dense(1, activation="sigmoid")', '"binary_crossentropy"'
    loss = '"sparse_categorical_crossentropy"' if head == "sparse" else \
        '"categorical_crossentropy"'
    return f'keras.layers.Dense({k}, activation="softmax")', loss


def _data(g: Gen, kind: str, dims: tuple[int, ...], vocab: int, n: int, head: str,
          k: int) -> None:
    """``x_train`` and ``y_train`` of the drawn kind and head (one of them wrong if bad)."""
    dims = list(dims)
    if g.bad():
        if head == "regression" and g.chance(0.5):
            k += 1
        elif kind == "tokens":
            vocab += 5
        else:
            dims[-1] += 1
    if kind == "tokens":
        g.emit(f"x_train = np.random.randint(0, {vocab}, size={tup([n, *dims])})")
    else:
        g.emit(f'x_train = np.random.rand({", ".join(map(str, [n, *dims]))})'
               '.astype("float32")')
    if head == "regression":
        g.emit(f'y_train = np.random.rand({n}, {k}).astype("float32")')
    elif head == "binary":
        g.emit(f'y_train = np.random.randint(0, 2, size=({n}, 1)).astype("float32")')
    elif head == "sparse":
        g.emit(f"y_train = np.random.randint(0, {k}, size=({n},))")
    else:
        g.emit(f"y_train = keras.utils.to_categorical(np.random.randint(0, {k}, "
               f"size=({n},)), {k})")


def _functional(g: Gen, input_expr: str, layers: list[str], head: str) -> None:
    """``inputs`` / per-layer assignments / ``keras.Model``, sometimes with a two-branch
    merge before the head."""
    g.emit(f"inputs = {input_expr}")
    current = "inputs"
    for i, layer in enumerate(layers):
        g.emit(f"h{i} = {layer}({current})")
        current = f"h{i}"
    if layers and layers[-1].startswith("keras.layers.Dense") and g.chance(0.5):
        width = layers[-1].split("(")[1].split(",")[0]
        g.emit(f"side = keras.layers.Dense({width})({current})")
        merge = g.pick(["Add", "Concatenate", "Multiply"])
        g.emit(f"merged = keras.layers.{merge}()([{current}, side])")
        current = "merged"
    g.emit(f"outputs = {head}({current})")
    g.emit("model = keras.Model(inputs, outputs)")


def keras_program(g: Gen) -> None:
    g.imports.update({"import keras", "import numpy as np"})
    g.flavour = "tf"
    kind = g.pick(["vector", "vector", "image", "tokens", "sequence"])
    vocab = g.dim(5, 20)
    if kind == "vector":
        dims: tuple[int, ...] = (g.dim(2, 12),)
    elif kind == "image":
        side = g.dim(3, 8)
        dims = (side, side, g.dim(1, 3))
    elif kind == "tokens":
        dims = (g.dim(3, 8),)
    else:
        dims = (g.dim(3, 8), g.dim(1, 5))
    head = g.pick(HEADS)
    k = g.dim(2, 5)
    n = g.pick([8, 12, 16])
    layers = _body(g, kind, dims, vocab)
    head_layer, loss = _head(g, head, k)
    input_dims: tuple[int | None, ...] = dims
    if kind in ("tokens", "sequence") and g.chance(0.4):
        input_dims = (None, *dims[1:])  # any sequence length
    shape_text = "(" + ", ".join(map(str, input_dims)) + ("," if len(input_dims) == 1 else "") + ")"
    data_first = g.chance(0.3)
    if data_first:  # the input shape read from the data, as scripts often do
        _data(g, kind, dims, vocab, g.pick([8, 12, 16]), head, k)
        shape_text = "x_train.shape[1:]"
    dtype = ', dtype="int32"' if kind == "tokens" else ""
    input_expr = f"keras.Input(shape={shape_text}{dtype})"
    if g.chance(0.5):
        with_input = g.chance(0.8) or kind == "tokens"
        items = ([input_expr] if with_input else []) + layers + [head_layer]
        g.emit("model = keras.Sequential([")
        for item in items:
            g.emit(f"    {item},")
        g.emit("])")
    else:
        _functional(g, input_expr, layers, head_layer)
    g.emit(f'model.compile(optimizer="{g.pick(["adam", "sgd", "rmsprop"])}", loss={loss})')
    if not data_first:
        _data(g, kind, dims, vocab, n, head, k)
    g.emit(f"history = model.fit(x_train, y_train, epochs=1, batch_size={g.pick([4, 8])}, "
           "verbose=0)")
    after = g.pick(["predict", "call", "evaluate", "none"])
    if after == "predict":
        g.emit("pred = model.predict(x_train, verbose=0)")
    elif after == "call":
        g.emit("out = model(x_train[:2])")
    elif after == "evaluate":
        g.emit("score = model.evaluate(x_train, y_train, verbose=0)")
