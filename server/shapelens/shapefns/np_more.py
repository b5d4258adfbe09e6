"""NumPy calls real programs make often, expressed through the rules the table already has:
``vstack``/``hstack`` are concatenations of arrays raised to 2-D / 1-D, the ``nan*``
reductions are their plain reductions' shapes, ``tril``/``triu``/``diag`` are simple.

A reused rule runs under the plain function's name; its messages are renamed back.
"""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, to_int, to_tensor
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
