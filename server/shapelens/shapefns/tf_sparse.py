"""``tf.SparseTensor`` and ``tf.sparse.*``, as TF 2.21 computes their shapes.

A sparse value is a ``Tensor`` of kind ``"sparse"`` whose shape is its ``dense_shape`` (what
``st.shape`` prints); ``parts`` holds its ``indices`` ``(N, rank)`` and ``values`` ``(N,)``
tensors. Ops with a sparse operand reach this module as ``composite:<name>``
(``core/overlays/composite.py``). Findings (SL122) are the shape checks TF makes: the
constructor's (indices, values and dense_shape must agree: ``ValueError``), and the kernels'
of ``tf.sparse.add``, ``sparse_dense_matmul`` and ``tf.sparse.reshape``.
"""

from __future__ import annotations

from ..domain.shapes import Dim, num_elements
from ..domain.values import UNKNOWN, Const, Ref, Seq, Tensor, Value
from ._common import Call, ShapeError, to_axes, to_dims, to_int, to_tensor
from .registry import op
from .tf_ragged import C, in_graph, short


def sparse(shape: tuple[Dim, ...], dtype: str | None, count: Dim = None,
           origin: str | None = None, index_values: tuple[Dim, ...] | None = None) -> Tensor:
    """A sparse tensor of ``count`` stored values (unknown: None); ``index_values``: its
    indices row by row, when they are literal."""
    indices = Tensor((count, len(shape)), "int64", content=index_values)
    return Tensor(shape, dtype, "sparse", origin=origin,
                  parts=(indices, Tensor((count,), dtype)))


def _sp(call: Call, pos: int, name: str) -> Tensor | None:
    t = call.arg(pos, name)
    return t if isinstance(t, Tensor) and t.kind == "sparse" and t.shape is not None else None


def _count(t: Tensor) -> Dim:
    return t.parts[1].shape[0] if t.parts and t.parts[1].shape else None


def _error(call: Call, text: str, runtime: bool = True) -> ShapeError:
    """A kernel's check (``runtime``: pruned with an unused op in a tf.function), or the
    constructor's static one."""
    return ShapeError("SL122", f"{short(call)}: {text}", runtime=runtime)


@op("tf.sparse.SparseTensor", "tf.SparseTensor", C + "tf.sparse.SparseTensor",
    C + "tf.SparseTensor")
def sparse_tensor(call: Call) -> Value:
    """The constructor's static checks: values a vector, one index row per value, one index
    column per dimension of ``dense_shape``."""
    indices = to_tensor(call.arg(0, "indices"))
    vals = to_tensor(call.arg(1, "values"))
    shape_v = call.arg(2, "dense_shape")
    dims = to_dims(shape_v) if isinstance(shape_v, Seq | Tensor) else None
    if vals is not None and vals.shape is not None and len(vals.shape) != 1:
        raise _error(call, f"values must be a vector but has shape {tuple(vals.shape)} "
                     f"(TF: Shape {tuple(vals.shape)} must have rank 1)", runtime=False)
    ishape = indices.shape if indices is not None and indices.shape is not None and \
        len(indices.shape) == 2 else None
    count = vals.shape[0] if vals is not None and vals.shape else None
    if ishape is not None:
        for mine, theirs in ((ishape[0], count), (ishape[1], len(dims) if dims else None)):
            if isinstance(mine, int) and isinstance(theirs, int) and mine != theirs:
                what = "values" if theirs == count else "dense_shape dimensions"
                raise _error(call, f"indices has shape {tuple(ishape)} but there are "
                             f"{theirs} {what} (TF: Dimensions {mine} and {theirs} are not "
                             "compatible)", runtime=False)
    if dims is None:
        return UNKNOWN
    dtype = vals.dtype if vals is not None else None
    literal = indices.content if indices is not None and ishape is not None and \
        ishape[1] == len(dims) else None
    return sparse(tuple(d if isinstance(d, int) and d >= 0 else None for d in dims), dtype,
                  count, "tf.SparseTensor", literal)


def _check_indices(call: Call, st: Tensor) -> None:
    """``tf.sparse.to_dense`` checks the index values: inside the dense shape always, in
    row-major order without repeats when ``validate_indices`` (the default)."""
    content = st.parts[0].content if st.parts else None
    shape = st.shape or ()
    if not content or not shape or not all(isinstance(d, int) for d in (*content, *shape)):
        return
    rank = len(shape)
    rows = [tuple(content[i:i + rank]) for i in range(0, len(content), rank)]
    for i, row in enumerate(rows):
        if any(not 0 <= v < d for v, d in zip(row, shape)):  # type: ignore[operator]
            raise _error(call, f"index {list(row)} is outside the dense shape "
                         f"{tuple(shape)} (TF: indices[{i}] = {list(row)} is out of bounds)")
    if call.flag(2, "validate_indices", True) is not True:
        return
    for i in range(1, len(rows)):
        if rows[i] <= rows[i - 1]:  # type: ignore[operator]
            what = "repeated" if rows[i] == rows[i - 1] else "out of order"
            raise _error(call, f"index {list(rows[i])} is {what} (TF: indices[{i}] = "
                         f"{list(rows[i])} is {what}; tf.sparse.reorder sorts them)")


