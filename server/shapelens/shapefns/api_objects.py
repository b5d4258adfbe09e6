"""What the non-tensor TensorFlow/Keras APIs that real programs call return, where that is
certain (checked against TF 2.21 / Keras 3): ``None`` for ``model.summary()``, ``save()``,
``set_weights()``; a library object of a named kind (``Opaque``) for callbacks, checkpoints,
device and graph scopes, summary writers, regularizers, ``tf.train.Example`` protos; a ``str``
of unknown value (``Opaque("py:str")``) for ``tf.__version__``, a checkpoint's ``save()``
path, ``keras.utils.get_file``; a ``bool`` (known when the argument's kind says it, else
``Opaque("py:bool")``) for ``tf.is_tensor``.

Why objects and not unknown: a hover that says "``EarlyStopping`` callback" or "``str``" is
one the user can trust, and a later ``if tf.__version__.startswith("1.")`` still runs both
branches (only a ``Const`` picks one). Nothing here invents a shape: ``load_model`` gives an
opaque model whose calls stay unknown, ``get_weights()`` a list of arrays of unknown shape.
The objects' methods are ``<kind>.<method>`` entries of this table, served by
``core/overlays/library_objects.py``.
"""

from __future__ import annotations

from ..domain.values import NONE, UNKNOWN, Const, ListOf, Opaque, Tensor, Value
from ._common import Call
from .api_values import LIBRARY_VALUES
from .registry import REGISTRY, op

PY_STR = "py:str"
PY_BOOL = "py:bool"
PY_BYTES = "py:bytes"
PY_NUMBER = "py:number"  # as shapefns/tf1_data.py's
STR = Opaque(PY_STR)
BOOL = Opaque(PY_BOOL)
CHECKPOINT = "tf.train.Checkpoint"
MANAGER = "tf.train.CheckpointManager"
LOAD_STATUS = "tf.train.CheckpointLoadStatus"
GRAPH = "tf.Graph"
WRITER = "tf.summary.SummaryWriter"
SCOPE = "context manager"
LOADED_MODEL = "keras.Model (loaded)"
SAVED_MODEL = "tf.saved_model (loaded)"
DEVICE = "tf.config.PhysicalDevice"
LOGICAL = "tf.config.LogicalDevice"
DTENSOR_LAYOUT = "tf.experimental.dtensor.Layout"
STRATEGY = "tf.distribute.Strategy"  # core/overlays/higher_order.py asks this table too
READER = "tf.train.CheckpointReader"
LAYER = "keras.Layer"  # a layer's methods that core/keras/overlay.py leaves
TFLITE = "tf.lite.Interpreter"
CONVERTER = "tf.lite.TFLiteConverter"

_CALLBACKS = ("EarlyStopping", "ModelCheckpoint", "TensorBoard", "BackupAndRestore",
              "ReduceLROnPlateau", "CSVLogger", "LearningRateScheduler", "LambdaCallback",
              "TerminateOnNaN", "ProgbarLogger", "RemoteMonitor", "History", "CallbackList",
              "SwapEMAWeights")
_REGULARIZERS = ("l1", "l2", "l1_l2", "L1", "L2", "L1L2", "OrthogonalRegularizer")
_CONSTRAINTS = ("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm", "min_max_norm",
                "non_neg", "unit_norm")
