"""Tensor-valued APIs that the ecosystem's programs call at least three times and that had no
shape function (``bench/coverage.py``): the legacy ``tf.keras.backend`` helpers (``K.dot``,
``K.arange``, ``K.permute_dimensions``...), ``tf.nest.flatten`` (the leaves, as they are), a
few ``tf.linalg``/``tf.nn``/``tf.signal`` ops and NumPy's flips, rotations, ``moveaxis``,
``isclose``, ``inner``/``outer``, ``tri``, ``vander``, ``geomspace``/``logspace`` and
``take_along_axis``.

Each result follows TF 2.21 / NumPy as probed under ``.venv`` (and the random-program oracle's
templates). Where the call would raise, these functions stay silent (unknown): the errors are
left to rules that quote TF's message.
"""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast, normalize_axis, num_elements
from ..domain.values import UNKNOWN, Const, DictValue, Seq, Tensor, Value
from ._common import Call, to_axes, to_int, to_tensor
from .promotion import np_float_result
from .registry import delegate, lookup, op


@op("keras.backend.permute_dimensions")
def permute_dimensions(call: Call) -> Value:
    """``K.permute_dimensions(x, pattern)`` is ``tf.transpose(x, perm=pattern)``."""
    return delegate(call, "tf.transpose", [call.arg(0, "x")], {"perm": call.arg(1, "pattern")},
                    quiet=True)


@op("keras.backend.stack")
def backend_stack(call: Call) -> Value:
    """``K.stack(x, axis=0)`` is ``tf.stack(x, axis=axis)``."""
    return delegate(call, "tf.stack", [call.arg(0, "x")],
                    {"axis": call.arg(1, "axis", Const(0))}, quiet=True)


@op("keras.backend.pow")
def backend_pow(call: Call) -> Value:
    """``K.pow(x, a)`` is ``tf.pow(x, a)``."""
    return delegate(call, "tf.pow", [call.arg(0, "x"), call.arg(1, "a")], {}, quiet=True)


@op("keras.backend.tanh")
def backend_tanh(call: Call) -> Value:
    return delegate(call, "tf.tanh", [call.arg(0, "x")], {}, quiet=True)


@op("keras.backend.dot")
def backend_dot(call: Call) -> Value:
    """``K.dot(x, y)``: ``tf.matmul`` for two matrices; a tensordot of ``x``'s last axis with
    ``y``'s second-to-last otherwise (``x[:-1] + y[:-2] + y[-1:]``). Both of rank >= 2 with
    equal contracted dims, else unknown."""
    x, y = call.tensor(0, "x"), call.tensor(1, "y")
    if x is None or y is None or x.shape is None or y.shape is None or \
            len(x.shape) < 2 or len(y.shape) < 2:
        return UNKNOWN
    a, b = x.shape[-1], y.shape[-2]
    if not (isinstance(a, int) and a == b) or x.dtype is None or x.dtype != y.dtype:
        return UNKNOWN
    if len(x.shape) == 2 and len(y.shape) == 2:
        return Tensor((x.shape[0], y.shape[1]), x.dtype, origin=call.name)
    return Tensor((*x.shape[:-1], *y.shape[:-2], y.shape[-1]), x.dtype, origin=call.name)


