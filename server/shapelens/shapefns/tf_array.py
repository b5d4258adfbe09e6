"""Array manipulation: reshape, transpose, expand/squeeze, tile, broadcast_to, pad, and their
NumPy counterparts and ndarray methods (joining and splitting: ``tf_join``; shapes, sizes and
casts: ``tf_shape``)."""

from __future__ import annotations

from ..domain.shapes import (
    Count,
    Dim,
    format_list,
    normalize_axis,
)
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import (
    Call,
    ShapeError,
    shape_text,
    to_axes,
    to_dims,
    to_int,
)
from .registry import op


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
