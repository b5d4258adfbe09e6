"""Array manipulation: reshape, transpose, expand/squeeze, tile, pad, concat/stack, split,
shape/size/rank, cast, and their NumPy counterparts and ndarray methods."""

from __future__ import annotations

from itertools import pairwise

from ..core.shapes import (
    DYNAMIC,
    Count,
    Dim,
    dims_equal,
    format_list,
    merge_dim,
    normalize_axis,
    num_elements,
    static_only,
)
from ..core.values import UNKNOWN, Const, Seq, Tensor, Value
from ..structs import replace
from . import op
from ._common import (
    Call,
    ShapeError,
    shape_text,
    to_axes,
    to_dims,
    to_dtype,
    to_int,
    to_static_dims,
    to_tensor,
)


def _input(call: Call, name: str = "tensor") -> Tensor | None:
    return call.tensor(0, name if not call.numpy else "a")


def reshape_dims(t: Tensor, target: tuple[Dim, ...], op_name: str) -> tuple[Dim, ...]:
    """The result of reshaping ``t`` to ``target`` (with one -1), or ShapeError (SL101)."""
    wildcard = [i for i, d in enumerate(target) if d == -1]
    if len(wildcard) > 1:
        # Inside tf.function Grappler may fold the reshape and return a value (truth R6).
        raise ShapeError("SL101", f"{op_name}: only one dimension of the requested shape "
                         f"{format_list(target)} may be -1", eager_only=op_name.startswith("tf."))
    total = Count.of(t.shape) if t.shape is not None else None
    known = Count.of(d for d in target if d != -1)
    n_in = total.coef if total is not None and total.is_int else None
    if not wildcard:
        if total is not None and known is not None and total.is_int and known.is_int \
                and total.coef != known.coef:
            plural = "element" if total.coef == 1 else "elements"
            raise ShapeError("SL101", f"{op_name}: input {shape_text(t)} has {n_in} {plural} "
                             f"but shape {format_list(target)} needs {known.coef}")
        return target
    if total is None or known is None:
        return tuple(None if d == -1 else d for d in target)
    if known.coef == 0:  # e.g. [0, -1]: fine for an empty input, the -1 stays unknown
        if total.is_int and total.coef != 0:
            raise ShapeError("SL101", f"{op_name}: input {shape_text(t)} has {n_in} elements "
                             f"but shape {format_list(target)} holds none")
        return tuple(None if d == -1 else d for d in target)
    quotient = total.divide(known)
    if quotient is False:
        raise ShapeError("SL101", f"{op_name}: input {shape_text(t)} has {n_in} elements, "
                         f"not a multiple of the {known.coef} that shape "
                         f"{format_list(target)} requires")
    inferred: Dim = quotient if isinstance(quotient, int | str) and \
        not isinstance(quotient, bool) else None
    return tuple(inferred if d == -1 else d for d in target)


@op("tf.reshape", "np.reshape", "keras.ops.reshape")
def reshape(call: Call) -> Value:
    t = _input(call)
    shape_arg = call.arg(1, "shape")
    if call.numpy and not call.has(1, "shape"):
        shape_arg = call.arg(None, "newshape")
    target = to_dims(shape_arg)
    if t is None:
        return UNKNOWN
    if target is None:
        return call.result(None, t.dtype, call.name)
    return call.result(reshape_dims(t, target, call.name), t.dtype, call.name)


@op("ndarray.reshape")
def ndarray_reshape(call: Call) -> Value:
    t = call.tensor(0, None)
    rest = call.args[1:]
    if len(rest) == 1:
        target = to_dims(rest[0])
    elif "shape" in call.kwargs:
        target = to_dims(call.kwargs["shape"])
    else:
        target = to_dims(Seq(tuple(rest)))
    if t is None:
        return UNKNOWN
    if target is None:
        return call.result(None, t.dtype, call.name)
    return call.result(reshape_dims(t, target, "reshape"), t.dtype, call.name)