# Constructors of library objects: (qualified name, kind of the object)
_OBJECTS: dict[str, str] = {
    **{f"keras.callbacks.{n}": f"keras.callbacks.{n}" for n in _CALLBACKS},
    **{f"keras.regularizers.{n}": "keras.regularizers.Regularizer" for n in _REGULARIZERS},
    **{f"keras.constraints.{n}": "keras.constraints.Constraint" for n in _CONSTRAINTS},
    CHECKPOINT: CHECKPOINT,
    MANAGER: MANAGER,
    GRAPH: GRAPH,
    "tf.device": SCOPE, "tf.init_scope": SCOPE,
    "tf.summary.create_file_writer": WRITER,
    "tf.summary.create_noop_writer": WRITER,
    "keras.utils.Progbar": "keras.utils.Progbar",
    "tf.config.LogicalDeviceConfiguration": "tf.config.LogicalDeviceConfiguration",
    "tf.config.experimental.VirtualDeviceConfiguration":
        "tf.config.LogicalDeviceConfiguration",
    # tf.io.FixedLenFeature / VarLenFeature keep their shape and dtype: api_features.py
    "tf.io.FixedLenSequenceFeature": "tf.io.FixedLenSequenceFeature",
    "tf.train.Example": "tf.train.Example", "tf.train.Features": "tf.train.Features",
    "tf.train.Feature": "tf.train.Feature", "tf.train.BytesList": "tf.train.BytesList",
    "tf.train.FloatList": "tf.train.FloatList", "tf.train.Int64List": "tf.train.Int64List",
    "tf.train.SequenceExample": "tf.train.SequenceExample",
    "tf.io.TFRecordWriter": "tf.io.TFRecordWriter",
    "tf.io.gfile.GFile": "tf.io.gfile.GFile",
    "keras.models.load_model": LOADED_MODEL, "keras.saving.load_model": LOADED_MODEL,
    "tf.saved_model.load": SAVED_MODEL,
    "keras.random.SeedGenerator": "keras.random.SeedGenerator",
    "tf.train.load_checkpoint": READER, "tf.train.NewCheckpointReader": READER,
    "tf.lite.Interpreter": TFLITE, "tf.lite.TFLiteConverter.from_saved_model": CONVERTER,
    "tf.lite.TFLiteConverter.from_keras_model": CONVERTER,
    "tf.lite.TFLiteConverter.from_concrete_functions": CONVERTER,
    "tf.IndexedSlices": "tf.IndexedSlices",
    "np.finfo": "np.finfo", "np.iinfo": "np.iinfo",
    "tf.train.Saver": "tf.train.Saver",
    "tf.experimental.dtensor.Layout": DTENSOR_LAYOUT,
    "tf.experimental.dtensor.Layout.batch_sharded": DTENSOR_LAYOUT,
    "tf.experimental.dtensor.Layout.replicated": DTENSOR_LAYOUT,
    "tf.experimental.dtensor.Layout.inner_sharded": DTENSOR_LAYOUT,
    "tf.experimental.dtensor.create_mesh": "tf.experimental.dtensor.Mesh",
    "tf.experimental.dtensor.Mesh": "tf.experimental.dtensor.Mesh",
    **{f"tf.feature_column.{n}": "tf.feature_column (a feature column)" for n in (
        "numeric_column", "indicator_column", "categorical_column_with_vocabulary_list",
        "categorical_column_with_identity", "categorical_column_with_hash_bucket",
        "categorical_column_with_vocabulary_file", "embedding_column", "bucketized_column",
        "crossed_column")},
}



@op(*_OBJECTS)
def library_object(call: Call) -> Value:
    """A library object of a named kind: its methods are this table's ``<kind>.*``
    (``tnp.finfo`` reaches ``np.finfo``'s entry)."""
    kind = _OBJECTS.get(call.name) or _OBJECTS.get("np." + call.name.split(".", 1)[-1])
    return UNKNOWN if kind is None else Opaque(kind)


_GETTERS = {"keras.regularizers.get": ("keras.regularizers.Regularizer", _REGULARIZERS),
            "keras.constraints.get": ("keras.constraints.Constraint", _CONSTRAINTS)}


@op(*_GETTERS)
def getter(call: Call) -> Value:
    """``keras.regularizers.get(identifier)``: None for None, the object for one, a new
    object for a known name (an unknown name raises: left unknown)."""
    kind, names = _GETTERS[call.name]
    v = call.arg(0, "identifier")
    if v == NONE:
        return NONE
    if isinstance(v, Opaque) and v.kind == kind:
        return v
    if isinstance(v, Const) and v.value in names:
        return Opaque(kind)
    return UNKNOWN


