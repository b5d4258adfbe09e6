"""Graph-mode checks that need no graph: ``feed_dict`` values against their placeholders,
``Tensor.set_shape``, and the NumPy values a fetch gives back.

TF 1.x (and ``tensorflow.compat.v1`` with v2 behaviour disabled) checks every fed value with
``np.asarray(value, dtype=placeholder.dtype)`` and then ``placeholder.shape
.is_compatible_with(value.shape)`` before running anything, raising ``ValueError: Cannot feed
value of shape (100,) for Tensor Placeholder:0, which has shape (?, 784)`` at the ``run``/``eval``
line. Only a *placeholder* key is checked here: its static shape is exactly what the program
wrote, while another tensor's static shape in TF may know less than the analyzer does.
"""

from __future__ import annotations

from ..domain.shapes import DYNAMIC, Dim, Shape, format_shape, static_only
from ..domain.values import NONE, UNKNOWN, DictValue, ListOf, Opaque, Seq, Tensor, Value
from ._common import Call, ShapeError, to_tensor
from .registry import op
from .tf1 import ANY_SHAPE, OPERATION, static_shape
from .tf1_data import PY_NUMBER


def _tf_shape(shape: Shape) -> str:
    """A static shape as TF 1.x prints it in feed errors: ``(?, 784)``."""
    return format_shape(tuple(None if d is DYNAMIC else d for d in shape)) if shape is not None \
        else "<unknown>"


def fed_value(value: Value) -> Tensor | None:
    """What ``np.asarray`` makes of a fed value, when its shape is known: a list of unknown
    length is ``(?, *element)``; a Python number from ``random`` is a scalar."""
    if isinstance(value, Opaque) and value.kind == PY_NUMBER:
        return Tensor((), None, "ndarray")
    if isinstance(value, ListOf | Seq) and not (isinstance(value, Seq) and value.kind == "shape"):
        items = (value.element,) if isinstance(value, ListOf) else value.items
        if not items:
            # An empty list is a container about to be filled (``self.data = []`` then
            # ``append`` in a method): the analyzer may not have seen the appends.
            return None
        parts = [fed_value(item) for item in items]
        shapes = [p.shape for p in parts if p is not None]
        if len(shapes) != len(items) or len({len(s) for s in shapes if s}) > 1 \
                or any(s is None for s in shapes):
            return None
        rank = len(shapes[0] or ())
        dims = tuple(_same([s[i] for s in shapes if s is not None]) for i in range(rank))
        if any(len(s or ()) != rank for s in shapes):
            return None
        n = None if isinstance(value, ListOf) else len(items)
        return Tensor((n, *dims), None, "ndarray")
    t = to_tensor(value, numpy=True)
    if t is None or t.kind not in ("ndarray", "tensor") or t.shape is None or 0 in t.shape:
        return None  # an empty array: most likely built from such a list (see above)
    return t


def _same(dims: list[Dim]) -> Dim:
    first = dims[0]
    return first if isinstance(first, int) and all(d == first for d in dims) else None


def incompatible(static: Shape, actual: Shape) -> bool:
    """Proven: a value of shape ``actual`` is not compatible with the static ``static``."""
    if static is None or actual is None:
        return False
    if len(static) != len(actual):
        return True
    return any(isinstance(s, int) and isinstance(a, int) and s != a
               for s, a in zip(static, actual))


def check_feeds(feed: Value, where: str) -> dict[int, Tensor]:
    """SL116 for a fed value whose shape the placeholder refuses; the fed shapes by the
    ``id`` of each placeholder key (the graph replay runs on them)."""
    fed: dict[int, Tensor] = {}
    if not isinstance(feed, DictValue):
        return fed
    for key, value in feed.items:
        if not isinstance(key, Tensor) or key.origin not in ("placeholder", ANY_SHAPE):
            continue
        t = fed_value(value)
        if t is None:
            continue
        if key.origin == ANY_SHAPE:  # ``tf.placeholder(dtype)``: any value is accepted
            fed[id(key)] = Tensor(t.shape, key.dtype, "tensor", origin="fed value")
            continue
        if incompatible(key.shape, t.shape):
            raise ShapeError("SL116", f"{where}: cannot feed a value of shape "
                             f"{format_shape(t.shape)} to a placeholder of shape "
                             f"{_tf_shape(key.shape)} (TF raises 'Cannot feed value of shape "
                             f"{format_shape(t.shape)}')")
        if accepts(key.shape, t.shape):
            fed[id(key)] = Tensor(merged_shape(key.shape, t.shape), key.dtype, "tensor",
                                  origin="fed value")
    return fed


