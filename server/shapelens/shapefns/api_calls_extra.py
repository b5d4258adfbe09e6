"""A sixth batch of APIs with three or more sites in ``bench/coverage.py``: the legacy
``K.batch_dot``, ``tf.raw_ops.ImageProjectiveTransformV3`` (what Keras' affine transforms
call), ``tf.sets.*`` on dense sets, a dataset's ``get_single_element()``, ``ndarray.view``,
``TPUStrategy`` (a strategy like the others), and the non-tensor results of a ragged
tensor's ``to_list()`` and a checkpoint load status's ``run_restore_ops()``.

Each result as probed under TF 2.21 / Keras 3 / NumPy 2.4 (the case table
``tests/unit/api_calls_more_cases.py`` runs them under TF); a call that would raise stays
unknown (no finding from here); a size that only the data decides is unknown.
"""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import NONE, UNKNOWN, ListOf, Opaque, Seq, Tensor, Value
from ._common import Call, to_dims, to_dtype, to_int, to_tensor
from .registry import op
from .tf_data import DATASET, DatasetValue, element_value
from .tf_ragged import C
from .tf_sparse import sparse

STRATEGY = "tf.distribute.Strategy"  # core/overlays/higher_order.py serves its methods


# ---------------------------------------------------------------- K.batch_dot
def _batch_dot_axes(x_rank: int, y_rank: int, axes: Value) -> tuple[int, int] | None:
    """Keras' ``batch_dot`` axes: an int for both, a pair, or None (x's last against y's
    last for a matrix y, else y's second to last); negatives from the end; axis 0 (the
    batch) is refused (None)."""
    if axes == NONE:
        pair = (x_rank - 1, y_rank - 1 if y_rank == 2 else y_rank - 2)
    elif (n := to_int(axes)) is not None:
        pair = (n, n)
    else:
        dims = to_dims(axes)
        if dims is None or len(dims) != 2 or not isinstance(dims[0], int) or \
                not isinstance(dims[1], int):
            return None
        pair = (dims[0], dims[1])
    a0 = pair[0] + x_rank if pair[0] < 0 else pair[0]
    a1 = pair[1] + y_rank if pair[1] < 0 else pair[1]
    if not (0 < a0 < x_rank and 0 < a1 < y_rank):
        return None
    return a0, a1


@op("keras.backend.batch_dot")
def batch_dot(call: Call) -> Value:
    """``K.batch_dot(x, y, axes)`` of rank-2 or rank-3 tensors (higher ranks go through
    dynamic reshapes: unknown): the batch, ``x``'s other axes, then ``y``'s, the two axes
    summed over dropped; two matrices give ``(batch, 1)``. Keras' ValueError (different
    known batch sizes or summed sizes) and a dtype mismatch leave it unknown."""
    x, y = call.tensor(0, "x"), call.tensor(1, "y")
    if x is None or y is None or x.shape is None or y.shape is None or \
            not (2 <= len(x.shape) <= 3 and 2 <= len(y.shape) <= 3) or \
            x.dtype is None or x.dtype != y.dtype:
        return UNKNOWN
    axes = _batch_dot_axes(len(x.shape), len(y.shape), call.arg(2, "axes", NONE))
    if axes is None:
        return UNKNOWN
    a0, a1 = axes
    bx, by, d1, d2 = x.shape[0], y.shape[0], x.shape[a0], y.shape[a1]
    if (isinstance(bx, int) and isinstance(by, int) and bx != by) or \
            (isinstance(d1, int) and isinstance(d2, int) and d1 != d2):
        return UNKNOWN
    batch = bx if isinstance(bx, int) else by
    x_rest = [d for i, d in enumerate(x.shape) if i not in (0, a0)]
    y_rest = [d for i, d in enumerate(y.shape) if i not in (0, a1)]
    if len(x.shape) == 2 and len(y.shape) == 2:
        shape: tuple[Dim, ...] = (batch, 1)
    else:
        shape = (batch, *x_rest, *y_rest)
    return Tensor(shape, x.dtype, "tensor", origin=call.name)


