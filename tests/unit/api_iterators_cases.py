"""Programs for ``shapefns/api_iterators.py`` and ``core/interpreter/library_hooks.py``, each
binding ``probe``, with what the engine gives (``tests/unit/test_api_iterators.py``) and what
TensorFlow 2.21 / Keras 3 / NumPy 2 make of the same program
(``tests/oracle/test_api_iterators_oracle.py``, which also checks that the engine's tensor value
is consistent with TF's: same kind and dtype, every dim the engine claims).

Written as in ``api_calls_more_cases.py``, plus ``"const <repr>"`` for a Python int or bool
and ``"ndarray <dtype> ()"`` for a NumPy scalar.
"""

from __future__ import annotations

SETUP = "import numpy as np\nimport tensorflow as tf\nimport keras\n"
BATCHES = "ds = tf.data.Dataset.from_tensor_slices(tf.zeros([5, 3])).batch(2)\n"
ONE_DEVICE = "s = tf.distribute.OneDeviceStrategy('/cpu:0')\n"
DOUBLE = "@tf.function\ndef double(a):\n    return a + a\n"
SPEC = DOUBLE + "cf = double.get_concrete_function(tf.TensorSpec([None, 3], tf.float32))\n"
MODEL = ("model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
         "tv = [v.value for v in model.trainable_variables]\n"
         "ntv = [v.value for v in model.non_trainable_variables]\n")
FOLDER = ("import tempfile, os\nroot = tempfile.mkdtemp()\n"
          "os.makedirs(os.path.join(root, 'cats'))\n")

