"""``tf.RaggedTensor``: construction, attributes and methods (ops on ragged operands are in
``tf_ragged_ops.py``).

A ragged value is a ``Tensor`` of kind ``"ragged"`` whose ragged axes are ``DYNAMIC``, as TF
prints them (``tf.ragged.constant([[1, 2], [3]]).shape`` is ``(2, None)``). When the row
partition is known (literal row lengths, a ``tf.ragged.constant`` of a literal), ``parts``
holds the flat values and each ragged axis's row lengths as int tensors with ``content``:
``to_tensor()`` then has the bounding shape TF computes and a wrong partition is a finding.
Calls that take a ragged operand reach this module as ``composite:<name>``
(``core/overlays/composite.py``). Every shape here was checked against TF 2.21.
"""

from __future__ import annotations

import itertools

from ..domain.shapes import DYNAMIC, Dim, Shape
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, ShapeError, to_dims, to_int, to_tensor
from .registry import op

MAX_LENGTHS = 4096  # row lengths kept per value (memo keys stay small)
C = "composite:"
GRAPH = "__graph__"  # keyword the composite overlay adds inside a tf.function


SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%",
           "pow": "**", "gt": ">", "lt": "<", "ge": ">=", "le": "<="}


def short(call: Call) -> str:
    """The op as the user wrote it: ``tf.concat``, ``operator *`` (not its table name)."""
    name = call.name.removeprefix(C)
    leaf = name.removeprefix("operator.")
    return f"operator {SYMBOLS.get(leaf, leaf)}" if leaf != name else name


def in_graph(call: Call) -> bool:
    """Traced in a ``tf.function``: sizes TF computes from row partitions are not static."""
    return call.kwargs.get(GRAPH) == Const(True)


# ---------------------------------------------------------------- the representation

def lengths_tensor(lengths: tuple[int, ...]) -> Tensor:
    """Row lengths as TF returns them (``rt.row_lengths()``: int64), contents known."""
    return Tensor((len(lengths),), "int64", content=lengths)


def make(shape: Shape, dtype: str | None, rows: tuple[tuple[int, ...], ...] | None = None,
         flat: Tensor | None = None, origin: str | None = None) -> Tensor:
    """A ragged tensor; ``rows`` (each ragged axis's lengths) kept when small enough."""
    parts = None
    if rows is not None and flat is not None and sum(map(len, rows)) <= MAX_LENGTHS:
        parts = (flat, *(lengths_tensor(r) for r in rows))
    return Tensor(shape, dtype, "ragged", origin=origin, parts=parts)


def rows_of(t: Tensor) -> tuple[tuple[int, ...], ...] | None:
    """The row lengths of each ragged axis, outermost first, when all are known."""
    if t.kind != "ragged" or not t.parts:
        return None
    rows = []
    for part in t.parts[1:]:
        if part.content is None or not all(isinstance(n, int) for n in part.content):
            return None
        rows.append(tuple(n for n in part.content if isinstance(n, int)))
    return tuple(rows)


def flat_of(t: Tensor) -> Tensor | None:
    return t.parts[0] if t.kind == "ragged" and t.parts else None


def ragged_rank(t: Tensor) -> int | None:
    """The number of partitioned axes: from ``parts``, else the leading ``DYNAMIC`` axes."""
    if t.kind != "ragged":
        return 0
    if t.parts:
        return len(t.parts) - 1
    if t.shape is None:
        return None
    k = 0
    while k + 1 < len(t.shape) and t.shape[k + 1] is DYNAMIC:
        k += 1
    rest = t.shape[k + 1:]
    return k if k and DYNAMIC not in rest else None


def bounding(t: Tensor) -> tuple[Dim, ...] | None:
    """``rt.bounding_shape()``: each ragged axis's longest row (0 for none), known dims as
    they are; None where unknown."""
    if t.shape is None:
        return None
    rows = rows_of(t)
    dims: list[Dim] = []
    for i, d in enumerate(t.shape):
        if rows is not None and 1 <= i <= len(rows):
            dims.append(max(rows[i - 1], default=0))
        else:
            dims.append(None if d is DYNAMIC else d)
    return tuple(dims)


