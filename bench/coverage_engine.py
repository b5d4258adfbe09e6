"""What the engine has for an API name counted by ``bench/coverage.py`` (``resolution``).

``fn``: a shape function (a tensor, or a structure of tensors); ``value``: a known non-tensor
value (None, a str or bool, a library object of a named kind: ``shapefns/api_objects.py``);
``engine``: an object the interpreter builds or hooks (layers, models, tapes, optimizers);
``attr``: dtypes and constants; ``out``: a method whose receiver a library other than
TF/NumPy/Keras made, or that no TF/NumPy/Keras class has (``coverage_scope.py``);
``absent``/``tf1``: a name TF 2.21 / Keras 3 / NumPy 2 lacks as spelled, or keeps only as
``tf.compat.v1.X`` (``coverage_engine_absent.py``); ``-``: nothing. A name counts as resolved only
when the engine gives a value at its sites: a composite-only API (``tf.sparse.*``, a
RaggedTensor's ``.to_tensor()``) through its ``composite:`` entry, a method through the shape
table of the objects that have it.
"""

from __future__ import annotations

import ast
import contextlib
import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from coverage import Site

# Objects the interpreter itself builds or hooks (core/keras_model.py, core/tape.py).
ENGINE_NAMES = frozenset({
    "keras.Input", "keras.layers.Input", "keras.layers.InputLayer", "keras.InputLayer",
    "keras.Sequential", "keras.models.Sequential", "keras.Model", "keras.models.Model",
    "tf.GradientTape", "tf.function", "tf.Variable", "keras.Variable", "tf.stop_gradient",
    "tf.custom_gradient", "tf.Module", "keras.layers.Layer",
})
ENGINE_PREFIXES = ("keras.optimizers.", "tf.optimizers.")
# Methods the interpreter dispatches on the objects it knows (models, tapes, optimizers,
# variables); the shape-function table adds the Tensor/ndarray/TensorShape ones.
ENGINE_METHODS = frozenset({
    "compile", "fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
    "predict_on_batch", "add", "count_params", "build", "watch", "gradient", "jacobian",
    "batch_jacobian", "stop_recording", "minimize", "apply_gradients", "assign",
    "assign_add", "assign_sub",
    # strategy.run(fn, args) calls fn and strategy.experimental_distribute_dataset(ds) keeps
    # the dataset (core/overlays/higher_order.py); session.run(fetches) gives the fetched
    # values (core/overlays/graph_mode.py)
    "run", "experimental_distribute_dataset",
    # model.get_layer(name=/index=) gives the model's own layer (core/keras/get_layer.py)
    "get_layer",
    # tape.reset() (core/provenance/gradients.py); strategy.reduce() (core/overlays/
    # higher_order.py; a dataset's reduce() is a shape function)
    "reset", "reduce",
    # a built model's stateless_call(trainable, non_trainable, x): its call on x
    # (core/interpreter/library_hooks.py)
    "stateless_call",
    # strategy.distribute_datasets_from_function(fn): fn's dataset (library_hooks.py)
    "distribute_datasets_from_function",
    # a ClusterCoordinator's schedule(fn, args) calls fn, create_per_worker_dataset(fn) gives
    # fn's dataset (core/overlays/handles.py)
    "schedule", "create_per_worker_dataset",
    # <Class>.from_config(layer.get_config()), type(layer).from_config(...): a new layer or
    # model of that configuration (core/keras/cloning.py, configs.py)
    "from_config",
})
# Methods the expression part answers itself (core/interpreter/library_hooks.py) with a known
# non-tensor value: a tf.function's concrete function, a tape's watched variables, the
# position of a constant in a list or tuple of them.
HOOKED_METHODS = frozenset({"get_concrete_function", "watched_variables", "index"})
# Attributes it answers from their spelling: np.s_[...] is the index itself; a TF dtype's
# max/min a NumPy scalar (float) or a Python int.
HOOKED_ATTRIBUTES = frozenset({"np.s_", "np.index_exp"})
LIMIT_DTYPES = frozenset({"float16", "float32", "float64", *(f"{s}int{b}" for s in ("", "u")
                                                             for b in (8, 16, 32, 64))})