# ---------------------------------------------------------------- raw ops, sets
_IMAGE_DTYPES = ("uint8", "int32", "int64", "float16", "bfloat16", "float32", "float64")


@op("tf.raw_ops.ImageProjectiveTransformV3")
def image_projective_transform(call: Call) -> Value:
    """``images [b, h, w, c]`` transformed into ``output_shape = [oh, ow]``: ``[b, oh, ow, c]``
    of the images' dtype (raw ops take keyword arguments only; ``transforms`` is ``[1 or b,
    8]``, ``fill_value`` a float32 scalar)."""
    kw = call.kwargs
    images = to_tensor(kw.get("images", UNKNOWN))
    transforms = to_tensor(kw.get("transforms", UNKNOWN))
    size = kw.get("output_shape")
    if call.args or images is None or transforms is None or size is None or \
            images.shape is None or len(images.shape) != 4 or \
            images.dtype not in _IMAGE_DTYPES or transforms.shape is None or \
            len(transforms.shape) != 2 or transforms.shape[1] not in (8, None) or \
            "fill_value" not in kw or "interpolation" not in kw:
        return UNKNOWN
    dims = to_dims(size)
    out = tuple(dims) if dims is not None and len(dims) == 2 else (None, None)
    return Tensor((images.shape[0], *out, images.shape[3]), images.dtype, "tensor",
                  origin=call.name)


_SET_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "string")


@op("tf.sets.intersection", "tf.sets.union", "tf.sets.difference")
def set_operation(call: Call) -> Value:
    """Two dense sets of one rank ``n >= 2`` whose first ``n - 1`` dims agree: a sparse tensor
    of rank ``n``. Its dense shape is computed by the kernel: eagerly the sets' outer dims and
    the largest result set's size, but traced (a ``tf.function``, which a plain call cannot
    tell from eager code) none of them is static, so every dim is left unknown."""
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None or \
            a.kind not in ("tensor", "variable") or b.kind not in ("tensor", "variable") or \
            len(a.shape) < 2 or len(a.shape) != len(b.shape) or \
            a.dtype not in _SET_DTYPES or a.dtype != b.dtype:
        return UNKNOWN
    for da, db in zip(a.shape[:-1], b.shape[:-1], strict=True):
        if isinstance(da, int) and isinstance(db, int) and da != db:
            return UNKNOWN
    return sparse((None,) * len(a.shape), a.dtype, origin=call.name)


# ---------------------------------------------------------------- objects and arrays
@op(f"{DATASET}.get_single_element", "tf.data.experimental.get_single_element")
def get_single_element(call: Call) -> Value:
    """The dataset's only element, as eager code holds it (TF raises InvalidArgumentError for
    a dataset of another known number of elements: unknown)."""
    ds = call.arg(0, "dataset")
    if not isinstance(ds, DatasetValue) or ds.kind != DATASET or ds.count not in (None, 1):
        return UNKNOWN
    if ds.first is not None:
        return ds.first
    return element_value(ds.element, traced=False)


@op("tf.distribute.TPUStrategy", "tf.distribute.experimental.TPUStrategy")
def tpu_strategy(call: Call) -> Value:
    """A strategy (``run``, ``reduce``, ``scope``... as for the others; TF raises when no
    TPU is there, so what follows runs only where one is)."""
    return Opaque(STRATEGY)


_ITEMSIZE = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "float16": 2,
             "bfloat16": 2, "int32": 4, "uint32": 4, "float32": 4, "int64": 8, "uint64": 8,
             "float64": 8, "complex64": 8, "complex128": 16}