def nrows(t: Tensor) -> Dim:
    return t.shape[0] if t.shape else None


def _tensor(v: Value) -> Tensor | None:
    t = to_tensor(v)
    return t if t is not None and t.shape is not None else None


def _ints(v: Value) -> tuple[int, ...] | None:
    """A 1-D int argument whose every value is known (row lengths, splits)."""
    dims = to_dims(v) if isinstance(v, Seq | Tensor) else None
    if dims is None or not all(isinstance(d, int) for d in dims):
        return None
    if isinstance(v, Tensor) and v.content is None:
        return None
    return tuple(d for d in dims if isinstance(d, int))


def _count(v: Value) -> Dim:
    """The length of a 1-D argument (its values may be unknown)."""
    if isinstance(v, Seq):
        return len(v.items)
    t = _tensor(v)
    return t.shape[0] if t is not None and t.shape and len(t.shape) == 1 else None


# ---------------------------------------------------------------- tf.ragged.constant

def _depths(v: Value, depth: int, scalars: set[int], lists: list[int]) -> bool:
    """Collect the depths of scalars and of lists; False for a value that is neither."""
    if isinstance(v, Seq) and v.kind in ("list", "tuple"):
        lists.append(depth)
        return all(_depths(i, depth + 1, scalars, lists) for i in v.items)
    if isinstance(v, Const) and v.value is not None:
        scalars.add(depth)
        return True
    return False


def _level(items: list[Value]) -> list[Value]:
    return [i for v in items if isinstance(v, Seq) for i in v.items]


def _leaf_dtype(v: Value, found: set[str]) -> None:
    if isinstance(v, Seq):
        for i in v.items:
            _leaf_dtype(i, found)
    elif isinstance(v, Const):
        x = v.value
        found.add("bool" if isinstance(x, bool) else "int32" if isinstance(x, int) else
                  "float32" if isinstance(x, float) else "string" if isinstance(x, str) else "?")


def _literal_dtype(pylist: Value) -> str | None:
    found: set[str] = set()
    _leaf_dtype(pylist, found)
    if not found:
        return "float32"
    if found <= {"int32", "float32"}:
        return "float32" if "float32" in found else "int32"
    return next(iter(found)) if len(found) == 1 and "?" not in found else None


@op("tf.ragged.constant", C + "tf.ragged.constant")
def ragged_constant(call: Call) -> Value:
    """Nesting depth K: ``ragged_rank`` defaults to K - 1; the levels below it must be
    uniform (the inner shape). A flat list or scalar is a dense tensor."""
    pylist = call.arg(0, "pylist")
    if call.has(3, "inner_shape") and call.arg(3, "inner_shape") != Const(None):
        return UNKNOWN
    scalars: set[int] = set()
    lists: list[int] = []
    if not _depths(pylist, 0, scalars, lists) or len(scalars) > 1:
        return UNKNOWN  # not a literal, or mixed nesting depths (TF's ValueError)
    depth = next(iter(scalars)) if scalars else max(lists, default=-1) + 1
    if _literal_dtype(pylist) is None and not call.has(1, "dtype"):
        return UNKNOWN  # strings mixed with numbers: TF's ValueError
    dtype = call.dtype_arg(1, "dtype", _literal_dtype(pylist))
    given = to_int(call.arg(2, "ragged_rank"))
    rank = given if given is not None else max(0, depth - 1)
    if depth <= 1 or not 0 < rank < depth:
        dense = to_tensor(pylist) if rank == 0 and depth <= 1 else None
        return Tensor(dense.shape, dtype, origin="tf.ragged.constant") if dense else UNKNOWN
    assert isinstance(pylist, Seq)
    level: list[Value] = list(pylist.items)
    rows: list[tuple[int, ...]] = []
    for _ in range(rank):
        rows.append(tuple(len(v.items) for v in level if isinstance(v, Seq)))
        level = _level(level)
    inner: list[Dim] = []
    for _ in range(depth - rank - 1):
        sizes = {len(v.items) for v in level if isinstance(v, Seq)}
        if len(sizes) > 1:
            return UNKNOWN  # non-uniform below ragged_rank: TF's ValueError
        inner.append(sizes.pop() if sizes else None)
        level = _level(level)
    flat_n = sum(rows[-1])
    shape = (len(pylist.items), *(DYNAMIC,) * rank, *inner)
    return make(shape, dtype, tuple(rows), Tensor((flat_n, *inner), dtype), "tf.ragged.constant")


