"""``tf.signal`` transforms and windows and ``tf.strings`` elementwise ops that real programs
call (``bench/coverage.py``): ``fft``/``ifft`` (1-3-D), ``irfft``, ``kaiser_window``,
``regex_replace``, ``substr``, ``to_number``. ``rfft``/``stft``/``frame`` are
``api_tensors_more``'s, the ragged forms of the string ops ``tf_ragged_math``'s.

Probed under TF 2.21: the FFTs take complex tensors only (a float one is TF's
InvalidArgumentError: unknown here), ``irfft`` gives ``2 * (n - 1)`` real values unless
``fft_length`` says otherwise.
"""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Const, Value
from ._common import Call, to_dims, to_int, to_tensor
from .registry import op

_REAL = {"complex64": "float32", "complex128": "float64"}
_FFTS = ("fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d")


@op(*(f"tf.signal.{n}" for n in _FFTS))
def fft(call: Call) -> Value:
    """The input's shape and complex dtype, over its innermost 1, 2 or 3 axes."""
    t = call.tensor(0, "input")
    inner = 3 if call.name.endswith("3d") else 2 if call.name.endswith("2d") else 1
    if t is None or t.dtype not in _REAL or (t.shape is not None and len(t.shape) < inner):
        return UNKNOWN
    return call.result(t.shape, t.dtype, call.name)


@op("tf.signal.irfft")
def irfft(call: Call) -> Value:
    """Real values of the complex input's precision, ``fft_length`` of them (by default
    ``2 * (n - 1)`` for ``n`` inner complex values)."""
    t = call.tensor(0, "input_tensor")
    length_v = call.arg(1, "fft_length", Const(None))
    if t is None or not t.shape or t.dtype not in _REAL:
        return UNKNOWN
    n: Dim
    if isinstance(length_v, Const) and length_v.value is None:
        inner = t.shape[-1]
        if isinstance(inner, int) and inner < 2:
            return UNKNOWN  # a zero-length transform: TF aborts
        n = 2 * (inner - 1) if isinstance(inner, int) else None
    else:
        dims = to_dims(length_v)
        if dims is None or len(dims) != 1:
            return UNKNOWN
        n = dims[0]
    return call.result((*t.shape[:-1], n), _REAL[t.dtype], call.name)


@op("tf.signal.kaiser_window")
def kaiser_window(call: Call) -> Value:
    """``window_length`` points of ``dtype`` (float32); a length below 1 is TF's error."""
    n = to_int(call.arg(0, "window_length"))
    dtype = call.dtype_arg(2, "dtype", "float32")
    if n is None or n < 1 or dtype not in ("float16", "float32", "float64"):
        return UNKNOWN
    return call.result((n,), dtype, call.name)


@op("tf.strings.regex_replace", "tf.strings.to_number")
def string_map(call: Call) -> Value:
    """One result per string: ``regex_replace`` strings, ``to_number`` numbers of
    ``out_type`` (float32)."""
    t = call.tensor(0, "input" if call.name.endswith("replace") else "string_tensor")
    if t is None or t.dtype not in ("string", None):
        return UNKNOWN
    if call.name.endswith("replace"):
        return call.result(t.shape, "string", call.name)
    out = call.dtype_arg(1, "out_type", "float32")
    if out not in ("float32", "float64", "int32", "int64"):
        return UNKNOWN
    return call.result(t.shape, out, call.name)


@op("tf.strings.substr")
def substr(call: Call) -> Value:
    """A substring per string, when ``pos`` and ``len`` are scalars or both of the
    input's shape (other shapes broadcast or fail: unknown here)."""
    t = call.tensor(0, "input")
    pos, size = (to_tensor(call.arg(i, n)) for i, n in ((1, "pos"), (2, "len")))
    if t is None or pos is None or size is None or t.dtype not in ("string", None) or \
            pos.shape is None or size.shape is None:
        return UNKNOWN
    if pos.shape == () and size.shape == ():
        return call.result(t.shape, "string", call.name)
    if t.shape is not None and pos.shape == size.shape == t.shape and \
            all(isinstance(d, int) for d in t.shape):
        return call.result(t.shape, "string", call.name)
    return UNKNOWN


@op("tf.signal.inverse_stft")
def inverse_stft(call: Call) -> Value:
    """``[..., frames, bins]`` complex -> ``[..., (frames - 1) * frame_step + frame_length]``
    real samples (the frames overlapped and added)."""
    t = call.tensor(0, "stfts")
    size, step = to_int(call.arg(1, "frame_length")), to_int(call.arg(2, "frame_step"))
    if t is None or t.shape is None or len(t.shape) < 2 or t.dtype not in _REAL or \
            size is None or step is None or size < 1 or step < 1:
        return UNKNOWN
    frames = t.shape[-2]
    n: Dim = (frames - 1) * step + size if isinstance(frames, int) and frames > 0 else None
    return call.result((*t.shape[:-2], n), _REAL[t.dtype], call.name)