# Method names that an object the engine does not know also has (none since tf.data datasets
# are known: their .shuffle() is resolved like a NumPy Generator's).
SHARED_METHOD_NAMES: frozenset[str] = frozenset()
def _overlay_names() -> frozenset[str]:
    """Qualified names the interpreter's overlays build (``tf.GradientTape``, TF1 sessions,
    the functional merges ``keras.layers.concatenate``...), read off a fresh interpreter."""
    from shapelens.core.execute import Interpreter
    from shapelens.shapefns.keras_rnn import FUNCTIONAL_MERGES

    names = {f"keras.layers.{leaf}" for leaf in FUNCTIONAL_MERGES}
    overlays = getattr(Interpreter(ast.parse("")), "overlays", None)
    return frozenset(names | set(getattr(overlays, "builders", {})))


_OVERLAY_NAMES: list[frozenset[str]] = []


def _object_kinds() -> tuple[str, ...]:
    """Kinds of library objects whose methods are shape functions (none in older engines,
    so that this script can measure an earlier engine: PYTHONPATH=<old>/server)."""
    try:
        from shapelens.core.overlays.library_objects import KINDS
    except ImportError:
        return ()
    kinds: tuple[str, ...] = KINDS
    try:  # tf.data.Dataset methods: shapefns/tf_data.py
        from shapelens.shapefns.tf_data import DATASET
        kinds = (*kinds, DATASET)
    except ImportError:
        pass
    try:  # a dataset iterator's and an Optional's: shapefns/api_iterators.py
        from shapelens.shapefns.api_iterators import RECEIVER_KINDS
        kinds = (*kinds, *RECEIVER_KINDS)
    except ImportError:
        pass
    try:  # model.summary(), strategy.scope(): shapefns/api_objects.py, which the model and
        # strategy overlays ask for the methods they leave
        from shapelens.shapefns.api_objects import TABLE_KINDS
        kinds = (*kinds, *TABLE_KINDS)
    except ImportError:
        pass
    return kinds


def _non_tensor_names() -> frozenset[str]:
    """Names whose engine result is a known non-tensor value (None, a str, a bool, a library
    object of a named kind): ``shapefns/api_objects.py``."""
    try:
        from shapelens.shapefns.api_objects import LIBRARY_VALUES, NON_TENSOR_NAMES
    except ImportError:
        return frozenset()
    more: set[str] = set()
    for module in ("api_calls_more", "api_calls_extra", "api_features", "api_dispatch",
                   "api_iterators", "api_values_more", "api_handles", "keras_applications",
                   "keras_backend", "tf_shape"):
        with contextlib.suppress(ImportError):
            more |= importlib.import_module(f"shapelens.shapefns.{module}").NON_TENSOR_NAMES
    return NON_TENSOR_NAMES | frozenset(more) | frozenset(LIBRARY_VALUES)


_NON_TENSOR: list[frozenset[str]] = []
_NAMESPACES: list[frozenset[str]] = []


def _is_namespace(name: str) -> bool:
    """A module or class with modelled members (``keras.datasets.mnist``, whose
    ``load_data`` is in the table): the engine's value for it is a reference (``Ref``)
    through which those calls resolve."""
    if not _NAMESPACES:
        from shapelens.shapefns import REGISTRY

        _NAMESPACES.append(frozenset(k.rsplit(".", i)[0] for k in REGISTRY
                                     for i in range(1, k.count(".") + 1)))
    return name in _NAMESPACES[0]
# Composite-only APIs: the engine answers them as ``composite:<name>`` when the operand is a
# ragged or sparse tensor, which is the only operand these names take.
COMPOSITE_ONLY = ("tf.sparse.", "tf.ragged.", "tf.RaggedTensor.", "tf.SparseTensor.")
COMPOSITE_METHODS = frozenset({
    "to_list",
    "to_tensor", "row_lengths", "to_sparse", "values", "flat_values", "row_splits",
    "nested_row_lengths", "merge_dims", "with_flat_values", "bounding_shape", "value_rowids",
    "nrows", "row_starts", "row_limits", "with_values", "indices", "dense_shape"})


def _fn(name: str) -> str:
    """``value`` for a shape function with a known non-tensor result, else ``fn``."""
    if not _NON_TENSOR:
        _NON_TENSOR.append(_non_tensor_names())
    return "value" if name in _NON_TENSOR[0] else "fn"