def transpose_dims(t: Tensor, perm: tuple[int, ...] | None, op_name: str) -> tuple[Dim, ...] \
        | None:
    if t.shape is None:
        return None
    rank = len(t.shape)
    if perm is None:
        return tuple(reversed(t.shape))
    if len(perm) != rank:
        raise ShapeError("SL106", f"{op_name}: perm {list(perm)} has {len(perm)} entries but "
                         f"the input {shape_text(t)} has rank {rank}")
    normalized = [normalize_axis(p, rank) for p in perm]
    for p, n in zip(perm, normalized):
        if n is None:
            raise ShapeError("SL106", f"{op_name}: perm entry {p} is out of range for input "
                             f"{shape_text(t)} of rank {rank}")
    if len(set(normalized)) != rank:
        missing = sorted(set(range(rank)) - set(normalized))  # type: ignore[arg-type]
        # TF's shape function lets a repeated axis through; only the kernel rejects it, so a
        # tf.function prunes an unused one (NumPy and keras.ops check in Python, always).
        raise ShapeError("SL106", f"{op_name}: perm {list(perm)} repeats an axis; axis "
                         f"{missing[0]} is missing (input {shape_text(t)})",
                         runtime=op_name.startswith("tf."))
    return tuple(t.shape[n] for n in normalized if n is not None)


@op("tf.transpose", "np.transpose", "keras.ops.transpose", "tf.linalg.matrix_transpose",
    "tf.linalg.transpose")
def transpose(call: Call) -> Value:
    t = call.tensor(0, "a")
    if t is None:
        return UNKNOWN
    if call.name.startswith("tf.linalg"):
        if t.shape is None or len(t.shape) < 2:
            return call.result(None, t.dtype, call.name)
        return call.result((*t.shape[:-2], t.shape[-1], t.shape[-2]), t.dtype, call.name)
    numpy_style = call.numpy or call.name.startswith("keras.ops.")  # both spell it axes=
    perm_arg = call.arg(1, "axes" if numpy_style else "perm", Const(None))
    perm = None
    if not (isinstance(perm_arg, Const) and perm_arg.value is None):
        perm = to_axes(perm_arg)
        if perm is None:
            unknown = None if t.shape is None else (None,) * len(t.shape)
            return call.result(unknown, t.dtype, call.name)
    return call.result(transpose_dims(t, perm, call.name), t.dtype, call.name)