# ---------------------------------------------------------------- factory methods

def _from_lengths(values: Value, lengths: tuple[int, ...] | None, n: Dim, call: Call,
                  what: str) -> Value:
    """A ragged tensor of ``n`` rows over ``values``; a proven sum mismatch is TF's
    InvalidArgumentError (the partition must cover the values exactly)."""
    vals = _tensor(values)
    if vals is None or not vals.shape:
        return UNKNOWN
    nvals = vals.shape[0]
    if lengths is not None and isinstance(nvals, int) and sum(lengths) != nvals:
        raise ShapeError("SL121", f"{short(call)}: the {what} cover {sum(lengths)} values but "
                         f"values has {nvals} (TF: Arguments do not form a valid RaggedTensor)",
                         runtime=True)
    inner_rows = rows_of(vals) if vals.kind == "ragged" else ()
    flat = flat_of(vals) if vals.kind == "ragged" else vals
    rows = (lengths, *inner_rows) if lengths is not None and inner_rows is not None else None
    return make((n, DYNAMIC, *vals.shape[1:]), vals.dtype, rows, flat, short(call))


@op("tf.RaggedTensor.from_row_lengths", C + "tf.RaggedTensor.from_row_lengths")
def from_row_lengths(call: Call) -> Value:
    lengths_v = call.arg(1, "row_lengths")
    return _from_lengths(call.arg(0, "values"), _ints(lengths_v), _count(lengths_v), call,
                         "row lengths")


@op("tf.RaggedTensor.from_row_splits", C + "tf.RaggedTensor.from_row_splits")
def from_row_splits(call: Call) -> Value:
    splits_v = call.arg(1, "row_splits")
    splits = _ints(splits_v)
    count = _count(splits_v)
    n = count - 1 if isinstance(count, int) and count > 0 else None
    lengths = None
    if splits:
        if splits[0] != 0:
            raise ShapeError("SL121", f"{short(call)}: row_splits must start at 0, not "
                             f"{splits[0]} (TF: Arguments do not form a valid RaggedTensor)",
                             runtime=True)
        diffs = tuple(b - a for a, b in itertools.pairwise(splits))
        lengths = diffs if all(d >= 0 for d in diffs) else None
    return _from_lengths(call.arg(0, "values"), lengths, n, call, "row splits")


@op("tf.RaggedTensor.from_value_rowids", C + "tf.RaggedTensor.from_value_rowids")
def from_value_rowids(call: Call) -> Value:
    vals = _tensor(call.arg(0, "values"))
    ids_v = call.arg(1, "value_rowids")
    ids = _ints(ids_v)
    count = _count(ids_v)
    if vals is None or not vals.shape:
        return UNKNOWN
    if isinstance(count, int) and isinstance(vals.shape[0], int) and count != vals.shape[0]:
        raise ShapeError("SL121", f"{short(call)}: value_rowids has {count} entries but values "
                         f"has {vals.shape[0]} (TF: Shapes ({vals.shape[0]},) and ({count},) "
                         "are incompatible)")
    n = to_int(call.arg(2, "nrows"))
    if n is None and call.has(2, "nrows"):
        return make((None, DYNAMIC, *vals.shape[1:]), vals.dtype, origin=short(call))
    lengths = None
    if ids is not None and list(ids) == sorted(ids) and all(i >= 0 for i in ids):
        n = n if n is not None else (ids[-1] + 1 if ids else 0)
        lengths = tuple(ids.count(r) for r in range(n)) if n >= (ids[-1] + 1 if ids else 0) \
            else None
    return _from_lengths(vals, lengths, n, call, "value_rowids")


