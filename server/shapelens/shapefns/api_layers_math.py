"""A fourth batch of tensor-valued APIs with three or more sites in ``bench/coverage.py``:
``tf.nn.separable_conv2d`` and ``batch_normalization``, ``tf.random.stateless_gamma``,
``tf.audio.decode_wav``, ``tf.clip_by_global_norm``, the legacy ``K.bias_add``,
``keras.ops.convert_to_numpy``, the accuracy functions of ``keras.metrics`` and NumPy's
``dstack`` and ``trace``.

Each result as probed under TF 2.21 / Keras 3 / NumPy 2.4; a call that would raise stays
unknown (no finding from here).
"""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, to_dims, to_int, to_tensor
from .registry import lookup, op


@op("tf.nn.separable_conv2d")
def separable_conv2d(call: Call) -> Value:
    """A depthwise convolution (``depthwise_filter [fh, fw, in, m]``) then a 1x1 one
    (``pointwise_filter [1, 1, in * m, out]``): the depthwise output's spatial dims, ``out``
    channels."""
    depthwise = lookup("tf.nn.depthwise_conv2d")
    pointwise = call.tensor(2, "pointwise_filter")
    if depthwise is None or pointwise is None or pointwise.shape is None or \
            len(pointwise.shape) != 4 or pointwise.shape[:2] != (1, 1) or call.has(6, "rate") or \
            call.has(7, "dilations"):
        return UNKNOWN
    inner = depthwise(Call("tf.nn.depthwise_conv2d",
                           [call.arg(0, "input"), call.arg(1, "depthwise_filter"),
                            call.arg(3, "strides"), call.arg(4, "padding")],
                           {k: v for k, v in call.kwargs.items() if k == "data_format"}))
    if not isinstance(inner, Tensor) or inner.shape is None or \
            inner.shape[-1] != pointwise.shape[2] or not isinstance(inner.shape[-1], int) or \
            inner.dtype != pointwise.dtype:
        return UNKNOWN
    return call.result((*inner.shape[:-1], pointwise.shape[3]), inner.dtype, call.name)


@op("tf.nn.batch_normalization")
def batch_normalization(call: Call) -> Value:
    """``(x - mean) / sqrt(variance + eps) * scale + offset``: the broadcast of its operands
    (``offset`` and ``scale`` may be None)."""
    names = ("x", "mean", "variance", "offset", "scale")
    parts: list[Tensor] = []
    for pos, name in enumerate(names):
        v = call.arg(pos, name, Const(None))
        if isinstance(v, Const) and v.value is None and pos >= 3:
            continue
        t = to_tensor(v)
        if t is None or t.shape is None:
            return UNKNOWN
        parts.append(t)
    shape: tuple[Dim, ...] | None = parts[0].shape
    for t in parts[1:]:
        shape, ok = broadcast(shape, t.shape)
        if not ok:
            return UNKNOWN
    if parts[0].dtype not in ("float16", "float32", "float64") or \
            any(t.dtype != parts[0].dtype for t in parts[1:] if t.origin != "literal"):
        return UNKNOWN
    return call.result(shape, parts[0].dtype, call.name)


@op("tf.random.stateless_gamma")
def stateless_gamma(call: Call) -> Value:
    """Samples of ``shape`` (which must end with ``alpha``'s shape), float32 by default."""
    dims = to_dims(call.arg(0, "shape"))
    alpha = call.tensor(2, "alpha")
    if dims is None or alpha is None or alpha.shape is None:
        return UNKNOWN
    tail = alpha.shape
    if len(tail) > len(dims) or (tail and tuple(dims[len(dims) - len(tail):]) != tail):
        return UNKNOWN
    return call.result(tuple(dims), call.dtype_arg(4, "dtype", "float32"), call.name)


@op("tf.audio.decode_wav")
def decode_wav(call: Call) -> Value:
    """``(audio [samples, channels] float32, sample_rate int32 scalar)``: the samples are
    the file's; the channels ``desired_channels`` when given."""
    channels_v = call.arg(1, "desired_channels", Const(-1))
    channels = to_int(channels_v)
    c: Dim = channels if channels is not None and channels > 0 else None
    return Seq((call.result((None, c), "float32", call.name),
                call.result((), "int32", call.name)), "tuple")