@op("keras.regularizers.serialize", "keras.constraints.serialize", "keras.initializers.serialize")
def serialize(call: Call) -> Value:
    """The config dict of a regularizer, constraint or initializer object."""
    v = call.arg(0, None)
    kinds = ("keras.regularizers.Regularizer", "keras.constraints.Constraint", "initializer")
    return Opaque("py:dict") if isinstance(v, Opaque) and v.kind in kinds else UNKNOWN


# Calls that return None (they configure, write or print): TF 2.21 / Keras 3.
_RETURN_NONE = (
    "tf.saved_model.save", "tf.config.set_logical_device_configuration",
    "tf.config.experimental.set_virtual_device_configuration",
    "tf.config.set_visible_devices",
    "tf.config.run_functions_eagerly", "tf.config.experimental_run_functions_eagerly",
    "tf.config.threading.set_intra_op_parallelism_threads",
    "tf.config.threading.set_inter_op_parallelism_threads",
    "keras.backend.clear_session", "keras.backend.set_floatx",
    "keras.mixed_precision.set_global_policy", "keras.config.set_floatx",
    "np.set_printoptions", "tf.io.gfile.makedirs", "tf.io.gfile.rmtree",
    "tf.experimental.numpy.experimental_enable_numpy_behavior",
    "tnp.experimental_enable_numpy_behavior",
    "tf.autograph.set_verbosity", "tf.debugging.disable_traceback_filtering",
    # TF1 switches (tf.compat.v1.*): they configure the process
    "tf.disable_v2_behavior", "tf.disable_eager_execution", "tf.reset_default_graph",
    "tf.enable_tensor_equality", "tf.config.experimental_connect_to_cluster",
)


@op(*_RETURN_NONE)
def returns_none(call: Call) -> Value:
    """A configuring call: it returns None."""
    return NONE


@op("keras.backend.floatx", "keras.config.floatx", "keras.backend.image_data_format",
    "keras.config.image_data_format", "keras.utils.get_file", "tf.compat.as_text",
    "tf.compat.as_str", "tf.io.gfile.join", "tf.sysconfig.get_include", "tf.sysconfig.get_lib",
    "keras.version")
def a_str(call: Call) -> Value:
    """A str whose value is not known here (``floatx()`` follows ``keras.json`` and
    ``set_floatx``; a path depends on the file system)."""
    return STR


@op("tf.executing_eagerly", "tf.io.gfile.exists", "tf.io.gfile.isdir", "np.allclose",
    "np.array_equal",
    "tf.test.is_gpu_available",
    "tf.test.is_built_with_cuda", "tf.config.functions_run_eagerly",
    "tf.__version__.startswith", "tf.__version__.endswith", "np.__version__.startswith",
    "keras.__version__.startswith")
def a_bool(call: Call) -> Value:
    """A bool whose value depends on the run (eager or traced, files, devices, versions)."""
    return BOOL


@op("tf.is_tensor")
def is_tensor(call: Call) -> Value:
    """``tf.is_tensor(x)``: True for tensors, variables, ragged and sparse tensors; False for
    NumPy arrays, Keras 3 symbolic tensors (``KerasTensor`` is not a TF type) and Python
    values (TF 2.21)."""
    v = call.arg(0, "x")
    if isinstance(v, Tensor):
        if v.kind in ("tensor", "variable", "ragged", "sparse"):
            return Const(True)
        if v.kind in ("ndarray", "keras"):
            return Const(False)
        return BOOL
    if isinstance(v, Const):
        return Const(False)
    return BOOL


@op("tf.train.latest_checkpoint")
def latest_checkpoint(call: Call) -> Value:
    """The newest checkpoint's path prefix, or None when the folder has none."""
    return Opaque("py:str or None")


@op("ndarray.item")
def array_item(call: Call) -> Value:
    """``a.item()``: a Python scalar of unknown value (ValueError unless ``a.size == 1``)."""
    return Opaque(PY_NUMBER)


