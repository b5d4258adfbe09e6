"""Indexing and selection: ``x[...]`` (ints, slices, None/newaxis, Ellipsis), tf.slice,
gather, gather_nd, boolean_mask and where."""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast, dims_equal, format_list, normalize_axis
from ..domain.values import UNKNOWN, Const, IntIn, Seq, SliceValue, Tensor, Value
from ._common import Call, ShapeError, shape_text, to_dims, to_int, to_tensor
from .np_index import advanced as _advanced
from .registry import op
from .tf1_data import AT_MOST_2D


def _slice_len(sl: SliceValue, dim: Dim) -> Dim:
    start, stop = sl.start, sl.stop
    if isinstance(start, IntIn) and isinstance(stop, IntIn) and start.symbol == stop.symbol \
            and isinstance(sl.step, Const) and sl.step.value is None and isinstance(dim, int) \
            and start.lo >= 0 and stop.hi <= dim and stop.delta >= start.delta:
        return stop.delta - start.delta  # ``x[o:o + k]`` with both ends inside the axis
    start, stop, step = (None if isinstance(v, Const) and v.value is None else to_int(v)
                         for v in (sl.start, sl.stop, sl.step))
    given = [not (isinstance(v, Const) and v.value is None) for v in (sl.start, sl.stop,
                                                                       sl.step)]
    if any(g and x is None for g, x in zip(given, (start, stop, step))):
        return None
    if not isinstance(dim, int):
        if start is None and stop is None and (step is None or step == 1):
            return dim
        return None
    if step == 0 or not 0 <= dim < 2**62:
        return None
    return len(range(*slice(start, stop, step).indices(dim)))


@op("operator.getitem")
def getitem(call: Call) -> Value:
    """``tensor[index]`` with NumPy/TF basic indexing; advanced indexing stays unknown."""
    t = to_tensor(call.arg(0, None), call.numpy)
    index = call.arg(1, None)
    if t is None:
        return UNKNOWN
    items = list(index.items) if isinstance(index, Seq) and index.kind == "tuple" else [index]
    if t.shape is None and t.origin == AT_MOST_2D and len(items) == 2 and \
            not any(isinstance(i, Const) and (i.value is None or i.value is Ellipsis)
                    for i in items):
        t = Tensor((None, None), t.dtype, t.kind)  # at most 2-D, and two indices ran: 2-D
    if t.shape is None:
        return Tensor(None, t.dtype, t.kind if t.kind != "variable" else "tensor")
    kind = "tensor" if t.kind in ("variable", "tensor") else t.kind
    consumed = sum(1 for i in items if not (isinstance(i, Const) and
                                            (i.value is None or i.value is Ellipsis)))
    if any(isinstance(i, Const) and i.value is Ellipsis for i in items):
        pos = next(k for k, i in enumerate(items) if isinstance(i, Const) and i.value is Ellipsis)
        fill = len(t.shape) - consumed
        items[pos:pos + 1] = [SliceValue(Const(None), Const(None), Const(None))] * max(fill, 0)
    out: list[Dim] = []
    axis = 0
    content = t.content if len(t.shape) == 1 else None
    for item in items:
        if isinstance(item, Const) and item.value is None:
            out.append(1)
            content = None
            continue
        if axis >= len(t.shape):
            raise ShapeError("SL108", f"index {_index_text(index)} has more indices than input "
                             f"{shape_text(t)} has dimensions ({len(t.shape)})")
        dim = t.shape[axis]
        if isinstance(item, SliceValue):
            out.append(_slice_len(item, dim))
            content = _slice_content(item, content) if axis == 0 and len(t.shape) == 1 \
                else None
        elif (n := to_int(item)) is not None:
            if isinstance(dim, int) and not -dim <= n < dim:
                raise ShapeError("SL108", f"index {n} is out of bounds for dimension {axis} of "
                                 f"size {dim} (input {shape_text(t)})")
            if content is not None and axis == 0 and len(t.shape) == 1 and \
                    isinstance(dim, int):
                content = (content[n],)
            else:
                content = None
        elif _scalar_int(item):
            content = None  # an int of unknown value (a loop's tf.range element): one axis
        else:
            return _advanced(t, items, kind)  # tensor/list indices: advanced indexing
        axis += 1
    out.extend(t.shape[axis:])
    # Known values survive when the result is a scalar or a slice of a vector.
    keep = content is not None and (not out or out == [len(content)])
    return Tensor(tuple(out), t.dtype, kind, content if keep else None, origin="indexing")


