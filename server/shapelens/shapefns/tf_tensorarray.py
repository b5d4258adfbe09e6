"""``tf.TensorArray``: a list of same-shaped tensors, written in a loop and stacked after it.

The array is a ``Tensor`` of kind ``"TensorArray"`` whose shape is what ``stack()`` would
give: ``(size, *element_shape)``, the size ``None`` when it may grow (``dynamic_size=True``)
or is not known. Until the element shape is known (no ``element_shape=`` and no write yet)
the shape is unknown and ``content`` holds the static size, so the first write can still
give a full shape. Its methods arrive as ``Tensor.<method>`` (the interpreter's name for a
tensor's method) and answer only for this kind; a plain tensor has no ``write``.

TF 2.21 checks, eagerly and in a graph alike, that every written value has the element shape
(inferred from the first write, or given): a write of another shape raises ValueError at
that line (SL125). Everything else it cannot prove stays unknown.
"""

from __future__ import annotations

from ..domain.shapes import Dim, format_list
from ..domain.values import UNKNOWN, Tensor, Value
from ._common import Call, ShapeError, to_dim, to_dims
from .registry import op

KIND = "TensorArray"


def _array(size: Dim, element: tuple[Dim, ...] | None, dtype: str | None) -> Tensor:
    if element is None:
        return Tensor(None, dtype, KIND, (size,) if isinstance(size, int) else None,
                      origin="tf.TensorArray")
    return Tensor((size, *element), dtype, KIND, origin="tf.TensorArray")


def _parts(t: Tensor) -> tuple[Dim, tuple[Dim, ...] | None]:
    """(static size or None, element shape or None) of an array value."""
    if t.shape is None:
        size = t.content[0] if t.content and isinstance(t.content[0], int) else None
        return size, None
    return (t.shape[0], t.shape[1:]) if t.shape else (None, None)


def _receiver(call: Call) -> Tensor | None:
    t = call.args[0] if call.args else None
    return t if isinstance(t, Tensor) and t.kind == KIND else None


@op("tf.TensorArray")
def tensor_array(call: Call) -> Value:
    """``TensorArray(dtype, size=None, dynamic_size=None, ..., element_shape=None)``."""
    dtype = call.dtype_arg(0, "dtype")
    dynamic = call.flag(2, "dynamic_size")
    size = to_dim(call.arg(1, "size")) if call.has(1, "size") and dynamic is False else None
    element = to_dims(call.arg(8, "element_shape")) if call.has(8, "element_shape") else None
    if element is not None and any(d is None for d in element):
        element = None  # a partly known element shape: merging it is not modelled
    return _array(size if isinstance(size, int) else None, element, dtype)


def _compatible(a: tuple[Dim, ...], b: tuple[Dim, ...]) -> bool:
    """False only when a known dim or the rank proves the shapes differ."""
    if len(a) != len(b):
        return False
    return all(not (isinstance(x, int) and isinstance(y, int)) or x == y for x, y in zip(a, b))


@op("Tensor.write")
def write(call: Call) -> Value:
    """``ta.write(index, value)``: the array with ``value``'s shape as its element shape."""
    ta = _receiver(call)
    if ta is None:
        return UNKNOWN
    value = call.tensor(2, "value")
    size, element = _parts(ta)
    if value is None or value.shape is None:
        return ta if element is not None else _array(size, None, ta.dtype)
    if element is not None and not _compatible(element, value.shape):
        raise ShapeError("SL125", f"TensorArray.write: the value has shape "
                         f"{format_list(value.shape)} but the array's elements have shape "
                         f"{format_list(element)} (every element of a TensorArray has one "
                         "shape: TF raises ValueError here)")
    return ta if element is not None else _array(size, value.shape, ta.dtype)


@op("Tensor.stack")
def stack(call: Call) -> Value:
    ta = _receiver(call)
    if ta is None or ta.shape is None:
        return UNKNOWN
    return Tensor(ta.shape, ta.dtype, "tensor", origin="TensorArray.stack")


@op("Tensor.read")
def read(call: Call) -> Value:
    ta = _receiver(call)
    element = _parts(ta)[1] if ta is not None else None
    if ta is None or element is None:
        return UNKNOWN
    return Tensor(element, ta.dtype, "tensor", origin="TensorArray.read")


@op("Tensor.gather")
def gather(call: Call) -> Value:
    """``ta.gather(indices)``: one element per index."""
    ta = _receiver(call)
    element = _parts(ta)[1] if ta is not None else None
    indices = call.tensor(1, "indices")
    if ta is None or element is None or indices is None or indices.shape is None or \
            len(indices.shape) != 1:
        return UNKNOWN
    return Tensor((indices.shape[0], *element), ta.dtype, "tensor",
                  origin="TensorArray.gather")


@op("Tensor.concat")
def concat(call: Call) -> Value:
    """``ta.concat()``: elements joined on their first axis, whose total TF's static shape
    leaves unknown in a graph."""
    ta = _receiver(call)
    element = _parts(ta)[1] if ta is not None else None
    if ta is None or not element:
        return UNKNOWN
    return Tensor((None, *element[1:]), ta.dtype, "tensor", origin="TensorArray.concat")


@op("Tensor.size")
def size(call: Call) -> Value:
    ta = _receiver(call)
    if ta is None:
        return UNKNOWN
    n = _parts(ta)[0]
    return Tensor((), "int32", "tensor", (n,) if isinstance(n, int) else None,
                  origin="TensorArray.size")


@op("Tensor.unstack", "Tensor.scatter")
def unstack(call: Call) -> Value:
    """``ta.unstack(value)`` / ``ta.scatter(indices, value)``: elements of ``value``'s shape
    without its first axis."""
    ta = _receiver(call)
    if ta is None:
        return UNKNOWN
    value = call.tensor(1, "value") if call.name.endswith("unstack") else call.tensor(2, "value")
    size_, element = _parts(ta)
    if value is None or value.shape is None or not value.shape:
        return UNKNOWN
    rows = value.shape[1:]
    if element is not None and not _compatible(element, rows):
        return UNKNOWN  # (which error, eagerly or traced, is not modelled)
    if call.name.endswith("unstack") and size_ is None and isinstance(value.shape[0], int):
        return _array(None, rows, ta.dtype)  # a growing array: its size stays unknown
    return _array(size_, rows, ta.dtype)
