"""Methods, attributes and ops of ``tf.RaggedTensor`` operands (``composite:<name>``, routed
by ``core/overlays/composite.py``), as TF 2.21 computes them.

Broadcasting a ragged operand is TF's ``ragged_tensor_shape`` broadcast: known sizes must be
equal or 1 (``(3, None)`` against ``(2, 1)`` fails), and a ragged axis against a uniform size
``d`` needs every row to be exactly ``d`` long (a row of length 1 does not stretch): both are
``InvalidArgumentError: Condition x == y did not hold`` (SL120), reported only where the
sizes or row lengths are known.
"""

from __future__ import annotations

from ..domain.shapes import DYNAMIC, Dim
from ..domain.values import UNKNOWN, Const, Seq, SliceValue, Tensor, Value
from ._common import Call, ShapeError, to_dims, to_dtype, to_int, to_tensor
from .registry import op
from .tf_ragged import (
    C,
    bounding,
    flat_of,
    in_graph,
    lengths_tensor,
    make,
    nrows,
    ragged_rank,
    rows_of,
    short,
)
from .tf_sparse import scaled, values_attr


def _ragged(call: Call, pos: int = 0, name: str | None = None) -> Tensor | None:
    t = call.arg(pos, name)
    return t if isinstance(t, Tensor) and t.kind == "ragged" and t.shape is not None else None


# ---------------------------------------------------------------- attributes and methods

@op(C + "Tensor.flat_values@")
def flat_values(call: Call) -> Value:
    rt = _ragged(call)
    flat = flat_of(rt) if rt is not None else None
    if flat is not None:
        return flat
    rank = ragged_rank(rt) if rt is not None else None
    if rt is None or rt.shape is None or rank is None:
        return UNKNOWN
    return Tensor((None, *rt.shape[rank + 1:]), rt.dtype)


@op(C + "Tensor.values@")
def values(call: Call) -> Value:
    t = call.arg(0, None)
    if isinstance(t, Tensor) and t.kind == "sparse":
        return values_attr(t)
    rt = _ragged(call)
    rank = ragged_rank(rt) if rt is not None else None
    if rt is None or rt.shape is None or rank is None:
        return UNKNOWN
    if rank == 1:
        return flat_values(call)
    rows = rows_of(rt)
    count = sum(rows[0]) if rows is not None else None
    return make((count, *rt.shape[2:]), rt.dtype, rows[1:] if rows else None, flat_of(rt))


@op(C + "Tensor.ragged_rank@")
def ragged_rank_attr(call: Call) -> Value:
    rt = _ragged(call)
    rank = ragged_rank(rt) if rt is not None else None
    return Const(rank) if rank is not None else UNKNOWN


@op(C + "Tensor.row_splits@")
def row_splits(call: Call) -> Value:
    rt = _ragged(call)
    if rt is None:
        return UNKNOWN
    rows = rows_of(rt)
    return _splits(rows[0] if rows else None, nrows(rt))


def _splits(lengths: tuple[int, ...] | None, n: Dim) -> Tensor:
    if lengths is None:
        return Tensor((n + 1 if isinstance(n, int) else None,), "int64")
    total, splits = 0, [0]
    for length in lengths:
        total += length
        splits.append(total)
    return Tensor((len(splits),), "int64", content=tuple(splits))


@op(C + "Tensor.nested_row_splits@")
def nested_row_splits(call: Call) -> Value:
    rt = _ragged(call)
    rows = rows_of(rt) if rt is not None else None
    if rows is None:
        return UNKNOWN
    return Seq(tuple(_splits(r, len(r)) for r in rows))


@op(C + "Tensor.nested_row_lengths")
def nested_row_lengths(call: Call) -> Value:
    rt = _ragged(call)
    rows = rows_of(rt) if rt is not None else None
    return Seq(tuple(lengths_tensor(r) for r in rows)) if rows is not None else UNKNOWN