def _nested(call: Call, key: str, splits: bool) -> Value:
    """``from_nested_row_lengths``/``_splits``: the partitions applied innermost first."""
    nested = call.arg(1, key)
    if not isinstance(nested, Seq) or not nested.items:
        return UNKNOWN
    result: Value = call.arg(0, "flat_values")
    for part in reversed(nested.items):
        args = Call(call.name, [result, part])
        result = from_row_splits(args) if splits else from_row_lengths(args)
        if not isinstance(result, Tensor):
            return UNKNOWN
    return result


@op("tf.RaggedTensor.from_nested_row_lengths", C + "tf.RaggedTensor.from_nested_row_lengths")
def from_nested_row_lengths(call: Call) -> Value:
    return _nested(call, "nested_row_lengths", splits=False)


@op("tf.RaggedTensor.from_nested_row_splits", C + "tf.RaggedTensor.from_nested_row_splits")
def from_nested_row_splits(call: Call) -> Value:
    return _nested(call, "nested_row_splits", splits=True)


@op("tf.RaggedTensor.from_uniform_row_length",
    C + "tf.RaggedTensor.from_uniform_row_length")
def from_uniform_row_length(call: Call) -> Value:
    """Rows of one length: that axis is a known int in TF's static shape."""
    vals = _tensor(call.arg(0, "values"))
    width = to_int(call.arg(1, "uniform_row_length"))
    if vals is None or not vals.shape or width is None or width <= 0:
        return UNKNOWN
    nvals = vals.shape[0]
    n = nvals // width if isinstance(nvals, int) and nvals % width == 0 else None
    inner = rows_of(vals) if vals.kind == "ragged" else ()
    rows = ((width,) * n, *inner) if n is not None and inner is not None else None
    flat = flat_of(vals) if vals.kind == "ragged" else vals
    return make((n, width, *vals.shape[1:]), vals.dtype, rows, flat, short(call))


@op("tf.RaggedTensor.from_tensor", C + "tf.RaggedTensor.from_tensor")
def from_tensor(call: Call) -> Value:
    """Without ``lengths``/``padding`` every row is full: TF keeps the dims (``(3, 4, 5)``);
    with them the ragged axis is None."""
    t = _tensor(call.arg(0, "tensor"))
    rank = to_int(call.arg(3, "ragged_rank")) if call.has(3, "ragged_rank") else 1
    if t is None or t.kind not in ("tensor", "ndarray", "variable") or rank is None or \
            not 0 < rank < len(t.shape or ()):
        return UNKNOWN
    assert t.shape is not None
    lengths_v = call.arg(1, "lengths")
    padded = call.has(2, "padding") and not (isinstance(call.arg(2, "padding"), Const) and
                                             call.arg(2, "padding") == Const(None))
    given = call.has(1, "lengths") and lengths_v != Const(None)
    if given or padded:
        if rank != 1:
            return UNKNOWN
        lengths = _ints(lengths_v) if given else None
        flat = Tensor((sum(lengths), *t.shape[2:]), t.dtype) if lengths is not None else None
        rows = (lengths,) if lengths is not None else None
        return make((t.shape[0], DYNAMIC, *t.shape[2:]), t.dtype, rows, flat, short(call))
    dims = t.shape
    rows_list: list[tuple[int, ...]] = []
    outer = 1
    for i in range(rank):
        n, width = dims[i], dims[i + 1]
        if not isinstance(n, int) or not isinstance(width, int):
            return make(dims, t.dtype, origin=short(call))
        outer *= n
        rows_list.append((width,) * outer)
    last = dims[rank]
    flat = Tensor((outer * last if isinstance(last, int) else None, *dims[rank + 1:]), t.dtype)
    return make(dims, t.dtype, tuple(rows_list), flat, short(call))


@op("tf.RaggedTensor.from_sparse", C + "tf.RaggedTensor.from_sparse")
def from_sparse(call: Call) -> Value:
    st = call.tensor(0, "st_input")
    if st is None or st.kind != "sparse" or st.shape is None or len(st.shape) != 2:
        return UNKNOWN
    return make((st.shape[0], DYNAMIC), st.dtype, origin=short(call))
