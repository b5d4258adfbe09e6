"""NumPy calls real programs make often, expressed through the rules the table already has:
``vstack``/``hstack`` are concatenations of arrays raised to 2-D / 1-D, the ``nan*``
reductions are their plain reductions' shapes, ``tril``/``triu``/``diag`` are simple.

A reused rule runs under the plain function's name; its messages are renamed back.
"""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import (
    Call,
    np_float_result,
    np_promote,
    np_weak_promote,
    to_dims,
    to_int,
    to_tensor,
)
from .registry import delegate, op


def _raised(t: Tensor, rank: int) -> Tensor:
    """``atleast_1d``/``atleast_2d``: a scalar becomes (1,) / (1, 1), a vector (1, n)."""
    assert t.shape is not None
    shape = t.shape
    if len(shape) < rank:
        shape = (1,) * (rank - len(shape)) + shape
    return Tensor(shape, t.dtype, t.kind, origin=t.origin)


@op("np.vstack", "np.row_stack", "np.hstack", "keras.ops.vstack", "keras.ops.hstack")
def stack_arrays(call: Call) -> Value:
    values = call.arg(0, "tup")
    if not isinstance(values, Seq) or not values.items:
        return UNKNOWN
    tensors = [to_tensor(v, numpy=call.numpy) for v in values.items]
    if any(t is None or t.shape is None for t in tensors):
        return UNKNOWN
    known = [t for t in tensors if t is not None]
    vertical = call.name.rsplit(".", 1)[-1] in ("vstack", "row_stack")
    if call.name.startswith("keras."):
        return _keras_stack(call, known, vertical)
    if vertical:
        parts = [_raised(t, 2) for t in known]
        axis = 0
    else:
        parts = [_raised(t, 1) for t in known]
        axis = 0 if parts[0].shape is not None and len(parts[0].shape) == 1 else 1
    join = "keras.ops.concatenate" if call.name.startswith("keras.") else "np.concatenate"
    return delegate(call, join, [Seq(tuple(parts), "list")], {"axis": Const(axis)})


def _keras_stack(call: Call, parts: list[Tensor], vertical: bool) -> Value:
    """Keras' TF backend does not raise ranks: ``vstack`` concatenates along axis 0 (two
    vectors of 5 give (10,), not NumPy's (2, 5)); ``hstack`` along axis 0 for vectors, else 1.
    Scalars stay unknown (what the backend does with them is not modelled)."""
    if any(t.shape is None or len(t.shape) == 0 for t in parts):
        return UNKNOWN
    first = parts[0].shape
    axis = 0 if vertical or (first is not None and len(first) == 1) else 1
    return delegate(call, "keras.ops.concatenate", [Seq(tuple(parts), "list")],
                    {"axis": Const(axis)})


_NAN_REDUCTIONS = ("nanmax", "nanmin", "nanstd", "nanvar", "nanprod",
                   "nanmedian", "nanargmax", "nanargmin", "nancumsum", "nancumprod")


@op(*(f"np.{n}" for n in _NAN_REDUCTIONS))
def nan_reduction(call: Call) -> Value:
    """Same signature and shape as the reduction without ``nan`` (it skips NaNs)."""
    return delegate(call, "np." + call.name[len("np.nan"):], list(call.args), dict(call.kwargs))


@op("np.tril", "np.triu")
def triangle(call: Call) -> Value:
    t = call.tensor(0, "m")
    if t is None or t.shape is None:
        return UNKNOWN
    if len(t.shape) == 1:  # a vector is broadcast to a square
        return call.result((t.shape[0], t.shape[0]), t.dtype, call.name)
    return call.result(t.shape, t.dtype, call.name)


@op("np.diag")
def diag(call: Call) -> Value:
    """A vector becomes a square matrix (grown by ``|k|``); a matrix gives its ``k``-th
    diagonal."""
    t = call.tensor(0, "v")
    k = to_int(call.arg(1, "k", Const(0)))
    if t is None or t.shape is None or k is None or len(t.shape) not in (1, 2):
        return UNKNOWN
    if len(t.shape) == 1:
        n = t.shape[0]
        side: Dim = n + abs(k) if isinstance(n, int) else None
        return call.result((side, side), t.dtype, call.name)
    rows, cols = t.shape
    if not isinstance(rows, int) or not isinstance(cols, int):
        return call.result((None,), t.dtype, call.name)
    length = min(rows, cols - k) if k >= 0 else min(rows + k, cols)
    return call.result((max(0, length),), t.dtype, call.name)


# ------------------------------------------------ more ufuncs (bench/coverage.py, 2 sites)
# The result dtype of each unary ufunc from its input's, as NumPy 2 gives it; None where NumPy
# refuses the dtype (a TypeError: no value).
def _float_like(dtype: str | None) -> str | None:
    """``arccosh``, ``deg2rad``...: ints and bools become the smallest float that holds them."""
    return np_float_result(dtype)


def _abs_like(dtype: str | None) -> str | None:
    """``absolute``: a complex array's magnitudes are real, every other dtype stays."""
    return {"complex64": "float32", "complex128": "float64"}.get(dtype or "", dtype)


def _int_only(dtype: str | None) -> str | None:
    """``bitwise_not``: integers and bools only (floats are a TypeError)."""
    return dtype if dtype == "bool" or (dtype or "").startswith(("int", "uint")) else None


def _conjugate(dtype: str | None) -> str | None:
    """``conjugate`` keeps the dtype, except that bools come back as int8."""
    return "int8" if dtype == "bool" else dtype