@op("ndarray.tolist")
def array_tolist(call: Call) -> Value:
    """``a.tolist()``: nested lists of Python scalars, as long as the axes are (at least)."""
    t = call.arg(0, None)
    if not isinstance(t, Tensor) or t.shape is None:
        return UNKNOWN
    element: Value = Opaque(PY_NUMBER)
    for dim in reversed(t.shape):
        element = ListOf(element, dim if isinstance(dim, int) else 0)
    return element


@op("keras.backend.epsilon", "keras.config.epsilon")
def epsilon(call: Call) -> Value:
    """The fuzz factor: a float that ``keras.json`` and ``set_epsilon`` decide."""
    return Opaque(PY_NUMBER)


@op("tf.config.list_physical_devices", "tf.config.experimental.list_physical_devices",
    "tf.config.get_visible_devices")
def physical_devices(call: Call) -> Value:
    """A list of the machine's devices of that type (its length is the machine's)."""
    return ListOf(Opaque(DEVICE))


@op("tf.config.list_logical_devices", "tf.config.experimental.list_logical_devices")
def logical_devices(call: Call) -> Value:
    return ListOf(Opaque(LOGICAL))


@op("tf.__version__.split", "np.__version__.split", "keras.__version__.split")
def version_split(call: Call) -> Value:
    return ListOf(STR)


# ---------------------------------------------------------------- methods of those objects
_MODEL_NONE = ("summary", "save", "save_weights", "load_weights", "set_weights", "export",
               "reset_metrics")
_MODEL_STR = ("to_json", "to_yaml")


