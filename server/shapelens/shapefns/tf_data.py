"""``tf.data.Dataset``: a dataset is known by its element structure (TF's ``element_spec``).

A ``DatasetValue`` holds one element: a ``Tensor`` (a ``TensorSpec``), a tuple (``Seq``) or a
dict (``DictValue``) of them, or ``UNKNOWN``. Its dims are TF's static ones: the ``None`` of
``batch()`` is ``DYNAMIC``, as the element spec and a traced ``map`` function see it; an eager
``for`` loop sees concrete tensors (``element_value`` makes that dim unknown there).

Everything here is what TF 2.21 does, probed: ``from_tensor_slices`` converts a Python list to
one tensor (a tuple or dict is structure) and drops axis 0 of every component, refusing a
scalar or first dims that differ (``ValueError``); ``batch(n)`` adds ``None`` unless
``drop_remainder=True`` with ``n`` known; a ``map`` function's list result is a tuple. The
methods that call user functions (``map``, ``filter``, ``flat_map``...) are the overlay's
(``core/overlays/datasets.py``); their entries here answer for a function the engine cannot
call (an unknown element).
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.shapes import DYNAMIC, Dim, join_shape, static_only
from ..domain.values import UNKNOWN, Const, DictValue, Opaque, Seq, Tensor, Value, join
from ._common import Call, ShapeError, to_int, to_static_dims, to_tensor
from .registry import op

DATASET = "tf.data.Dataset"
ITERATOR = "tf.data.Iterator"  # iter(ds), enumerate(ds), ds.as_numpy_iterator()


class DatasetValue(Opaque):
    """A ``tf.data.Dataset`` (``kind`` DATASET) or a Python iterator over its elements
    (ITERATOR, whose methods are nobody's): ``element`` is one element's structure.

    ``count`` is the exact number of elements when known. After ``batch(b)`` of ``n`` known
    elements, ``first`` is the first element as an eager loop holds it (``min(b, n)`` rows)
    and every later one has its shape except ``last`` (``n`` mod ``b`` rows, or ``b``)."""

    __slots__ = ("element", "count", "first", "last")

    def __init__(self, element: Value, kind: str = DATASET, count: int | None = None,
                 first: Value | None = None, last: Value | None = None) -> None:
        super().__init__(kind)
        self.element = element
        self.count = count
        self.first = first
        self.last = last


def structure(v: Value, list_is_tensor: bool = True) -> Value:
    """A nested value as a dataset element: tensors (kind ``tensor``, no content), tuples,
    dicts; a Python list is one tensor (``from_tensor_slices([...])``) or, returned by a
    ``map`` function, a tuple (``list_is_tensor=False``)."""
    if isinstance(v, Seq) and (v.kind == "tuple" or (v.kind == "list" and not list_is_tensor)):
        return Seq(tuple(structure(i, list_is_tensor) for i in v.items), "tuple")
    if isinstance(v, DictValue):
        return DictValue(tuple((k, structure(i, list_is_tensor)) for k, i in v.items))
    if isinstance(v, Tensor | Const | Seq):
        t = to_tensor(v)
        if t is not None and t.kind in ("tensor", "ndarray", "variable"):
            return Tensor(t.shape, t.dtype, "tensor")
    return UNKNOWN


def components(element: Value) -> list[Value]:
    """The leaves of an element, in order."""
    if isinstance(element, Seq):
        return [c for item in element.items for c in components(item)]
    if isinstance(element, DictValue):
        return [c for _, item in element.items for c in components(item)]
    return [element]


def mapped(element: Value, fn: Callable[[Tensor], Value]) -> Value:
    """``element`` with every tensor leaf replaced by ``fn(leaf)`` (unknown leaves stay)."""
    if isinstance(element, Seq):
        return Seq(tuple(mapped(i, fn) for i in element.items), "tuple")
    if isinstance(element, DictValue):
        return DictValue(tuple((k, mapped(i, fn)) for k, i in element.items))
    if isinstance(element, Tensor):
        return fn(element)
    return element


def element_value(element: Value, traced: bool, numpy: bool = False) -> Value:
    """An element as the program holds it: in an eager loop a ``None`` of the spec is some
    concrete size (unknown here); traced (a ``tf.function``), it stays TF's ``None``."""
    def leaf(t: Tensor) -> Tensor:
        shape = t.shape if traced else static_only(t.shape)
        return Tensor(shape, t.dtype, "ndarray" if numpy else "tensor")
    return mapped(element, leaf)


def iteration_element(ds: DatasetValue, traced: bool) -> Value:
    """What ``for x in ds`` / ``next(iter(ds))`` binds (an iterator's element is ready): in
    an eager loop over batches of known sizes, the join of the first and the last."""
    if not traced and ds.first is not None and ds.last is not None:
        return join(ds.first, ds.last)
    return ds.element if ds.kind == ITERATOR else element_value(ds.element, traced)


def eager_ends(ds: DatasetValue) -> tuple[Value, Value | None] | None:
    """(first element, last element if it differs from the others) of an eager loop over
    batches of known sizes, or None."""
    if ds.first is None or ds.last is None or not ds.count:
        return None
    return ds.first, (ds.last if ds.count > 1 and ds.last != ds.first else None)


def _rows(element: Value, rows: int) -> Value:
    """The element of a batch of ``rows`` rows, as an eager loop holds it."""
    return mapped(element_value(element, traced=False), lambda t: Tensor(
        None if t.shape is None else (rows, *t.shape), t.dtype, "tensor"))


def _dataset(call: Call, pos: int = 0) -> DatasetValue | None:
    receiver = call.arg(pos, None)
    return receiver if isinstance(receiver, DatasetValue) and receiver.kind == DATASET \
        else None


def _same(call: Call) -> Value:
    """A method that keeps the element (prefetch, cache...) and, for those that keep the
    elements in order, their number and sizes; shuffle keeps the number only."""
    ds = _dataset(call)
    if ds is None:
        return DatasetValue(UNKNOWN)
    if call.name.endswith((".prefetch", ".cache", ".with_options", ".assert_cardinality")):
        return ds
    if call.name.endswith(".shuffle"):
        return DatasetValue(ds.element, count=ds.count)
    if call.name.endswith((".take", ".skip", ".repeat")):
        return _counted(call, ds)
    return DatasetValue(ds.element)


def _counted(call: Call, ds: DatasetValue) -> DatasetValue:
    """take(k), skip(k), repeat(c): the number of elements, and the batches at the ends
    (inside a batched dataset every element but the last has the first's shape)."""
    given = call.arg(1, "count", Const(None))
    k = -1 if given == Const(None) and call.name.endswith(".repeat") else to_int(given)
    n = ds.count
    if k is None or n is None:
        return DatasetValue(ds.element)
    if call.name.endswith(".repeat"):  # a partial batch inside: take/skip cannot tell
        if k < 0 or (k > 1 and ds.first != ds.last):
            return DatasetValue(ds.element, first=ds.first, count=None if k < 0 else n * k)
        return DatasetValue(ds.element, count=n * k, first=ds.first, last=ds.last)
    if call.name.endswith(".take"):
        count = n if k < 0 else min(k, n)
        last = ds.last if count == n else ds.first
        return DatasetValue(ds.element, count=count, first=ds.first if count else None,
                            last=last if count else None)
    count = 0 if k < 0 else max(n - k, 0)
    first = ds.first if count > 1 else ds.last if count == 1 else None
    return DatasetValue(ds.element, count=count, first=first, last=ds.last if count else None)


def _unbatched(t: Tensor, what: str) -> Tensor:
    if t.shape == ():
        raise ShapeError("SL123", what)
    return Tensor(None if t.shape is None else t.shape[1:], t.dtype, "tensor")


# ---------------------------------------------------------------- sources

@op("tf.data.Dataset.from_tensor_slices")
def from_tensor_slices(call: Call) -> Value:
    """Slices along axis 0 of every component; their first dims must agree."""
    element = structure(call.arg(0, "tensors"))
    leaves = [c for c in components(element) if isinstance(c, Tensor)]
    firsts = [t.shape[0] for t in leaves if t.shape and isinstance(t.shape[0], int)]
    other = next((d for d in firsts if d != firsts[0]), None)
    if other is not None:
        a, b = firsts[0], other
        raise ShapeError("SL123", f"tf.data.Dataset.from_tensor_slices: components differ in "
                         f"their first dimension (Dimensions {a} and {b} are not compatible)")
    return DatasetValue(mapped(element, lambda t: _unbatched(
        t, "tf.data.Dataset.from_tensor_slices: a scalar cannot be sliced (Unbatching a "
           "tensor is only supported for rank >= 1)")), count=firsts[0] if firsts and
        len(firsts) == len(components(element)) else None)


@op("tf.data.Dataset.from_tensors")
def from_tensors(call: Call) -> Value:
    return DatasetValue(structure(call.arg(0, "tensors")), count=1)


@op("tf.data.Dataset.range")
def dataset_range(call: Call) -> Value:
    bounds = [b for b in (to_int(a) for a in call.args) if b is not None]
    count = len(range(*bounds)) if 1 <= len(bounds) == len(call.args) <= 3 and \
        0 not in bounds[2:] else None
    return DatasetValue(Tensor((), call.dtype_arg(None, "output_type", "int64"), "tensor"),
                        count=count)


@op("tf.data.Dataset.zip")
def dataset_zip(call: Call) -> Value:
    """``zip((a, b))``, ``zip({"x": a})`` or ``zip(a, b)``: the structure of their elements."""
    given = call.arg(0, "datasets") if len(call.args) <= 1 else Seq(tuple(call.args))
    return DatasetValue(_zipped(given))


def _zipped(v: Value) -> Value:
    if isinstance(v, DatasetValue) and v.kind == DATASET:
        return v.element
    if isinstance(v, Seq) and v.kind == "tuple":
        return Seq(tuple(_zipped(i) for i in v.items), "tuple")
    if isinstance(v, DictValue):
        return DictValue(tuple((k, _zipped(i)) for k, i in v.items))
    return UNKNOWN


# ---------------------------------------------------------------- methods

for _name in ("shuffle", "take", "skip", "repeat", "prefetch", "cache", "shard",
              "with_options", "ignore_errors", "apply_options", "unique", "assert_cardinality"):
    op(f"{DATASET}.{_name}")(_same)


@op(f"{DATASET}.batch")
def batch(call: Call) -> Value:
    """A leading dim of ``batch_size`` with ``drop_remainder=True``, else TF's ``None``."""
    ds = _dataset(call)
    if ds is None:
        return DatasetValue(UNKNOWN)
    n = to_int(call.arg(1, "batch_size"))
    drop = call.flag(2, "drop_remainder")
    lead: Dim = n if drop and n is not None and n > 0 else DYNAMIC if drop is False else None
    element = mapped(ds.element, lambda t: Tensor(
        None if t.shape is None else (lead, *t.shape), t.dtype, "tensor"))
    total = ds.count
    if total is None or n is None or n <= 0 or drop is None:
        return DatasetValue(element)
    count = total // n if drop else -(-total // n)
    if not count:
        return DatasetValue(element, count=0)
    rest = total - n * (count - 1)
    return DatasetValue(element, count=count, first=_rows(ds.element, min(n, total)),
                        last=_rows(ds.element, rest if not drop else n))


@op(f"{DATASET}.rebatch")
def rebatch(call: Call) -> Value:
    """A new leading (batch) dim: ``batch_size`` with ``drop_remainder=True``, else None."""
    ds = _dataset(call)
    if ds is None:
        return DatasetValue(UNKNOWN)
    n = to_int(call.arg(1, "batch_size"))
    drop = call.flag(2, "drop_remainder")
    lead: Dim = n if drop and n is not None and n > 0 else DYNAMIC if drop is False else None
    return DatasetValue(mapped(ds.element, lambda t: Tensor(
        (lead, *t.shape[1:]) if t.shape else None, t.dtype, "tensor")))


@op(f"{DATASET}.padded_batch")
def padded_batch(call: Call) -> Value:
    """Each component padded to ``padded_shapes`` (a tensor's; else its dims in the batch)."""
    ds = _dataset(call)
    if ds is None:
        return DatasetValue(UNKNOWN)
    n = to_int(call.arg(1, "batch_size"))
    drop = call.flag(4, "drop_remainder")
    lead: Dim = n if drop and n is not None and n > 0 else DYNAMIC if drop is False else None
    given = call.arg(2, "padded_shapes", Const(None))
    padded = None if given == Const(None) else to_static_dims(given)

    def pad(t: Tensor) -> Tensor:
        if given == Const(None):
            shape = t.shape
        elif isinstance(ds.element, Tensor) and padded is not None and \
                (t.shape is None or len(t.shape) == len(padded)):
            shape = tuple(d if isinstance(d, int) else None for d in padded)
        else:
            shape = None
        return Tensor(None if shape is None else (lead, *shape), t.dtype, "tensor")
    return DatasetValue(mapped(ds.element, pad))


@op(f"{DATASET}.unbatch")
def unbatch(call: Call) -> Value:
    ds = _dataset(call)
    if ds is None:
        return DatasetValue(UNKNOWN)
    return DatasetValue(mapped(ds.element, lambda t: _unbatched(
        t, "Dataset.unbatch: Cannot unbatch an input with scalar components.")))


@op(f"{DATASET}.enumerate")
def dataset_enumerate(call: Call) -> Value:
    ds = _dataset(call)
    return DatasetValue(Seq((Tensor((), "int64", "tensor"),
                             ds.element if ds is not None else UNKNOWN), "tuple"))


@op(f"{DATASET}.concatenate")
def concatenate(call: Call) -> Value:
    """The elements' join: a dim that differs is ``None``, a rank that differs unknown."""
    a, b = _dataset(call), _dataset(call, 1)
    if a is None or b is None:
        return DatasetValue(UNKNOWN)
    return DatasetValue(_join_elements(a.element, b.element))


def _join_elements(a: Value, b: Value) -> Value:
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        both = join_shape(a.shape, b.shape)
        shape = None if both is None else tuple(
            DYNAMIC if d is None and (x is DYNAMIC or y is DYNAMIC or
                                      (isinstance(x, int) and isinstance(y, int))) else d
            for d, x, y in zip(both, a.shape or (), b.shape or ()))
        return Tensor(shape, a.dtype if a.dtype == b.dtype else None, "tensor")
    if isinstance(a, Seq) and isinstance(b, Seq) and len(a.items) == len(b.items):
        return Seq(tuple(_join_elements(x, y) for x, y in zip(a.items, b.items)), "tuple")
    return UNKNOWN


@op(f"{DATASET}.cardinality")
def cardinality(call: Call) -> Value:
    return Tensor((), "int64", "tensor")


@op(f"{DATASET}.as_numpy_iterator")
def as_numpy_iterator(call: Call) -> Value:
    ds = _dataset(call)
    element = element_value(ds.element, traced=False, numpy=True) if ds is not None \
        else UNKNOWN
    return DatasetValue(element, ITERATOR)


@op(f"{DATASET}.map", f"{DATASET}.flat_map", f"{DATASET}.interleave")
def map_unknown(call: Call) -> Value:
    """A function the engine cannot call makes an element it cannot know."""
    return DatasetValue(UNKNOWN)


@op(f"{DATASET}.filter", f"{DATASET}.take_while")
def filter_same(call: Call) -> Value:
    return _same(call)


def keras_data(x: Value, y: Value) -> tuple[Value, Value]:
    """``model.fit(dataset)``: Keras unpacks each element into ``(x, y[, sample_weight])``
    (a tuple of one is ``x``); a tensor or dict element is ``x`` alone."""
    if not (isinstance(x, DatasetValue) and x.kind == DATASET):
        return x, y
    element = x.element
    if isinstance(element, Seq) and 1 <= len(element.items) <= 3:
        items = element.items
        return items[0], items[1] if len(items) > 1 else UNKNOWN
    if isinstance(element, Tensor | DictValue):
        return element, UNKNOWN
    return UNKNOWN, UNKNOWN




def dataset_arguments(args: list[Value], kwargs: dict[str, Value]
                      ) -> tuple[list[Value], dict[str, Value]]:
    """``fit``/``evaluate``/``predict`` arguments with a dataset ``x`` replaced by what Keras
    takes from its element (``keras_data``): the element's ``x`` and ``y`` (Keras refuses a
    separate ``y`` with a dataset, so that place is free)."""
    if args and isinstance(args[0], DatasetValue):
        x, y = keras_data(args[0], UNKNOWN)
        return [x, y, *args[2:]], kwargs
    given = kwargs.get("x")
    if isinstance(given, DatasetValue):
        x, y = keras_data(given, UNKNOWN)
        return args, {**kwargs, "x": x, "y": y}
    return args, kwargs