@op("ndarray.view")
def array_view(call: Call) -> Value:
    """``a.view(dtype)``: the same memory read as ``dtype``; its last axis scales by the
    ratio of the item sizes (NumPy's ValueError when it does not divide: unknown). No
    argument: a view of the same shape and dtype."""
    a = call.arg(0, None)
    if not isinstance(a, Tensor) or a.kind != "ndarray" or a.shape is None or \
            "type" in call.kwargs or len(call.args) > 2:
        return UNKNOWN
    if len(call.args) == 1 and "dtype" not in call.kwargs:
        return Tensor(a.shape, a.dtype, "ndarray", origin="ndarray.view")
    dtype = to_dtype(call.arg(1, "dtype"))
    old, new = _ITEMSIZE.get(a.dtype or ""), _ITEMSIZE.get(dtype or "")
    if old is None or new is None:
        return UNKNOWN
    if old == new:
        return Tensor(a.shape, dtype, "ndarray", origin="ndarray.view")
    if not a.shape:
        return UNKNOWN  # a 0-d array cannot change its item size
    last = a.shape[-1]
    if isinstance(last, int):
        if last * old % new:
            return UNKNOWN
        last = last * old // new
    else:
        last = None
    return Tensor((*a.shape[:-1], last), dtype, "ndarray", origin="ndarray.view")


@op("tf.train.CheckpointLoadStatus.run_restore_ops")
def run_restore_ops(call: Call) -> Value:
    """Eagerly a no-op: None."""
    return NONE


# ---------------------------------------------------------------- DTensor
@op("tf.experimental.dtensor.pack")
def dtensor_pack(call: Call) -> Value:
    """``pack(tensors, layout)``: one DTensor of the components' rank and dtype; its global
    dims are the components' times the mesh dims their axes are sharded over (the layout's
    business: unknown)."""
    parts = call.arg(0, "tensors")
    tensors = [to_tensor(i) for i in parts.items] if isinstance(parts, Seq) and \
        parts.kind in ("list", "tuple") else [parts.element] if isinstance(parts, ListOf) \
        else []
    first = tensors[0] if tensors else None
    if not isinstance(first, Tensor) or first.shape is None or first.dtype is None or \
            any(not isinstance(t, Tensor) or t.shape is None or len(t.shape) !=
                len(first.shape) or t.dtype != first.dtype for t in tensors):
        return UNKNOWN
    return Tensor((None,) * len(first.shape), first.dtype, "tensor", origin=call.name)


@op("tf.experimental.dtensor.unpack")
def dtensor_unpack(call: Call) -> Value:
    """``unpack(tensor)``: its components, one per device of its mesh (at least one), each of
    its rank and dtype."""
    t = call.tensor(0, "tensor")
    if t is None or t.shape is None or t.dtype is None or t.kind != "tensor":
        return UNKNOWN
    return ListOf(Tensor((None,) * len(t.shape), t.dtype, "tensor", origin=call.name), 1)


@op(C + "Tensor.to_list")
def ragged_to_list(call: Call) -> Value:
    """A ragged tensor's ``to_list()``: nested Python lists, one level per axis (the first as
    long as its rows), of Python numbers, bools or bytes."""
    rt = call.arg(0, None)
    if not isinstance(rt, Tensor) or rt.kind != "ragged" or rt.shape is None or \
            rt.dtype is None or len(rt.shape) < 2:
        return UNKNOWN
    leaf = "py:bytes" if rt.dtype == "string" else "py:bool" if rt.dtype == "bool" else \
        "py:number"
    value: ListOf | Opaque = Opaque(leaf)
    for dim in reversed(rt.shape[1:]):
        value = ListOf(value, dim if isinstance(dim, int) else 0)
    rows = rt.shape[0]
    return ListOf(value, rows if isinstance(rows, int) else 0)


# The names of this module whose result is a known non-tensor value: bench/coverage.py.
NON_TENSOR_NAMES = frozenset({"tf.distribute.TPUStrategy",
                              "tf.distribute.experimental.TPUStrategy",
                              "tf.train.CheckpointLoadStatus.run_restore_ops",
                              C + "Tensor.to_list"})
