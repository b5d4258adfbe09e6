"""Matrix products: matmul (and ``@``), np.dot, matvec, tensordot and einsum, with their
batch broadcasting and dtype rules."""

from __future__ import annotations

from ..domain.shapes import (
    Dim,
    Shape,
    broadcast,
    dims_equal,
    format_list,
    merge_dim,
    normalize_axis,
)
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import (
    Call,
    ShapeError,
    np_promote,
    on_either,
    shape_text,
    to_axes,
    to_int,
    to_str,
    to_tensor,
)
from .registry import op


def _is_tf(t: Tensor | None) -> bool:
    """A TensorFlow or Keras tensor (not a NumPy array or a Python number)."""
    return t is not None and t.kind in ("tensor", "variable", "keras")


def _matmul_tf(call: Call, a: Tensor, b: Tensor, ta: bool, tb: bool) -> Value:
    assert a.shape is not None and b.shape is not None
    for i, t in enumerate((a, b)):
        if t.shape is not None and len(t.shape) < 2:
            raise ShapeError("SL102", f"{_mm_name(call)}: operand {i} {shape_text(t)} has rank "
                             f"{len(t.shape)}, but matmul needs rank >= 2 (use "
                             f"tf.linalg.matvec or tf.expand_dims)")
    m, k1 = (a.shape[-1], a.shape[-2]) if ta else (a.shape[-2], a.shape[-1])
    k2, n = (b.shape[-1], b.shape[-2]) if tb else (b.shape[-2], b.shape[-1])
    if dims_equal(k1, k2) is False:
        raise ShapeError("SL102", f"{_mm_name(call)}: inner dimensions differ, {k1} vs {k2} "
                         f"(shapes {shape_text(a)} and {shape_text(b)}"
                         f"{', transpose_a' if ta else ''}{', transpose_b' if tb else ''})")
    batch, ok = broadcast(a.shape[:-2], b.shape[:-2])
    if not ok:
        raise ShapeError("SL102", f"{_mm_name(call)}: batch dimensions of {shape_text(a)} and "
                         f"{shape_text(b)} are not compatible")
    shape = None if batch is None else (*batch, m, n)
    return call.result(shape, _mm_dtype(call, a, b), call.name)


def _mm_name(call: Call) -> str:
    return "operator @" if call.name == "operator.matmul" else call.name


def _mm_dtype(call: Call, a: Tensor, b: Tensor) -> str | None:
    if call.numpy or (call.name == "operator.matmul" and not (_is_tf(a) or _is_tf(b))):
        return np_promote(a.dtype, b.dtype)  # NumPy promotes (also TF tensors it is given)
    if call.name.startswith("keras."):
        return a.dtype if a.dtype == b.dtype else None
    if call.promotes():  # NumPy behaviour: mixed dtypes are promoted
        return a.dtype if a.dtype == b.dtype else None
    if _is_tf(a) and _is_tf(b) and a.dtype and b.dtype and a.dtype != b.dtype:
        raise ShapeError("SL111", f"{_mm_name(call)}: operands have different dtypes, "
                         f"{a.dtype} and {b.dtype}; cast one of them with tf.cast")
    tf_side = [t for t in (a, b) if _is_tf(t)]
    if tf_side:
        return tf_side[0].dtype
    return a.dtype if a.dtype == b.dtype else None


def _matmul_np(call: Call, a: Tensor, b: Tensor) -> Value:
    assert a.shape is not None and b.shape is not None
    sa, sb = a.shape, b.shape
    if not sa or not sb:
        return UNKNOWN
    a2 = (1, *sa) if len(sa) == 1 else sa
    b2 = (*sb, 1) if len(sb) == 1 else sb
    if dims_equal(a2[-1], b2[-2]) is False:
        raise ShapeError("SL102", f"{_mm_name(call)}: inner dimensions differ, {a2[-1]} vs "
                         f"{b2[-2]} (shapes {shape_text(a)} and {shape_text(b)})")
    batch, ok = broadcast(a2[:-2], b2[:-2])
    if not ok:
        raise ShapeError("SL102", f"{_mm_name(call)}: batch dimensions of {shape_text(a)} and "
                         f"{shape_text(b)} are not compatible")
    assert batch is not None
    out = [*batch, a2[-2], b2[-1]]
    if len(sb) == 1:
        out.pop()
    if len(sa) == 1:
        out.pop(-1 if len(sb) == 1 else -2)
    kind = "tensor" if call.name.startswith("keras.") else "ndarray"
    return Tensor(tuple(out), _mm_dtype(call, a, b), kind, origin=call.name)