def _real_test(dtype: str | None) -> str | None:
    """``isneginf``/``isposinf``/``signbit``: a bool per element; complex is a TypeError."""
    return None if dtype is None or dtype.startswith("complex") else "bool"


def _sinc(dtype: str | None) -> str | None:
    """``sinc`` works through ``where(x == 0, 1e-20, x)``: ints and bools become float64."""
    if dtype is None or dtype.startswith(("float", "complex")):
        return dtype
    return "float64" if np_float_result(dtype) else None


_NP_UNARY = {"absolute": _abs_like, "arccosh": _float_like, "arcsinh": _float_like,
             "arctanh": _float_like, "deg2rad": _float_like, "rad2deg": _float_like,
             "bitwise_not": _int_only, "conjugate": _conjugate, "isneginf": _real_test,
             "isposinf": _real_test, "signbit": _real_test, "sinc": _sinc}


@op(*(f"np.{n}" for n in _NP_UNARY))
def np_unary(call: Call) -> Value:
    """Same shape as the input; the dtype NumPy gives (unknown where it refuses one)."""
    t = call.tensor(0, "x")
    if t is None or len(call.args) + len(call.kwargs) != 1:
        return UNKNOWN
    if t.dtype is None:
        return call.result(t.shape, None, call.name)
    dtype = _NP_UNARY[call.name[3:]](t.dtype)
    return UNKNOWN if dtype is None else call.result(t.shape, dtype, call.name)



_EXPONENTS = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32")


@op("np.logaddexp", "np.logaddexp2", "np.nextafter", "np.ldexp")
def np_float_binary(call: Call) -> Value:
    """Broadcast and promoted as ``np.add`` (its SL103 for shapes that do not broadcast), then
    made float like ``np.exp``. ``ldexp(x1, x2)`` keeps ``x1``'s float (or its float for an
    int) and needs integer exponents; complex inputs are NumPy TypeErrors (unknown)."""
    if call.kwargs or len(call.args) != 2:
        return UNKNOWN
    x1, x2 = call.tensor(0, None), call.tensor(1, None)
    if x1 is None or x2 is None or "keras" in (x1.kind, x2.kind):
        return UNKNOWN  # NumPy refuses a KerasTensor (its own ValueError)
    joined = delegate(call, "np.add", list(call.args), {})
    if not isinstance(joined, Tensor):
        return UNKNOWN
    if x1.dtype is None or x2.dtype is None:
        return call.result(joined.shape, None, call.name)
    if call.name == "np.ldexp":
        ok = x2.dtype in _EXPONENTS
        dtype = np_float_result(x1.dtype) if ok else None
    else:
        dtype = np_float_result(joined.dtype)
    if dtype is None or dtype.startswith("complex"):
        return UNKNOWN  # NumPy's TypeError
    return call.result(joined.shape, dtype, call.name)


@op("keras.ops.tril", "keras.ops.triu")
def keras_triangle(call: Call) -> Value:
    """The TF backend's ``tf.linalg.band_part``: the input's shape and dtype, for matrices
    and stacks of them (a vector is TF's InvalidArgumentError: unknown)."""
    t = call.tensor(0, "x")
    if t is None or t.shape is None or len(t.shape) < 2:
        return UNKNOWN
    return call.result(t.shape, t.dtype, call.name)


@op("np.ndarray")
def ndarray_new(call: Call) -> Value:
    """``np.ndarray(shape, dtype=float)``: an uninitialised array of that shape."""
    dims = to_dims(call.arg(0, "shape"))
    dtype = call.dtype_arg(1, "dtype", "float64")
    if dims is None or call.kwargs.keys() - {"shape", "dtype"} or len(call.args) > 2:
        return UNKNOWN
    return call.result(dims, dtype, call.name)


@op("np.frombuffer")
def frombuffer(call: Call) -> Value:
    """A vector of ``dtype`` (float64): ``count`` items, or as many as the buffer holds
    (a value: ``None``)."""
    dtype = call.dtype_arg(1, "dtype", "float64")
    count = to_int(call.arg(2, "count", Const(-1)))
    if call.kwargs.keys() - {"buffer", "dtype", "count", "offset"} or len(call.args) > 4 or \
            count is None:
        return UNKNOWN
    return call.result((count if count >= 0 else None,), dtype, call.name)


@op("np.select")
def select(call: Call) -> Value:
    """``select(condlist, choicelist, default=0)``: every condition and choice broadcast
    together; the choices' dtype (a Python ``default`` is weak, NEP 50). ``tnp.select``
    (through this rule) promotes the same way."""
    conds, choices = call.arg(0, "condlist"), call.arg(1, "choicelist")
    default = call.arg(2, "default", Const(0))
    if not isinstance(conds, Seq) or not isinstance(choices, Seq) or not choices.items or \
            len(conds.items) != len(choices.items):
        return UNKNOWN
    parts = [to_tensor(v, numpy=True) for v in (*conds.items, *choices.items, default)]
    known = [t for t in parts if t is not None]
    if len(known) != len(parts) or any(t.shape is None for t in known):
        return UNKNOWN
    shape: tuple[Dim, ...] | None = ()
    for t in known:
        shape, ok = broadcast(shape, t.shape)
        if not ok:
            return UNKNOWN  # NumPy's ValueError (not claimed here)
    dtype = known[len(conds.items)].dtype
    for t in known[len(conds.items) + 1:-1]:
        dtype = np_promote(dtype, t.dtype)
    last = known[-1]
    dtype = np_weak_promote(dtype, last.dtype) if isinstance(default, Const) else \
        np_promote(dtype, last.dtype)
    return call.result(shape, dtype, call.name)