def resolution(site: Site) -> str:
    """What the engine has for a name: ``fn`` (a shape function: a tensor or a structure of
    them), ``value`` (a known non-tensor value: None, str, bool, a library object of a named
    kind), ``engine``, ``attr``, ``type`` (a name in an annotation or base-class list: no
    value to give), ``out`` (a method of something that is not a TF/NumPy/Keras
    value: out of scope), ``absent`` (not in TF 2.21 / Keras 3 / NumPy 2 as spelled),
    ``tf1`` (a TF1 API TF 2.21 keeps as ``tf.compat.v1.X``) or ``-``."""
    if not _OVERLAY_NAMES:
        _OVERLAY_NAMES.append(_overlay_names())
    found = _resolution(site)
    # a name TF 2.21 / Keras 3 / NumPy 2 lacks as spelled (coverage_engine_absent.py): its
    # own class, unless the engine answers it anyway
    return site.missing if found == "-" and getattr(site, "missing", "") else found


def _resolution(site: Site) -> str:
    from shapelens.domain.names import PY_CONSTANTS, dtype_from_name
    from shapelens.shapefns import lookup
    from shapelens.shapefns.keras_common import LAYERS

    if site.outside:
        return "out"
    if site.kind == "type":  # a base class the engine models (keras.Model) keeps its mark
        found = _resolution(type(site)(site.name, "attribute"))
        return found if found not in ("-", "value", "attr") else "type"
    if site.kind == "method":
        method = site.name[1:-2]
        own = [f"{p}.{method}" for p in ("Tensor", "ndarray", "TensorShape", "Variable")
               if lookup(f"{p}.{method}")]
        if own:  # a tensor's or array's method: a tensor, or a value (a.sort() is None)
            return "fn" if any(_fn(n) == "fn" for n in own) else "value"
        if method in COMPOSITE_METHODS and lookup(f"composite:Tensor.{method}"):
            return _fn(f"composite:Tensor.{method}")  # a RaggedTensor's / SparseTensor's own
        # Methods of the library objects whose methods are shape functions (Generator,
        # tf.data.Dataset, checkpoints, models...); a name that an unknown object also has
        # is not counted.
        if method not in SHARED_METHOD_NAMES:
            found = [f"{k}.{method}" for k in _object_kinds() if lookup(f"{k}.{method}")]
            if found:
                return "fn" if any(_fn(n) == "fn" for n in found) else "value"
        if method in HOOKED_METHODS and _hooked():
            return "value"
        return "engine" if method in ENGINE_METHODS else "-"
    name = site.name
    if lookup(name) is not None:
        return _fn(name)
    if name.startswith(COMPOSITE_ONLY) and lookup(f"composite:{name}") is not None:
        return "fn"
    if name in LAYERS or name in ENGINE_NAMES or name in _OVERLAY_NAMES[0] or \
            name.startswith(ENGINE_PREFIXES) or \
            (name.startswith("keras.losses.") and name.rsplit(".", 1)[-1][:1].isupper()):
        return "engine"
    if dtype_from_name(name) or name in PY_CONSTANTS or name.endswith(".newaxis"):
        return "attr"
    if _hooked() and (name in HOOKED_ATTRIBUTES or _dtype_limit(name)):
        return "attr"
    if name in _non_tensor_names():  # tf.__version__: a str
        return "value"
    if site.kind == "attribute" and _is_namespace(name):
        return "attr"  # mnist = tf.keras.datasets.mnist: a Ref through which calls resolve
    return "-"


def _hooked() -> bool:
    """The engine has ``core/interpreter/library_hooks.py`` (not an earlier engine's)."""
    try:
        importlib.import_module("shapelens.core.interpreter.library_hooks")
    except ImportError:
        return False
    return True


def _dtype_limit(name: str) -> bool:
    """``tf.float16.max``: a TF dtype's max/min (TypeError for bool, string, complex)."""
    from shapelens.domain.names import dtype_from_name

    owner, _, leaf = name.rpartition(".")
    return leaf in ("max", "min") and owner.startswith("tf.") and \
        dtype_from_name(owner) in LIMIT_DTYPES