@op("keras.backend.arange")
def backend_arange(call: Call) -> Value:
    """``K.arange(start, stop=None, step=1, dtype="int32")``: ``tf.range`` (a negative start
    alone is an empty range), cast to ``dtype``. Known ints only."""
    start, stop = to_int(call.arg(0, "start")), call.arg(1, "stop", Const(None))
    step = to_int(call.arg(2, "step", Const(1)))
    dtype = call.dtype_arg(3, "dtype", "int32")
    if isinstance(stop, Const) and stop.value is None:
        begin, end = 0, start
    else:
        begin, end = start, to_int(stop)
    if begin is None or end is None or not step:
        return UNKNOWN
    n = max(0, -(-(end - begin) // step))
    return Tensor((n,), dtype, origin=call.name)


def _flatten(v: Value, out: list[Value], depth: int = 0) -> bool:
    """tf.nest's leaves of ``v`` in its order (dict keys sorted); False when not known."""
    if depth > 20:
        return False
    if isinstance(v, Seq) and v.kind in ("tuple", "list"):
        return all(_flatten(item, out, depth + 1) for item in v.items)
    if isinstance(v, DictValue):
        keys = [k for k, _ in v.items]
        if not all(isinstance(k, Const) and isinstance(k.value, str) for k in keys):
            return False
        for _, item in sorted(v.items, key=lambda kv: kv[0].value):  # type: ignore[attr-defined]
            if not _flatten(item, out, depth + 1):
                return False
        return True
    if isinstance(v, Tensor) or (isinstance(v, Seq) and v.kind == "shape") or \
            isinstance(v, Const):
        out.append(v)
        return True
    return False


def nest_flatten(structure: Value) -> Value:
    """``tf.nest.flatten(structure)``: the leaves as a list (tensors, TensorShapes and Python
    scalars are leaves; a dict's values in sorted key order). The very same values, so an
    overlay builds it (``core/overlays/library_objects.py``): no op of its own on the tape."""
    leaves: list[Value] = []
    ok = _flatten(structure, leaves)
    return Seq(tuple(leaves), "list") if ok and len(leaves) <= 256 else UNKNOWN


@op("tf.strings.to_hash_bucket_fast", "tf.strings.to_hash_bucket_strong",
    "tf.strings.to_hash_bucket")
def hash_bucket(call: Call) -> Value:
    """Each string's bucket: the input's shape, int64."""
    t = call.tensor(0, "input")
    if t is None or t.dtype not in ("string", None):
        return UNKNOWN
    return call.result(t.shape, "int64", call.name)


@op("tf.math.erfinv", "tf.clip_by_norm", "tf.math.invert_permutation")
def tf_same(call: Call) -> Value:
    """Elementwise (or whole-tensor scaling) ops: the input's shape and dtype."""
    t = call.tensor(0, "t" if call.name == "tf.clip_by_norm" else "x")
    if t is None or t.shape is None or (call.name.endswith("permutation") and
                                        len(t.shape) != 1):
        return UNKNOWN
    return call.result(t.shape, t.dtype, call.name)


@op("tf.nn.l2_loss")
def l2_loss(call: Call) -> Value:
    t = call.tensor(0, "t")
    return UNKNOWN if t is None else call.result((), t.dtype, call.name)


@op("tf.nn.bias_add")
def bias_add(call: Call) -> Value:
    """``value`` plus a bias vector along its channels axis (last for NHWC): ``value``'s
    shape when the bias is a vector of that length and the dtypes agree."""
    v, b = call.tensor(0, "value"), call.tensor(1, "bias")
    fmt = call.arg(2, "data_format", Const(None))
    if v is None or b is None or v.shape is None or b.shape is None or len(b.shape) != 1 or \
            len(v.shape) < 2 or not (isinstance(fmt, Const) and fmt.value in (None, "NHWC")):
        return UNKNOWN
    if b.shape[0] != v.shape[-1] or not isinstance(b.shape[0], int) or v.dtype != b.dtype:
        return UNKNOWN
    return call.result(v.shape, v.dtype, call.name)


@op("tf.linalg.diag_part", "tf.linalg.adjoint")
def matrix_ops(call: Call) -> Value:
    """``diag_part``: ``[..., min(M, N)]``; ``adjoint``: the last two axes swapped."""
    t = call.tensor(0, "input" if call.name.endswith("diag_part") else "matrix")
    if t is None or t.shape is None or len(t.shape) < 2 or \
            (call.name.endswith("diag_part") and len(call.args) + len(call.kwargs) > 1):
        return UNKNOWN
    m, n = t.shape[-2], t.shape[-1]
    if call.name.endswith("adjoint"):
        return call.result((*t.shape[:-2], n, m), t.dtype, call.name)
    if not (isinstance(m, int) and isinstance(n, int)):
        return UNKNOWN
    return call.result((*t.shape[:-2], min(m, n)), t.dtype, call.name)


@op("tf.signal.hann_window", "tf.signal.hamming_window")
def window(call: Call) -> Value:
    n = to_int(call.arg(0, "window_length"))
    dtype = call.dtype_arg(2, "dtype", "float32")
    return UNKNOWN if n is None else call.result((n,), dtype, call.name)


# ---------------------------------------------------------------- NumPy
def _array(call: Call, pos: int, name: str) -> Tensor | None:
    t = to_tensor(call.arg(pos, name), numpy=True)
    return None if t is None or t.shape is None else t


@op("np.flipud", "np.fliplr")
def flip_ud_lr(call: Call) -> Value:
    """Same shape; ``flipud`` needs rank >= 1, ``fliplr`` rank >= 2 (else NumPy raises)."""
    t = _array(call, 0, "m")
    if t is None or len(t.shape or ()) < (2 if call.name.endswith("lr") else 1):
        return UNKNOWN
    return call.result(t.shape, t.dtype, call.name)


@op("np.rot90")
def rot90(call: Call) -> Value:
    """``np.rot90(m, k=1, axes=(0, 1))``: an odd ``k`` swaps the two axes."""
    t, k = _array(call, 0, "m"), to_int(call.arg(1, "k", Const(1)))
    axes = to_axes(call.arg(2, "axes", Seq((Const(0), Const(1)))))
    if t is None or k is None or axes is None or len(axes) != 2 or t.shape is None:
        return UNKNOWN
    rank = len(t.shape)
    a, b = (normalize_axis(ax, rank) for ax in axes)
    if a is None or b is None or a == b:
        return UNKNOWN
    dims = list(t.shape)
    if k % 2:
        dims[a], dims[b] = dims[b], dims[a]
    return call.result(tuple(dims), t.dtype, call.name)


@op("np.moveaxis")
def moveaxis(call: Call) -> Value:
    """Axes ``source`` moved to ``destination``, the others in their order."""
    t = _array(call, 0, "a")
    src, dst = to_axes(call.arg(1, "source")), to_axes(call.arg(2, "destination"))
    if t is None or t.shape is None or src is None or dst is None or len(src) != len(dst):
        return UNKNOWN
    rank = len(t.shape)
    s = [normalize_axis(a, rank) for a in src]
    d = [normalize_axis(a, rank) for a in dst]
    if None in s or None in d or len(set(s)) != len(s) or len(set(d)) != len(d):
        return UNKNOWN
    order = [i for i in range(rank) if i not in s]
    for dest, source in sorted(zip(d, s)):
        order.insert(dest, source)  # type: ignore[arg-type]
    return call.result(tuple(t.shape[i] for i in order), t.dtype, call.name)  # type: ignore[index]


@op("np.isclose")
def isclose(call: Call) -> Value:
    a, b = _array(call, 0, "a"), _array(call, 1, "b")
    if a is None or b is None:
        return UNKNOWN
    shape, ok = broadcast(a.shape, b.shape)
    return call.result(shape, "bool", call.name) if ok and shape is not None else UNKNOWN


@op("np.outer")
def outer(call: Call) -> Value:
    """``(a.size, b.size)``: both inputs flattened."""
    a, b = _array(call, 0, "a"), _array(call, 1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    m, n = num_elements(a.shape), num_elements(b.shape)
    dtype = a.dtype if a.dtype == b.dtype else None
    return UNKNOWN if m is None or n is None else call.result((m, n), dtype, call.name)


@op("np.inner")
def inner(call: Call) -> Value:
    """``a.shape[:-1] + b.shape[:-1]`` over equal last dims (both of rank >= 1)."""
    a, b = _array(call, 0, "a"), _array(call, 1, "b")
    if a is None or b is None or not a.shape or not b.shape:
        return UNKNOWN
    if not isinstance(a.shape[-1], int) or a.shape[-1] != b.shape[-1]:
        return UNKNOWN
    dtype = a.dtype if a.dtype == b.dtype else None
    return call.result((*a.shape[:-1], *b.shape[:-1]), dtype, call.name)


@op("np.tri")
def tri(call: Call) -> Value:
    """``np.tri(N, M=None, k=0, dtype=float)``: ``(N, M or N)``."""
    n = to_int(call.arg(0, "N"))
    m_v = call.arg(1, "M", Const(None))
    m = n if isinstance(m_v, Const) and m_v.value is None else to_int(m_v)
    dtype = call.dtype_arg(3, "dtype", "float64")
    return UNKNOWN if n is None or m is None else call.result((n, m), dtype, call.name)


@op("np.vander")
def vander(call: Call) -> Value:
    """``np.vander(x, N=None)``: ``(len(x), N or len(x))`` for a vector ``x``."""
    x = _array(call, 0, "x")
    n_v = call.arg(1, "N", Const(None))
    if x is None or x.shape is None or len(x.shape) != 1:
        return UNKNOWN
    n = x.shape[0] if isinstance(n_v, Const) and n_v.value is None else to_int(n_v)
    return UNKNOWN if n is None else call.result((x.shape[0], n), x.dtype, call.name)


@op("np.geomspace", "np.logspace")
def spaced(call: Call) -> Value:
    """``num`` (default 50) float64 samples between two scalars."""
    start, stop = _array(call, 0, "start"), _array(call, 1, "stop")
    num = to_int(call.arg(2, "num", Const(50)))
    if start is None or stop is None or start.shape != () or stop.shape != () or \
            num is None or num < 0 or "dtype" in call.kwargs or len(call.args) > 4:
        return UNKNOWN
    dtype = "float64" if start.dtype != "complex128" and stop.dtype != "complex128" else None
    return call.result((num,), dtype, call.name)


@op("np.take_along_axis")
def take_along_axis(call: Call) -> Value:
    """The indices' shape, where it has the array's rank and agrees with it (or is 1) on
    every other axis."""
    a, idx = _array(call, 0, "arr"), _array(call, 1, "indices")
    axis = to_int(call.arg(2, "axis"))
    if a is None or idx is None or axis is None or a.shape is None or idx.shape is None or \
            len(a.shape) != len(idx.shape) or idx.dtype not in ("int32", "int64"):
        return UNKNOWN
    ax = normalize_axis(axis, len(a.shape))
    if ax is None:
        return UNKNOWN
    out: list[Dim] = []
    for i, (d, e) in enumerate(zip(a.shape, idx.shape)):
        if i == ax:
            out.append(e)
            continue
        if not (isinstance(d, int) and isinstance(e, int)) or (d != e and 1 not in (d, e)):
            return UNKNOWN
        out.append(max(d, e) if 1 in (d, e) else d)
    return call.result(tuple(out), a.dtype, call.name)


@op("np.i0")
def i0(call: Call) -> Value:
    t = _array(call, 0, "x")
    return UNKNOWN if t is None else call.result(t.shape, np_float_result(t.dtype), call.name)


# tf.losses in TF 2.21 is Keras 3's keras.losses: these functions are the very same objects
# (checked one by one; tf.losses.MSE, mean_squared_error are not, and are left out).
_TF_LOSSES = ("categorical_crossentropy", "binary_crossentropy", "binary_focal_crossentropy",
              "huber", "hinge", "categorical_hinge", "poisson", "squared_hinge",
              "categorical_focal_crossentropy", "cosine_similarity",
              "sparse_categorical_crossentropy")
TF_LOSS_CLASSES = frozenset({
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "CategoricalHinge", "CosineSimilarity", "Hinge", "Huber",
    "KLDivergence", "LogCosh", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson",
    "SparseCategoricalCrossentropy", "SquaredHinge"})


@op(*(f"tf.losses.{n}" for n in _TF_LOSSES))
def tf_losses(call: Call) -> Value:
    """``tf.losses.<fn>`` is ``keras.losses.<fn>``: its shape function, under this name."""
    fn = lookup("keras.losses." + call.name.rsplit(".", 1)[-1])
    return UNKNOWN if fn is None else fn(call)