@op("tf.matmul", "tf.linalg.matmul", "operator.matmul", "np.matmul", "keras.ops.matmul")
def matmul(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return call.result(None, None) if a is not None or b is not None else UNKNOWN
    if call.name in ("np.matmul", "keras.ops.matmul") or (
            call.name == "operator.matmul" and not (_is_tf(a) or _is_tf(b))):
        return _matmul_np(call, a, b)
    ta = _any_flag(call.flag(2, "transpose_a"), call.flag(4, "adjoint_a"))
    tb = _any_flag(call.flag(3, "transpose_b"), call.flag(5, "adjoint_b"))
    return on_either(ta, lambda ta_: on_either(tb, lambda tb_: _matmul_tf(call, a, b, ta_, tb_)))


def _any_flag(first: bool | None, second: bool | None) -> bool | None:
    """``transpose_x or adjoint_x``: True if either is, unknown unless both are known."""
    if first or second:
        return True
    return None if first is None or second is None else False


@op("np.dot")
def np_dot(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    if len(a.shape) <= 2 and len(b.shape) <= 2 and a.shape and b.shape:
        return _matmul_np(call, a, b)
    return UNKNOWN


@op("tf.linalg.matvec")
def matvec(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    if call.flag(2, "transpose_a") is None or call.flag(3, "adjoint_a") is None:
        return call.result(None, _mm_dtype(call, a, b))
    ta = bool(call.flag(2, "transpose_a") or call.flag(3, "adjoint_a"))
    if len(a.shape) < 2 or len(b.shape) < 1:
        raise ShapeError("SL102", f"tf.linalg.matvec: needs a matrix and a vector, got "
                         f"{shape_text(a)} and {shape_text(b)}")
    m, k = (a.shape[-1], a.shape[-2]) if ta else (a.shape[-2], a.shape[-1])
    if dims_equal(k, b.shape[-1]) is False:
        raise ShapeError("SL102", f"tf.linalg.matvec: inner dimensions differ, {k} vs "
                         f"{b.shape[-1]} (shapes {shape_text(a)} and {shape_text(b)})")
    batch, ok = broadcast(a.shape[:-2], b.shape[:-1])
    if not ok:
        raise ShapeError("SL102", f"tf.linalg.matvec: batch dimensions of {shape_text(a)} and "
                         f"{shape_text(b)} are not compatible")
    return call.result(None if batch is None else (*batch, m), _mm_dtype(call, a, b), call.name)


@op("tf.tensordot", "np.tensordot", "tf.linalg.tensordot", "keras.ops.tensordot")
def tensordot(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    axes_v = call.arg(2, "axes", Const(2))
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    n = to_int(axes_v)
    if n is not None:
        ax_a = tuple(range(len(a.shape) - n, len(a.shape)))
        ax_b = tuple(range(n))
    elif isinstance(axes_v, Seq) and len(axes_v.items) == 2:
        pa, pb = to_axes(axes_v.items[0]), to_axes(axes_v.items[1])
        if pa is None or pb is None or len(pa) != len(pb):
            return UNKNOWN
        ax_a = tuple(normalize_axis(x, len(a.shape)) or 0 for x in pa)
        ax_b = tuple(normalize_axis(x, len(b.shape)) or 0 for x in pb)
    else:
        return UNKNOWN
    if any(x < 0 or x >= len(a.shape) for x in ax_a) or \
            any(x < 0 or x >= len(b.shape) for x in ax_b):
        return UNKNOWN
    for x, y in zip(ax_a, ax_b):
        if dims_equal(a.shape[x], b.shape[y]) is False:
            raise ShapeError("SL102", f"{call.name}: contracted dimensions differ, "
                             f"{a.shape[x]} (axis {x} of {shape_text(a)}) vs {b.shape[y]} "
                             f"(axis {y} of {shape_text(b)})")
    shape = tuple(d for i, d in enumerate(a.shape) if i not in ax_a) + \
        tuple(d for i, d in enumerate(b.shape) if i not in ax_b)
    return call.result(shape, _mm_dtype(call, a, b), call.name)


@op("tf.einsum", "np.einsum", "tf.linalg.einsum", "keras.ops.einsum")
def einsum(call: Call) -> Value:
    eq = to_str(call.arg(0, "equation"))
    operands = [to_tensor(v, call.numpy) for v in call.args[1:]]
    if eq is None or any(t is None or t.shape is None for t in operands):
        return UNKNOWN
    eq = eq.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    specs = lhs.split(",")
    if len(specs) != len(operands) or any(
            s.count("...") > 1 or "." in s.replace("...", "") for s in (*specs, out)):
        return UNKNOWN
    sizes: dict[str, Dim] = {}
    batches: list[tuple[Dim, ...]] = []  # the parts of each operand under its "..."
    for i, (spec, t) in enumerate(zip(specs, operands)):
        assert t is not None and t.shape is not None
        letters = spec.replace("...", "")
        dims = t.shape
        if "..." in spec and len(t.shape) >= len(letters):
            pos, width = spec.index("..."), len(t.shape) - len(letters)
            batches.append(t.shape[pos:pos + width])
            dims = t.shape[:pos] + t.shape[pos + width:]
        elif len(letters) != len(t.shape):
            raise ShapeError("SL112", f"{call.name}: operand {i} {shape_text(t)} has rank "
                             f"{len(t.shape)} but subscripts '{spec}' name {len(letters)} "
                             f"axes{' or more' if '...' in spec else ''}")
        for letter, d in zip(letters, dims):
            prev = sizes.get(letter, d)
            if dims_equal(prev, d) is False:
                # NumPy broadcasts a size-1 subscript; TensorFlow does not.
                if not call.numpy or 1 not in (prev, d):
                    raise ShapeError("SL112", f"{call.name}: subscript '{letter}' is {prev} in "
                                     f"one operand but {d} in operand {i} {shape_text(t)}")
                sizes[letter] = d if prev == 1 else prev
            else:
                sizes[letter] = merge_dim(prev, d)
    batch: Shape = ()
    for part in batches:
        batch, ok = broadcast(batch, part)
        if not ok:
            raise ShapeError("SL112", f"{call.name}: the dimensions under '...' do not "
                             f"broadcast: {' vs '.join(format_list(b) for b in batches)}")
    if not arrow:
        counts = {c: lhs.count(c) for c in sizes}
        out = ("..." if call.numpy and batches else "") + "".join(
            sorted(c for c, k in counts.items() if k == 1))
    if any(c not in sizes for c in out.replace("...", "")):
        return UNKNOWN
    if batches and "..." not in out and batch:
        if call.numpy:
            return UNKNOWN
        raise ShapeError("SL112", f"{call.name}: the operands have {len(batch)} dimension(s) "
                         f"under '...' but the output subscripts '{out}' have no '...'")
    head, _, tail = out.partition("...")
    dtype = _einsum_dtype(call, [t for t in operands if t is not None])
    shape = None if batch is None and "..." in out else (
        *(sizes[c] for c in head), *(batch or ()), *(sizes[c] for c in tail))
    return call.result(shape, dtype, call.name)


def _einsum_dtype(call: Call, tensors: list[Tensor]) -> str | None:
    if call.numpy:
        dtype = tensors[0].dtype if tensors else None
        for t in tensors[1:]:
            dtype = np_promote(dtype, t.dtype)
        return dtype
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) > 1 and None not in dtypes and not call.name.startswith("keras.") and \
            all(_is_tf(t) for t in tensors) and not call.promotes():
        raise ShapeError("SL111", f"{call.name}: operands have different dtypes "
                         f"({', '.join(sorted(str(d) for d in dtypes))}); cast them with "
                         "tf.cast")
    return next(iter(dtypes)) if len(dtypes) == 1 else None
