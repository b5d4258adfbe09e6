"""Keras metric objects in custom training loops: ``acc = keras.metrics.Mean()``,
``acc.update_state(y, logits)`` (None), ``acc.result()`` and ``acc(y, logits)`` (a float32
scalar), ``acc.reset_state()`` (None). The object is an ``Opaque`` of kind ``keras.metric``;
its methods are answered from here (``core/overlays/library_objects.py``)."""

from __future__ import annotations

from ..domain.values import NONE, Opaque, Tensor, Value
from ._common import Call
from .registry import op

KIND = "keras.metric"
_CLASSES = ("Mean", "Sum", "Accuracy", "BinaryAccuracy", "CategoricalAccuracy",
            "SparseCategoricalAccuracy", "TopKCategoricalAccuracy",
            "SparseTopKCategoricalAccuracy", "MeanSquaredError", "MeanAbsoluteError",
            "RootMeanSquaredError", "MeanAbsolutePercentageError", "AUC", "Precision",
            "Recall", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
            "BinaryCrossentropy", "MeanIoU", "IoU", "KLDivergence", "Hinge", "LogCoshError")


@op(*(f"keras.metrics.{n}" for n in _CLASSES))
def metric(call: Call) -> Value:
    return Opaque(KIND)


@op(f"{KIND}.update_state", f"{KIND}.reset_state")
def returns_none(call: Call) -> Value:
    return NONE


@op(f"{KIND}.result", f"{KIND}.__call__")
def result(call: Call) -> Value:
    return Tensor((), "float32", "tensor", origin="keras.metric")
