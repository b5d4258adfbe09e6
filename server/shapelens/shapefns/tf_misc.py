"""TensorFlow calls real programs make often and whose shapes are plain: repeats, sums of a
list, mesh grids, scatters into a given shape, band parts, decoded images and crops, file
reads, seeding and printing (which return None), and ``pad_sequences``.

Picked by frequency (``bench/coverage.py``). Results the engine cannot derive stay unknown;
nothing here reports an error TF would not raise at that line.
"""

from __future__ import annotations

from ..domain.shapes import Dim, num_elements
from ..domain.values import NONE, UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, to_dim, to_dims, to_int, to_str, to_tensor
from .registry import op
from .tf_nn import pool as pool_rule


@op("tf.random.set_seed", "keras.utils.set_random_seed", "tf.print",
    "tf.config.experimental.set_memory_growth", "tf.debugging.set_log_device_placement")
def returns_none(call: Call) -> Value:
    return NONE


@op("tf.io.read_file", "tf.read_file")
def read_file(call: Call) -> Value:
    return Tensor((), "string", "tensor", origin=call.name)


@op("tf.repeat", "np.repeat", "keras.ops.repeat")
def repeat(call: Call) -> Value:
    """``repeat(x, repeats, axis=None)``: along ``axis`` its size times a scalar count (or
    the sum of per-element counts); without an axis the flattened input."""
    t = call.tensor(0, None)
    if t is None or t.shape is None:
        return UNKNOWN
    counts = to_tensor(call.arg(1, "repeats"), numpy=call.numpy)
    total: Dim = None
    scalar = counts is not None and counts.shape == ()
    if counts is not None and counts.content is not None and \
            all(isinstance(c, int) for c in counts.content) and not scalar:
        total = sum(c for c in counts.content if isinstance(c, int))
    axis_v = call.arg(2, "axis")
    if not call.has(2, "axis") or (isinstance(axis_v, Const) and axis_v.value is None):
        size = num_elements(t.shape)
        n = to_int(call.arg(1, "repeats"))
        return call.result((size * n if size is not None and n is not None else total,),
                           t.dtype, call.name)
    axis = to_int(axis_v)
    if axis is None or not -len(t.shape) <= axis < len(t.shape):
        return call.result(None, t.dtype, call.name)
    axis %= len(t.shape)
    n = to_int(call.arg(1, "repeats")) if scalar else None
    d = t.shape[axis]
    new: Dim = d * n if isinstance(d, int) and n is not None else total
    return call.result((*t.shape[:axis], new, *t.shape[axis + 1:]), t.dtype, call.name)


@op("tf.add_n", "tf.math.add_n")
def add_n(call: Call) -> Value:
    items = call.arg(0, "inputs")
    if not isinstance(items, Seq) or not items.items:
        return UNKNOWN
    tensors = [to_tensor(i) for i in items.items]
    first = tensors[0]
    if first is None or any(t is None or t.shape != first.shape for t in tensors):
        return UNKNOWN
    return call.result(first.shape, first.dtype, call.name)


@op("tf.meshgrid", "np.meshgrid", "keras.ops.meshgrid")
def meshgrid(call: Call) -> Value:
    """One grid per input, each of the input lengths; ``indexing='xy'`` (the default)
    swaps the first two."""
    if call.kwargs.keys() - {"indexing", "sparse", "copy", "name"} or \
            call.flag(None, "sparse") is not False:
        return UNKNOWN
    indexing = to_str(call.arg(None, "indexing", Const("xy")))
    if indexing not in ("xy", "ij"):
        return UNKNOWN
    inputs = [to_tensor(a, numpy=call.numpy) for a in call.args]
    if any(t is None or t.shape is None for t in inputs):
        return UNKNOWN
    if not call.numpy and len({t.dtype for t in inputs if t is not None}) > 1:
        return UNKNOWN  # TF needs one dtype
    lengths: list[Dim] = [num_elements(t.shape) for t in inputs if t is not None]
    if indexing == "xy" and len(lengths) >= 2:
        lengths[0], lengths[1] = lengths[1], lengths[0]
    grids = tuple(call.result(tuple(lengths), t.dtype if t else None, call.name)
                  for t in inputs)
    return Seq(grids, "list" if not call.numpy else "tuple")


@op("tf.scatter_nd")
def scatter_nd(call: Call) -> Value:
    updates = call.tensor(1, "updates")
    return call.result(to_dims(call.arg(2, "shape")), updates.dtype if updates else None,
                       call.name)


@op("tf.tensor_scatter_nd_update", "tf.tensor_scatter_nd_add", "tf.tensor_scatter_nd_sub",
    "tf.tensor_scatter_nd_max", "tf.tensor_scatter_nd_min", "tf.linalg.band_part",
    "tf.matrix_band_part")
def same_as_first(call: Call) -> Value:
    t = call.tensor(0, None)
    return UNKNOWN if t is None else call.result(t.shape, t.dtype, call.name)


