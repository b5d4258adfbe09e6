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
K = "K = tf.keras.backend\n"
MESH = ("from tensorflow.experimental import dtensor\n"
        "mesh = dtensor.create_mesh([('x', 1)], devices=['CPU:0'])\n"
        "layout = dtensor.Layout.replicated(mesh, rank=2)\n")
EXAMPLE = ("ex = tf.train.Example(features=tf.train.Features(feature={"
           "'a': tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0])), "
           "'b': tf.train.Feature(int64_list=tf.train.Int64List(value=[3])), "
           "'c': tf.train.Feature(bytes_list=tf.train.BytesList(value=[b'x', b'y']))}))"
           ".SerializeToString()\n"
           "spec = {'a': tf.io.FixedLenFeature([2], tf.float32, default_value=[0.0, 0.0]), "
           "'b': tf.io.FixedLenFeature([], tf.int64, default_value=0), "
           "'c': tf.io.VarLenFeature(tf.string)}\n")
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
    # shapefns/api_calls_extra.py
    ("batch_dot_default_axes", K + "probe = K.batch_dot(tf.zeros([2, 3, 4]), tf.zeros([2, 4, 5]))",
     "tensor float32 (2, 3, 5)", "tensor float32 (2, 3, 5)"),
    ("batch_dot_int_axes", K + "probe = K.batch_dot(tf.zeros([2, 3, 4]), tf.zeros([2, 5, 4]), "
     "axes=2)", "tensor float32 (2, 3, 5)", "tensor float32 (2, 3, 5)"),
    ("batch_dot_pair_axes", K + "probe = K.batch_dot(tf.zeros([2, 4, 3]), tf.zeros([2, 4, 5]), "
     "axes=(1, 1))", "tensor float32 (2, 3, 5)", "tensor float32 (2, 3, 5)"),
    ("batch_dot_matrices", K + "probe = K.batch_dot(tf.zeros([2, 3]), tf.zeros([2, 3]))",
     "tensor float32 (2, 1)", "tensor float32 (2, 1)"),
    ("batch_dot_matrix_and_cube", K + "probe = K.batch_dot(tf.zeros([2, 3]), "
     "tf.zeros([2, 3, 4]))", "tensor float32 (2, 4)", "tensor float32 (2, 4)"),
    ("batch_dot_cube_and_matrix", K + "probe = K.batch_dot(tf.zeros([2, 3, 4]), "
     "tf.zeros([2, 4]))", "tensor float32 (2, 3)", "tensor float32 (2, 3)"),
    ("batch_dot_negative_axes", K + "probe = K.batch_dot(tf.zeros([2, 3, 4]), "
     "tf.zeros([2, 3, 5]), axes=[-2, -2])", "tensor float32 (2, 4, 5)",
     "tensor float32 (2, 4, 5)"),
    ("projective_transform", "probe = tf.raw_ops.ImageProjectiveTransformV3(images=tf.zeros("
     "[2, 8, 9, 3]), transforms=tf.zeros([1, 8]), output_shape=tf.constant([4, 5]), "
     "fill_value=0.0, interpolation='BILINEAR')", "tensor float32 (2, 4, 5, 3)",
     "tensor float32 (2, 4, 5, 3)"),
    ("projective_transform_uint8", "probe = tf.raw_ops.ImageProjectiveTransformV3(images=tf."
     "zeros([1, 8, 9, 1], tf.uint8), transforms=tf.zeros([1, 8]), output_shape=[8, 9], "
     "fill_value=0.0, interpolation='NEAREST', fill_mode='REFLECT')",
     "tensor uint8 (1, 8, 9, 1)", "tensor uint8 (1, 8, 9, 1)"),
    ("set_intersection", "probe = tf.sparse.to_dense(tf.sets.intersection(tf.constant([[1, 2, "
     "3]]), tf.constant([[2, 3, 4]])))", "tensor int32 (None, None)", "tensor int32 (1, 2)"),
    ("set_union_3d", "probe = tf.sparse.to_dense(tf.sets.union(tf.zeros([2, 3, 4], tf.int64), "
     "tf.ones([2, 3, 2], tf.int64)))", "tensor int64 (None, None, None)",
     "tensor int64 (2, 3, 2)"),
    ("single_element", "ds = tf.data.Dataset.from_tensor_slices(tf.zeros([4, 3])).batch(4)\n"
     "probe = ds.take(1).get_single_element()", "tensor float32 (4, 3)",
     "tensor float32 (4, 3)"),
    ("single_element_of_a_tuple", "ds = tf.data.Dataset.from_tensors((tf.zeros([3]), 1))\n"
     "probe, label = ds.get_single_element()", "tensor float32 (3,)", "tensor float32 (3,)"),
    ("view_smaller_items", "probe = np.zeros((2, 4), np.float32).view('int16')",
     "ndarray int16 (2, 8)", "ndarray int16 (2, 8)"),
    ("view_same_size", "probe = np.zeros((2, 4), np.float32).view(np.int32)",
     "ndarray int32 (2, 4)", "ndarray int32 (2, 4)"),
    ("view_larger_items", "probe = np.zeros((2, 4), np.int8).view(dtype='int32')",
     "ndarray int32 (2, 1)", "ndarray int32 (2, 1)"),
    ("run_restore_ops", "import tempfile\nckpt = tf.train.Checkpoint(v=tf.Variable(1.0))\n"
     "path = ckpt.save(tempfile.mkdtemp() + '/c')\nprobe = ckpt.restore(path)."
     "run_restore_ops()", "None", "None"),
    ("ragged_to_list", "probe = tf.ragged.constant([[1, 2], [3]]).to_list()",
     "list of 2+ lists", "object builtins.list"),
    # core/overlays/higher_order.py
    ("map_structure_dict", "probe = tf.nest.map_structure(lambda t: t * 2, {'b': tf.ones([3]), "
     "'a': tf.zeros([2])})['b']", "tensor float32 (3,)", "tensor float32 (3,)"),
    ("map_structure_split", "q = [tf.zeros([4, 2]), tf.zeros([6, 2])]\n"
     "probe = tf.nest.map_structure(lambda x: tf.split(x, 2, axis=0), q)[1][0]",
     "tensor float32 (3, 2)", "tensor float32 (3, 2)"),
    ("map_structure_variables", "probe = tf.identity(tf.nest.map_structure(tf.Variable, "
     "{'w': tf.zeros([3, 2])})['w'])", "tensor float32 (3, 2)", "tensor float32 (3, 2)"),
    ("map_structure_two_structures", "probe = tf.nest.map_structure(lambda a, b: a + b, "
     "(tf.zeros([2]), 1.0), (tf.ones([2]), 2.0))[0]", "tensor float32 (2,)",
     "tensor float32 (2,)"),
    ("map_structure_none_is_a_leaf", "probe = tf.nest.map_structure(lambda v: tf.zeros([2]), "
     "None)", "tensor float32 (2,)", "tensor float32 (2,)"),
    ("map_flat_values", "rt = tf.ragged.constant([[1, 2], [3]])\n"
     "probe = tf.ragged.map_flat_values(lambda v: v * 2 + 1, rt)", "ragged int32 (2, None)",
     "ragged int32 (2, None)"),
    ("map_flat_values_to_tensor", "rt = tf.ragged.constant([[1, 2], [3]])\n"
     "probe = tf.ragged.map_flat_values(tf.ones_like, rt).to_tensor()", "tensor int32 (2, 2)",
     "tensor int32 (2, 2)"),
    ("map_flat_values_inner_dims", "rt = tf.ragged.constant([[[1.0], [2.0]], [[3.0]]], "
     "ragged_rank=1)\nprobe = tf.ragged.map_flat_values(lambda v: tf.concat([v, v], -1), rt)"
     ".to_tensor()", "tensor float32 (2, 2, 2)", "tensor float32 (2, 2, 2)"),
    # shapefns/api_features.py
    ("parse_single_example_fixed", EXAMPLE + "probe = tf.io.parse_single_example(ex, spec)['a']",
     "tensor float32 (2,)", "tensor float32 (2,)"),
    ("parse_single_example_scalar", EXAMPLE + "probe = tf.io.parse_single_example(ex, "
     "features=spec)['b']", "tensor int64 ()", "tensor int64 ()"),
    ("parse_single_example_varlen", EXAMPLE + "probe = tf.sparse.to_dense(tf.io."
     "parse_single_example(ex, spec)['c'])", "tensor string (None,)", "tensor string (2,)"),
    ("parse_example_batch", EXAMPLE + "batch = tf.stack([tf.constant(b''), tf.constant(b'')])\n"
     "probe = tf.io.parse_example(batch, spec)['a']", "tensor float32 (2, 2)",
     "tensor float32 (2, 2)"),
    ("parse_example_varlen", EXAMPLE + "batch = tf.stack([tf.constant(b''), tf.constant(b'')])"
     "\nprobe = tf.sparse.to_dense(tf.io.parse_example(batch, spec)['c'])",
     "tensor string (2, None)", "tensor string (2, 0)"),
    ("dtensor_pack", MESH + "probe = dtensor.pack([tf.zeros([2, 3])], layout)",
     "tensor float32 (None, None)", "tensor float32 (2, 3)"),
    ("dtensor_unpack", MESH + "for probe in dtensor.unpack(dtensor.pack([tf.zeros([2, 3], "
     "tf.int32)], layout)):\n    pass", "tensor int32 (None, None)", "tensor int32 (2, 3)"),
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
    ("batch_dot_different_batches", K + "probe = K.batch_dot(tf.zeros([2, 3, 4]), "
     "tf.zeros([3, 4, 5]))", "ValueError"),
    ("batch_dot_over_the_batch_axis", K + "probe = K.batch_dot(tf.zeros([2, 3, 4]), "
     "tf.zeros([2, 4, 5]), axes=0)", "ValueError"),
    ("set_of_floats", "probe = tf.sets.intersection(tf.zeros([1, 3]), tf.zeros([1, 3]))",
     "TypeError"),
    ("view_not_dividing", "probe = np.zeros((2, 3), np.int8).view('int32')", "ValueError"),
    ("parse_a_vector_as_one_example", EXAMPLE + "probe = tf.io.parse_single_example("
     "tf.stack([tf.constant(b''), tf.constant(b'')]), spec)", "ValueError"),
    ("map_flat_values_other_length", "rt = tf.ragged.constant([[1, 2], [3]])\n"
     "probe = tf.ragged.map_flat_values(lambda v: v[:1], rt)", "ValueError"),
    ("map_structure_tuple_and_list", "probe = tf.nest.map_structure(lambda a, b: a + b, "
     "(tf.zeros([2]),), [tf.ones([2])])", "TypeError"),
    ("map_structure_other_lengths", "probe = tf.nest.map_structure(lambda a, b: a + b, "
     "(tf.zeros([2]),), (tf.ones([2]), tf.ones([2])))", "ValueError"),
    ("single_element_of_two", "probe = tf.data.Dataset.range(2).get_single_element()",
     "InvalidArgumentError"),
]