@op(C + "Tensor.indices@")
def indices_attr(call: Call) -> Value:
    st = _sp(call, 0, "self")
    return st.parts[0] if st is not None and st.parts else UNKNOWN


def values_attr(t: Tensor) -> Value:
    """``st.values`` (``rt.values`` is tf_ragged_ops', which calls this for a sparse one)."""
    return t.parts[1] if t.parts else UNKNOWN


@op(C + "Tensor.dense_shape@")
def dense_shape_attr(call: Call) -> Value:
    st = _sp(call, 0, "self")
    if st is None or st.shape is None:
        return UNKNOWN
    known = all(isinstance(d, int) for d in st.shape)
    return Tensor((len(st.shape),), "int64", content=st.shape if known else None)


@op(C + "tf.sparse.to_dense", C + "tf.sparse.reorder", C + "tf.sparse.retain",
    C + "tf.sparse.softmax", C + "tf.sparse.minimum", C + "tf.sparse.maximum",
    C + "tf.sparse.to_indicator")
def same_shape(call: Call) -> Value:
    """Ops that keep the dense shape (``to_dense`` as a dense tensor; ``tf.cast`` and
    ``tf.abs`` of a sparse operand come here from tf_ragged_math's ``unary``)."""
    st = _sp(call, 0, "sp_input")
    if st is None or st.shape is None:
        return UNKNOWN
    leaf = call.name[len(C):]
    if leaf == "tf.sparse.to_dense":
        _check_indices(call, st)
        return Tensor(st.shape, st.dtype, origin="tf.sparse.to_dense")
    if leaf == "tf.sparse.to_indicator":
        return Tensor((*st.shape[:-1], to_int(call.arg(1, "vocab_size"))), "bool")
    dtype = call.dtype_arg(1, "dtype") if leaf == "tf.cast" else st.dtype
    keep = leaf in ("tf.sparse.reorder", "tf.sparse.softmax", "tf.cast", "tf.abs",
                    "tf.math.abs")
    return sparse(st.shape, dtype, _count(st) if keep else None, leaf)


@op("tf.sparse.from_dense", C + "tf.sparse.from_dense")
def from_dense(call: Call) -> Value:
    t = to_tensor(call.arg(0, "tensor"))
    if t is None or t.shape is None or t.kind in ("ragged", "sparse"):
        return UNKNOWN
    return sparse(t.shape, t.dtype, origin="tf.sparse.from_dense")


@op("tf.sparse.eye", C + "tf.sparse.eye")
def eye(call: Call) -> Value:
    rows = to_int(call.arg(0, "num_rows"))
    cols = call.arg(1, "num_columns", Const(None))
    columns = rows if cols == Const(None) else to_int(cols)
    return sparse((rows, columns), call.dtype_arg(2, "dtype", "float32"),
                  origin="tf.sparse.eye")


@op(C + "tf.sparse.add")
def add(call: Call) -> Value:
    """sparse + sparse is sparse, sparse + dense dense; no broadcasting either way."""
    a, b = to_tensor(call.arg(0, "a")), to_tensor(call.arg(1, "b"))
    if a is None or b is None or a.shape is None or b.shape is None or \
            "ragged" in (a.kind, b.kind):
        return UNKNOWN
    if len(a.shape) == len(b.shape):
        for i, (x, y) in enumerate(zip(a.shape, b.shape)):
            if isinstance(x, int) and isinstance(y, int) and x != y:
                raise _error(call, f"shapes {tuple(a.shape)} and {tuple(b.shape)} differ at "
                             f"dimension {i} (TF: no broadcasting in sparse add)")
    shape = a.shape if all(isinstance(d, int) for d in a.shape) else b.shape
    if a.kind == "sparse" and b.kind == "sparse":
        return sparse(shape, a.dtype if a.dtype == b.dtype else None, origin="tf.sparse.add")
    return Tensor(shape, a.dtype if a.dtype == b.dtype else None, origin="tf.sparse.add")


