"""Convolution and pooling in ``tf.nn`` (NHWC): window arithmetic with VALID/SAME padding."""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import (
    Call,
    ShapeError,
    shape_text,
    to_axes,
    to_dims,
    to_int,
    to_str,
    to_tensor,
)
from .registry import op
from .tf_reduce import _check_axes


def window_out(size: Dim, window: int, stride: int, padding: str, dilation: int = 1) -> Dim:
    """Output length of one spatial axis; None when unknown. May be <= 0 (caller reports)."""
    if not isinstance(size, int):
        return None
    if padding == "SAME":
        return -(-size // stride)
    effective = (window - 1) * dilation + 1
    return -(-(size - effective + 1) // stride)


def _spatial(v: Value, n: int, full_rank: int) -> tuple[int, ...] | None:
    """ksize/strides given as int, [n] or [1, ..., 1] of length n + 2."""
    k = to_int(v)
    if k is not None:
        return (k,) * n
    dims = to_dims(v)
    if dims is None or not all(isinstance(d, int) for d in dims):
        return None
    ints = tuple(d for d in dims if isinstance(d, int))
    if len(ints) == 1:
        return ints * n
    if len(ints) == n:
        return ints
    if len(ints) == full_rank:
        return ints[1:-1]
    return None


def _pool_or_conv(call: Call, n: int, window: tuple[int, ...], channels: Dim,
                  kernel_text: str) -> Value:
    t = call.tensor(0, "input")
    if t is None or t.shape is None or len(t.shape) != n + 2:
        return call.result(None, t.dtype if t else None)
    strides = _spatial(call.arg(2, "stride" if call.name == "tf.nn.conv1d" else "strides"),
                       n, n + 2)
    padding = (to_str(call.arg(3, "padding")) or "").upper()
    dilations = _spatial(call.arg(None, "dilations", Const(1)), n, n + 2) or (1,) * n
    if strides is None or padding not in ("SAME", "VALID"):
        return call.result((t.shape[0], *(None,) * n, channels), t.dtype, call.name)
    out: list[Dim] = []
    for axis, (size, w, s, d) in enumerate(zip(t.shape[1:-1], window, strides, dilations)):
        o = window_out(size, w, s, padding, d)
        # An output of exactly 0 does not raise eagerly on CPU (the result is empty or, with
        # oneDNN, oddly shaped): unknown. A negative one raises.
        if ".avg_pool" in call.name and isinstance(o, int) and o < 0:
            o = _avg_pool_valid_out(size, w, s, d)
        if isinstance(o, int) and o < 0:
            raise ShapeError("SL114", f"{call.name}: window {kernel_text} is larger than "
                             f"spatial axis {axis + 1} of input {shape_text(t)} with VALID "
                             f"padding; the output size would be {o}")
        out.append(o if isinstance(o, int) and o > 0 else None)
    return call.result((t.shape[0], *out, channels), t.dtype, call.name)


@op("tf.nn.conv2d", "tf.nn.conv1d")
def conv(call: Call) -> Value:
    n = 2 if call.name.endswith("2d") else 1
    t, f = call.tensor(0, "input"), call.tensor(1, "filters")
    if f is not None and f.shape is not None and len(f.shape) != n + 2:
        raise ShapeError("SL114", f"{call.name}: filters {shape_text(f)} must have rank "
                         f"{n + 2} (spatial window, in_channels, out_channels), got rank "
                         f"{len(f.shape)}")
    if f is None or f.shape is None:
        return UNKNOWN if t is None else call.result(None, t.dtype)
    window = tuple(d if isinstance(d, int) else 1 for d in f.shape[:n])
    if t is not None and t.shape is not None and len(t.shape) == n + 2:
        c_in, f_in = t.shape[-1], f.shape[-2]
        if isinstance(c_in, int) and isinstance(f_in, int) and f_in and c_in % f_in:
            raise ShapeError("SL114", f"{call.name}: input {shape_text(t)} has {c_in} channels "
                             f"but the filter {shape_text(f)} expects {f_in}")
        c_out = f.shape[-1]
        if isinstance(c_in, int) and isinstance(f_in, int) and isinstance(c_out, int) and \
                f_in and c_in // f_in > 1 and c_out % (c_in // f_in):
            raise ShapeError("SL114", f"{call.name}: a grouped convolution with "
                             f"{c_in // f_in} groups (input {shape_text(t)}, filter "
                             f"{shape_text(f)}) needs output channels divisible by the groups, "
                             f"got {c_out}")
    if not all(isinstance(d, int) for d in f.shape[:n]):
        return call.result(None, t.dtype if t else None)
    return _pool_or_conv(call, n, window, f.shape[-1], shape_text(f))


def _avg_pool_valid_out(size: Dim, window: int, stride: int, dilation: int) -> Dim:
    """The VALID output size TF's average-pooling kernel checks: ``(in - k + s) / s`` in C++
    integer division (truncated toward zero), so a window up to one stride past the input
    gives an empty result, not an error (verified under TF 2.21)."""
    if not isinstance(size, int):
        return None
    span = size - ((window - 1) * dilation + 1) + stride
    return span // stride if span >= 0 else -(-span // stride)


@op("tf.nn.max_pool2d", "tf.nn.avg_pool2d", "tf.nn.max_pool", "tf.nn.avg_pool",
    "tf.nn.max_pool1d", "tf.nn.avg_pool1d")
def pool(call: Call) -> Value:
    t = call.tensor(0, "input")
    if t is None or t.shape is None:
        return UNKNOWN if t is None else call.result(None, t.dtype)
    n = 1 if call.name.endswith("1d") else 2 if call.name.endswith("2d") else len(t.shape) - 2
    window = _spatial(call.arg(1, "ksize"), n, n + 2)
    if window is None or len(t.shape) != n + 2:
        return call.result(None, t.dtype)
    return _pool_or_conv(call, n, window, t.shape[-1], str(list(window)))


@op("tf.roll", "np.roll", "keras.ops.roll", "tf.reverse", "np.flip")
def same_as_input(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    at = _AXIS_AT.get(call.name)
    if at is not None and t.shape is not None:  # roll/flip need their axes in range
        axes = to_axes(call.arg(at, "axis", Const(None)))
        if axes is not None:
            _check_axes(call, t, axes, runtime=not call.numpy)  # tf/keras: Roll's kernel
    return call.result(t.shape, t.dtype, call.name)


# Position of the axis argument of the ops above whose axis TF/NumPy check against the rank
# (tf.reverse is left out: its message, "'axis'[0] = 3 is out of valid range", is not one
# the catalogue's SL105 names yet).
_AXIS_AT = {"tf.roll": 2, "np.roll": 2, "keras.ops.roll": 2, "np.flip": 1}


@op("tf.nn.conv_transpose")
def conv_transpose(call: Call) -> Value:
    """The ``output_shape`` asked for (1-3 spatial axes), of the input's dtype; shapes TF
    refuses are its kernel's errors (not claimed here)."""
    t = call.tensor(0, "input")
    dims = to_dims(call.arg(2, "output_shape"))
    if t is None or t.shape is None or dims is None or len(t.shape) not in (3, 4, 5) or \
            len(dims) != len(t.shape):
        return UNKNOWN
    return call.result(dims, t.dtype, call.name)


@op("tf.nn.ctc_loss")
def ctc_loss(call: Call) -> Value:
    """One float32 loss per sequence: the batch is the logits' axis 1 (time major, the
    default) or axis 0."""
    logits = call.tensor(1, "logits")
    major = call.flag(4, "logits_time_major", True)
    if logits is None or logits.shape is None or len(logits.shape) != 3 or major is None or \
            logits.dtype != "float32":
        return UNKNOWN
    return call.result((logits.shape[1 if major else 0],), "float32", call.name)


@op(*(f"{prefix}tf.nn.{n}" for prefix in ("", "composite:")
      for n in ("embedding_lookup_sparse", "safe_embedding_lookup_sparse")))
def embedding_lookup_sparse(call: Call) -> Value:
    """One combined embedding per row of the sparse ids: ``embedding_lookup_sparse`` keeps
    the rows that have ids (how many is a value: ``None``), ``safe_...`` every row of the ids'
    dense shape but the last axis; then the params' inner dims. (A call with sparse ids
    comes as ``composite:<name>``, ``core/overlays/composite.py``.)"""
    safe = "safe" in call.name
    params = call.arg(0, "embedding_weights" if safe else "params")
    table = params.items[0] if isinstance(params, Seq) and params.items else params
    p, ids = to_tensor(table), call.arg(1, "sparse_ids" if safe else "sp_ids")
    if p is None or p.shape is None or not p.shape or not isinstance(ids, Tensor) or \
            ids.kind != "sparse" or ids.shape is None or len(ids.shape) < 2:
        return UNKNOWN
    if safe:
        return call.result((*ids.shape[:-1], *p.shape[1:]), p.dtype, call.name)
    if len(ids.shape) != 2:
        return UNKNOWN
    return call.result((None, *p.shape[1:]), p.dtype, call.name)