@op("keras.backend.bias_add")
def backend_bias_add(call: Call) -> Value:
    """``K.bias_add(x, bias)`` with a bias vector (channels last): ``tf.nn.bias_add``."""
    fmt = call.arg(2, "data_format", Const(None))
    fn = lookup("tf.nn.bias_add")
    if fn is None or not (isinstance(fmt, Const) and fmt.value in (None, "channels_last")):
        return UNKNOWN
    return fn(Call("tf.nn.bias_add", [call.arg(0, "x"), call.arg(1, "bias")], {}))


@op("keras.ops.convert_to_numpy")
def convert_to_numpy(call: Call) -> Value:
    t = call.tensor(0, "x")
    return UNKNOWN if t is None else Tensor(t.shape, t.dtype, "ndarray", origin=call.name)


@op("keras.metrics.categorical_accuracy", "keras.metrics.sparse_categorical_accuracy",
    "keras.metrics.top_k_categorical_accuracy")
def accuracy(call: Call) -> Value:
    """One float32 accuracy per sample: the prediction's shape without its last axis (for
    one-hot or sparse labels of the batch's length)."""
    true, pred = call.tensor(0, "y_true"), call.tensor(1, "y_pred")
    if true is None or pred is None or true.shape is None or not pred.shape:
        return UNKNOWN
    want = len(pred.shape) if call.name.endswith((".categorical_accuracy",
                                                   "top_k_categorical_accuracy")) \
        else len(pred.shape) - 1
    if len(true.shape) != want or true.shape[:len(pred.shape) - 1] != pred.shape[:-1] or \
            not all(isinstance(d, int) for d in pred.shape):
        return UNKNOWN
    return call.result(pred.shape[:-1], "float32", call.name)


@op("tf.clip_by_global_norm")
def clip_by_global_norm(call: Call) -> Value:
    """``(the tensors scaled, each of its own shape, the global norm: a scalar)``. The
    scaled tensors are handed back as the very values (a scale keeps what a gradient depends
    on); the norm is recorded from all of them."""
    tensors = call.arg(0, "t_list")
    if not isinstance(tensors, Seq) or not tensors.items or \
            not all(isinstance(t, Tensor) and t.kind != "ndarray" for t in tensors.items):
        return UNKNOWN
    dtypes = {t.dtype for t in tensors.items if isinstance(t, Tensor)}
    norm = call.result((), dtypes.pop() if len(dtypes) == 1 else None, call.name)
    return Seq((Seq(tensors.items, "list"), norm), "tuple")


# ---------------------------------------------------------------- NumPy
@op("np.dstack")
def dstack(call: Call) -> Value:
    """Arrays made at least 3-D (``(n,)`` → ``(1, n, 1)``, ``(m, n)`` → ``(m, n, 1)``) and
    joined along their third axis."""
    seq = call.arg(0, "tup")
    if not isinstance(seq, Seq) or not seq.items:
        return UNKNOWN
    shapes: list[tuple[Dim, ...]] = []
    dtypes = set()
    for item in seq.items:
        t = to_tensor(item, numpy=True)
        if t is None or t.shape is None or len(t.shape) > 3:
            return UNKNOWN
        s = t.shape
        shapes.append((1, *s, 1) if len(s) == 1 else (*s, 1) if len(s) == 2 else
                      s if s else (1, 1, 1))
        dtypes.add(t.dtype)
    first = shapes[0]
    if any(s[:2] != first[:2] or not isinstance(s[2], int) for s in shapes) or \
            not all(isinstance(d, int) for d in first[:2]):
        return UNKNOWN
    depth = sum(s[2] for s in shapes)  # type: ignore[misc]
    return call.result((first[0], first[1], depth), dtypes.pop() if len(dtypes) == 1 else None,
                       call.name)


@op("np.trace")
def trace(call: Call) -> Value:
    """The sum along the main diagonal of the first two axes: the remaining axes; an
    integer input sums to int64."""
    t = to_tensor(call.arg(0, "a"), numpy=True)
    if t is None or t.shape is None or len(t.shape) < 2 or len(call.args) > 1 or call.kwargs:
        return UNKNOWN
    dtype = "int64" if t.dtype in ("int8", "int16", "int32", "int64", "bool") else \
        t.dtype if t.dtype in ("float16", "float32", "float64") else None
    return call.result(t.shape[2:], dtype, call.name)

