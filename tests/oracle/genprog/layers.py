"""Keras layers called directly on tensors (eager), as in custom layers and tape code:
``layer = keras.layers.Conv2D(4, 3)`` then ``y = layer(x)``. Rank 2: Dense, normalisation,
RepeatVector, a recurrent cell stepped once (``cell(x, states)[0]``); rank 3:
LSTM/GRU/SimpleRNN (also Bidirectional, return_sequences, ``RNN(<kind>Cell)``), Conv1D,
pooling, TimeDistributed(Dense), MultiHeadAttention, Attention; rank 4: Conv2D,
Conv2DTranspose, SeparableConv2D, DepthwiseConv2D, pooling, UpSampling2D, ZeroPadding2D,
Cropping2D, Flatten, Reshape, Permute.

Drawn to fail: a built layer called again on an input of another width, a layer given an
input of the wrong rank, or a cell given states of another width.
"""

from __future__ import annotations

import math

from .core import Gen, Var


def _call(g: Gen, ctor: str, x: Var, out: tuple[int, ...], args: str = "") -> None:
    g.imports.add("import keras")
    layer = g.fresh("layer")
    g.emit(f"{layer} = keras.layers.{ctor}")
    g.bind(f"{layer}({x.name}{args})", out, "float32", "tf")
    if x.rank >= 2 and g.chance(0.3):  # the built layer used again
        width = x.shape[-1] + (1 if g.bad() else 0)
        again = g.fresh("x")
        shape = (*x.shape[:-1], width)
        g.emit(f"{again} = tf.random.normal({list(shape)})")
        g.bind(f"{layer}({again}{args})", out, "float32", "tf")


def _cell(g: Gen, x: Var) -> None:
    """``cell(x, states)[0]``: one step of a recurrent cell, the states zeros of its width."""
    n = x.shape[0]
    u = g.dim(2, 6)
    kind = g.pick(["LSTM", "GRU", "SimpleRNN"])
    width = u + (1 if g.bad() else 0)
    zeros = f"tf.zeros(({n}, {width}))"
    states = f"[{zeros}, {zeros}]" if kind == "LSTM" else g.pick([f"[{zeros}]", zeros])
    g.imports.add("import keras")
    cell = g.fresh("cell")
    g.emit(f"{cell} = keras.layers.{kind}Cell({u})")
    g.bind(f"{cell}({x.name}, {states})[0]", (n, u), "float32", "tf")
    if g.chance(0.3):  # stepped again: the built kernel takes only the first width
        again = g.fresh("x")
        g.emit(f"{again} = tf.random.normal({[n, x.shape[-1] + (1 if g.bad() else 0)]})")
        g.bind(f"{cell}({again}, {states})[0]", (n, u), "float32", "tf")


def _rank2(g: Gen, x: Var) -> None:
    n, f = x.shape
    kind = g.pick(["Dense", "Dense", "norm", "RepeatVector", "cell"])
    if kind == "cell":
        _cell(g, x)
    elif kind == "Dense":
        k = g.dim(1, 8)
        act = ', activation="relu"' if g.chance(0.4) else ""
        _call(g, f"Dense({k}{act})", x, (n, k))
    elif kind == "norm":
        _call(g, g.pick(["LayerNormalization()", "BatchNormalization()", "Dropout(0.2)"]), x,
              (n, f))
    else:
        r = g.dim(2, 4)
        _call(g, f"RepeatVector({r})", x, (n, r, f))


