"""Known values of 0-d tensors that are not dimensions: floats and bools.

Why a field of their own (``Tensor.scalar``) and not ``content``: ``content`` is read as
dimensions (reshape targets, ``range`` bounds, sizes) in dozens of places, and a float there
would be taken for one. ``scalar`` is read only here, by the comparisons and the truth of an
``if`` test (``x = tf.constant(1.0)``; ``if x > 0.0:``), so a branch TF decides by a
tensor's value is the one analysed.

Only exact facts: a value is kept only where the tensor's dtype holds it exactly (``0.1`` is
no float32 value), and read only where the tensor's kind and dtype still agree with it, so
a value carried on by an operation that changed the tensor (a cast, ``astype``) is never
read. A variable's value is never known (``assign`` changes it in place).
"""

from __future__ import annotations

import operator
import struct

from .values import Const, Tensor, Value

_INT_RANGES = {
    "int8": 7, "int16": 15, "int32": 31, "int64": 63,
    "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64,
}
_COMPARISONS = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
                "gt": operator.gt, "ge": operator.ge, "equal": operator.eq,
                "not_equal": operator.ne, "less": operator.lt, "less_equal": operator.le,
                "greater": operator.gt, "greater_equal": operator.ge}
Number = bool | int | float


def exact(value: object, dtype: str | None) -> bool:
    """Does a tensor of ``dtype`` hold ``value`` exactly (no rounding, no overflow)?"""
    if dtype == "bool":
        return type(value) is bool
    if type(value) is int:
        if dtype in _INT_RANGES:
            bits = _INT_RANGES[dtype]
            low = 0 if dtype.startswith("u") else -(2 ** bits)
            return low <= value < 2 ** bits
        if dtype == "float64":
            return abs(value) <= 2 ** 53
        return dtype == "float32" and abs(value) <= 2 ** 24
    if type(value) is not float or value != value:  # NaN: no claim
        return False
    if dtype == "float64":
        return True
    if dtype != "float32":
        return False
    try:
        return struct.unpack("f", struct.pack("f", value))[0] == value
    except OverflowError:
        return False


def literal_scalar(value: object, dtype: str | None) -> float | bool | None:
    """What ``Tensor.scalar`` keeps of a Python literal made a tensor of ``dtype``: a float
    or bool it holds exactly (ints live in ``content``)."""
    if type(value) is int and dtype in ("float32", "float64") and exact(value, dtype):
        return float(value)
    if type(value) in (float, bool) and exact(value, dtype):
        return value  # type: ignore[return-value]
    return None


def known_value(v: Value) -> Number | None:
    """The Python value of a literal or of a 0-d tensor whose value is known exactly, or
    None. A tensor must be a plain tensor or array (a variable changes in place, a Keras
    tensor is symbolic) whose dtype still holds the value."""
    if isinstance(v, Const):
        return v.value if type(v.value) in (bool, int, float) else None
    if not isinstance(v, Tensor) or v.shape != () or v.kind not in ("tensor", "ndarray"):
        return None
    if v.scalar is not None:
        return v.scalar if exact(v.scalar, v.dtype) else None
    if v.content and type(v.content[0]) is int and (v.dtype or "") in _INT_RANGES and \
            exact(v.content[0], v.dtype):
        return v.content[0]
    return None


def compared(leaf: str, a_v: Value, b_v: Value) -> bool | None:
    """``a <op> b`` of two known values, where every tensor operand's dtype holds both
    exactly (so TF's conversion of the other operand to that dtype, and NumPy's under either
    promotion scheme, changes neither): the same as Python's comparison. None otherwise."""
    fn = _COMPARISONS.get(leaf)
    a, b = known_value(a_v), known_value(b_v)
    if fn is None or a is None or b is None or bool in (type(a), type(b)):
        return None
    dtypes = [v.dtype for v in (a_v, b_v) if isinstance(v, Tensor)]
    if not dtypes or not all(exact(x, d) for d in dtypes for x in (a, b)):
        return None
    return bool(fn(a, b))


def truth(v: Value) -> bool | None:
    """``bool(v)`` of a literal or a known 0-d tensor (whether the context runs it eagerly
    is the interpreter's question: ``core/interpreter/truth.py``)."""
    value = known_value(v)
    return None if value is None else bool(value)
