"""More tensor-valued APIs with at least three sites in ``bench/coverage.py``: ``tf.signal``
frames and spectra, ``tf.nn`` moments/depthwise convolution/space-to-depth, ``tf.linalg``
solves, ``tf.bitcast``, ``tf.py_function`` (TF's static shape is unknown: so is ours), the
confusion matrix, ``ndarray.copy()`` and NumPy's histogram, digitize, argpartition,
count_nonzero, unique/nonzero/bincount (a length the data decides) and the binary ufuncs
``fmod``/``gcd``/``lcm``/``heaviside``.

Each follows TF 2.21 / NumPy 2.4 as probed under ``.venv``; a call that would raise is left
unknown (no finding from here).
"""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast, normalize_axis
from ..domain.values import UNKNOWN, Const, DType, Seq, Tensor, Value
from ._common import Call, to_axes, to_bool, to_int, to_tensor
from .registry import op

_COMPLEX = {"float32": "complex64", "float64": "complex128"}
_SIZES = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "float16": 2,
          "bfloat16": 2, "int32": 4, "uint32": 4, "float32": 4, "int64": 8, "uint64": 8,
          "float64": 8, "complex64": 8, "complex128": 16}


def _known(t: Tensor | None) -> tuple[Dim, ...] | None:
    return None if t is None else t.shape


@op("ndarray.copy")
def array_copy(call: Call) -> Value:
    t = call.tensor(0, None)
    return UNKNOWN if t is None else call.result(t.shape, t.dtype, "copy()")


@op("tf.py_function", "tf.numpy_function")
def py_function(call: Call) -> Value:
    """Python code run by TF: its static shape is unknown (rank too); its dtype is ``Tout``."""
    tout = call.arg(2, "Tout")
    if isinstance(tout, DType):
        return Tensor(None, tout.name, origin=call.name)
    if isinstance(tout, Seq) and all(isinstance(d, DType) for d in tout.items):
        return Seq(tuple(Tensor(None, d.name, origin=call.name)  # type: ignore[attr-defined]
                         for d in tout.items), "list")
    return UNKNOWN


@op("tf.math.confusion_matrix")
def confusion_matrix(call: Call) -> Value:
    """``[n, n]``: ``num_classes``, else one more than the largest label (not known here)."""
    labels = call.tensor(0, "labels")
    n_v = call.arg(2, "num_classes", Const(None))
    if labels is None or (labels.shape is not None and len(labels.shape) != 1):
        return UNKNOWN
    n = None if isinstance(n_v, Const) and n_v.value is None else to_int(n_v)
    if n is None and not (isinstance(n_v, Const) and n_v.value is None):
        return UNKNOWN
    return call.result((n, n), call.dtype_arg(4, "dtype", "int32"), call.name)


@op("tf.linalg.solve", "tf.linalg.triangular_solve")
def solve(call: Call) -> Value:
    """``matrix [..., M, M]`` and ``rhs [..., M, K]`` with equal batch dims: ``rhs``'s shape."""
    a, b = call.tensor(0, "matrix"), call.tensor(1, "rhs")
    sa, sb = _known(a), _known(b)
    if a is None or b is None or sa is None or sb is None or len(sa) < 2 or \
            len(sa) != len(sb) or a.dtype != b.dtype:
        return UNKNOWN
    m = sa[-1]
    if not isinstance(m, int) or sa[-2] != m or sb[-2] != m or sa[:-2] != sb[:-2] or \
            not all(isinstance(d, int) for d in sa[:-2]):
        return UNKNOWN
    return call.result(sb, b.dtype, call.name)