def _rank3(g: Gen, x: Var) -> None:
    b, t, f = x.shape
    u = g.dim(2, 6)
    kind = g.pick(["rnn", "rnn", "conv", "pool", "td", "mha", "attention", "dense"])
    if kind == "rnn":
        cell = g.pick(["LSTM", "GRU", "SimpleRNN"])
        seq = g.chance(0.4)
        ctor = f"{cell}({u}{', return_sequences=True' if seq else ''})"
        out = (b, t, u) if seq else (b, u)
        if g.chance(0.25):  # the same layer as a cell in keras.layers.RNN
            ctor = f"RNN(keras.layers.{cell}Cell({u}){', return_sequences=True' if seq else ''})"
        elif g.chance(0.25):
            ctor, out = f"Bidirectional(keras.layers.{ctor})", (*out[:-1], 2 * u)
        _call(g, ctor, x, out)
    elif kind == "conv":
        k = g.rng.randint(1, t + (1 if g.bad() else 0))
        pad = g.pick(["valid", "same"])
        _call(g, f'Conv1D({u}, {k}, padding="{pad}")', x,
              (b, t if pad == "same" else t - k + 1, u))
    elif kind == "pool":
        kind = g.pick(["GlobalAveragePooling1D()", "GlobalMaxPooling1D()", "MaxPooling1D(2)",
                       "Flatten()"])
        out = {"GlobalAveragePooling1D()": (b, f), "GlobalMaxPooling1D()": (b, f),
               "MaxPooling1D(2)": (b, t // 2, f), "Flatten()": (b, t * f)}[kind]
        if kind == "MaxPooling1D(2)" and t < 2:
            return
        _call(g, kind, x, out)
    elif kind == "td":
        _call(g, f"TimeDistributed(keras.layers.Dense({u}))", x, (b, t, u))
    elif kind == "mha":
        _call(g, f"MultiHeadAttention(num_heads=2, key_dim={u})", x, (b, t, f),
              args=f", {x.name}")
    elif kind == "attention":
        g.imports.add("import keras")
        layer = g.fresh("layer")
        g.emit(f"{layer} = keras.layers.Attention()")
        g.bind(f"{layer}([{x.name}, {x.name}])", x.shape, "float32", "tf")
    else:
        _call(g, f"Dense({u})", x, (b, t, u))


def _rank4(g: Gen, x: Var) -> None:
    b, h, w, c = x.shape
    f = g.dim(1, 6)
    kind = g.pick(["conv", "conv", "convT", "sep", "depth", "pool", "up", "pad", "crop",
                   "flatten", "reshape", "permute", "gpool"])
    if kind in ("conv", "sep", "depth"):
        k = g.rng.randint(1, min(h, w, 3))
        if g.bad():
            k = min(h, w) + 1
        pad = g.pick(["valid", "same"])
        oh, ow = (h, w) if pad == "same" else (h - k + 1, w - k + 1)
        ctor = {"conv": f"Conv2D({f}, {k}, padding=\"{pad}\")",
                "sep": f"SeparableConv2D({f}, {k}, padding=\"{pad}\")",
                "depth": f"DepthwiseConv2D({k}, padding=\"{pad}\")"}[kind]
        _call(g, ctor, x, (b, oh, ow, c if kind == "depth" else f))
    elif kind == "convT":
        k, s = g.rng.randint(1, 3), g.pick([1, 2])
        _call(g, f"Conv2DTranspose({f}, {k}, strides={s})", x,
              (b, h * s + max(k - s, 0), w * s + max(k - s, 0), f))
    elif kind == "pool":
        if min(h, w) < 2:
            return
        _call(g, g.pick(["MaxPooling2D(2)", "AveragePooling2D(2)"]), x, (b, h // 2, w // 2, c))
    elif kind == "up":
        _call(g, "UpSampling2D(2)", x, (b, 2 * h, 2 * w, c))
    elif kind == "pad":
        _call(g, "ZeroPadding2D(1)", x, (b, h + 2, w + 2, c))
    elif kind == "crop":
        if min(h, w) < 3:
            return
        _call(g, "Cropping2D(1)", x, (b, h - 2, w - 2, c))
    elif kind == "flatten":
        _call(g, "Flatten()", x, (b, h * w * c))
    elif kind == "reshape":
        size = h * w * c
        target = (size,) if g.chance(0.5) else (h * w, c)
        if g.bad():
            target = (size + 1,)
        _call(g, f"Reshape({target!r})", x, (b, *target))
    elif kind == "permute":
        _call(g, "Permute((2, 1, 3))", x, (b, w, h, c))
    else:
        _call(g, g.pick(["GlobalAveragePooling2D()", "GlobalMaxPooling2D()"]), x, (b, c))


def layer_call(g: Gen, x: Var) -> bool:
    """Call a drawn Keras layer on ``x`` (float32 TF tensors of rank 2-4)."""
    if x.lib != "tf" or x.dtype != "float32" or x.rank not in (2, 3, 4) or \
            math.prod(x.shape) > 3000 or g.flavour == "np" or 0 in x.shape:
        return False
    {2: _rank2, 3: _rank3, 4: _rank4}[x.rank](g, x)
    return True
