"""Ragged results of elementwise maps, reductions, concat/stack, lookups and string ops
(``composite:<name>`` for a ragged operand; ``tf.ragged.range`` and ``tf.strings.split``,
which make ragged values from dense ones). Shapes as TF 2.21 gives them."""

from __future__ import annotations

from ..domain.shapes import DYNAMIC, Dim
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, to_axes, to_dtype, to_int, to_tensor
from .registry import op
from .tf_ragged import C, flat_of, make, ragged_rank, rows_of, short
from .tf_sparse import same_shape

SAME_DTYPE = ("tf.abs", "tf.math.abs", "tf.negative", "tf.math.negative", "tf.square",
              "tf.math.square", "tf.sqrt", "tf.math.sqrt", "tf.exp", "tf.math.exp",
              "tf.math.log", "tf.math.log1p", "tf.sin", "tf.math.sin", "tf.cos", "tf.math.cos",
              "tf.tanh", "tf.math.tanh", "tf.nn.relu", "tf.sigmoid", "tf.math.sigmoid",
              "tf.round", "tf.math.round", "tf.floor", "tf.math.floor", "tf.math.ceil",
              "tf.sign", "tf.math.sign", "tf.identity", "tf.ones_like", "tf.zeros_like",
              "tf.strings.lower", "tf.strings.upper", "tf.strings.strip", "tf.reverse")
HASHES = ("tf.strings.to_hash_bucket_fast", "tf.strings.to_hash_bucket",
          "tf.strings.to_hash_bucket_strong")
BOOLS = ("tf.math.is_nan", "tf.math.is_inf", "tf.math.is_finite", "tf.math.logical_not",
         "tf.logical_not")


def _ragged(v: Value) -> Tensor | None:
    return v if isinstance(v, Tensor) and v.kind == "ragged" and v.shape is not None else None


def _mapped(rt: Tensor, dtype: str | None) -> Tensor:
    """The same partition over new flat values of ``dtype``."""
    flat = flat_of(rt)
    return make(rt.shape, dtype, rows_of(rt), Tensor(flat.shape, dtype) if flat else None,
                "ragged op")


@op(*(C + n for n in SAME_DTYPE + HASHES + BOOLS + ("tf.cast", "tf.strings.length",
                                                     "tf.strings.to_number")))
def unary(call: Call) -> Value:
    rt = _ragged(call.arg(0, None))
    leaf = call.name[len(C):]
    first = call.arg(0, None)
    if isinstance(first, Tensor) and first.kind == "sparse" and \
            leaf in ("tf.cast", "tf.abs", "tf.math.abs"):
        return same_shape(call)
    if rt is None:
        return UNKNOWN
    dtype = rt.dtype
    if leaf in HASHES:
        dtype = "int64"
    elif leaf in BOOLS:
        dtype = "bool"
    elif leaf == "tf.cast":
        dtype = to_dtype(call.arg(1, "dtype"))
    elif leaf == "tf.strings.length":
        dtype = "int32"
    elif leaf == "tf.strings.to_number":
        dtype = call.dtype_arg(1, "out_type", "float32")
    return _mapped(rt, dtype)


REDUCE = ("tf.reduce_sum", "tf.math.reduce_sum", "tf.reduce_mean", "tf.math.reduce_mean",
          "tf.reduce_max", "tf.math.reduce_max", "tf.reduce_min", "tf.math.reduce_min",
          "tf.reduce_prod", "tf.math.reduce_prod", "tf.reduce_any", "tf.math.reduce_any",
          "tf.reduce_all", "tf.math.reduce_all")


