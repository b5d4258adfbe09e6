"""``tf.train.Example`` parsing: the feature specs ``tf.io.FixedLenFeature(shape, dtype)`` and
``tf.io.VarLenFeature(dtype)`` keep what they declare, so that ``tf.io.parse_single_example``
and ``tf.io.parse_example`` give each key its tensor: a ``FixedLenFeature`` its declared shape
and dtype (``parse_example`` adds the batch axis of the serialized protos), a
``VarLenFeature`` a sparse tensor of unknown length (the data decides it).

As probed under TF 2.21 (``tests/unit/api_calls_more_cases.py`` runs them under TF); a spec
the engine cannot read gives its key an unknown value; nothing is invented.
"""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Const, DictValue, Opaque, Tensor, Value
from ._common import Call, to_dims, to_dtype, to_tensor
from .registry import op
from .tf_sparse import sparse

FIXED = "tf.io.FixedLenFeature"
VARLEN = "tf.io.VarLenFeature"
_DTYPES = ("float32", "int64", "string")  # the only dtypes a tf.train.Example holds


class FeatureValue(Opaque):
    """A parsing spec: its kind (FIXED or VARLEN), declared shape (FIXED) and dtype; None
    where the program's argument is not known."""

    __slots__ = ("shape", "dtype")

    def __init__(self, kind: str, shape: tuple[Dim, ...] | None, dtype: str | None) -> None:
        super().__init__(kind)
        self.shape = shape
        self.dtype = dtype


@op(FIXED)
def fixed_len_feature(call: Call) -> Value:
    """``FixedLenFeature(shape, dtype, default_value=None)``."""
    dims = to_dims(call.arg(0, "shape"))
    known = dims is not None and all(isinstance(d, int) and d >= 0 for d in dims)
    return FeatureValue(FIXED, tuple(dims) if known and dims is not None else None,
                        _dtype(call.arg(1, "dtype")))


@op(VARLEN)
def var_len_feature(call: Call) -> Value:
    """``VarLenFeature(dtype)``."""
    return FeatureValue(VARLEN, None, _dtype(call.arg(0, "dtype")))


def _dtype(v: Value) -> str | None:
    dtype = to_dtype(v)
    return dtype if dtype in _DTYPES else None


def _parsed(spec: Value, batch: tuple[Dim, ...]) -> Value:
    """The value a spec gives its key, behind the ``batch`` axes of the serialized input."""
    if not isinstance(spec, FeatureValue) or spec.dtype is None:
        return UNKNOWN
    if spec.kind == FIXED:
        return UNKNOWN if spec.shape is None else \
            Tensor((*batch, *spec.shape), spec.dtype, "tensor", origin="tf.io.parse_example")
    return sparse((*batch, None), spec.dtype, origin="tf.io.parse_example")


def _parse(call: Call, batch: tuple[Dim, ...] | None) -> Value:
    features = call.arg(1, "features")
    if batch is None or not isinstance(features, DictValue) or \
            not all(isinstance(k, Const) and isinstance(k.value, str) for k, _ in features.items):
        return UNKNOWN
    return DictValue(tuple((k, _parsed(v, batch)) for k, v in features.items))


@op("tf.io.parse_single_example")
def parse_single_example(call: Call) -> Value:
    """One serialized ``Example`` (a string scalar): each key's value as its spec says."""
    serialized = to_tensor(call.arg(0, "serialized"))
    scalar = serialized is None or (serialized.shape == () and serialized.dtype in ("string",
                                                                                  None))
    return _parse(call, () if scalar else None)


@op("tf.io.parse_example")
def parse_example(call: Call) -> Value:
    """A vector of serialized ``Example``s: each key's value with the batch axis first."""
    serialized = to_tensor(call.arg(0, "serialized"))
    if serialized is None or serialized.shape is None or len(serialized.shape) != 1 or \
            serialized.dtype not in ("string", None):
        return UNKNOWN
    return _parse(call, serialized.shape)


# The names of this module whose result is a known non-tensor value: bench/coverage.py.
NON_TENSOR_NAMES = frozenset({FIXED, VARLEN})