@op(C + "Tensor.row_lengths")
def row_lengths(call: Call) -> Value:
    rt = _ragged(call)
    axis = to_int(call.arg(1, "axis", Const(1)))
    if rt is None or axis != 1:
        return UNKNOWN
    rows = rows_of(rt)
    return lengths_tensor(rows[0]) if rows else Tensor((nrows(rt),), "int64")


@op(C + "Tensor.nrows")
def nrows_method(call: Call) -> Value:
    rt = _ragged(call)
    if rt is None:
        return UNKNOWN
    n = nrows(rt)
    return Tensor((), to_dtype(call.arg(1, "out_type")) or "int64",
                  content=(n,) if isinstance(n, int) else None)


@op(C + "Tensor.value_rowids")
def value_rowids(call: Call) -> Value:
    rt = _ragged(call)
    rows = rows_of(rt) if rt is not None else None
    return Tensor((sum(rows[0]) if rows else None,), "int64") if rt is not None else UNKNOWN


def _bounds(call: Call, rt: Tensor | None) -> tuple[Dim, ...] | None:
    """``bounding``, with the ragged axes unknown inside a ``tf.function`` (TF's None)."""
    dims = bounding(rt) if rt is not None else None
    if dims is None or rt is None or rt.shape is None or not in_graph(call):
        return dims
    return tuple(None if s is DYNAMIC else d for d, s in zip(dims, rt.shape))


@op(C + "Tensor.bounding_shape")
def bounding_shape(call: Call) -> Value:
    rt = _ragged(call)
    dims = _bounds(call, rt)
    if rt is None or dims is None:
        return UNKNOWN
    content = dims if all(isinstance(d, int) for d in dims) else None
    return Tensor((len(dims),), "int64", content=content)


@op(C + "Tensor.to_tensor")
def to_tensor_method(call: Call) -> Value:
    """The bounding shape, or ``shape=`` where it gives a size (None keeps the bound)."""
    rt = _ragged(call)
    dims = _bounds(call, rt)
    if rt is None or dims is None:
        return UNKNOWN
    wanted = call.arg(2, "shape")
    if wanted != Const(None) and call.has(2, "shape"):
        given = to_dims(wanted) if isinstance(wanted, Seq | Tensor) else None
        if given is None or len(given) != len(dims):
            return Tensor((None,) * len(dims), rt.dtype)
        items = wanted.items if isinstance(wanted, Seq) else (Const(0),) * len(given)
        dims = tuple(d if item == Const(None) else g
                     for d, g, item in zip(dims, given, items))
    return Tensor(dims, rt.dtype, origin="RaggedTensor.to_tensor")


@op(C + "Tensor.to_sparse")
def to_sparse(call: Call) -> Value:
    rt = _ragged(call)
    dims = bounding(rt) if rt is not None else None
    if rt is None or dims is None:
        return UNKNOWN
    if in_graph(call):
        dims = (None,) * len(dims)  # TF: (None, None) in a tf.function
    flat = flat_of(rt)
    count = None
    if flat is not None and flat.shape is not None and \
            all(isinstance(d, int) for d in flat.shape):
        count = 1
        for d in flat.shape:
            count *= d if isinstance(d, int) else 1
    parts = (Tensor((count, len(dims)), "int64"), Tensor((count,), rt.dtype))
    return Tensor(dims, rt.dtype, "sparse", origin="RaggedTensor.to_sparse", parts=parts)