@op("tf.bitcast")
def bitcast(call: Call) -> Value:
    """Same size: same shape; to a smaller type: a last axis of the size ratio; to a larger
    one: the last axis (of that ratio) dropped."""
    t, dtype = call.tensor(0, "input"), call.dtype_arg(1, "type", None)
    if t is None or t.shape is None or dtype not in _SIZES or t.dtype not in _SIZES:
        return UNKNOWN
    src, dst = _SIZES[t.dtype], _SIZES[dtype]  # type: ignore[index]
    if src == dst:
        return call.result(t.shape, dtype, call.name)
    if src > dst:
        return call.result((*t.shape, src // dst), dtype, call.name)
    if t.shape and t.shape[-1] == dst // src:
        return call.result(t.shape[:-1], dtype, call.name)
    return UNKNOWN


def _window(n: Dim, size: int, step: int, pad_end: bool) -> Dim:
    if not isinstance(n, int):
        return None
    if pad_end:
        return -(-n // step)
    return 1 + (n - size) // step if n >= size else 0


@op("tf.signal.frame")
def frame(call: Call) -> Value:
    """``[..., frames, frame_length]`` over the last axis."""
    t = call.tensor(0, "signal")
    size, step = to_int(call.arg(1, "frame_length")), to_int(call.arg(2, "frame_step"))
    pad_end = to_bool(call.arg(3, "pad_end", Const(False)))
    axis = to_int(call.arg(5, "axis", Const(-1)))
    if t is None or t.shape is None or not t.shape or size is None or not step or \
            step < 0 or pad_end is None or axis not in (-1, len(t.shape) - 1):
        return UNKNOWN
    frames = _window(t.shape[-1], size, step, pad_end)
    return call.result((*t.shape[:-1], frames, size), t.dtype, call.name)


@op("tf.signal.rfft")
def rfft(call: Call) -> Value:
    t = call.tensor(0, "input_tensor")
    if t is None or not t.shape or t.dtype not in _COMPLEX or call.has(1, "fft_length"):
        return UNKNOWN
    n = t.shape[-1]
    return call.result((*t.shape[:-1], n // 2 + 1 if isinstance(n, int) else None),
                       _COMPLEX[t.dtype], call.name)  # type: ignore[index]


@op("tf.signal.stft")
def stft(call: Call) -> Value:
    """``[..., frames, fft_length // 2 + 1]``, ``fft_length`` the power of 2 enclosing
    ``frame_length`` by default."""
    t = call.tensor(0, "signals")
    size, step = to_int(call.arg(1, "frame_length")), to_int(call.arg(2, "frame_step"))
    fft_v = call.arg(3, "fft_length", Const(None))
    pad_end = to_bool(call.arg(5, "pad_end", Const(False)))
    if t is None or not t.shape or t.dtype not in _COMPLEX or size is None or not step or \
            step < 0 or pad_end is None or size <= 0:
        return UNKNOWN
    fft = 1 << (size - 1).bit_length() if isinstance(fft_v, Const) and fft_v.value is None \
        else to_int(fft_v)
    if fft is None:
        return UNKNOWN
    frames = _window(t.shape[-1], size, step, pad_end)
    return call.result((*t.shape[:-1], frames, fft // 2 + 1), _COMPLEX[t.dtype],  # type: ignore
                       call.name)


@op("tf.math.in_top_k", "tf.nn.in_top_k")
def in_top_k(call: Call) -> Value:
    """``targets [batch]`` against ``predictions [batch, classes]``: a bool per target."""
    targets, preds = call.tensor(0, "targets"), call.tensor(1, "predictions")
    if targets is None or preds is None or targets.shape is None or preds.shape is None or \
            len(targets.shape) != 1 or len(preds.shape) != 2 or \
            targets.shape[0] != preds.shape[0] or not isinstance(targets.shape[0], int):
        return UNKNOWN
    return call.result(targets.shape, "bool", call.name)


@op("tf.searchsorted")
def searchsorted(call: Call) -> Value:
    seq, values = call.tensor(0, "sorted_sequence"), call.tensor(1, "values")
    if seq is None or values is None or seq.shape is None or values.shape is None or \
            len(seq.shape) != len(values.shape) or seq.shape[:-1] != values.shape[:-1] or \
            not all(isinstance(d, int) for d in seq.shape) or seq.dtype != values.dtype:
        return UNKNOWN
    return call.result(values.shape, call.dtype_arg(3, "out_type", "int32"), call.name)


@op("tf.nn.moments")
def moments(call: Call) -> Value:
    """``(mean, variance)`` over ``axes`` (kept as 1 with ``keepdims``)."""
    t, axes = call.tensor(0, "x"), to_axes(call.arg(1, "axes"))
    keep = to_bool(call.arg(3, "keepdims", Const(False)))
    if t is None or t.shape is None or axes is None or keep is None or \
            t.dtype not in ("float16", "bfloat16", "float32", "float64"):
        return UNKNOWN
    rank = len(t.shape)
    norm = {normalize_axis(a, rank) for a in axes}
    if None in norm:
        return UNKNOWN
    dims = tuple(1 if i in norm else d for i, d in enumerate(t.shape) if keep or i not in norm)
    one = call.result(dims, t.dtype, call.name)
    return Seq((one, call.result(dims, t.dtype, call.name)), "tuple")


def _nhwc(call: Call) -> bool:
    fmt = call.arg(None, "data_format", Const("NHWC"))
    return isinstance(fmt, Const) and fmt.value == "NHWC"


@op("tf.nn.depth_to_space", "tf.nn.space_to_depth")
def space_depth(call: Call) -> Value:
    t, bs = call.tensor(0, "input"), to_int(call.arg(1, "block_size"))
    if t is None or t.shape is None or len(t.shape) != 4 or bs is None or bs < 2 or \
            not _nhwc(call) or not all(isinstance(d, int) for d in t.shape[1:]):
        return UNKNOWN
    b, h, w, c = t.shape
    assert isinstance(h, int) and isinstance(w, int) and isinstance(c, int)
    if call.name.endswith("depth_to_space"):
        if c % (bs * bs):
            return UNKNOWN
        return call.result((b, h * bs, w * bs, c // (bs * bs)), t.dtype, call.name)
    if h % bs or w % bs:
        return UNKNOWN
    return call.result((b, h // bs, w // bs, c * bs * bs), t.dtype, call.name)


@op("tf.nn.depthwise_conv2d")
def depthwise_conv2d(call: Call) -> Value:
    """NHWC ``input`` and ``filter [fh, fw, in, multiplier]``: ``[b, oh, ow, in *
    multiplier]`` for equal strides ``[1, s, s, 1]`` and no dilation."""
    x, f = call.tensor(0, "input"), call.tensor(1, "filter")
    strides, padding = to_axes(call.arg(2, "strides")), call.arg(3, "padding")
    if x is None or f is None or x.shape is None or f.shape is None or len(x.shape) != 4 or \
            len(f.shape) != 4 or strides is None or len(strides) != 4 or \
            strides[0] != 1 or strides[3] != 1 or strides[1] != strides[2] or \
            not _nhwc(call) or call.has(5, "dilations") or \
            not (isinstance(padding, Const) and padding.value in ("SAME", "VALID")):
        return UNKNOWN
    fh, fw, cin, mult = f.shape
    if not all(isinstance(d, int) for d in (fh, fw, cin, mult)) or x.shape[3] != cin or \
            x.dtype != f.dtype:
        return UNKNOWN
    s = strides[1]
    out = []
    for size, k in zip(x.shape[1:3], (fh, fw)):
        if not isinstance(size, int) or not isinstance(k, int):
            out.append(None)
        elif padding.value == "SAME":
            out.append(-(-size // s))
        else:
            out.append(-(-(size - k + 1) // s) if size >= k else None)
    if None in out and all(isinstance(d, int) for d in x.shape[1:3]):
        return UNKNOWN  # a window larger than the input: TF raises
    return call.result((x.shape[0], *out, cin * mult), x.dtype, call.name)  # type: ignore


# ---------------------------------------------------------------- NumPy
def _array(call: Call, pos: int, name: str) -> Tensor | None:
    t = to_tensor(call.arg(pos, name), numpy=True)
    return None if t is None or t.shape is None else t


def _np(call: Call) -> str:
    """The NumPy name of the call (``tnp.*`` reaches these functions too)."""
    return "np." + call.name.split(".", 1)[-1] if call.name.startswith("tnp.") else call.name


@op("np.histogram")
def histogram(call: Call) -> Value:
    """``(hist [bins], edges [bins + 1])``; ``bins`` an int (default 10)."""
    a = _array(call, 0, "a")
    bins = to_int(call.arg(1, "bins", Const(10)))
    if a is None or bins is None or bins < 1 or set(call.kwargs) - {"bins", "range"}:
        return UNKNOWN
    edges = a.dtype if a.dtype in ("float32", "float64", "float16") else \
        "float64" if a.dtype in ("int32", "int64", "bool") else None
    return Seq((call.result((bins,), "int64", call.name),
                call.result((bins + 1,), edges, call.name)), "tuple")


@op("np.digitize", "np.isreal", "np.fix")
def same_shape(call: Call) -> Value:
    """``digitize``: an int64 bin index per element; ``isreal``: a bool each; ``fix``: the
    input's dtype (NumPy 2)."""
    t = _array(call, 0, "x")
    if t is None:
        return UNKNOWN
    dtype = {"np.digitize": "int64", "np.isreal": "bool"}.get(_np(call), t.dtype)
    return call.result(t.shape, dtype, call.name)


@op("np.argpartition")
def argpartition(call: Call) -> Value:
    t = _array(call, 0, "a")
    axis = call.arg(2, "axis", Const(-1))
    if t is None or t.shape is None:
        return UNKNOWN
    if isinstance(axis, Const) and axis.value is None:
        size = 1
        for d in t.shape:
            size = size * d if isinstance(d, int) and isinstance(size, int) else None  # type: ignore
        return call.result((size,), "int64", call.name)
    return call.result(t.shape, "int64", call.name) if t.shape else UNKNOWN


@op("np.count_nonzero")
def count_nonzero(call: Call) -> Value:
    """Over an axis: an int64 array without it (with ``keepdims`` kept as 1); over all: a
    Python int (left unknown)."""
    t, axis = _array(call, 0, "a"), call.arg(1, "axis", Const(None))
    keep = to_bool(call.arg(2, "keepdims", Const(False)))
    if t is None or t.shape is None or keep is None or \
            (isinstance(axis, Const) and axis.value is None):
        return UNKNOWN
    axes = to_axes(axis)
    norm = {normalize_axis(a, len(t.shape)) for a in axes} if axes is not None else {None}
    if None in norm:
        return UNKNOWN
    dims = tuple(1 if i in norm else d for i, d in enumerate(t.shape) if keep or i not in norm)
    return call.result(dims, "int64", call.name)


@op("np.unique", "np.bincount", "np.flatnonzero")
def data_length(call: Call) -> Value:
    """A vector whose length the data decide (unknown here)."""
    name = _np(call)
    t = _array(call, 0, "ar" if name == "np.unique" else "x" if "bin" in name else "a")
    if t is None or len(call.args) + len(call.kwargs) > 1:
        return UNKNOWN
    dtype = t.dtype if name == "np.unique" else "int64"
    return call.result((None,), dtype, call.name)


@op("np.nonzero")
def nonzero(call: Call) -> Value:
    """One int64 index vector per axis, all of the (unknown) count of nonzero items."""
    t = _array(call, 0, "a")
    if t is None or t.shape is None or not t.shape:
        return UNKNOWN
    return Seq(tuple(call.result((None,), "int64", call.name) for _ in t.shape), "tuple")


@op("np.fmod", "np.gcd", "np.lcm", "np.heaviside")
def binary_ufunc(call: Call) -> Value:
    a, b = _array(call, 0, "x1"), _array(call, 1, "x2")
    if a is None or b is None:
        return UNKNOWN
    shape, ok = broadcast(a.shape, b.shape)
    if not ok or shape is None:
        return UNKNOWN
    ints = ("int32", "int64")
    if _np(call) in ("np.gcd", "np.lcm") and (a.dtype not in ints or b.dtype not in ints):
        return UNKNOWN  # float operands: TypeError
    dtype = a.dtype if a.dtype == b.dtype else None
    if _np(call) == "np.heaviside" and dtype in ints:
        dtype = "float64"
    return call.result(shape, dtype, call.name)