@op("ndarray.transpose")
def ndarray_transpose(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    rest = call.args[1:]
    perm = to_axes(rest[0]) if len(rest) == 1 else to_axes(Seq(tuple(rest))) if rest else None
    if rest and perm is None:
        return call.result(None, t.dtype, call.name)
    return call.result(transpose_dims(t, perm, "transpose"), t.dtype, call.name)


@op("ndarray.T")
def ndarray_t(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    return call.result(transpose_dims(t, None, "T"), t.dtype, call.name)


@op("tf.expand_dims", "np.expand_dims", "keras.ops.expand_dims")
def expand_dims(call: Call) -> Value:
    t = _input(call, "input")
    axis_v = call.arg(1, "axis")
    axis = to_int(axis_v)
    if t is None:
        return UNKNOWN
    if (call.numpy or call.name.startswith("keras.ops.")) and isinstance(axis_v, Seq):
        return _expand_many(call, t, to_axes(axis_v))
    if t.shape is None or axis is None:
        return call.result(None if t.shape is None else (None,) * (len(t.shape) + 1)
                           if axis is None else None, t.dtype, call.name)
    rank = len(t.shape)
    if not -rank - 1 <= axis <= rank:
        raise ShapeError("SL105", f"{call.name}: axis {axis} is out of range for input "
                         f"{shape_text(t)}; valid axes are [{-rank - 1}, {rank}]")
    pos = axis if axis >= 0 else rank + 1 + axis
    shape = list(t.shape)
    shape.insert(pos, 1)
    return call.result(tuple(shape), t.dtype, call.name)


def _expand_many(call: Call, t: Tensor, axes: tuple[int, ...] | None) -> Value:
    """``np.expand_dims(a, (0, 2))``: the axes index the result."""
    if t.shape is None or axes is None:
        return call.result(None, t.dtype, call.name)
    out_rank = len(t.shape) + len(axes)
    picked = [normalize_axis(a, out_rank) for a in axes]
    for a, n in zip(axes, picked, strict=True):
        if n is None:
            raise ShapeError("SL105", f"{call.name}: axis {a} is out of range for the "
                             f"rank-{out_rank} result of expanding input {shape_text(t)}")
    if len(set(picked)) != len(picked):
        return call.result(None, t.dtype, call.name)
    rest = iter(t.shape)
    return call.result(tuple(1 if i in picked else next(rest) for i in range(out_rank)),
                       t.dtype, call.name)


@op("tf.squeeze", "np.squeeze", "keras.ops.squeeze", "ndarray.squeeze")
def squeeze(call: Call) -> Value:
    t = _input(call, "input")
    if t is None:
        return UNKNOWN
    axes_arg = call.arg(1, "axis")
    if t.shape is None:
        return call.result(None, t.dtype, call.name)
    rank = len(t.shape)
    if (isinstance(axes_arg, Const) and axes_arg.value is None) or not call.has(1, "axis"):
        if not all(isinstance(d, int) for d in t.shape):
            return call.result(None, t.dtype, call.name)
        return call.result(tuple(d for d in t.shape if d != 1), t.dtype, call.name)
    axes = to_axes(axes_arg)
    if axes is None:
        return call.result(None, t.dtype, call.name)
    picked = set()
    for a in axes:
        n = normalize_axis(a, rank)
        if n is None:
            raise ShapeError("SL105", f"{call.name}: axis {a} is out of range for input "
                             f"{shape_text(t)} of rank {rank}")
        d = t.shape[n]
        if isinstance(d, int) and d != 1:
            raise ShapeError("SL107", f"{call.name}: cannot squeeze axis {a} of input "
                             f"{shape_text(t)}: its size is {d}, not 1")
        picked.add(n)
    return call.result(tuple(d for i, d in enumerate(t.shape) if i not in picked), t.dtype,
                       call.name)


@op("tf.tile", "np.tile", "keras.ops.tile")
def tile(call: Call) -> Value:
    t = _input(call, "input")
    keras_ops = call.name.startswith("keras.ops.")  # NumPy's semantics, argument "repeats"
    reps = to_dims(call.arg(1, "repeats" if keras_ops else "reps" if call.numpy
                            else "multiples"))
    if t is None:
        return UNKNOWN
    if t.shape is None or reps is None:
        return call.result(None, t.dtype, call.name)
    shape = list(t.shape)
    if len(reps) != len(shape):
        if not (call.numpy or keras_ops):
            raise ShapeError("SL110", f"tf.tile: multiples {format_list(reps)} has length "
                             f"{len(reps)} but the input {shape_text(t)} has rank {len(shape)}")
        width = max(len(reps), len(shape))
        shape = [1] * (width - len(shape)) + shape
        reps = (1,) * (width - len(reps)) + reps
    out = tuple(d * r if isinstance(d, int) and isinstance(r, int) else None
                for d, r in zip(shape, reps))
    return call.result(out, t.dtype, call.name)


@op("tf.broadcast_to", "np.broadcast_to", "keras.ops.broadcast_to")
def broadcast_to(call: Call) -> Value:
    t = _input(call, "input" if not call.numpy else "array")
    target = to_dims(call.arg(1, "shape"))
    if t is None:
        return UNKNOWN
    if target is None or t.shape is None:
        return call.result(target, t.dtype, call.name)
    if len(t.shape) > len(target):
        raise ShapeError("SL110", f"{call.name}: cannot broadcast input {shape_text(t)} to "
                         f"the lower-rank shape {format_list(target)}")
    for d, g in zip(reversed(t.shape), reversed(target)):
        if isinstance(d, int) and isinstance(g, int) and d != 1 and d != g:
            raise ShapeError("SL110", f"{call.name}: cannot broadcast input {shape_text(t)} "
                             f"to shape {format_list(target)} ({d} vs {g})")
    return call.result(target, t.dtype, call.name)


def _pad_rows(paddings: Value, rank: int, numpy: bool) -> list[tuple[Dim, ...] | None] | None:
    """Per-axis (before, after) rows of a paddings argument; None when not known.

    NumPy also broadcasts ``n``, ``(n,)``, ``(before, after)`` and ``((before, after),)``.
    """
    if isinstance(paddings, Tensor):
        dims = paddings.content
        shape = paddings.shape
        if dims is None or shape is None or len(shape) != 2 or shape[1] != 2 or \
                not isinstance(shape[0], int):
            return None
        return [tuple(dims[2 * i:2 * i + 2]) for i in range(shape[0])]
    if numpy and (n := to_int(paddings)) is not None:
        rows: list[tuple[Dim, ...] | None] = [(n, n)] * rank
        return rows
    if not isinstance(paddings, Seq):
        return None
    if numpy and paddings.items and all(to_int(i) is not None for i in paddings.items):
        pair = to_dims(paddings)
        if pair is None or len(pair) > 2:
            return None
        return [pair * (3 - len(pair)) if len(pair) == 1 else pair] * rank
    rows = [to_dims(row) for row in paddings.items]
    if numpy and len(rows) == 1 and rank != 1:
        row = rows[0]
        return [row * 2 if row is not None and len(row) == 1 else row] * rank
    return rows


@op("tf.pad", "np.pad", "keras.ops.pad")
def pad(call: Call) -> Value:
    t = _input(call)
    paddings = call.arg(1, "paddings" if not call.numpy else "pad_width")
    if t is None:
        return UNKNOWN
    if t.shape is None:
        return call.result(None, t.dtype, call.name)
    rows = _pad_rows(paddings, len(t.shape), call.numpy)
    if rows is None:
        return call.result((None,) * len(t.shape), t.dtype, call.name)
    if not call.numpy and len(rows) != len(t.shape):
        raise ShapeError("SL110", f"tf.pad: paddings has {len(rows)} rows but the input "
                         f"{shape_text(t)} has rank {len(t.shape)}")
    if len(rows) != len(t.shape):
        return call.result((None,) * len(t.shape), t.dtype, call.name)
    out: list[Dim] = []
    for d, row in zip(t.shape, rows):
        if row is not None and len(row) == 2 and isinstance(d, int) and \
                all(isinstance(p, int) for p in row):
            out.append(d + sum(p for p in row if isinstance(p, int)))
        else:
            out.append(None)
    return call.result(tuple(out), t.dtype, call.name)


def _join_inputs(call: Call, stack: bool) -> Value:
    values = call.arg(0, "values" if not call.numpy else "arrays")
    axis_v = call.arg(1, "axis", Const(0))
    axis = to_int(axis_v)
    if not isinstance(values, Seq):
        return UNKNOWN
    tensors = [to_tensor(v, call.numpy) for v in values.items]
    known = [t for t in tensors if t is not None and t.shape is not None]
    dtypes = {t.dtype for t in tensors if t is not None}
    dtype = next(iter(dtypes)) if len(dtypes) == 1 else None
    if not call.numpy:  # TF converts literals to the tensors' dtype; tensors must agree
        tf_dtypes = [v.dtype for v in values.items
                     if isinstance(v, Tensor) and v.kind in ("tensor", "variable")]
        if tf_dtypes and None not in tf_dtypes:
            if len(set(tf_dtypes)) > 1:
                raise ShapeError("SL111", f"{call.name}: inputs have different dtypes "
                                 f"({', '.join(dict.fromkeys(str(d) for d in tf_dtypes))}); "
                                 "cast them to one dtype with tf.cast")
            dtype = tf_dtypes[0]
        elif stack and call.name == "tf.stack" and axis == 0 and dtype == "int64" and all(
                isinstance(v, Tensor) and v.kind == "ndarray" for v in values.items):
            # Its axis-0 fast path converts the list as nested Python data: ints -> int32.
            dtype = "int32"
    if len(known) != len(tensors) or not known or axis is None:
        return call.result(None, dtype, call.name)
    first = known[0]
    assert first.shape is not None
    rank = len(first.shape)
    name = call.name
    for i, t in enumerate(known[1:], start=1):
        assert t.shape is not None
        if len(t.shape) != rank:
            raise ShapeError("SL104", f"{name}: inputs have different ranks: "
                             f"{shape_text(first)} vs {shape_text(t)} (input {i})")
    out_rank = rank + 1 if stack else rank
    n_axis = normalize_axis(axis, out_rank)
    if n_axis is None:
        raise ShapeError("SL105", f"{name}: axis {axis} is out of range for inputs of rank "
                         f"{rank}; valid axes are [{-out_rank}, {out_rank})")
    shape = list(first.shape)
    for i, t in enumerate(known[1:], start=1):
        assert t.shape is not None
        for ax, (a, b) in enumerate(zip(shape, t.shape)):
            if not stack and ax == n_axis:
                continue
            if dims_equal(a, b) is False:
                what = "all inputs must have the same shape" if stack else \
                    f"dimension {ax} must match outside the concatenation axis {axis}"
                raise ShapeError("SL104", f"{name}: {what}: {shape_text(first)} vs "
                                 f"{shape_text(t)} (input {i})")
            shape[ax] = merge_dim(a, b)
    if stack:
        shape.insert(n_axis, len(known))
    else:
        sizes = [t.shape[n_axis] for t in known if t.shape is not None]
        shape[n_axis] = sum(s for s in sizes if isinstance(s, int)) \
            if all(isinstance(s, int) for s in sizes) else None
    return call.result(tuple(shape), dtype, call.name, content=_joined_content(known, n_axis))


def _joined_content(tensors: list[Tensor], axis: int) -> tuple[Dim, ...] | None:
    """Known int values of a concat/stack along ``axis`` (row-major), when all are small."""
    counts = [num_elements(t.shape) for t in tensors]
    if any(c is None or t.content is None or len(t.content) != c
           for t, c in zip(tensors, counts)) or sum(c or 0 for c in counts) > 256:
        return None
    outer = num_elements((tensors[0].shape or ())[:axis]) or 0
    out: list[Dim] = []
    for o in range(outer):
        for t, c in zip(tensors, counts):
            block = (c or 0) // outer
            out.extend((t.content or ())[o * block:(o + 1) * block])
    return tuple(out)


@op("tf.concat", "np.concatenate", "keras.ops.concatenate")
def concat(call: Call) -> Value:
    return _join_inputs(call, stack=False)


@op("tf.stack", "np.stack", "keras.ops.stack")
def stack(call: Call) -> Value:
    return _join_inputs(call, stack=True)


@op("tf.unstack")
def unstack(call: Call) -> Value:
    t = call.tensor(0, "value")
    axis = to_int(call.arg(2, "axis", Const(0)))
    if t is None or t.shape is None or axis is None:
        return UNKNOWN
    n_axis = normalize_axis(axis, len(t.shape))
    if n_axis is None:
        raise ShapeError("SL105", f"tf.unstack: axis {axis} is out of range for input "
                         f"{shape_text(t)}")
    count = t.shape[n_axis]
    if not isinstance(count, int) or count > 64:
        return UNKNOWN
    part = call.result(t.shape[:n_axis] + t.shape[n_axis + 1:], t.dtype, call.name)
    return Seq((part,) * count, "list")


@op("tf.split", "np.split", "np.array_split", "keras.ops.split")
def split(call: Call) -> Value:
    numpy_style = call.numpy or call.name.startswith("keras.ops.")  # split points, not sizes
    t = _input(call, "value" if not call.numpy else "ary")
    spec = call.arg(1, "indices_or_sections" if numpy_style else "num_or_size_splits")
    axis = to_int(call.arg(2, "axis", Const(0)))
    if t is None or t.shape is None or axis is None:
        return UNKNOWN
    n_axis = normalize_axis(axis, len(t.shape))
    if n_axis is None:
        raise ShapeError("SL105", f"{call.name}: axis {axis} is out of range for input "
                         f"{shape_text(t)}")
    dim = t.shape[n_axis]
    count = to_int(spec)

    def piece(size: Dim) -> Tensor:
        shape = list(t.shape or ())
        shape[n_axis] = size
        return call.result(tuple(shape), t.dtype, call.name)

    if count is not None:
        if count <= 0 or count > 64:
            return UNKNOWN
        if isinstance(dim, int) and dim % count and call.name != "np.array_split":
            raise ShapeError("SL109", f"{call.name}: cannot split dimension {n_axis} of size "
                             f"{dim} into {count} equal parts (input {shape_text(t)})")
        if not isinstance(dim, int):
            return Seq(tuple(piece(None) for _ in range(count)), "list")
        each, extra = divmod(dim, count)  # array_split: the first `extra` pieces get one more
        return Seq(tuple(piece(each + (i < extra)) for i in range(count)), "list")
    sizes = to_dims(spec)
    if sizes is None:
        return UNKNOWN
    if numpy_style:  # split points: pieces are a[:i0], a[i0:i1], ..., a[ik:]
        if len(sizes) > 64:
            return UNKNOWN
        bounds = (0, *sizes, dim)
        return Seq(tuple(piece(len(range(dim)[lo:hi]) if isinstance(dim, int) and
                               isinstance(lo, int) and isinstance(hi, int) else None)
                         for lo, hi in pairwise(bounds)), "list")
    known = [s for s in sizes if isinstance(s, int) and s != -1]
    if isinstance(dim, int) and len(known) == len(sizes) and sum(known) != dim:
        raise ShapeError("SL109", f"tf.split: sizes {format_list(sizes)} sum to {sum(known)} "
                         f"but dimension {n_axis} of input {shape_text(t)} is {dim}")
    if -1 in sizes and isinstance(dim, int) and len(known) == len(sizes) - 1:
        sizes = tuple(dim - sum(known) if s == -1 else s for s in sizes)
    return Seq(tuple(piece(s if s != -1 else None) for s in sizes), "list")


@op("tf.shape", "keras.ops.shape")
def shape_op(call: Call) -> Value:
    t = call.tensor(0, "input")
    out_type = call.dtype_arg(1, "out_type", "int32")
    if call.name == "keras.ops.shape":
        return UNKNOWN if t is None or t.shape is None else Seq(
            tuple(_dim_value(d) for d in t.shape), "tuple")
    if t is None or t.shape is None:
        return call.result((None,), out_type, call.name)
    return call.result((len(t.shape),), out_type, call.name, content=static_only(t.shape))


def _dim_value(d: Dim) -> Value:
    from ..core.values import SymDim

    if isinstance(d, int):
        return Const(d)
    if isinstance(d, str):
        return SymDim(d)
    return Const(None) if d is DYNAMIC else UNKNOWN


@op("tf.size", "tf.rank", "np.size", "np.ndim")
def size_rank(call: Call) -> Value:
    t = call.tensor(0, "input" if not call.numpy else "a")
    if call.name in ("tf.rank", "np.ndim"):
        value: Dim = None if t is None or t.shape is None else len(t.shape)
    else:
        c = Count.of(t.shape) if t is not None and t.shape is not None else None
        value = c.coef if c is not None and c.is_int else None
    if call.numpy:
        return Const(value) if value is not None else UNKNOWN
    return call.result((), "int32", call.name, content=(value,) if value is not None else None)


@op("tf.cast", "tf.dtypes.cast", "tf.saturate_cast", "keras.ops.cast")
def cast(call: Call) -> Value:
    t = call.tensor(0, "x")
    dtype = to_dtype(call.arg(1, "dtype"))
    if t is None:
        return UNKNOWN
    return Tensor(t.shape, dtype, "tensor",
                  t.content if dtype and dtype.startswith("int") else None, origin=call.name)


@op("ndarray.astype")
def astype(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    return replace(t, dtype=to_dtype(call.arg(1, "dtype")), kind="ndarray", origin="astype")


@op("ndarray.flatten", "ndarray.ravel", "np.ravel")
def flatten(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    count = Count.of(t.shape) if t.shape is not None else None
    size: Dim = count.coef if count is not None and count.is_int else None
    return Tensor((size,), t.dtype, "ndarray", origin=call.name)


@op("Tensor.numpy", "np.asnumpy")
def to_numpy(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    return replace(t, kind="ndarray", origin="numpy()")


@op("Tensor.get_shape")
def get_shape(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None or t.shape is None:
        return UNKNOWN
    return Seq(tuple(_dim_value(d) for d in t.shape), "shape")


@op("TensorShape.as_list")
def as_list(call: Call) -> Value:
    s = call.arg(0, None)
    return Seq(s.items, "list") if isinstance(s, Seq) else UNKNOWN


@op("tf.TensorShape")
def tensor_shape(call: Call) -> Value:
    dims = to_static_dims(call.arg(0, "dims"))
    return UNKNOWN if dims is None else Seq(tuple(_dim_value(d) for d in dims), "shape")
