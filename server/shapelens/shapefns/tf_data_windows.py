"""Windows over a dataset or an array: ``ds.window(...)`` and Keras'
``timeseries_dataset_from_array``, as probed in TF 2.21 / Keras 3.

``ds.window(size)`` is a dataset whose element is a dataset per component (TF's
``DatasetSpec``): each component's window is a nested ``DatasetValue`` of that component.
``flat_map(lambda w: w.batch(size))`` then gives ``(None, ...)`` through the overlay
(``core/overlays/datasets.py``), as TF's spec does.

``timeseries_dataset_from_array(data, targets, sequence_length, ...)`` yields batches of
sequences: TF's static spec is ``(None, None, *data.shape[1:])`` with data's dtype (a NumPy
``float64`` array stays ``float64``; a Python list of ints is ``int32``), and targets
``(None, *targets.shape[1:])``. Its element is only that spec: the number of sequences
depends on ``start_index``/``end_index``, strides and rates, which the engine does not claim.
"""

from __future__ import annotations

from ..domain.shapes import DYNAMIC
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, to_tensor
from .registry import op
from .tf_data import DATASET, DatasetValue, mapped


@op(f"{DATASET}.window")
def window(call: Call) -> Value:
    """A dataset of windows: each tensor component becomes a dataset of it."""
    ds = call.arg(0, None)
    if not isinstance(ds, DatasetValue) or ds.kind != DATASET or ds.element is UNKNOWN:
        return DatasetValue(UNKNOWN)
    return DatasetValue(mapped(ds.element, lambda t: DatasetValue(t)))


@op("keras.utils.timeseries_dataset_from_array",
    "keras.preprocessing.timeseries_dataset_from_array")
def timeseries_dataset_from_array(call: Call) -> Value:
    """Batches of sequences (and of their targets), by TF's static spec."""
    data = to_tensor(call.arg(0, "data"), numpy=True)
    if data is None or data.shape is None or not data.shape or data.dtype is None:
        return DatasetValue(UNKNOWN)
    sequences = Tensor((DYNAMIC, DYNAMIC, *data.shape[1:]), _tf_dtype(call.arg(0, "data"), data),
                       "tensor")
    given = call.arg(1, "targets", Const(None))
    if given == Const(None):
        return DatasetValue(sequences)
    targets = to_tensor(given, numpy=True)
    if targets is None or targets.shape is None or not targets.shape or targets.dtype is None:
        return DatasetValue(Seq((sequences, UNKNOWN), "tuple"))
    return DatasetValue(Seq((sequences, Tensor((DYNAMIC, *targets.shape[1:]),
                                               _tf_dtype(given, targets), "tensor")), "tuple"))


def _tf_dtype(given: Value, array: Tensor) -> str | None:
    """The dtype TF gives the array: a NumPy array or tensor keeps its own; a Python list of
    ints is ``int32`` and of floats ``float32`` (converted by ``tf.convert_to_tensor``)."""
    if isinstance(given, Tensor):
        return array.dtype
    converted = to_tensor(given)
    return converted.dtype if converted is not None else None
