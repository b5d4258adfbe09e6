"""Where TF1-era programs get the values they feed: the MNIST tutorial loader of TF 1.x
(``tensorflow.examples.tutorials.mnist.input_data``), Keras' image loading, and Python's
``random`` numbers.

``read_data_sets`` returned fixed arrays: 55000 training, 5000 validation and 10000 test
images of 784 float32 pixels, with labels one-hot ``(n, 10)`` float64 or class ids ``(n,)``
uint8 (``one_hot=``). A data set and each split are ``Opaque`` objects whose attributes
``core/overlays/graph_mode.py`` reads through ``split_attribute`` / ``next_batch``.

A Python number from ``random`` is ``Opaque(PY_NUMBER)``: inert everywhere (arithmetic on it is
unknown), but a list of them is known to be a vector when fed (``[random.randint(0, 9) for _
in range(n)]`` is fed as shape ``(n,)``).
"""

from __future__ import annotations

from ..domain.values import NONE, UNKNOWN, Const, Opaque, Seq, Tensor, Value
from ._common import Call, to_bool, to_dtype, to_int, to_str
from .registry import op

PY_NUMBER = "py:number"
MNIST = "tf1.mnist"
_SPLITS = {"train": 55000, "validation": 5000, "test": 10000}


@op("random.randint", "random.random", "random.uniform", "random.gauss", "random.randrange",
    "random.normalvariate", "random.betavariate", "random.expovariate")
def py_number(call: Call) -> Value:
    return Opaque(PY_NUMBER)


# The origin of an array of unknown shape proven at most 2-D: ``np.loadtxt`` reads a table.
# Indexed by two indices that Python ran, it is 2-D (``tf_index.py``).
AT_MOST_2D = "np.loadtxt"


@op("np.loadtxt")
def loadtxt(call: Call) -> Value:
    """``np.loadtxt(fname, dtype=float, ..., ndmin=0)``: rows and columns of a text file,
    squeezed to fewer dims (``ndmin`` keeps at least that many): at most 2-D, exactly 2-D
    with ``ndmin=2``. A dtype the analyzer cannot read (a structured or subarray dtype may
    add dims) leaves it unknown."""
    given = call.arg(1, "dtype", NONE)
    dtype = "float64" if given == NONE else to_dtype(given)
    ndmin = to_int(call.arg(None, "ndmin", Const(0)))
    if dtype is None or ndmin not in (0, 1, 2):
        return UNKNOWN
    if ndmin == 2:
        return Tensor((None, None), dtype, "ndarray", origin="np.loadtxt")
    return Tensor(None, dtype, "ndarray", origin=AT_MOST_2D)


@op("tf.examples.tutorials.mnist.input_data.read_data_sets")
def read_data_sets(call: Call) -> Value:
    one_hot = to_bool(call.arg(1, "one_hot", Const(False)))
    return Opaque(f"{MNIST}:{'?' if one_hot is None else int(one_hot)}")


def split_attribute(data: Opaque, attr: str) -> Value | None:
    """``mnist.train`` (a split) or ``mnist.train.images`` / ``.labels`` / ``.num_examples``;
    None when ``data`` is not an MNIST object."""
    parts = data.kind.split(":")
    if parts[0] != MNIST:
        return None
    if len(parts) == 2:
        return Opaque(f"{data.kind}:{attr}") if attr in _SPLITS else UNKNOWN
    n = _SPLITS[parts[2]]
    if attr == "images":
        return _images(n)
    if attr == "labels":
        return _labels(n, parts[1])
    if attr == "num_examples":
        return Const(n)
    return UNKNOWN


def _images(n: int | None) -> Tensor:
    return Tensor((n, 784), "float32", "ndarray", origin="MNIST images")


def _labels(n: int | None, one_hot: str) -> Value:
    if one_hot == "?":
        return UNKNOWN
    if one_hot == "1":
        return Tensor((n, 10), "float64", "ndarray", origin="MNIST labels")
    return Tensor((n,), "uint8", "ndarray", origin="MNIST labels")


def next_batch(split: Opaque, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``split.next_batch(n)``: (images (n, 784), labels) of at most the split's size."""
    parts = split.kind.split(":")
    if parts[0] != MNIST or len(parts) != 3:
        return UNKNOWN
    n = to_int(args[0] if args else kwargs.get("batch_size", UNKNOWN))
    if n is not None and not 0 < n <= _SPLITS[parts[2]]:
        n = None  # not a batch size the split can give
    return Seq((_images(n), _labels(n, parts[1])), "tuple")


# ---------------------------------------------------------------- Keras image loading

_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


@op("keras.preprocessing.image.load_img", "keras.utils.load_img")
def load_img(call: Call) -> Value:
    """A PIL image of ``target_size`` as ``Opaque("pil:<h>x<w>x<channels>")``; unknown without
    a target size (the file's own size is not the analyzer's to read)."""
    size = call.arg(None, "target_size")
    gray = to_bool(call.arg(None, "grayscale", Const(False)))
    mode = to_str(call.arg(None, "color_mode", Const("rgb")))
    if not isinstance(size, Seq) or len(size.items) != 2 or gray is None or mode is None:
        return UNKNOWN
    h, w = (to_int(i) for i in size.items)
    channels = 1 if gray else _CHANNELS.get(mode)
    if h is None or w is None or channels is None:
        return UNKNOWN
    return Opaque(f"pil:{h}x{w}x{channels}")


@op("keras.preprocessing.image.img_to_array", "keras.utils.img_to_array")
def img_to_array(call: Call) -> Value:
    """``(h, w, channels)`` float32 with the default ``channels_last`` data format."""
    img = call.arg(0, "img")
    fmt = call.arg(1, "data_format", Const(None))
    if not isinstance(img, Opaque) or not img.kind.startswith("pil:") or \
            not (isinstance(fmt, Const) and fmt.value in (None, "channels_last")):
        return UNKNOWN
    h, w, c = (int(x) for x in img.kind[4:].split("x"))
    return Tensor((h, w, c), "float32", "ndarray", origin="img_to_array")