@op("tf.image.decode_jpeg", "tf.io.decode_jpeg", "tf.image.decode_png", "tf.io.decode_png",
    "tf.image.decode_image", "tf.io.decode_image")
def decode_image(call: Call) -> Value:
    """A decoded image: its size comes from the file; the channels from ``channels=`` (0:
    the file's). ``decode_image`` may return an animation (rank 4) unless
    ``expand_animations=False``."""
    channels_v = call.arg(1, "channels")
    c = to_int(channels_v) if call.has(1, "channels") else 0
    channels: Dim = c if isinstance(c, int) and c > 0 else None
    dtype = call.dtype_arg(2, "dtype", "uint8") if "decode_jpeg" not in call.name else "uint8"
    if "decode_image" in call.name and call.flag(3, "expand_animations", True) is not False:
        return call.result(None, dtype, call.name)
    return call.result((None, None, channels), dtype, call.name)


@op("tf.image.random_crop")
def random_crop(call: Call) -> Value:
    t = call.tensor(0, "value")
    dims = to_dims(call.arg(1, "size"))
    if t is None:
        return UNKNOWN
    if dims is not None and t.shape is not None and len(dims) != len(t.shape):
        return call.result(None, t.dtype, call.name)
    return call.result(dims, t.dtype, call.name)


@op("keras.utils.pad_sequences", "keras.preprocessing.sequence.pad_sequences")
def pad_sequences(call: Call) -> Value:
    """``(number of sequences, maxlen)``; without ``maxlen`` the longest sequence's length
    (when every length is known)."""
    seqs = call.arg(0, "sequences")
    dtype = call.dtype_arg(2, "dtype", "int32")
    if isinstance(seqs, Seq):
        n: Dim = len(seqs.items)
        lengths = [len(s.items) if isinstance(s, Seq) else None for s in seqs.items]
    else:
        t = to_tensor(seqs, numpy=True)
        if t is None or not t.shape:
            return UNKNOWN
        n = t.shape[0]
        lengths = [t.shape[1] if len(t.shape) == 2 else None]
    maxlen_v = call.arg(1, "maxlen")
    if call.has(1, "maxlen") and not (isinstance(maxlen_v, Const) and maxlen_v.value is None):
        width = to_dim(maxlen_v)
    else:
        known = [x for x in lengths if isinstance(x, int)]
        width = max(known) if known and len(known) == len(lengths) else None
    return Tensor((n, width), dtype, "ndarray", origin=call.name)


@op("keras.random.randint")
def keras_randint(call: Call) -> Value:
    """``keras.random.randint(shape, minval, maxval, dtype="int32")``."""
    return call.result(to_dims(call.arg(0, "shape")), call.dtype_arg(3, "dtype", "int32"),
                       call.name)


_ACTIVATIONS = ("relu", "sigmoid", "tanh", "gelu", "elu", "selu", "softplus",
                "softsign", "swish", "silu", "exponential", "leaky_relu", "relu6",
                "hard_sigmoid", "log_softmax", "mish")


@op(*(f"keras.activations.{n}" for n in _ACTIVATIONS), "keras.random.shuffle",
    "keras.random.dropout")
def elementwise_keras(call: Call) -> Value:
    """Activations and random shuffles/dropout keep the shape; the result is a tensor."""
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    dtype = t.dtype if t.dtype and t.dtype.startswith(("float", "bfloat")) else None
    return Tensor(t.shape, dtype, "keras" if t.kind == "keras" else "tensor",
                  origin=call.name)


@op("tf.nn.pool")
def nn_pool(call: Call) -> Value:
    """``tf.nn.pool(input, window_shape, pooling_type, strides, padding)``: the rule of
    ``tf.nn.max_pool`` / ``avg_pool`` with the window as ``ksize``."""
    kind = to_str(call.arg(2, "pooling_type"))
    if kind not in ("MAX", "AVG") or call.has(5, "data_format") or call.has(6, "dilations"):
        return UNKNOWN
    name = "tf.nn.max_pool" if kind == "MAX" else "tf.nn.avg_pool"
    strides = call.arg(3, "strides")
    if not call.has(3, "strides") or (isinstance(strides, Const) and strides.value is None):
        strides = Const(1)
    kwargs = {"strides": strides, "padding": call.arg(4, "padding", Const("VALID"))}
    return pool_rule(Call(name, [call.arg(0, "input"), call.arg(1, "window_shape")], kwargs,
                          call.numpy, call.promote))


@op("tf.io.decode_raw")
def decode_raw(call: Call) -> Value:
    """Each string's bytes read as ``out_type`` values along a new last axis, whose length
    (the bytes' count) is a value: ``None``."""
    t = call.tensor(0, "input_bytes")
    out_type = call.dtype_arg(1, "out_type")
    if t is None or t.dtype not in ("string", None) or out_type is None or \
            not call.has(1, "out_type"):
        return UNKNOWN
    return call.result(None if t.shape is None else (*t.shape, None), out_type, call.name)
