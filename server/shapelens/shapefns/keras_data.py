"""Where training data comes from: ``keras.datasets.*.load_data()`` (the documented shapes
and dtypes of each data set), ``keras.utils.to_categorical`` and ``tf.sequence_mask``.

A notebook's data cell is usually one of these; knowing their shapes is what lets the engine
see the mismatch in the ``fit`` cell three cells later.
"""

from __future__ import annotations

from ..domain.shapes import Dim
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call, ShapeError, shape_text, to_dim, to_int
from .registry import op

# name -> (train count, test count, sample shape, x dtype, label shape, y dtype); None: an
# object array of Python lists (the text data sets' ragged sequences).
_IMAGES: dict[str, tuple[int, int, tuple[int, ...], str, tuple[int, ...], str]] = {
    "mnist": (60000, 10000, (28, 28), "uint8", (), "uint8"),
    "fashion_mnist": (60000, 10000, (28, 28), "uint8", (), "uint8"),
    "cifar10": (50000, 10000, (32, 32, 3), "uint8", (1,), "uint8"),
    "cifar100": (50000, 10000, (32, 32, 3), "uint8", (1,), "int64"),
}
# name -> (samples, features or None, x dtype, y dtype, position of test_split)
_TABLES: dict[str, tuple[int, int | None, str | None, str | None, int]] = {
    "boston_housing": (506, 13, "float64", "float64", 1),
    "reuters": (11228, None, None, "int64", 4),
}
_CALIFORNIA = {"large": 20640, "small": 600}


def _array(shape: tuple[Dim, ...], dtype: str | None, origin: str) -> Tensor:
    return Tensor(shape, dtype, "ndarray", origin=origin)


def _split(call: Call, x: tuple[Tensor, Tensor], y: tuple[Tensor, Tensor]) -> Seq:
    return Seq((Seq((x[0], y[0]), "tuple"), Seq((x[1], y[1]), "tuple")), "tuple")


def _test_split(call: Call, pos: int | None) -> float | None:
    v = call.arg(pos, "test_split", Const(0.2))
    if isinstance(v, Const) and isinstance(v.value, int | float) and \
            not isinstance(v.value, bool) and 0 <= v.value < 1:
        return float(v.value)
    return None


def _counts(total: int, split: float | None) -> tuple[Dim, Dim]:
    if split is None:
        return None, None
    train = int(total * (1 - split))  # Keras' own arithmetic
    return train, total - train


@op(*(f"keras.datasets.{name}.load_data" for name in (*_IMAGES, *_TABLES, "imdb",
                                                      "california_housing")))
def load_data(call: Call) -> Value:
    name = call.name.split(".")[2]
    origin = call.name
    if name in _IMAGES:
        n_train, n_test, sample, x_dtype, label, y_dtype = _IMAGES[name]
        xs = (_array((n_train, *sample), x_dtype, origin), _array((n_test, *sample), x_dtype,
                                                                   origin))
        ys = (_array((n_train, *label), y_dtype, origin), _array((n_test, *label), y_dtype,
                                                                  origin))
        return _split(call, xs, ys)
    if name == "imdb":
        # maxlen= drops the longer reviews: the counts are then unknown.
        n: Dim = None if _filtered(call) else 25000
        xs = (_array((n,), None, origin), _array((n,), None, origin))
        return _split(call, xs, (_array((n,), "int64", origin), _array((n,), "int64", origin)))
    if name == "california_housing":
        version = call.arg(0, "version", Const("large"))
        total = _CALIFORNIA.get(version.value) if isinstance(version, Const) and \
            isinstance(version.value, str) else None
        if total is None:
            return UNKNOWN
        train, test = _counts(total, _test_split(call, 2))
        xs = (_array((train, 8), None, origin), _array((test, 8), None, origin))
        return _split(call, xs, (_array((train,), None, origin), _array((test,), None, origin)))
    total, features, x_dtype, y_dtype, split_at = _TABLES[name]
    train, test = _counts(total, _test_split(call, split_at))
    if name == "reuters" and _filtered(call):
        train = test = None
    tail: tuple[Dim, ...] = (features,) if features else ()
    xs = (_array((train, *tail), x_dtype, origin), _array((test, *tail), x_dtype, origin))
    return _split(call, xs, (_array((train,), y_dtype, origin), _array((test,), y_dtype, origin)))


def _none(v: Value) -> bool:
    return isinstance(v, Const) and v.value is None


def _filtered(call: Call) -> bool:
    """``maxlen=`` of the text data sets (4th argument) drops the longer sequences."""
    return call.has(3, "maxlen") and not _none(call.arg(3, "maxlen"))


@op("keras.utils.to_categorical", "keras.utils.np_utils.to_categorical")
def to_categorical(call: Call) -> Value:
    """One-hot rows: a trailing axis of 1 is dropped first; NumPy in, float64 NumPy out; a
    tensor in, float32 tensor out (Keras' ``ops.one_hot`` path)."""
    y = call.tensor(0, "x")
    if y is None or y.shape is None:
        return UNKNOWN
    given = call.has(1, "num_classes") and not _none(call.arg(1, "num_classes"))
    n = to_dim(call.arg(1, "num_classes")) if given else None
    tensor = y.kind in ("tensor", "variable") and y.origin != "literal"
    if not given:
        if tensor:
            return UNKNOWN  # Keras cannot one-hot a tensor without num_classes
        values = [v for v in (y.content or ()) if isinstance(v, int)]
        n = max(values) + 1 if values and len(values) == len(y.content or ()) else None
    shape = y.shape[:-1] if len(y.shape) > 1 and y.shape[-1] == 1 else y.shape
    if not tensor and isinstance(n, int) and y.content:
        bad = [v for v in y.content if isinstance(v, int) and v >= n]
        if bad:
            raise ShapeError("SL108", f"keras.utils.to_categorical: class id {bad[0]} of "
                             f"{shape_text(y)} labels is out of range for num_classes={n}")
    if tensor:
        return Tensor((*shape, n), "float32", "tensor", origin=call.name)
    return Tensor((*shape, n), "float64", "ndarray", origin=call.name)


@op("tf.sequence_mask")
def sequence_mask(call: Call) -> Value:
    lengths = call.tensor(0, "lengths")
    dtype = call.dtype_arg(2, "dtype", "bool")
    if lengths is None or lengths.shape is None:
        return call.result(None, dtype, call.name)
    maxlen: Dim = None
    if call.has(1, "maxlen") and not _none(call.arg(1, "maxlen")):
        maxlen = to_int(call.arg(1, "maxlen"))
    elif lengths.content and all(isinstance(v, int) for v in lengths.content):
        maxlen = max(v for v in lengths.content if isinstance(v, int))
    return Tensor((*lengths.shape, maxlen), dtype, "tensor", origin=call.name)
