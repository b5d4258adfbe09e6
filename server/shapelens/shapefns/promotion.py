"""NumPy's type promotion (NumPy 2 rules, NEP 50), for the NumPy shape functions and the
operators of ``tnp.experimental_enable_numpy_behavior()``: which dtype a mix of arrays and
Python literals gives. Split from ``_common`` (re-exported there) to keep modules small."""

from __future__ import annotations

_INT_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64}
_UINT_BITS = {"uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}
_FLOAT_BITS = {"float16": 16, "float32": 32, "float64": 64}
_COMPLEX_BITS = {"complex64": 32, "complex128": 64}  # bits of each component


def _float_for_int(dtype: str) -> int:
    """Bits of the smallest float NumPy promotes an integer dtype to."""
    bits = _INT_BITS.get(dtype) or _UINT_BITS.get(dtype) or 0
    return 16 if bits <= 8 else 32 if bits == 16 else 64


def np_promote(a: str | None, b: str | None) -> str | None:
    """``np.result_type`` of two array dtypes (NumPy 2); None when unknown."""
    if a is None or b is None:
        return None
    if a == b:
        return a
    if a == "bool" or b == "bool":
        other = b if a == "bool" else a
        known = other in _INT_BITS or other in _UINT_BITS or other in _FLOAT_BITS or \
            other in _COMPLEX_BITS
        return other if known else None
    ints = {**_INT_BITS, **_UINT_BITS}
    if a in ints and b in ints:
        signed = [d for d in (a, b) if d in _INT_BITS]
        if len(signed) != 1:
            return a if ints[a] >= ints[b] else b
        s, u = (a, b) if a in _INT_BITS else (b, a)
        if _INT_BITS[s] > _UINT_BITS[u]:
            return s
        return {8: "int16", 16: "int32", 32: "int64"}.get(_UINT_BITS[u], "float64")
    bits = []
    is_complex = False
    for d in (a, b):
        if d in ints:
            bits.append(_float_for_int(d))
        elif d in _FLOAT_BITS:
            bits.append(_FLOAT_BITS[d])
        elif d in _COMPLEX_BITS:
            bits.append(_COMPLEX_BITS[d])
            is_complex = True
        else:
            return None
    width = max(bits)
    if is_complex:
        return "complex64" if width <= 32 else "complex128"
    return f"float{width}"


def np_weak_promote(array: str | None, literal: str | None) -> str | None:
    """NumPy 2 (NEP 50): a Python scalar keeps the array's dtype unless its kind is higher."""
    if array is None or literal is None:
        return None
    order = ("bool", "int", "float", "complex")

    def kind(d: str) -> int:
        return next((i for i, k in enumerate(order) if d.startswith(k) or
                     (k == "int" and d.startswith("uint"))), -1)

    ka, kl = kind(array), kind(literal)
    if ka < 0 or kl < 0:
        return None
    if kl <= ka:
        return array
    if kl == 3 and ka == 2:
        return "complex64" if array in ("float16", "float32") else "complex128"
    return {1: "int64", 2: "float64", 3: "complex128"}[kl]


def np_float_result(dtype: str | None) -> str | None:
    """dtype of a NumPy float ufunc (exp, sqrt, ...) on ``dtype``: ints and bools become
    the smallest float that holds them."""
    if dtype is None or dtype.startswith(("float", "complex")):
        return dtype
    if dtype == "bool" or dtype in _INT_BITS or dtype in _UINT_BITS:
        return f"float{_float_for_int(dtype)}"
    return None
