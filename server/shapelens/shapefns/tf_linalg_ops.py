"""``tf.linalg`` decompositions and matrix functions real programs call (``bench/coverage.py``):
``cholesky``, ``inv``, ``det``/``logdet``/``slogdet``, ``eig``/``eigh``, ``lu``, ``pinv``,
``matrix_rank``, ``cross``; the products are ``tf_linalg``'s.

Each acts on the last two axes and keeps the others (the batch). Probed under TF 2.21: a
non-square matrix where one is needed, a rank below 2, or an integer input is TF's error,
whose message no rule of the catalogue names, so those values are unknown and not findings.
"""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Seq, Tensor, Value
from ._common import Call
from .registry import op

_REAL = ("float32", "float64")
_COMPLEX = ("complex64", "complex128")
_EIG = {"float32": "complex64", "float64": "complex128", "complex64": "complex64",
        "complex128": "complex128"}


def _matrices(call: Call, name: str, square: bool, complex_ok: bool = True) -> Tensor | None:
    """The input when TF surely takes it: rank >= 2, a float (or complex) dtype, square
    when ``square`` unless a side is unknown."""
    t = call.tensor(0, name)
    if t is None or t.shape is None or len(t.shape) < 2:
        return None
    if t.dtype not in _REAL and not (complex_ok and t.dtype in _COMPLEX):
        return None
    m, n = t.shape[-2:]
    if square and isinstance(m, int) and isinstance(n, int) and m != n:
        return None
    return t


def _side(t: Tensor) -> Dim:
    """The side of square matrices: whichever of the last two dims is known."""
    assert t.shape is not None
    m, n = t.shape[-2:]
    return m if isinstance(m, int) else n


@op("tf.linalg.cholesky", "tf.linalg.inv")
def same_square(call: Call) -> Value:
    """Square matrices in, the same shape and dtype out."""
    t = _matrices(call, "input", square=True)
    if t is None or t.shape is None:
        return UNKNOWN
    side = _side(t)
    return call.result((*t.shape[:-2], side, side), t.dtype, call.name)


@op("tf.linalg.det", "tf.linalg.logdet")
def determinant(call: Call) -> Value:
    """One value per matrix. ``logdet`` (through a Cholesky factor) is real, of a real
    input only here."""
    t = _matrices(call, "input" if call.name != "tf.linalg.logdet" else "matrix",
                  square=True, complex_ok=call.name != "tf.linalg.logdet")
    if t is None or t.shape is None:
        return UNKNOWN
    return call.result(t.shape[:-2], t.dtype, call.name)


@op("tf.linalg.slogdet")
def slogdet(call: Call) -> Value:
    """``(sign, log_abs_determinant)``, one of each per matrix, both of the input's dtype
    (complex too)."""
    t = _matrices(call, "input", square=True)
    if t is None or t.shape is None or t.dtype is None:
        return UNKNOWN
    batch = t.shape[:-2]
    return Seq((call.result(batch, t.dtype, call.name),
                call.result(batch, t.dtype, call.name)), "tuple")


@op("tf.linalg.eig", "tf.linalg.eigh", "tf.linalg.eigvals", "tf.linalg.eigvalsh")
def eigen(call: Call) -> Value:
    """``eig``: complex eigenvalues ``[..., N]`` and eigenvectors ``[..., N, N]``; ``eigh``
    both of the input's dtype (complex eigenvalues of a complex input, as TF 2.21 gives
    them); ``eigvals*`` the values only."""
    t = _matrices(call, "tensor", square=True)
    if t is None or t.shape is None or t.dtype is None:
        return UNKNOWN
    side, batch = _side(t), t.shape[:-2]
    general = call.name in ("tf.linalg.eig", "tf.linalg.eigvals")
    dtype = _EIG[t.dtype] if general else t.dtype
    e = call.result((*batch, side), dtype, call.name)
    if call.name.startswith("tf.linalg.eigvals"):
        return e
    return Seq((e, call.result((*batch, side, side), dtype, call.name)), "tuple")


@op("tf.linalg.lu")
def lu(call: Call) -> Value:
    """``(lu [..., N, N], p [..., N])``: the packed factors and the permutation, whose dtype
    is ``output_idx_type`` (int32)."""
    t = _matrices(call, "input", square=True)
    idx = call.dtype_arg(1, "output_idx_type", "int32")
    if t is None or t.shape is None or idx not in ("int32", "int64"):
        return UNKNOWN
    side, batch = _side(t), t.shape[:-2]
    return Seq((call.result((*batch, side, side), t.dtype, call.name),
                call.result((*batch, side), idx, call.name)), "tuple")


@op("tf.linalg.pinv")
def pinv(call: Call) -> Value:
    """``[..., M, N]`` -> ``[..., N, M]`` (real matrices)."""
    t = _matrices(call, "a", square=False, complex_ok=False)
    if t is None or t.shape is None:
        return UNKNOWN
    *batch, m, n = t.shape
    return call.result((*batch, n, m), t.dtype, call.name)


@op("tf.linalg.matrix_rank")
def matrix_rank(call: Call) -> Value:
    """One int32 rank per matrix (a count of singular values)."""
    t = _matrices(call, "a", square=False, complex_ok=False)
    if t is None or t.shape is None:
        return UNKNOWN
    return call.result(t.shape[:-2], "int32", call.name)


@op("tf.linalg.cross")
def cross(call: Call) -> Value:
    """Two tensors of one shape and dtype whose last dim is 3 (no broadcasting): that
    shape. Other shapes are TF's errors (unknown)."""
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None or not a.shape or \
            a.dtype != b.dtype:
        return UNKNOWN
    if len(a.shape) != len(b.shape) or a.shape[-1] not in (3, None) or \
            b.shape[-1] not in (3, None) or any(
            isinstance(x, int) and isinstance(y, int) and x != y for x, y in zip(a.shape,
                                                                                 b.shape)):
        return UNKNOWN
    shape = tuple(x if isinstance(x, int) else y for x, y in zip(a.shape, b.shape))
    return call.result(shape, a.dtype, call.name)