def _scalar_int(item: Value) -> bool:
    """A scalar integer (a TF int32/int64 scalar tensor, a NumPy or Python int) whose value
    is not known: it removes one axis, as a known int does."""
    return isinstance(item, Tensor) and item.shape == () and \
        (item.dtype or "").startswith(("int", "uint"))


def _slice_content(sl: SliceValue, content: tuple[Dim, ...] | None) -> tuple[Dim, ...] | None:
    """``v[a:b:c]`` of a vector whose values are known (``tf.shape(x)[:-1]``)."""
    bounds = [None if isinstance(v, Const) and v.value is None else to_int(v)
              for v in (sl.start, sl.stop, sl.step)]
    given = [not (isinstance(v, Const) and v.value is None) for v in (sl.start, sl.stop,
                                                                       sl.step)]
    if content is None or bounds[2] == 0 or any(g and b is None for g, b in zip(given, bounds)):
        return None
    return content[slice(*bounds)]


def _index_text(index: Value) -> str:
    return "[...]" if not isinstance(index, Const) else f"[{index.value!r}]"


@op("tf.slice")
def tf_slice(call: Call) -> Value:
    t = call.tensor(0, "input_")
    begin, size = to_dims(call.arg(1, "begin")), to_dims(call.arg(2, "size"))
    if t is None or t.shape is None or begin is None or size is None:
        return UNKNOWN
    out: list[Dim] = []
    for axis, (d, b, s) in enumerate(zip(t.shape, begin, size)):
        if isinstance(d, int) and isinstance(b, int) and isinstance(s, int):
            if not 0 <= b <= d:
                raise ShapeError("SL108", f"tf.slice: begin {b} is out of range for dimension "
                                 f"{axis} of size {d} (input {shape_text(t)})", runtime=True)
            if s != -1 and not 0 <= s <= d - b:
                raise ShapeError("SL108", f"tf.slice: size {s} at dimension {axis} exceeds "
                                 f"the {d - b} elements left after begin {b} "
                                 f"(input {shape_text(t)})", runtime=True)
            out.append(d - b if s == -1 else s)
        else:
            out.append(s if isinstance(s, int) and s != -1 else None)
    return call.result(tuple(out), t.dtype, call.name)


@op("tf.gather", "np.take", "keras.ops.take")
def gather(call: Call) -> Value:
    tf_gather = call.name == "tf.gather"
    params = call.tensor(0, "params" if tf_gather else "a" if call.numpy else "x")
    idx = call.tensor(1, "indices")
    if params is None or idx is None or params.shape is None or idx.shape is None:
        return UNKNOWN
    # tf.gather(params, indices, validate_indices, axis, batch_dims): the third positional
    # argument is not the axis. np.take / keras.ops.take(a, indices, axis=None) flatten.
    batch_v = call.arg(4, "batch_dims", Const(0)) if tf_gather else Const(0)
    batch = to_int(batch_v)
    axis_v = call.arg(3 if tf_gather else 2, "axis", Const(None))
    if isinstance(axis_v, Const) and axis_v.value is None:
        if not tf_gather:
            return call.result(idx.shape, params.dtype, call.name)
        axis_v = batch_v
    axis = to_int(axis_v)
    if axis is None or batch is None:
        return call.result(None, params.dtype, call.name)
    if batch < 0:
        batch += len(idx.shape)
    rank = len(params.shape)
    n_axis = normalize_axis(axis, rank)
    if n_axis is None and call.numpy and rank == 0 and axis in (0, -1):
        return call.result(None, params.dtype, call.name)  # np.take(0-d, i, axis=0) works
    if n_axis is None:
        raise ShapeError("SL105", f"{call.name}: axis {axis} is out of range for params "
                         f"{shape_text(params)} of rank {rank}")
    if not 0 <= batch <= min(n_axis, len(idx.shape)):
        return call.result(None, params.dtype, call.name)
    dim = params.shape[n_axis]
    if isinstance(dim, int) and idx.content is not None and not call.numpy:
        for k, i in enumerate(idx.content):
            if isinstance(i, int) and not 0 <= i < dim:
                raise ShapeError("SL108", f"{call.name}: index {i} (position {k}) is not in "
                                 f"[0, {dim}) for axis {n_axis} of params "
                                 f"{shape_text(params)}", runtime=True)
    shape = params.shape[:n_axis] + idx.shape[batch:] + params.shape[n_axis + 1:]
    return call.result(shape, params.dtype, call.name)