def _method_names(kinds: tuple[str, ...], methods: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{k}.{m}" for k in kinds for m in methods)


_MODELS = ("keras.Model", LOADED_MODEL)


@op(*_method_names(_MODELS, _MODEL_NONE), *_method_names((LAYER,), ("adapt", "set_weights")),
    *_method_names((WRITER,), ("flush", "close")),
    *_method_names(("tf.io.TFRecordWriter",), ("write", "close", "flush")),
    *_method_names(("keras.utils.Progbar",), ("update", "add")),
    *_method_names((TFLITE,), ("allocate_tensors", "invoke", "set_tensor",
                               "resize_tensor_input")))
def method_none(call: Call) -> Value:
    """``model.summary()``, ``save()``, ``load_weights()`` (Keras 3 returns None even for
    a ``.weights.h5`` file), ``set_weights()``, a writer's ``flush()``: None."""
    return NONE


@op(*_method_names(_MODELS, _MODEL_STR), *_method_names((CHECKPOINT,), ("save", "write")),
    *_method_names((MANAGER,), ("save",)))
def method_str(call: Call) -> Value:
    """A checkpoint's ``save()``/``write()`` (the path prefix written), a manager's
    ``save()``, ``model.to_json()``: a str."""
    return STR


@op(*_method_names(("tf.train.Example", "tf.train.SequenceExample"), ("SerializeToString",)),
    *_method_names((CONVERTER,), ("convert",)))
def serialized(call: Call) -> Value:
    """A proto's ``SerializeToString()``, a TFLite converter's ``convert()``: bytes."""
    return Opaque(PY_BYTES)


@op(*_method_names(_MODELS, ("get_config",)), "keras.Layer.get_config")
def get_config(call: Call) -> Value:
    """``model.get_config()``: a dict (its keys are Keras' business)."""
    return Opaque("py:dict")


@op(*_method_names((*_MODELS, LAYER), ("get_weights",)))
def get_weights(call: Call) -> Value:
    """``model.get_weights()``: a list of NumPy arrays, whose number and shapes the per-layer
    weight shapes would give (not modelled: unknown rank and dtype each)."""
    return ListOf(Tensor(None, None, "ndarray", origin="get_weights()"))


@op(*_method_names((READER, TFLITE), ("get_tensor",)))
def stored_array(call: Call) -> Value:
    """A checkpoint reader's / TFLite interpreter's ``get_tensor(...)``: a NumPy array whose
    shape the file decides."""
    return Tensor(None, None, "ndarray", origin="get_tensor()")


@op(*_method_names((READER,), ("get_variable_to_shape_map", "get_variable_to_dtype_map")),
    *_method_names((TFLITE,), ("get_signature_list",)))
def a_dict(call: Call) -> Value:
    return Opaque("py:dict")


@op(*_method_names((TFLITE,), ("get_input_details", "get_output_details")))
def details(call: Call) -> Value:
    """One dict per input/output of the model (their number is the file's)."""
    return ListOf(Opaque("py:dict"))


@op(*_method_names((CHECKPOINT,), ("restore", "read")),
    *_method_names((LOAD_STATUS,), ("expect_partial", "assert_consumed",
                                    "assert_existing_objects_matched",
                                    "assert_nontrivial_match")))
def load_status(call: Call) -> Value:
    """``ckpt.restore(path)``: a load status, whose ``expect_partial()``/``assert_*()`` return
    the status itself."""
    return Opaque(LOAD_STATUS)


@op(*_method_names((PY_STR,), ("startswith", "endswith", "isdigit", "isalpha", "isspace")))
def str_predicate(call: Call) -> Value:
    return BOOL


@op(*_method_names((PY_STR,), ("split", "rsplit", "splitlines")),
    f"{LAYER}.get_vocabulary")
def str_split(call: Call) -> Value:
    return ListOf(STR)


@op(*_method_names((PY_STR,), ("strip", "lstrip", "rstrip", "lower", "upper", "replace",
                               "format", "decode", "encode")))
def str_to_str(call: Call) -> Value:
    """(``encode`` gives bytes: opaque too.)"""
    return STR


def table_method(kind: str, name: str, receiver: Value, args: list[Value],
                 kwargs: dict[str, Value]) -> Value:
    """A method of this table (``<kind>.<name>``), else unknown: what the overlays of other
    objects (a Keras model, a strategy) answer for the methods they do not model themselves."""
    fn = REGISTRY.get(f"{kind}.{name}")
    return fn(Call(f"{kind}.{name}", [receiver, *args], kwargs)) if fn is not None else UNKNOWN


def model_method(name: str, model: Value, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """A Keras model's method of this table (``summary()``, ``save()``...), else unknown: what
    ``core/keras/overlay.py`` answers for the model methods it does not model itself."""
    return table_method("keras.Model", name, model, args, kwargs)


# Kinds whose own overlays ask this table for the methods they leave (bench/coverage.py).
TABLE_KINDS = ("keras.Model", LAYER, STRATEGY)


KINDS = (PY_STR, CHECKPOINT, MANAGER, LOAD_STATUS, GRAPH, WRITER, LOADED_MODEL, READER,
         TFLITE, CONVERTER,
         "tf.io.TFRecordWriter", "keras.utils.Progbar", "tf.train.Example",
         "tf.train.SequenceExample")
"""Kinds whose methods are served from this table (``core/overlays/library_objects.py``)."""

# Every kind of object this table makes: the hover shows them (recorded like tensors).
HOVER_KINDS = frozenset({
    *_OBJECTS.values(), PY_STR, PY_BOOL, PY_BYTES, PY_NUMBER, "py:dict", "py:str or None",
    LOAD_STATUS, SCOPE, DEVICE, LOGICAL, *(v.kind for v in LIBRARY_VALUES.values()
                                           if isinstance(v, Opaque))})

# The names of this module (all with a known non-tensor result): bench/coverage.py.
NON_TENSOR_NAMES = frozenset(n for n, fn in REGISTRY.items()
                             if getattr(fn, "__module__", None) == __name__)

__all__ = ["BOOL", "HOVER_KINDS", "KINDS", "LIBRARY_VALUES", "NON_TENSOR_NAMES", "STR",
           "TABLE_KINDS", "model_method", "table_method"]