# (name, program, the engine's value, TensorFlow's value)
CASES: list[tuple[str, str, str, str]] = [
    # dataset iterators and Optionals
    ("optional_has_value", BATCHES + "probe = iter(ds).get_next_as_optional().has_value()",
     "tensor bool ()", "tensor bool ()"),
    ("optional_get_value", BATCHES + "it = iter(ds)\nopt = it.get_next_as_optional()\n"
     "probe = opt.get_value()", "tensor float32 (2, 3)", "tensor float32 (2, 3)"),
    ("iterator_get_next", BATCHES + "it = iter(ds)\nprobe = it.get_next()",
     "tensor float32 (2, 3)", "tensor float32 (2, 3)"),
    ("optional_of_a_tuple", "ds = tf.data.Dataset.from_tensors((tf.zeros([4]), 1))\n"
     "probe, label = iter(ds).get_next_as_optional().get_value()", "tensor float32 (4,)",
     "tensor float32 (4,)"),
    ("optional_in_a_function", BATCHES + "@tf.function\ndef step(it):\n"
     "    opt = it.get_next_as_optional()\n    return opt.get_value()\n"
     "probe = step(iter(ds))", "tensor float32 (2, 3)", "tensor float32 (2, 3)"),
    ("optional_from_value", "probe = tf.experimental.Optional.from_value(tf.zeros([2, 2]))"
     ".get_value()", "tensor float32 (2, 2)", "tensor float32 (2, 2)"),
    ("optional_object", BATCHES + "probe = iter(ds).get_next_as_optional()",
     "object tf.experimental.Optional",
     "object tensorflow.python.data.ops.optional_ops._OptionalImpl"),
    # tf.distribute replica contexts
    ("replica_context_default", "probe = tf.distribute.get_replica_context()",
     "object tf.distribute.ReplicaContext or None",
     "object tensorflow.python.distribute.distribute_lib._DefaultReplicaContext"),
    ("replica_context_cross_replica", ONE_DEVICE + "with s.scope():\n"
     "    probe = tf.distribute.get_replica_context()",
     "object tf.distribute.ReplicaContext or None", "None"),
    ("all_reduce_default", "ctx = tf.distribute.get_replica_context()\n"
     "probe = ctx.all_reduce(tf.distribute.ReduceOp.SUM, tf.zeros([3, 2]))",
     "tensor float32 (3, 2)", "tensor float32 (3, 2)"),
    ("all_reduce_in_run", ONE_DEVICE + "probe = s.run(lambda: tf.distribute."
     "get_replica_context().all_reduce('sum', tf.zeros([3, 2])))", "tensor float32 (3, 2)",
     "tensor float32 (3, 2)"),
    ("all_reduce_array", "probe = tf.distribute.get_replica_context().all_reduce('mean', "
     "np.zeros((2, 3)))", "tensor float64 (2, 3)", "tensor float64 (2, 3)"),
    ("all_reduce_tuple", "probe = tf.distribute.get_replica_context().all_reduce('sum', "
     "(tf.zeros([3]), tf.ones([2], tf.int32)))[1]", "tensor int32 (2,)", "tensor int32 (2,)"),
    ("all_reduce_variable", "probe = tf.distribute.get_replica_context().all_reduce('sum', "
     "tf.Variable([1.0, 2.0]))", "tensor float32 (2,)", "tensor float32 (2,)"),
    ("datasets_from_function", ONE_DEVICE + "def dataset_fn(ctx):\n"
     "    bs = ctx.get_per_replica_batch_size(8)\n"
     "    return tf.data.Dataset.from_tensor_slices(tf.zeros([10, 3])).batch(bs)\n"
     "for probe in s.distribute_datasets_from_function(dataset_fn):\n    break",
     "tensor float32 (None, 3)", "tensor float32 (8, 3)"),
    ("watched_variables", "v = tf.Variable([1.0, 2.0])\nwith tf.GradientTape() as t:\n"
     "    y = v * 2.0\nprobe = t.watched_variables()", "object py:tuple of tf.Variable",
     "object builtins.tuple"),
    # Keras 3 stateless APIs
    ("metric_stateless_update", "m = keras.metrics.Mean()\nprobe = m.stateless_update_state("
     "[tf.zeros([]), tf.zeros([])], tf.ones([4]))[1]", "tensor float32 ()",
     "tensor float32 ()"),
    ("stateless_call", MODEL + "probe, new_ntv = model.stateless_call(tv, ntv, tf.zeros([5, 3]))",
     "tensor float32 (5, 2)", "tensor float32 (5, 2)"),
    ("stateless_call_losses", MODEL + "probe = model.stateless_call(tv, ntv, tf.zeros([4, 3]), "
     "training=True, return_losses=True)[0]", "tensor float32 (4, 2)", "tensor float32 (4, 2)"),
    # image generators
    ("flow_from_directory", FOLDER + "probe = tf.keras.preprocessing.image.ImageDataGenerator()"
     ".flow_from_directory(root)", "object keras.preprocessing.image.DirectoryIterator",
     "object keras.src.legacy.preprocessing.image.DirectoryIterator"),
    # concrete functions
    ("concrete_function_spec", SPEC + "probe = cf(tf.zeros([4, 3]))", "tensor float32 (4, 3)",
     "tensor float32 (4, 3)"),
    ("concrete_function_tensor", DOUBLE + "cf = double.get_concrete_function(tf.constant([1, 2]))"
     "\nprobe = cf(tf.constant([3, 4]))", "tensor int32 (2,)", "tensor int32 (2,)"),
    ("concrete_function_any_shape", "class M(tf.Module):\n    @tf.function\n"
     "    def __call__(self, x):\n        return x * 2.0\n"
     "cf = M().__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))\n"
     "probe = cf(tf.zeros([2, 2]))", "tensor float32 (2, 2)", "tensor float32 (2, 2)"),
    ("concrete_function_object", SPEC + "probe = cf",
     "object tf.types.experimental.ConcreteFunction",
     "object tensorflow.python.eager.polymorphic_function.concrete_function.ConcreteFunction"),
    # index expressions
    ("s_slice", "probe = np.zeros((4, 5))[np.s_[1:3]]", "ndarray float64 (2, 5)",
     "ndarray float64 (2, 5)"),
    ("s_tuple", "probe = np.zeros((4, 5))[np.s_[:, None, 1]]", "ndarray float64 (4, 1)",
     "ndarray float64 (4, 1)"),
    ("s_on_a_tensor", "probe = tf.zeros([4, 5])[np.s_[..., 2:]]", "tensor float32 (4, 3)",
     "tensor float32 (4, 3)"),
    ("index_exp", "probe = np.zeros((4, 5))[np.index_exp[1:3]]", "ndarray float64 (2, 5)",
     "ndarray float64 (2, 5)"),
    # TF dtypes' limits
    ("float16_max", "probe = tf.float16.max", "ndarray float16 ()", "ndarray float16 ()"),
    ("float32_min", "probe = tf.float32.min", "ndarray float32 ()", "ndarray float32 ()"),
    ("int8_min", "probe = tf.int8.min", "const -128", "const -128"),
    ("uint8_max", "probe = tf.dtypes.uint8.max", "const 255", "const 255"),
    ("tensor_dtype_max", "x = tf.zeros([2], tf.float64)\nprobe = x.dtype.max",
     "ndarray float64 ()", "ndarray float64 ()"),
    ("limit_promotes_as_numpy", "probe = np.float32(2.0) * tf.float16.min",
     "ndarray float32 ()", "ndarray float32 ()"),
    ("list_index", "modes = ['nearest', 'bilinear', 'bicubic']\nprobe = modes.index('bilinear')",
     "const 1", "const 1"),
    ("tuple_count", "probe = (1, 2, 1.0, True).count(1)", "const 3", "const 3"),
    # shapefns/api_values_more.py
    ("assert_greater", "probe = tf.assert_greater(tf.ones([3]), 0.0)",
     "object None (eager) or tf.Operation (graph)", "None"),
    ("debugging_assert_near", "probe = tf.debugging.assert_near(tf.ones([3]), tf.ones([3]))",
     "object None (eager) or tf.Operation (graph)", "None"),
    ("static_value", "probe = tf.get_static_value(tf.zeros([2, 3]))",
     "object np.ndarray or None", "ndarray float32 (2, 3)"),
    ("do_not_convert_decorator", "@tf.autograph.experimental.do_not_convert\n"
     "def f(x):\n    return x * 2\nprobe = f(tf.zeros([3]))", "tensor float32 (3,)",
     "tensor float32 (3,)"),
    ("do_not_convert_call", "probe = tf.autograph.experimental.do_not_convert("
     "lambda x: x + 1)(tf.zeros([4]))", "tensor float32 (4,)", "tensor float32 (4,)"),
    ("state_tree", "m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n"
     "m.compile('adam', 'mse')\nprobe = m.get_state_tree()", "object py:dict",
     "object builtins.dict"),
    ("limit_clips", "probe = tf.clip_by_value(tf.zeros([3], tf.float16), tf.float16.min, "
     "tf.float16.max)", "tensor float16 (3,)", "tensor float16 (3,)"),
]

