"""Advanced indexing: ``np.eye(n)[ids]``, ``x[:, ids]``, ``x[mask]``.

NumPy replaces the axis an integer array indexes by the index's shape, and the axes a
boolean array covers by one axis of its ``True`` count (unknown here: a value). A
``tf.Tensor`` accepts only a boolean mask as its whole index (``tf.boolean_mask``: TF's
static shape has ``None`` there) and raises TypeError for integer arrays, which is no shape
error: unknown. Only one array index among full slices (``:``) is modelled; anything else is
unknown rank, as before.

NumPy raises IndexError when a boolean index's shape differs from the axes it covers
(SL126) or an integer index of known value lies outside its axis (SL108).
"""

from __future__ import annotations

from ..domain.shapes import Dim, format_list
from ..domain.values import Const, SliceValue, Tensor, Value
from ._common import ShapeError, shape_text, to_tensor


def _full_slice(item: Value) -> bool:
    return isinstance(item, SliceValue) and all(
        isinstance(v, Const) and v.value is None for v in (item.start, item.stop, item.step))


def advanced(t: Tensor, items: list[Value], kind: str) -> Tensor:
    """``t[items]`` where one item is an array index (``t.shape`` is known)."""
    assert t.shape is not None
    unknown = Tensor(None, t.dtype, kind)
    arrays = [k for k, item in enumerate(items) if not _full_slice(item)]
    if len(arrays) != 1 or len(items) > len(t.shape):
        return unknown
    pos = arrays[0]
    index = to_tensor(items[pos], numpy=True)
    if index is None or index.shape is None or not index.shape:
        return unknown
    numpy = t.kind == "ndarray"
    if index.dtype == "bool":
        if not numpy and len(items) != 1:
            return unknown
        return _boolean(t, index, pos, kind, numpy)
    if not numpy or not (index.dtype or "").startswith(("int", "uint")):
        return unknown
    d = t.shape[pos]
    if index.content is not None and isinstance(d, int):
        for v in index.content:
            if isinstance(v, int) and not -d <= v < d:
                raise ShapeError("SL108", f"index {v} is out of bounds for axis {pos} with "
                                 f"size {d} (array {shape_text(t)})")
    shape: tuple[Dim, ...] = (*t.shape[:pos], *index.shape, *t.shape[pos + 1:])
    return Tensor(shape, t.dtype, kind, origin="indexing")


def _boolean(t: Tensor, mask: Tensor, pos: int, kind: str, numpy: bool) -> Tensor:
    """A boolean index covers ``mask``'s rank of axes; they become one of unknown size."""
    assert t.shape is not None and mask.shape is not None
    k = len(mask.shape)
    if pos + k > len(t.shape):
        return Tensor(None, t.dtype, kind)
    covered = t.shape[pos:pos + k]
    for axis, (d, m) in enumerate(zip(covered, mask.shape), start=pos):
        if isinstance(d, int) and isinstance(m, int) and d != m:
            if not numpy:
                return Tensor(None, t.dtype, kind)  # (TF's own check is not modelled)
            raise ShapeError("SL126", f"boolean index {format_list(mask.shape)} does not "
                             f"match the array {shape_text(t)} along axis {axis}: size "
                             f"{d} there, {m} in the mask")
    shape: tuple[Dim, ...] = (*t.shape[:pos], None, *t.shape[pos + k:])
    return Tensor(shape, t.dtype, kind, origin="boolean index")
