"""A fifth batch of APIs with three or more sites in ``bench/coverage.py``: ``Dataset.reduce``
(its result has the initial state's structure and dtypes), ``make_csv_dataset`` (a dataset
whose element the CSV file decides), ``tf.summary.*`` writes (a bool scalar), ``np.dsplit``,
``tf.raw_ops.Bucketize``, ``tf.losses.MSE``, ``keras.activations.get``/``serialize``, and
library objects of a named kind (``np.vectorize``, ``ImageDataGenerator``, TPU resolvers, a
proto parsed ``FromString``, a tensor's ``ref()``).

Each result as probed under TF 2.21 / Keras 3 / NumPy 2.4 (``tests/unit/test_api_calls_more.py``
holds the engine to it, ``tests/oracle/test_api_calls_more_oracle.py`` runs the same programs
under TF); a call that would raise stays unknown (no finding from here), and nothing is
invented: a shape TF decides only at run time is left unknown.
"""

from __future__ import annotations

from ..domain.values import (
    NONE,
    UNKNOWN,
    Const,
    DictValue,
    ListOf,
    Opaque,
    Ref,
    Seq,
    Tensor,
    Value,
)
from ._common import Call, to_str, to_tensor
from .api_objects import STR
from .registry import delegate, op
from .tf_data import DATASET, DatasetValue, structure

PY_NUMBER = "py:number"
STRATEGY = "tf.distribute.Strategy"


# ---------------------------------------------------------------- tf.data
@op(f"{DATASET}.reduce")
def dataset_reduce(call: Call) -> Value:
    """``ds.reduce(initial_state, reduce_func)``: tensors of the initial state's structure and
    dtypes (TF raises TypeError when ``reduce_func`` changes a dtype); their shapes are the
    most specific ones compatible with every state ``reduce_func`` makes, which the engine
    does not trace: unknown."""
    if not isinstance(call.arg(0, None), DatasetValue):
        return UNKNOWN
    return _relaxed(structure(call.arg(1, "initial_state")))


def _relaxed(v: Value) -> Value:
    """A state structure with every shape unknown (its leaves' dtypes kept)."""
    if isinstance(v, Seq) and v.kind == "tuple":
        items = tuple(_relaxed(i) for i in v.items)
        return UNKNOWN if any(i is UNKNOWN for i in items) else Seq(items, "tuple")
    if isinstance(v, DictValue):
        pairs = tuple((k, _relaxed(i)) for k, i in v.items)
        return UNKNOWN if any(i is UNKNOWN for _, i in pairs) else DictValue(pairs)
    if isinstance(v, Tensor) and v.dtype is not None:
        return Tensor(None, v.dtype, "tensor", origin="Dataset.reduce")
    return UNKNOWN


@op("tf.data.experimental.make_csv_dataset")
def make_csv_dataset(call: Call) -> Value:
    """Batches of ``(features, label)`` dicts whose keys are the CSV file's columns: a dataset
    whose element is not known here."""
    return DatasetValue(UNKNOWN)


# ---------------------------------------------------------------- summaries
@op("tf.summary.write", "tf.summary.scalar", "tf.summary.image", "tf.summary.histogram",
    "tf.summary.text", "tf.summary.audio")
def summary_written(call: Call) -> Value:
    """A bool scalar tensor: True when a default writer wrote the summary, False when there
    is none (``tf.summary.write``, which TensorBoard's ``scalar``/``image``/... return;
    without TensorBoard installed they raise ``TBNotInstalledError``, an environment's
    error, not the program's)."""
    return Tensor((), "bool", "tensor", origin=call.name)


# ---------------------------------------------------------------- arrays and ops
@op("np.dsplit")
def dsplit(call: Call) -> Value:
    """``np.split`` along axis 2 (NumPy raises ValueError below 3 dimensions: unknown)."""
    t = call.tensor(0, "ary")
    if t is None or t.shape is None or len(t.shape) < 3 or call.kwargs or len(call.args) != 2:
        return UNKNOWN
    return delegate(call, "np.split", list(call.args), {"axis": Const(2)})


@op("tf.raw_ops.Bucketize")
def raw_bucketize(call: Call) -> Value:
    """``Bucketize(input=, boundaries=)``: the bucket index of each element, int32, in the
    input's shape (raw ops take keyword arguments only)."""
    t = to_tensor(call.kwargs.get("input", UNKNOWN))
    boundaries = call.kwargs.get("boundaries")
    if call.args or t is None or not isinstance(boundaries, Seq) or \
            t.dtype not in ("int32", "int64", "float32", "float64"):
        return UNKNOWN
    return Tensor(t.shape, "int32", "tensor", origin=call.name)