@op(C + "tf.sparse.sparse_dense_matmul", C + "tf.sparse.matmul")
def sparse_dense_matmul(call: Call) -> Value:
    a, b = to_tensor(call.arg(0, "sp_a")), to_tensor(call.arg(1, "b"))
    if a is None or b is None or a.shape is None or b.shape is None or \
            len(a.shape) != 2 or len(b.shape) != 2 or "ragged" in (a.kind, b.kind):
        return UNKNOWN
    adj_a, adj_b = call.flag(2, "adjoint_a"), call.flag(3, "adjoint_b")
    if adj_a is None or adj_b is None:
        return UNKNOWN
    m, k = a.shape[::-1] if adj_a else a.shape
    k2, n = b.shape[::-1] if adj_b else b.shape
    if isinstance(k, int) and isinstance(k2, int) and k != k2:
        raise _error(call, f"inner dimensions differ: {tuple(a.shape)} and {tuple(b.shape)} "
                     "(TF: Cannot multiply A and B because inner dimension does not match)")
    dtype = a.dtype if a.dtype == b.dtype else None
    return Tensor((m, n), dtype, origin="tf.sparse.sparse_dense_matmul")


@op(C + "tf.sparse.reshape")
def sparse_reshape(call: Call) -> Value:
    st = _sp(call, 0, "sp_input")
    shape_v = call.arg(1, "shape")
    dims = to_dims(shape_v) if isinstance(shape_v, Seq | Tensor) else None
    if st is None or st.shape is None or dims is None:
        return UNKNOWN
    total = num_elements(st.shape)
    known = [d for d in dims if isinstance(d, int) and d != -1]
    if total is not None and len(known) == len(dims):
        product = num_elements(tuple(known))
        if product != total:
            raise _error(call, f"cannot reshape {tuple(st.shape)} ({total} values) into "
                         f"{tuple(dims)} (TF: Input to reshape is a tensor with {total} "
                         "dense values)")
    if dims.count(-1) == 1 and total is not None and len(known) == len(dims) - 1:
        rest = num_elements(tuple(known)) or 0
        if rest == 0 or total % rest:
            return UNKNOWN
        dims = tuple(total // rest if d == -1 else d for d in dims)
    return sparse(tuple(d if isinstance(d, int) and d >= 0 else None for d in dims), st.dtype,
                  _count(st), "tf.sparse.reshape")


@op(C + "tf.sparse.concat")
def sparse_concat(call: Call) -> Value:
    axis = to_int(call.arg(0, "axis"))
    items = call.arg(1, "sp_inputs")
    expand = call.flag(2, "expand_nonconcat_dims")
    if axis is None or not isinstance(items, Seq) or not items.items or expand is None:
        return UNKNOWN
    sts = [i for i in items.items if isinstance(i, Tensor) and i.kind == "sparse"]
    if len(sts) != len(items.items) or any(t.shape is None for t in sts):
        return UNKNOWN
    shapes = [t.shape or () for t in sts]
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes) or not -rank <= axis < rank:
        return UNKNOWN
    axis %= rank
    dims: list[Dim] = []
    for i in range(rank):
        column = [s[i] for s in shapes]
        ints = [d for d in column if isinstance(d, int)]
        if len(ints) != len(column):
            dims.append(None)
        elif i == axis:
            dims.append(sum(ints))
        elif expand:
            dims.append(max(ints))
        else:
            dims.append(ints[0] if len(set(ints)) == 1 else None)
    dtypes = {t.dtype for t in sts}
    return sparse(tuple(dims), dtypes.pop() if len(dtypes) == 1 else None,
                  origin="tf.sparse.concat")


@op(C + "tf.sparse.slice")
def sparse_slice(call: Call) -> Value:
    """Each size is clipped to the dense shape: ``max(0, min(start + size, dim) - start)``."""
    st = _sp(call, 0, "sp_input")
    start_v, size_v = call.arg(1, "start"), call.arg(2, "size")
    start = to_dims(start_v) if isinstance(start_v, Seq | Tensor) else None
    size = to_dims(size_v) if isinstance(size_v, Seq | Tensor) else None
    if st is None or st.shape is None or start is None or size is None or \
            not len(start) == len(size) == len(st.shape):
        return UNKNOWN
    dims: list[Dim] = []
    for d, s0, n in zip(st.shape, start, size):
        ok = isinstance(d, int) and isinstance(s0, int) and isinstance(n, int)
        dims.append(max(0, min(s0 + n, d) - s0) if ok else None)  # type: ignore[operator]
    if in_graph(call):
        dims = [None] * len(dims)  # TF: (None, None) in a tf.function
    return sparse(tuple(dims), st.dtype, origin="tf.sparse.slice")