# Programs TF runs where the engine must leave ``probe`` unknown (nothing is invented): a
# concrete function whose signature binds a Python value, or called on a tensor of another
# shape (TF 2.21 runs it), NumPy's own dtype (whose ``max`` is a method).
UNKNOWN: list[tuple[str, str]] = [
    ("concrete_function_python_argument", "@tf.function\ndef pow_(a, b):\n    return a ** b\n"
     "square = pow_.get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)\n"
     "probe = square(tf.constant(3.0))"),
    ("numpy_dtype_max", "probe = np.float16.max"),
    ("index_of_unknown_items", "probe = [tf.zeros([2]).numpy().tolist()].index([0.0, 0.0])"),
    ("concrete_function_other_shape", SPEC + "probe = cf(tf.zeros([4, 5]))"),
]

# Programs TF refuses (the exception class) where the engine stays silent and ``probe`` is
# unknown: a concrete function called on another dtype, a dtype without limits, an array's
# dtype (NumPy's: no ``max``), a model not built yet. (A failed assert raises on values the
# engine does not know: its value is what the call gives when it returns.)
RAISES: list[tuple[str, str, str]] = [
    ("concrete_function_other_dtype", SPEC + "probe = cf(tf.zeros([4, 3], tf.int32))",
     "InvalidArgumentError"),
    ("bool_max", "probe = tf.bool.max", "TypeError"),
    ("index_not_found", "probe = [1, 2].index(3)", "ValueError"),
    ("assert_greater_fails", "probe = tf.assert_greater(tf.zeros([3]), 0.0)",
     "InvalidArgumentError"),
    ("array_dtype_max", "a = np.zeros(2)\nprobe = a.dtype.max", "AttributeError"),
    ("stateless_call_unbuilt", "model = keras.Sequential([keras.layers.Dense(2)])\n"
     "probe = model.stateless_call([], [], tf.zeros([5, 3]))", "ValueError"),
]