@op(C + "operator.getitem")
def getitem(call: Call) -> Value:
    """``rt[i]`` is a row (dense when the rest is uniform), ``rt[a:b]`` some rows,
    ``rt[:, a:b]`` slices every row; an int index into a ragged axis is TF's ValueError
    (left silent)."""
    rt = _ragged(call)
    index = call.arg(1, None)
    rank = ragged_rank(rt) if rt is not None else None
    if rt is None or rt.shape is None or rank is None:
        return UNKNOWN
    rows = rows_of(rt)
    if isinstance(index, SliceValue):
        return _row_slice(rt, index, rows)
    if isinstance(index, Seq) and len(index.items) == 2 and rank == 1:
        first, second = index.items
        if first == SliceValue(Const(None), Const(None), Const(None)) and \
                isinstance(second, SliceValue):
            lengths = None
            if rows is not None:
                bounds = [to_int(b) if b != Const(None) else None
                          for b in (second.start, second.stop, second.step)]
                if all(b is not None or v == Const(None) for b, v in
                       zip(bounds, (second.start, second.stop, second.step))):
                    lengths = tuple(len(range(n)[slice(*bounds)]) for n in rows[0])
            flat = Tensor((sum(lengths), *rt.shape[2:]), rt.dtype) if lengths else None
            width = rt.shape[1]
            if isinstance(width, int):  # a uniform axis stays uniform: (4, 6)[:, :-1] is (4, 5)
                width = lengths[0] if lengths else None
            return make((rt.shape[0], width, *rt.shape[2:]), rt.dtype,
                        (lengths,) if lengths else None, flat)
        if to_int(first) is not None and to_int(second) is not None and len(rt.shape) == 2:
            return Tensor((), rt.dtype)
        return UNKNOWN
    i = to_int(index)
    n = nrows(rt)
    if rank != 1 or (i is None and index is not UNKNOWN):
        return UNKNOWN
    length: Dim = None
    if rows is not None and i is None and len(set(rows[0])) == 1:
        length = rows[0][0]  # any row (a loop's element): all rows are this long
    elif rows is not None and i is not None and isinstance(n, int) and -n <= i < n:
        length = rows[0][i]
    return Tensor((length, *rt.shape[2:]), rt.dtype)


def _row_slice(rt: Tensor, index: SliceValue, rows: tuple[tuple[int, ...], ...] | None
               ) -> Value:
    assert rt.shape is not None
    bounds = [to_int(b) if b != Const(None) else None
              for b in (index.start, index.stop, index.step)]
    known = all(b is not None or v == Const(None)
                for b, v in zip(bounds, (index.start, index.stop, index.step)))
    n = nrows(rt)
    if not known or not isinstance(n, int) or bounds[2] not in (None, 1):
        return make((None, *rt.shape[1:]), rt.dtype)
    picked = range(n)[slice(*bounds)]
    if rows is None or len(rows) != 1:
        return make((len(picked), *rt.shape[1:]), rt.dtype)
    lengths = tuple(rows[0][i] for i in picked)
    flat = Tensor((sum(lengths), *rt.shape[2:]), rt.dtype)
    return make((len(picked), *rt.shape[1:]), rt.dtype, (lengths,), flat)


# ---------------------------------------------------------------- broadcasting

def _operand(v: Value) -> Tensor | None:
    t = to_tensor(v)
    return t if t is not None and t.shape is not None else None


def _mismatch(op_name: str, a: Tensor, b: Tensor, why: str) -> ShapeError:
    return ShapeError("SL120", f"{op_name}: cannot broadcast ragged shapes {_text(a)} and "
                      f"{_text(b)}: {why} (TF: Condition x == y did not hold)", runtime=True)


def _text(t: Tensor) -> str:
    dims = ("None" if d is DYNAMIC else "?" if d is None else str(d) for d in t.shape or ())
    return "(" + ", ".join(dims) + ("," if len(t.shape or ()) == 1 else "") + ")"


def _check_rows(op_name: str, a: Tensor, b: Tensor, big: Tensor, small: Tensor,
                same_rank: bool) -> None:
    """Axis 1 of a ragged operand partitioned once: its row lengths must match the other's
    size there exactly (a row of length 1 does not stretch), or the other's row lengths."""
    big_rows = rows_of(big)
    if big_rows is None or small.shape is None:
        return
    if small.kind == "ragged":
        other = rows_of(small)
        if not same_rank or other is None or len(other) != len(big_rows):
            return
        for mine, theirs in zip(big_rows, other):
            if len(mine) != len(theirs):
                return
            if mine != theirs:  # a row of length 1 does not stretch either
                raise _mismatch(op_name, a, b, f"row lengths {list(mine)} and "
                                f"{list(theirs)} differ")
        return
    if len(big_rows) != 1:
        return
    lengths = big_rows[0]
    assert big.shape is not None
    pad = len(big.shape) - len(small.shape)
    size = small.shape[1 - pad] if 0 <= 1 - pad < len(small.shape) else 1
    if isinstance(size, int) and size != 1 and any(n != size for n in lengths):
        raise _mismatch(op_name, a, b, f"row lengths {list(lengths)} are not all {size}")


