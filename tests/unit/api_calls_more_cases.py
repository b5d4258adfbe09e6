"""Programs for ``shapefns/api_calls_more.py``, each binding ``probe``, with what the engine
gives (``tests/unit/test_api_calls_more.py``) and what TensorFlow 2.21 / Keras 3 / NumPy 2 make
of the same program (``tests/oracle/test_api_calls_more_oracle.py``, which also checks that the
engine's value is consistent with TF's: same kind and dtype, every shape the engine claims).

A value is written ``"<kind> <dtype> <shape>"`` (kind ``tensor`` or ``ndarray``; ``*`` an
unknown rank, ``None`` an unknown dim), ``"object <kind>"`` for the engine's library objects
and ``"object <module.Class>"`` for TF's Python objects, ``"None"`` for None.
"""

from __future__ import annotations

SETUP = "import numpy as np\nimport tensorflow as tf\nimport keras\n"
INTS = "ds = tf.data.Dataset.from_tensor_slices([1, 2, 3])\n"
CSV = ("import tempfile, os\n"
       "path = os.path.join(tempfile.mkdtemp(), 'rows.csv')\n"
       "open(path, 'w').write('a,b\\n1,2\\n3,4\\n')\n")

# (name, program, the engine's value, TensorFlow's value)
CASES: list[tuple[str, str, str, str]] = [
    ("reduce_int", INTS + "probe = ds.reduce(0, lambda s, x: s + x)",
     "tensor int32 *", "tensor int32 ()"),
    ("reduce_float", INTS + "probe = ds.reduce(0.0, lambda s, x: s + 1.0)",
     "tensor float32 *", "tensor float32 ()"),
    ("reduce_relaxed_shape", INTS + "probe = ds.reduce(tf.zeros([0]), lambda s, x: "
     "tf.concat([s, [tf.cast(x, tf.float32)]], 0))", "tensor float32 *", "tensor float32 (3,)"),
    ("reduce_tuple_state", INTS + "probe = ds.reduce((0, tf.zeros([2])), "
     "lambda s, x: (s[0] + x, s[1]))[1]", "tensor float32 *", "tensor float32 (2,)"),
    ("summary_write_without_writer", "probe = tf.summary.write('a', 1.0, step=1)",
     "tensor bool ()", "tensor bool ()"),
    ("summary_write_with_writer", "import tempfile\n"
     "with tf.summary.create_file_writer(tempfile.mkdtemp()).as_default():\n"
     "    probe = tf.summary.write('a', 1.0, step=1)", "tensor bool ()", "tensor bool ()"),
    ("dsplit_sections", "probe = np.dsplit(np.zeros((2, 3, 4)), 2)[1]",
     "ndarray float64 (2, 3, 2)", "ndarray float64 (2, 3, 2)"),
    ("dsplit_indices", "probe = np.dsplit(np.zeros((2, 3, 4), np.float32), [1, 3])[1]",
     "ndarray float32 (2, 3, 2)", "ndarray float32 (2, 3, 2)"),
    ("bucketize", "probe = tf.raw_ops.Bucketize(input=tf.zeros([2, 5]), "
     "boundaries=[0.0, 1.0])", "tensor int32 (2, 5)", "tensor int32 (2, 5)"),
    ("losses_mse", "probe = tf.losses.MSE(tf.zeros([2, 3]), tf.ones([2, 3]))",
     "tensor float32 (2,)", "tensor float32 (2,)"),
    ("activation_by_name", "probe = keras.activations.get('relu')(tf.zeros([4, 2]))",
     "tensor float32 (4, 2)", "tensor float32 (4, 2)"),
    ("activation_none_is_linear", "probe = keras.activations.get(None)(tf.zeros([4, 2]))",
     "tensor float32 (4, 2)", "tensor float32 (4, 2)"),
    ("activation_function_itself", "probe = keras.activations.get(keras.activations.tanh)("
     "tf.zeros([3]))", "tensor float32 (3,)", "tensor float32 (3,)"),
    ("local_results", "s = tf.distribute.OneDeviceStrategy('/cpu:0')\n"
     "for probe in s.experimental_local_results(tf.zeros([3])):\n    pass",
     "tensor float32 (3,)", "tensor float32 (3,)"),
    ("array_sort_in_place", "a = np.array([3, 1, 2])\nprobe = a.sort()", "None", "None"),
    ("serialize_activation", "probe = keras.activations.serialize(keras.activations.get("
     "'relu'))", "object py:str", "object builtins.str"),
    ("vectorize", "probe = np.vectorize(abs)", "object np.vectorize", "object numpy.vectorize"),
    ("example_from_string", "probe = tf.train.Example.FromString(b'')",
     "object tf.train.Example", "object tensorflow.core.example.example_pb2.Example"),
    ("parse_from_string", "probe = tf.train.Example().ParseFromString(b'')",
     "object py:number", "object builtins.int"),
    ("tensor_ref", "probe = tf.constant([1.0]).ref()", "object tf reference (hashable)",
     "object tensorflow.python.util.object_identity.Reference"),
    ("variable_ref", "probe = tf.Variable([1.0]).ref()", "object tf reference (hashable)",
     "object tensorflow.python.util.object_identity.Reference"),
    ("optimizer_options", "probe = tf.config.optimizer.get_experimental_options()",
     "object py:dict", "object builtins.dict"),
    ("image_data_generator", "probe = tf.keras.preprocessing.image.ImageDataGenerator()",
     "object keras.preprocessing.image.ImageDataGenerator",
     "object keras.src.legacy.preprocessing.image.ImageDataGenerator"),
    ("csv_dataset", CSV + "probe = tf.data.experimental.make_csv_dataset(path, batch_size=2, "
     "num_epochs=1)", "dataset ?", "dataset"),
]

# Programs TF runs where the engine must leave ``probe`` unknown (nothing is invented): a CSV
# dataset's element, whose keys are the file's header.
UNKNOWN: list[tuple[str, str]] = [
    ("csv_element", CSV + "ds = tf.data.experimental.make_csv_dataset(path, batch_size=2, "
     "num_epochs=1)\nfor features in ds.take(1):\n    probe = features['a']"),
]

# Programs TF refuses (the exception class) where the engine stays silent: no diagnostic is
# added here, and a refused call's value is unknown (a dtype change in ``reduce`` is TF's
# TypeError; the engine still gives the initial state's dtype, claiming no error).
RAISES: list[tuple[str, str, str]] = [
    ("dsplit_of_a_matrix", "probe = np.dsplit(np.zeros((2, 3)), 2)", "ValueError"),
    ("bucketize_positional", "probe = tf.raw_ops.Bucketize(tf.zeros([2]), [0.0])",
     "TypeError"),
    ("reduce_changes_dtype", INTS + "probe = ds.reduce(0.0, lambda s, x: x)", "TypeError"),
]
