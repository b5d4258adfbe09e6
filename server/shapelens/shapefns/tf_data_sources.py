"""Where datasets come from besides tensors in memory (``tf_data.py``): a Python generator
described by ``tf.TensorSpec``s (``from_generator``), files (text lines, TFRecords, file
names: scalar strings), counters, and mixtures of datasets. As probed in TF 2.21:
``TensorSpec(shape, dtype=tf.float32)``; ``from_generator``'s ``output_signature`` is the
element spec, and the legacy ``output_types``/``output_shapes`` give the same (a missing
``output_shapes`` leaves every rank unknown).
"""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Const, DictValue, DType, Opaque, Seq, Tensor, Value
from ._common import Call, to_dtype, to_static_dims
from .registry import op
from .tf_data import DATASET, DatasetValue

TENSOR_SPEC = "tf.TensorSpec"


class TensorSpecValue(Opaque):
    """``tf.TensorSpec(shape, dtype)``: static dims (``None`` is ``DYNAMIC``) and a dtype."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: tuple[Dim, ...] | None, dtype: str | None) -> None:
        super().__init__(TENSOR_SPEC)
        self.shape = shape
        self.dtype = dtype


@op("tf.TensorSpec")
def tensor_spec(call: Call) -> Value:
    given = call.arg(0, "shape", Const(None))
    shape = None if given == Const(None) else to_static_dims(given)
    return TensorSpecValue(shape, call.dtype_arg(1, "dtype", "float32"))


def _from_specs(v: Value) -> Value:
    """An ``output_signature`` structure as an element."""
    if isinstance(v, TensorSpecValue):
        return Tensor(v.shape, v.dtype, "tensor")
    if isinstance(v, Seq) and v.kind in ("tuple", "list"):
        return Seq(tuple(_from_specs(i) for i in v.items), "tuple")
    if isinstance(v, DictValue):
        return DictValue(tuple((k, _from_specs(i)) for k, i in v.items))
    return UNKNOWN


def _from_types(types: Value, shapes: Value | None) -> Value:
    """Legacy ``output_types`` (a dtype, tuple or dict of them) with ``output_shapes``."""
    dtype = to_dtype(types) if isinstance(types, DType | Const) else None
    if dtype is not None:
        dims = None if shapes is None else to_static_dims(shapes)
        return Tensor(dims, dtype, "tensor") if shapes is None or dims is not None \
            else UNKNOWN
    if isinstance(types, Seq) and types.kind == "tuple":
        parts = shapes.items if isinstance(shapes, Seq) and \
            len(shapes.items) == len(types.items) else None
        if shapes is not None and parts is None:
            return UNKNOWN
        return Seq(tuple(_from_types(t, None if parts is None else parts[i])
                         for i, t in enumerate(types.items)), "tuple")
    if isinstance(types, DictValue):
        return DictValue(tuple((k, _from_types(t, None if shapes is None else (
            shapes.get(k) if isinstance(shapes, DictValue) else UNKNOWN)))
            for k, t in types.items))
    return UNKNOWN


@op(f"{DATASET}.from_generator")
def from_generator(call: Call) -> Value:
    signature = call.arg(4, "output_signature", Const(None))
    if signature != Const(None):
        return DatasetValue(_from_specs(signature))
    types = call.arg(1, "output_types", Const(None))
    if types == Const(None):
        return DatasetValue(UNKNOWN)
    shapes = call.arg(2, "output_shapes", Const(None))
    return DatasetValue(_from_types(types, None if shapes == Const(None) else shapes))


@op("tf.data.TextLineDataset", "tf.data.TFRecordDataset", f"{DATASET}.list_files")
def string_records(call: Call) -> Value:
    return DatasetValue(Tensor((), "string", "tensor"))


@op("tf.data.experimental.Counter", f"{DATASET}.counter")
def counter(call: Call) -> Value:
    return DatasetValue(Tensor((), call.dtype_arg(2, "dtype", "int64"), "tensor"))


@op("tf.data.experimental.cardinality")
def cardinality(call: Call) -> Value:
    return Tensor((), "int64", "tensor")


@op(f"{DATASET}.sample_from_datasets", f"{DATASET}.choose_from_datasets",
    "tf.data.experimental.sample_from_datasets", "tf.data.experimental.choose_from_datasets")
def mixture(call: Call) -> Value:
    """Elements of the given datasets, which TF requires to be alike: those of the first when
    they all agree, else unknown."""
    given = call.arg(0, "datasets")
    items = given.items if isinstance(given, Seq) else ()
    elements = {i.element for i in items if isinstance(i, DatasetValue)}
    if len(items) and len(elements) == 1 and all(isinstance(i, DatasetValue) for i in items):
        return DatasetValue(next(iter(elements)))
    return DatasetValue(UNKNOWN)