@op(*(C + n for n in REDUCE))
def reduce(call: Call) -> Value:
    """A reduction over axis 1 of a once-partitioned ragged tensor is dense (one value per
    row), over an inner uniform axis stays ragged; over everything, a scalar."""
    rt = _ragged(call.arg(0, "input_tensor"))
    if rt is None or rt.shape is None or call.flag(2, "keepdims") is not False:
        return UNKNOWN
    leaf = call.name[len(C):]
    dtype = rt.dtype
    if "mean" in leaf and dtype not in ("float16", "float32", "float64"):
        dtype = None  # TF's ragged mean of ints is float64: not claimed
    axis_v = call.arg(1, "axis", Const(None))
    if axis_v == Const(None):
        return Tensor((), dtype)
    axes = to_axes(axis_v)
    rank = ragged_rank(rt)
    n = len(rt.shape)
    if axes is None or len(axes) != 1 or rank != 1 or not -n <= axes[0] < n:
        return UNKNOWN
    axis = axes[0] % n
    if axis == 0:
        return UNKNOWN
    if axis == 1:
        return Tensor((rt.shape[0], *rt.shape[2:]), dtype)
    dims = rt.shape[:axis] + rt.shape[axis + 1:]
    rows = rows_of(rt)
    flat = flat_of(rt)
    flat_dims = flat.shape[:axis - 1] + flat.shape[axis:] if flat and flat.shape else None
    return make(dims, dtype, rows, Tensor(flat_dims, dtype) if flat_dims else None)


def _items(v: Value) -> list[Tensor] | None:
    if not isinstance(v, Seq) or not v.items:
        return None
    items = [to_tensor(i) for i in v.items]
    if any(t is None or t.shape is None or t.kind == "sparse" for t in items):
        return None
    return [t for t in items if t is not None]


@op(C + "tf.concat")
def concat(call: Call) -> Value:
    """Axis 0 stacks the rows (``(6, None)``); axis 1 joins each row's values
    (``(3, None)``), dense operands included."""
    items = _items(call.arg(0, "values"))
    axis = to_int(call.arg(1, "axis", Const(0)))
    if items is None or axis is None:
        return UNKNOWN
    ranks = {len(t.shape or ()) for t in items}
    if len(ranks) != 1:
        return UNKNOWN
    rank = ranks.pop()
    if not -rank <= axis < rank:
        return UNKNOWN
    axis %= rank
    dtypes = {t.dtype for t in items}
    dtype = dtypes.pop() if len(dtypes) == 1 else None
    shapes: list[tuple[Dim, ...]] = [t.shape for t in items if t.shape is not None]
    if axis == 0:
        sizes = [s[0] for s in shapes]
        total = sum(d for d in sizes if isinstance(d, int)) \
            if all(isinstance(d, int) for d in sizes) else None
        ranks = [ragged_rank(t) for t in items if t.kind == "ragged"]
        if any(r is None for r in ranks):
            return UNKNOWN
        parted = max(r for r in ranks if r is not None)  # TF: (8, None) for two (4, 6)
        rest = tuple(DYNAMIC if i <= parted else _same(s[i] for s in shapes)
                     for i in range(1, rank))
        return make((total, *rest), dtype, origin="tf.concat")
    if axis != 1 or rank < 2:
        return UNKNOWN
    first = _same(s[0] for s in shapes)
    rest = tuple(_same(s[i] for s in shapes) for i in range(2, rank))
    return make((first, DYNAMIC, *rest), dtype, origin="tf.concat")


def _same(dims: object) -> Dim:
    """One size all operands agree on; DYNAMIC if any is ragged there; else unknown."""
    seen = list(dims)  # type: ignore[call-overload]
    if DYNAMIC in seen:
        return DYNAMIC
    return seen[0] if seen and all(d == seen[0] and isinstance(d, int) for d in seen) \
        else None