@op("tf.losses.MSE")
def tf_losses_mse(call: Call) -> Value:
    """``tf.losses.MSE`` is ``keras.losses.mean_squared_error`` (the same object in TF
    2.21): its rule, under this name."""
    return delegate(call, "keras.losses.mean_squared_error", call.args, call.kwargs)


@op("ndarray.sort")
def array_sort(call: Call) -> Value:
    """``a.sort()`` sorts in place and returns None (the array keeps its shape)."""
    return NONE if isinstance(call.arg(0, None), Tensor) else UNKNOWN


# ---------------------------------------------------------------- keras.activations
# Keras 3's built-in activations by name (keras.activations.get("relu") is relu itself).
ACTIVATIONS = frozenset({
    "relu", "sigmoid", "softmax", "tanh", "linear", "elu", "selu", "softplus", "softsign",
    "exponential", "gelu", "hard_sigmoid", "silu", "swish", "leaky_relu", "relu6", "mish",
    "log_softmax", "hard_silu", "hard_swish"})


@op("keras.activations.get")
def activation_get(call: Call) -> Value:
    """``get(identifier)``: the activation function a name spells (None: ``linear``); a
    function is returned as it is; anything else is left unknown."""
    v = call.arg(0, "identifier", NONE)
    if v == NONE:
        return Ref("keras.activations.linear")
    name = to_str(v)
    if name in ACTIVATIONS:
        return Ref(f"keras.activations.{name}")
    if isinstance(v, Ref) and v.name.startswith("keras.activations."):
        return v
    return UNKNOWN


@op("keras.activations.linear")
def linear(call: Call) -> Value:
    """``linear(x)`` returns ``x`` itself."""
    v = call.arg(0, "x")
    return v if isinstance(v, Tensor) else UNKNOWN


@op("keras.activations.serialize")
def activation_serialize(call: Call) -> Value:
    """A built-in activation serializes to its name: a str (aliases such as ``swish`` give
    the name Keras registered, so the value itself is not claimed)."""
    v = call.arg(0, "activation")
    return STR if isinstance(v, Ref) and v.name.startswith("keras.activations.") else UNKNOWN


# ---------------------------------------------------------------- library objects
_OBJECTS = {
    "np.vectorize": "np.vectorize",
    "keras.preprocessing.image.ImageDataGenerator":
        "keras.preprocessing.image.ImageDataGenerator",
    "tf.distribute.cluster_resolver.TPUClusterResolver":
        "tf.distribute.cluster_resolver.TPUClusterResolver",
    "tf.tpu.experimental.initialize_tpu_system": "tf.tpu.experimental.TPUSystemMetadata",
    "tf.distribute.Server": "tf.distribute.Server",
    "tf.train.Example.FromString": "tf.train.Example",
    "tf.train.SequenceExample.FromString": "tf.train.SequenceExample",
    "tf.config.optimizer.get_experimental_options": "py:dict",
    "tf.experimental.dtensor.fetch_layout": "tf.experimental.dtensor.Layout",
    "Tensor.ref": "tf reference (hashable)",
}


@op(*_OBJECTS)
def library_object(call: Call) -> Value:
    """An object of a named kind (its calls and attributes stay unknown)."""
    receiver = call.arg(0, None)
    if call.name == "Tensor.ref" and not (isinstance(receiver, Tensor) and
                                         receiver.kind in ("tensor", "variable")):
        return UNKNOWN  # (a KerasTensor has no ref())
    return Opaque(_OBJECTS[call.name])


@op("tf.train.Example.ParseFromString", "tf.train.SequenceExample.ParseFromString")
def parse_from_string(call: Call) -> Value:
    """A proto's ``ParseFromString(data)``: the number of bytes read (protobuf 4+)."""
    return Opaque(PY_NUMBER)


@op("keras.utils.plot_model")
def plot_model(call: Call) -> Value:
    """``plot_model`` writes the image and returns an ``IPython.display.Image`` when IPython
    is there, else None (without pydot: None in a notebook, ImportError elsewhere)."""
    return Opaque("IPython.display.Image or None")


@op(f"{STRATEGY}.experimental_local_results")
def local_results(call: Call) -> Value:
    """The values of this worker's replicas: one per local device (at least one), each the
    value one replica computed (what ``strategy.run`` gives here)."""
    v = call.arg(1, "value")
    return ListOf(v, 1) if isinstance(v, Tensor | Seq | DictValue) else UNKNOWN


# The names of this module whose result is a known non-tensor value: bench/coverage.py.
NON_TENSOR_NAMES = frozenset({*_OBJECTS, "tf.train.Example.ParseFromString",
                              "tf.train.SequenceExample.ParseFromString",
                              "keras.utils.plot_model", "keras.activations.get",
                              "keras.activations.serialize", "ndarray.sort"})