def broadcast(op_name: str, a: Tensor, b: Tensor) -> tuple[Dim, ...] | None:
    """The broadcast shape of a ragged and another operand; a ``ShapeError`` when TF
    certainly fails; None when unknown."""
    if a.shape is None or b.shape is None:
        return None
    big, small = (a, b) if len(a.shape) > len(b.shape) or \
        (len(a.shape) == len(b.shape) and a.kind == "ragged") else (b, a)
    if big.kind != "ragged":
        return None  # a dense operand of higher rank than the ragged one: not modelled
    assert big.shape is not None and small.shape is not None
    pad = len(big.shape) - len(small.shape)
    dims: list[Dim] = list(big.shape[:pad])
    for i, (x, y) in enumerate(zip(big.shape[pad:], small.shape), start=pad):
        if isinstance(x, int) and isinstance(y, int):
            if x != y and 1 not in (x, y):
                raise _mismatch(op_name, a, b, f"sizes {x} and {y} at axis {i}")
            dims.append(x if y == 1 else y)
        elif x is DYNAMIC or y is DYNAMIC:
            dims.append(DYNAMIC)
        else:
            dims.append(x if y == 1 else y if x == 1 else None)
    if big.shape[1:2] == (DYNAMIC,):
        _check_rows(op_name, a, b, big, small, pad == 0)
    return tuple(dims)


def _result_rows(a: Tensor, b: Tensor, dims: tuple[Dim, ...]) -> Tensor | None:
    """The operand whose partition the result keeps (same rank, known rows)."""
    for t in (a, b):
        if t.kind == "ragged" and t.shape is not None and len(t.shape) == len(dims) and \
                rows_of(t) is not None:
            return t
    return None


COMPARE = ("operator.gt", "operator.lt", "operator.ge", "operator.le", "tf.greater",
           "tf.less", "tf.greater_equal", "tf.less_equal", "tf.math.greater",
           "tf.math.less", "tf.math.greater_equal", "tf.math.less_equal", "tf.equal",
           "tf.not_equal", "tf.math.equal", "tf.math.not_equal")
ARITH = ("operator.add", "operator.sub", "operator.mul", "operator.truediv",
         "operator.floordiv", "operator.mod", "operator.pow", "tf.add", "tf.math.add",
         "tf.subtract", "tf.math.subtract", "tf.multiply", "tf.math.multiply", "tf.divide",
         "tf.math.divide", "tf.maximum", "tf.math.maximum", "tf.minimum", "tf.math.minimum",
         "tf.math.floordiv", "tf.pow", "tf.math.pow", "tf.math.truediv", "tf.truediv")


@op(*(C + n for n in ARITH + COMPARE))
def elementwise(call: Call) -> Value:
    a, b = _operand(call.arg(0, "x")), _operand(call.arg(1, "y"))
    if a is None or b is None:
        return UNKNOWN
    if "sparse" in (a.kind, b.kind):
        return scaled(call)
    dims = broadcast(short(call), a, b)
    if dims is None:
        return UNKNOWN
    dtypes = {t.dtype for t in (a, b) if t.origin != "literal"} or {a.dtype}
    dtype = dtypes.pop() if len(dtypes) == 1 else None
    if call.name[len(C):] in COMPARE:
        dtype = "bool"
    elif call.name.endswith("truediv") and dtype in ("int32", "int64"):
        dtype = "float64"
    keep = _result_rows(a, b, dims)
    rows = rows_of(keep) if keep is not None else None
    flat = flat_of(keep) if keep is not None else None
    if flat is not None and dims[len(rows or ()) + 1:] != (flat.shape or ())[1:]:
        rows, flat = None, None  # inner dims broadcast: the flat values grow
    return make(dims, dtype, rows, Tensor(flat.shape, dtype) if flat else None, "ragged op")