def accepts(static: Shape, actual: Shape) -> bool:
    """Proven: TF accepts a value of shape ``actual`` for a placeholder of shape ``static``
    (every dim dynamic or equal). Only such a feed is replayed: where the analyzer does not
    know the placeholder's shape, TF may refuse the feed first, with another error."""
    if static is None or actual is None or len(static) != len(actual):
        return False
    return all(s is DYNAMIC or (isinstance(s, int) and s == a) for s, a in zip(static, actual))


def fetched(value: Value) -> Value:
    """The value ``Session.run`` returns for a fetch: NumPy arrays for tensors (their dims
    are concrete at run time, so a dynamic dim is just unknown), ``None`` for operations,
    the same structure for lists, tuples and dicts."""
    if isinstance(value, Tensor):
        return Tensor(static_only(value.shape), value.dtype, "ndarray", origin="fetched")
    if isinstance(value, Opaque) and value.kind == OPERATION:
        return NONE
    if isinstance(value, Seq):
        return Seq(tuple(fetched(item) for item in value.items), value.kind)
    if isinstance(value, DictValue):
        return DictValue(tuple((k, fetched(v)) for k, v in value.items))
    return UNKNOWN


@op("Tensor.set_shape")
def set_shape(call: Call) -> Value:
    """SL117 when the new shape contradicts the static one (TF: ``Shapes must be equal rank``,
    ``Dimension 0 in both shapes must be equal``). ``None`` dims only ever refine."""
    t = call.tensor(0, None)
    shape = static_shape(call.arg(1, "shape"))
    if t is None or t.shape is None or shape is None:
        return NONE
    # TF compares with its *static* shape. A placeholder's is exactly what the program
    # wrote; for other tensors TF may know a size less than the analyzer does (and then
    # accepts any), so only a different rank is proven there.
    if t.origin != "placeholder" and len(t.shape) == len(shape):
        # eagerly TF knows every size (TF 2.21: "Tensor's shape (2, 3) is not compatible
        # with supplied shape (3, 2)"); a graph may know less: claimed only eagerly
        if incompatible(t.shape, shape):
            raise ShapeError("SL117", f"set_shape({_tf_shape(shape)}) on a tensor of shape "
                             f"{_tf_shape(t.shape)}: set_shape only refines a shape, it "
                             "cannot change it (use tf.reshape)", eager_only=True)
        return NONE
    if incompatible(t.shape, shape):
        raise ShapeError("SL117", f"set_shape({_tf_shape(shape)}) on a tensor of shape "
                         f"{_tf_shape(t.shape)}: set_shape only refines a shape, it cannot "
                         f"change it (use tf.reshape)")
    return NONE


@op("Tensor.eval")
def tensor_eval(call: Call) -> Value:
    """``t.eval(feed_dict=...)``: the fed values are checked, the result is ``t`` as an
    array."""
    t = call.tensor(0, None)
    check_feeds(call.arg(1, "feed_dict"), "Tensor.eval")
    return UNKNOWN if t is None else fetched(t)


def merged_shape(static: Shape, fed: Shape) -> Shape:
    """A placeholder's shape once fed: the fed dims where the static one is dynamic."""
    if static is None or fed is None or len(static) != len(fed):
        return fed if static is None else static
    out: list[Dim] = [s if isinstance(s, int) else f for s, f in zip(static, fed)]
    return tuple(out)
