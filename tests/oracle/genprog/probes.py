"""Probes: one call of a wide catalogue of API spellings (keyword forms, defaults, tuple axes,
split points, NumPy-style pads, layer options) on a drawn value, whose result the program does
not use further, so the generator need not predict its shape: TF says what it is, and the
engine must agree or stay silent. Many of the engine bugs the oracle found were in such
spellings (keras.ops following NumPy, kernel-only checks pruned in tf.function).

Placeholders: ``{x}`` the value, ``{a}`` a valid axis, ``{c}`` an axis that may be past the
rank, ``{d0}``/``{dl}`` its first/last dim, ``{k}`` a small int, ``{r}`` its rank.
"""

from __future__ import annotations

from .core import Gen, Var

# (minimum rank, float only, template)
TEMPLATES: list[tuple[int, bool, str]] = [
    (2, False, "keras.ops.split({x}, [1], axis={a})[1]"),
    (1, False, "keras.ops.split({x}, {k}, axis={a})[0]"),
    (1, False, "np.split(np.asarray({x}), [1, {dl}], axis=-1)[1]"),
    (1, False, "np.array_split(np.asarray({x}), {k}, axis={a})[-1]"),
    (1, False, "tf.split({x}, [1, -1], axis={a})[1]"),
    (1, False, "keras.ops.expand_dims({x}, (0, -1))"),
    (1, False, "np.expand_dims(np.asarray({x}), (0, {a}))"),
    (2, False, "keras.ops.sum({x}, axis=(0, -1))"),
    (1, False, "keras.ops.concatenate([{x}, {x}])"),
    (1, False, "keras.ops.stack([{x}, {x}], axis=-1)"),
    (1, True, "keras.ops.matmul({x}, keras.ops.ones(({dl},)))"),
    (1, True, "np.dot(np.asarray({x}), np.ones({dl}))"),
    (2, True, "tf.linalg.matvec({x}, tf.ones([{dl}]))"),
    (1, False, "keras.ops.transpose({x})"),
    (1, False, "keras.ops.argmax({x})"),
    (1, False, "keras.ops.mean({x})"),
    (1, False, "keras.ops.reshape({x}, -1)"),
    (1, False, "np.reshape(np.asarray({x}), -1)"),
    (1, False, "np.asarray({x}).reshape(-1, 1)"),
    (1, False, "keras.ops.pad({x}, [[1, 1]] * {r})"),
    (1, False, "np.pad(np.asarray({x}), 1)"),
    (1, False, "np.pad(np.asarray({x}), (1, 2))"),
    (1, False, "np.tile(np.asarray({x}), {k})"),
    (1, False, "keras.ops.tile({x}, ({k},))"),
    (1, False, "keras.ops.top_k({x}, 1)[1]"),
    (1, False, "np.concatenate([np.asarray({x}), np.asarray({x})], axis=None)"),
    (1, False, "np.sum(np.asarray({x}), axis=None, keepdims=True)"),
    (2, False, "np.mean(np.asarray({x}), axis=(0, 1))"),
    (1, False, "keras.ops.squeeze({x}[None])"),
    (1, False, "keras.ops.take({x}, [0, {d0m}])"),
    (1, False, "np.take(np.asarray({x}), [0, 1])"),
    (2, False, "tf.gather({x}, [[0, 0], [0, 0]], axis={a})"),
    (2, False, "tf.gather({x}, tf.zeros([{d0}, 1], tf.int32), axis=1, batch_dims=1)"),
    (1, True, "keras.ops.norm({x}, axis={a})"),
    (1, True, "tf.norm({x})"),
    (1, True, "keras.ops.var({x}, axis={a})"),
    (1, True, "np.std(np.asarray({x}), axis={a}, keepdims=True)"),
    (1, False, "keras.ops.cumprod({x}, axis={c})"),
    (1, False, "np.cumsum(np.asarray({x}))"),
    (1, False, "keras.ops.roll({x}, 1)"),
    (1, False, "np.roll(np.asarray({x}), 1)"),
    (1, True, "keras.ops.clip({x}, 0.0, 1.0)"),
    (1, False, "tf.where({x} > 0)"),
    (1, False, "keras.ops.argsort({x}, axis={a})"),
    (1, False, "np.argsort(np.asarray({x}), axis=None)"),
    (1, False, "tf.repeat({x}, 2, axis={a})"),
    (1, False, "np.repeat(np.asarray({x}), 2)"),
    (1, True, "keras.ops.tensordot({x}, keras.ops.ones(({dl}, 2)), axes=1)"),
    (1, True, "tf.reduce_sum({x}, axis=[-1, 0])"),
    (1, True, "tf.math.reduce_std({x}, axis={a}, keepdims=True)"),
    (1, True, "tf.nn.moments({x}, axes=[{a}])[0]"),
    (1, True, "tf.clip_by_norm({x}, 1.0)"),
    (1, True, "tf.math.l2_normalize({x}, axis={a})"),  # {c}: a known miss (fuzz.md)
    (2, False, "tf.nn.embedding_lookup({x}, [0, {d0m}])"),
    (1, False, "tf.reverse({x}, [{a}])"),
    (1, False, "tf.concat([{x}, {x}], -1)"),
    (1, False, "tf.zeros_like({x}, dtype=tf.int32)"),
    (1, False, "tf.squeeze({x}[..., :1], axis=-1)"),
    (1, False, "tf.size({x})"),
    (1, False, "tf.shape({x})"),
    (1, False, "tf.cast(tf.shape({x})[0], tf.float32)"),
    (1, True, "tf.nn.softmax({x}, axis={c})"),
    (1, True, "keras.ops.log_softmax({x}, axis={a})"),
    (1, True, "keras.layers.Dense({k})({x})"),
    (2, True, "keras.layers.Flatten()({x})"),
    (1, True, "keras.layers.Softmax(axis={a})({x})"),
    (1, True, "keras.layers.Rescaling(1 / 255)({x})"),
    (2, True, "keras.layers.Concatenate(axis={a})([{x}, {x}])"),
    (2, True, "keras.layers.Add()([{x}, {x}])"),
    (2, True, "keras.layers.Dot(axes=-1)([{x}, {x}])"),
    (3, True, "keras.layers.Conv1D(3, 2, strides=2, padding='same')({x})"),
    (3, True, "keras.layers.Conv1D(3, 2, dilation_rate=2)({x})"),
    (3, True, "keras.layers.AveragePooling1D(pool_size=2, strides=1)({x})"),
    (3, True, "keras.layers.MaxPooling1D(pool_size=2, padding='same')({x})"),
    (3, True, "keras.layers.UpSampling1D(2)({x})"),
    (3, True, "keras.layers.ZeroPadding1D((1, 2))({x})"),
    (3, True, "keras.layers.Cropping1D((1, 0))({x})"),
    (3, True, "keras.layers.GRU(3, return_state=True)({x})[1]"),
    (3, True, "keras.layers.LSTM(3, return_state=True, return_sequences=True)({x})[0]"),
    (3, True, "keras.layers.SimpleRNN(3, go_backwards=True)({x})"),
    (3, True, "keras.layers.Bidirectional(keras.layers.GRU(2, return_sequences=True), "
              "merge_mode='sum')({x})"),
    (3, True, "keras.layers.GlobalMaxPooling1D(keepdims=True)({x})"),
    (3, True, "keras.layers.Permute((2, 1))({x})"),
    (3, True, "keras.layers.MultiHeadAttention(2, 3)({x}, {x})"),
    (3, True, "keras.layers.Attention()([{x}, {x}])"),
    (3, True, "keras.layers.LayerNormalization(axis=1)({x})"),
    (3, True, "keras.layers.EinsumDense('abc,cd->abd', output_shape=(None, 4))({x})"),
    (4, True, "keras.layers.Conv2D(2, 2, strides=2, padding='same')({x})"),
    (4, True, "keras.layers.Conv2D(2, (1, 2), dilation_rate=(1, 2))({x})"),
    (4, True, "keras.layers.Conv2DTranspose(2, 3, strides=2, padding='same')({x})"),
    (4, True, "keras.layers.DepthwiseConv2D(1, depth_multiplier=2)({x})"),
    (4, True, "keras.layers.SeparableConv2D(2, 1)({x})"),
    (4, True, "keras.layers.MaxPooling2D(pool_size=(2, 1))({x})"),
    (4, True, "keras.layers.AveragePooling2D(2, padding='same')({x})"),
    (4, True, "keras.layers.GlobalAveragePooling2D(keepdims=True)({x})"),
    (4, True, "keras.layers.ZeroPadding2D(((1, 0), (0, 2)))({x})"),
    (4, True, "keras.layers.UpSampling2D((1, 2))({x})"),
    (4, True, "keras.layers.Resizing(3, 5)({x})"),
    (4, True, "keras.layers.Reshape((-1, {dl}))({x})"),
    (4, True, "tf.image.resize({x}, [3, 3])"),
    (4, True, "tf.nn.depth_to_space(tf.tile({x}, [1, 1, 1, 4]), 2)"),
    (4, True, "tf.nn.avg_pool({x}, ksize=2, strides=2, padding='SAME')"),
]


def probe(g: Gen, x: Var) -> bool:
    """Write one probe on ``x`` (a TF or NumPy value); its result is not used further."""
    if x.rank == 0 or x.size > 2000 or x.dtype == "bool":
        return False
    fits = [t for rank, floats, t in TEMPLATES
            if (x.rank == rank if rank >= 3 else x.rank >= rank)  # layers of a fixed rank
            and (x.is_float or not floats)]
    if not fits:
        return False
    template = g.pick(fits)
    a = g.rng.randrange(-x.rank, x.rank)
    c = g.rng.randrange(-x.rank, x.rank + (1 if g.chance(0.15) else 0))
    expr = template.format(x=x.name, a=a, c=c, d0=x.shape[0], d0m=x.shape[0] - 1,
                           dl=x.shape[-1], k=g.rng.randint(1, 3), r=x.rank)
    g.emit(f"{g.fresh('p')} = {expr}")
    return True