@op(C + "tf.sparse.transpose")
def sparse_transpose(call: Call) -> Value:
    st = _sp(call, 0, "sp_input")
    if st is None or st.shape is None:
        return UNKNOWN
    perm_v = call.arg(1, "perm", Const(None))
    perm = tuple(reversed(range(len(st.shape)))) if perm_v == Const(None) else to_axes(perm_v)
    if perm is None or sorted(perm) != list(range(len(st.shape))):
        return UNKNOWN
    return sparse(tuple(st.shape[p] for p in perm), st.dtype, _count(st), "tf.sparse.transpose")


@op(C + "tf.sparse.expand_dims")
def sparse_expand_dims(call: Call) -> Value:
    st = _sp(call, 0, "sp_input")
    axis = to_int(call.arg(1, "axis", Const(0)))
    if st is None or st.shape is None or axis is None:
        return UNKNOWN
    n = len(st.shape) + 1
    if not -n <= axis < n:
        return UNKNOWN
    axis %= n
    rest = st.shape if not in_graph(call) else (None,) * len(st.shape)  # TF: (1, None, None)
    return sparse((*rest[:axis], 1, *rest[axis:]), st.dtype, _count(st),
                  "tf.sparse.expand_dims")


REDUCE = ("tf.sparse.reduce_sum", "tf.sparse.reduce_max", "tf.sparse.reduce_min",
          "tf.sparse.reduce_prod")


@op(*(C + n for n in REDUCE))
def sparse_reduce(call: Call) -> Value:
    st = _sp(call, 0, "sp_input")
    if st is None or st.shape is None:
        return UNKNOWN
    keep, as_sparse = call.flag(2, "keepdims"), call.flag(3, "output_is_sparse")
    axis_v = call.arg(1, "axis", Const(None))
    if keep is None or as_sparse is None:
        return UNKNOWN
    rank = len(st.shape)
    axes = tuple(range(rank)) if axis_v == Const(None) else to_axes(axis_v)
    if axes is None or any(not -rank <= a < rank for a in axes):
        return UNKNOWN
    gone = {a % rank for a in axes}
    dims = tuple(1 if i in gone else d for i, d in enumerate(st.shape) if keep or i not in gone)
    if as_sparse:
        return sparse(dims, st.dtype, origin=short(call))
    return Tensor(dims, st.dtype, origin=short(call))


@op(C + "tf.sparse.map_values")
def map_values(call: Call) -> Value:
    """The result has the sparse operand's shape (its values' dtype is the op's)."""
    st = next((a for a in [*call.args[1:], *call.kwargs.values()]
               if isinstance(a, Tensor) and a.kind == "sparse" and a.shape is not None), None)
    if st is None or st.shape is None:
        return UNKNOWN
    return sparse(st.shape, _mapped_dtype(call, st), _count(st), "tf.sparse.map_values")


KEEPS_DTYPE = ("tf.add", "tf.math.add", "tf.subtract", "tf.math.subtract", "tf.multiply",
               "tf.math.multiply", "tf.abs", "tf.math.abs", "tf.negative", "tf.math.negative",
               "tf.maximum", "tf.math.maximum", "tf.minimum", "tf.math.minimum")


def _mapped_dtype(call: Call, st: Tensor) -> str | None:
    """The values' dtype after ``op``: kept by an arithmetic op whose other arguments are
    Python numbers of the values' kind (an int literal for ints, any number for floats)."""
    fn = call.arg(0, "op")
    others = [a for a in [*call.args[1:], *call.kwargs.values()] if a is not st]
    if not isinstance(fn, Ref) or fn.name not in KEEPS_DTYPE:
        return None
    floating = (st.dtype or "").startswith("float")
    ok = all(isinstance(a, Const) and isinstance(a.value, int | float) and
             not isinstance(a.value, bool) and (floating or isinstance(a.value, int))
             for a in others)
    return st.dtype if ok else None


def scaled(call: Call) -> Value:
    """``st * 2``, ``st / x`` (from tf_ragged_ops' ``elementwise``): a sparse result of the
    sparse operand's shape; ``st + 5`` is a TypeError TF raises, left silent."""
    a, b = call.arg(0, None), call.arg(1, None)
    if not call.name.endswith(("operator.mul", "operator.truediv")) or \
            not isinstance(a, Tensor) or a.kind != "sparse" or a.shape is None:
        return UNKNOWN
    other = to_tensor(b)
    if other is None or other.kind != "tensor" or other.shape is None or \
            len(other.shape) > len(a.shape):
        return UNKNOWN
    return sparse(a.shape, a.dtype, _count(a), "sparse op")