@op("tf.gather_nd")
def gather_nd(call: Call) -> Value:
    params, idx = call.tensor(0, "params"), call.tensor(1, "indices")
    if params is None or idx is None or params.shape is None or idx.shape is None or \
            not idx.shape or not isinstance(idx.shape[-1], int):
        return UNKNOWN
    k = idx.shape[-1]
    if k > len(params.shape):
        raise ShapeError("SL108", f"tf.gather_nd: index depth {k} exceeds the rank of params "
                         f"{shape_text(params)}")
    return call.result(idx.shape[:-1] + params.shape[k:], params.dtype, call.name)


@op("tf.boolean_mask", "keras.ops.boolean_mask")
def boolean_mask(call: Call) -> Value:
    t, mask = call.tensor(0, "tensor"), call.tensor(1, "mask")
    axis = to_int(call.arg(2, "axis", Const(0)))
    if t is None or mask is None or t.shape is None or mask.shape is None or axis is None:
        return UNKNOWN
    k = len(mask.shape)
    if k == 0 or axis < 0 or axis + k > len(t.shape):
        return UNKNOWN
    covered = t.shape[axis:axis + k]
    for a, b in zip(covered, mask.shape):
        if dims_equal(a, b) is False:
            raise ShapeError("SL113", f"tf.boolean_mask: mask {shape_text(mask)} does not match "
                             f"the dimensions {format_list(covered)} of tensor "
                             f"{shape_text(t)} at axis {axis}")
    return call.result((*t.shape[:axis], None, *t.shape[axis + k:]), t.dtype, call.name)


@op("tf.where", "np.where", "keras.ops.where", "tf.experimental.numpy.where")
def where(call: Call) -> Value:
    cond = call.tensor(0, "condition")
    x_v, y_v = call.arg(1, "x", Const(None)), call.arg(2, "y", Const(None))
    if isinstance(x_v, Const) and x_v.value is None:
        if cond is None or cond.shape is None:
            return UNKNOWN
        if call.numpy:
            return Seq(tuple(Tensor((None,), "int64", "ndarray") for _ in cond.shape), "tuple")
        if call.name != "tf.where":  # keras.ops / tnp: NumPy's list of index vectors
            dtype = "int32" if call.name.startswith("keras.") else "int64"
            return Seq(tuple(Tensor((None,), dtype, "tensor") for _ in cond.shape), "list")
        return call.result((None, len(cond.shape)), "int64", call.name)
    x, y = to_tensor(x_v, call.numpy), to_tensor(y_v, call.numpy)
    if cond is None or x is None or y is None:
        return UNKNOWN
    shape, ok = broadcast(x.shape, y.shape)
    if ok:
        shape, ok = broadcast(cond.shape, shape)
    if not ok:
        raise ShapeError("SL103", f"{call.name}: condition {shape_text(cond)}, x "
                         f"{shape_text(x)} and y {shape_text(y)} cannot be broadcast together")
    tf_side = [t for t in (x, y) if t.kind in ("tensor", "variable")
               and not isinstance(x_v if t is x else y_v, Const)]
    dtype = tf_side[0].dtype if tf_side else (x.dtype if x.dtype == y.dtype else None)
    if call.name == "np.where" and dtype is None:
        dtype = _numpy_result_type(x_v, y_v)  # np.where(c, x, 0): NumPy's promotion
    return call.result(shape, dtype, call.name)


def _numpy_result_type(x: Value, y: Value) -> str | None:
    """The dtype NumPy gives ``x`` and ``y`` together (a Python scalar is weak), as ``np.add``
    computes it; the shapes are already known to broadcast."""
    from .registry import lookup

    fn = lookup("np.add")
    try:
        out = fn(Call("np.add", [x, y], {}, numpy=True)) if fn is not None else None
    except ShapeError:
        return None
    return out.dtype if isinstance(out, Tensor) else None