@op(C + "tf.stack", "tf.ragged.stack", C + "tf.ragged.stack")
def stack(call: Call) -> Value:
    """TF gives the stacked axis and every axis behind it None: stacking two ``(3, None)``
    on axis 0 is ``(2, None, None)``, on axis 1 ``(3, None, None)``."""
    items = _items(call.arg(0, "values"))
    axis = to_int(call.arg(1, "axis", Const(0)))
    if items is None or axis is None or not any(t.kind == "ragged" for t in items):
        return UNKNOWN
    ranks = {len(t.shape or ()) for t in items}
    if ranks != {2} or axis not in (0, 1, -1, -2, -3, 2):
        return UNKNOWN
    dtypes = {t.dtype for t in items}
    dtype = dtypes.pop() if len(dtypes) == 1 else None
    if axis in (0, -3):
        return make((len(items), DYNAMIC, DYNAMIC), dtype, origin="tf.stack")
    if axis in (1, -2):
        return make((_same(t.shape[0] for t in items if t.shape), DYNAMIC, DYNAMIC), dtype,
                    origin="tf.stack")
    return UNKNOWN


@op(C + "tf.nn.embedding_lookup", C + "tf.gather")
def embedding_lookup(call: Call) -> Value:
    """Ragged ids pick rows of a dense table: the ids' partition over the table's rows."""
    params = to_tensor(call.arg(0, "params"))
    ids = _ragged(call.arg(1, "ids" if call.name.endswith("lookup") else "indices"))
    if params is None or ids is None or params.kind == "ragged" or params.shape is None or \
            not params.shape or (call.name.endswith("gather") and call.has(2, "axis")):
        return UNKNOWN
    inner = params.shape[1:]
    assert ids.shape is not None
    flat = flat_of(ids)
    new_flat = Tensor((*flat.shape, *inner), params.dtype) if flat and flat.shape else None
    return make((*ids.shape, *inner), params.dtype, rows_of(ids), new_flat, short(call))


@op(C + "tf.strings.join")
def strings_join(call: Call) -> Value:
    items = _items(call.arg(0, "inputs"))
    ragged = [t for t in (items or ()) if t.kind == "ragged"]
    if not ragged:
        return UNKNOWN
    shapes = {t.shape for t in ragged}
    if len(shapes) != 1 or any(len(t.shape or ()) != len(ragged[0].shape or ())
                               for t in items or ()):
        return UNKNOWN
    return _mapped(ragged[0], "string")


@op("tf.ragged.range", C + "tf.ragged.range")
def ragged_range(call: Call) -> Value:
    """One row per start (a scalar start is one row); lengths known from literal bounds."""
    starts = call.arg(0, "starts")
    limits = call.arg(1, "limits", Const(None))
    deltas = call.arg(2, "deltas", Const(1))
    values = [to_tensor(v) for v in (starts, limits, deltas) if v != Const(None)]
    if any(t is None or t.shape is None for t in values):
        return UNKNOWN
    ranks = [len(t.shape or ()) for t in values if t is not None]
    if max(ranks) > 1:
        return UNKNOWN
    sizes = {t.shape[0] for t in values if t is not None and t.shape}
    n: Dim = 1 if not sizes else (sizes.pop() if len(sizes) == 1 else None)
    dtype = call.dtype_arg(3, "dtype", _range_dtype(values))
    return make((n, DYNAMIC), dtype, origin="tf.ragged.range")


def _range_dtype(values: list[Tensor | None]) -> str | None:
    dtypes = {t.dtype for t in values if t is not None}
    return "int32" if dtypes == {"int32"} else None


@op("tf.strings.split", C + "tf.strings.split")
def strings_split(call: Call) -> Value:
    """A string tensor of rank k becomes a ragged tensor of rank k + 1 (a scalar: a vector
    of as many tokens as it has)."""
    t = to_tensor(call.arg(0, "input"))
    if t is None or t.shape is None or t.kind in ("ragged", "sparse") or \
            t.dtype not in ("string", None):
        return UNKNOWN
    if not t.shape:
        return Tensor((None,), "string", origin="tf.strings.split")
    return make((*t.shape, DYNAMIC), "string", origin="tf.strings.split")
