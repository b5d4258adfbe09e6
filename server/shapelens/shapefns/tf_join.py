"""Joining and splitting: concat, stack, unstack, split, and their NumPy and Keras names."""

from __future__ import annotations

from itertools import pairwise

from ..domain.shapes import (
    Dim,
    dims_equal,
    format_list,
    merge_dim,
    normalize_axis,
    num_elements,
)
from ..domain.values import UNKNOWN, Const, ListOf, Seq, Tensor, Value
from ._common import (
    Call,
    ShapeError,
    shape_text,
    to_dims,
    to_int,
    to_tensor,
)
from .registry import op


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
    if call.name.startswith("keras."):
        # Keras converts mixed inputs to their result type (float32 + int32 -> float32);
        # that type is not modelled here, so a mix stays unknown and is never an error.
        pass
    elif not call.numpy:  # TF converts literals to the tensors' dtype; tensors must agree
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
    if not isinstance(count, int):
        return UNKNOWN
    part = call.result(t.shape[:n_axis] + t.shape[n_axis + 1:], t.dtype, call.name)
    # (a long sequence, 80 time steps: a list of that many alike tensors, length not spelled)
    return Seq((part,) * count, "list") if count <= 64 else ListOf(part, at_least=count)


@op("tf.split", "np.split", "np.array_split", "keras.ops.split")
def split(call: Call) -> Value:
    numpy_style = call.numpy or call.name.startswith("keras.ops.")  # split points, not sizes
    t = call.tensor(0, "value" if not call.numpy else "a")
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
