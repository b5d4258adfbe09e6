"""Where datasets come from besides tensors in memory (``tf_data.py``): a Python generator
described by ``tf.TensorSpec``s (``from_generator``), files (text lines, TFRecords, file
names: scalar strings; Keras' image and text folders), counters, and mixtures of datasets.
As probed in TF 2.21: ``TensorSpec(shape, dtype=tf.float32)``; ``from_generator``'s
``output_signature`` is the element spec, and the legacy ``output_types``/``output_shapes``
give the same (a missing ``output_shapes`` leaves every rank unknown).
"""

from __future__ import annotations

from ..domain.shapes import DYNAMIC, Dim
from ..domain.values import (
    UNKNOWN,
    Const,
    DictValue,
    DType,
    ListOf,
    Opaque,
    Seq,
    Tensor,
    Value,
)
from ._common import Call, to_dims, to_dtype, to_int, to_static_dims
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


@op("tf.data.experimental.CsvDataset")
def csv_dataset(call: Call) -> Value:
    """A tuple of scalars, one per record default. Its dtype, as probed: a dtype object's, a
    float literal's ``float32``, a string's ``string``, a tensor's own. A Python int is left
    unknown: TF reads 1, 2, 3... as dtype enums (``[1, 2]`` gives float32, float64)."""
    defaults = call.arg(1, "record_defaults")
    if not isinstance(defaults, Seq) or defaults.kind == "shape" or not defaults.items:
        return DatasetValue(UNKNOWN)
    return DatasetValue(Seq(tuple(Tensor((), _csv_dtype(d), "tensor")
                                  for d in defaults.items), "tuple"))


def _csv_dtype(default: Value) -> str | None:
    if isinstance(default, DType):
        return default.name
    if isinstance(default, Const) and type(default.value) is float:
        return "float32"
    if isinstance(default, Const) and isinstance(default.value, str):
        return "string"
    if isinstance(default, Tensor) and default.shape in ((), (1,)):
        return default.dtype
    return None


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


_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


def _files_dataset(call: Call, sample: tuple[Dim, ...] | None, dtype: str) -> Value:
    """``keras.utils.*_dataset_from_directory``: ``(samples, labels)`` batched by
    ``batch_size`` (default 32; ``None``: one sample per element); labels are ``int32`` class
    ids (``label_mode="int"``, the default), ``float32`` one-hot (``"categorical"``, as many
    classes as there are folders) or a ``float32`` column (``"binary"``); ``labels=None`` or
    ``label_mode=None`` leaves the samples alone; ``subset="both"`` gives two datasets."""
    size = call.arg(None, "batch_size", Const(32))
    if size != Const(None) and to_int(size) is None:
        return UNKNOWN
    lead: tuple[Dim, ...] = () if size == Const(None) else (DYNAMIC,)
    labels, mode = call.arg(1, "labels", Const("inferred")), call.arg(2, "label_mode",
                                                                      Const("int"))
    label_shapes: dict[object, tuple[Dim, ...]] = {"int": (), "categorical": (None,),
                                                   "binary": (1,)}
    images = Tensor(None if sample is None else (*lead, *sample), dtype, "tensor")
    if labels == Const(None) or mode == Const(None):
        element: Value = images
    elif isinstance(mode, Const) and mode.value in label_shapes and \
            isinstance(labels, Const | Seq | ListOf):
        element = Seq((images, Tensor((*lead, *label_shapes[mode.value]),
                                      "int32" if mode.value == "int" else "float32",
                                      "tensor")), "tuple")
    else:
        return UNKNOWN
    subset = call.arg(None, "subset", Const(None))
    if subset == Const("both"):
        return Seq((DatasetValue(element), DatasetValue(element)), "list")
    return DatasetValue(element) if isinstance(subset, Const) else UNKNOWN


@op("keras.utils.image_dataset_from_directory",
    "keras.preprocessing.image_dataset_from_directory")
def image_dataset_from_directory(call: Call) -> Value:
    size = to_dims(call.arg(None, "image_size", Seq((Const(256), Const(256)))))
    mode = call.arg(None, "color_mode", Const("rgb"))
    channels = _CHANNELS.get(mode.value) if isinstance(mode, Const) and \
        isinstance(mode.value, str) else None
    sample = (*size, channels) if size is not None and len(size) == 2 else None
    return _files_dataset(call, sample, "float32")


@op("keras.utils.text_dataset_from_directory",
    "keras.preprocessing.text_dataset_from_directory")
def text_dataset_from_directory(call: Call) -> Value:
    return _files_dataset(call, (), "string")


KEEPS_ELEMENTS = "tf.data.transformation:keep"


@op("tf.data.experimental.assert_cardinality", "tf.data.experimental.ignore_errors")
def keeping_transformation(call: Call) -> Value:
    """A transformation for ``ds.apply(...)`` that keeps the elements as they are."""
    return Opaque(KEEPS_ELEMENTS)


@op(f"{DATASET}.apply")
def apply(call: Call) -> Value:
    """``ds.apply(fn)`` with a function the engine cannot call (a user's function is run by
    the overlay): a keeping transformation keeps the element, anything else is unknown."""
    ds, fn = call.arg(0, None), call.arg(1, "transformation_func")
    if isinstance(ds, DatasetValue) and ds.kind == DATASET and isinstance(fn, Opaque) and \
            fn.kind == KEEPS_ELEMENTS:
        return DatasetValue(ds.element)
    return DatasetValue(UNKNOWN)
