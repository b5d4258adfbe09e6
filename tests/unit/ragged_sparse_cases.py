"""Ragged and sparse programs with the value TensorFlow 2.21 gives ``probe`` (kind, dtype,
static shape as TF prints it) and programs TF refuses with the rule that predicts it.

``tests/unit/test_ragged_sparse.py`` holds the engine to them; the oracle
(``tests/oracle/test_ragged_sparse_oracle.py``) runs each under TensorFlow and holds the
expectations to what TF really does.
"""

from __future__ import annotations

SETUP = "import tensorflow as tf\n"
RT = "rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])\n"
RT3 = "rt3 = tf.ragged.constant([[[1, 2, 3], [4]], [[5], [], [6]], [[7]], [[8, 9], [10]]])\n"
ST = "st = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[10, 20], dense_shape=[3, 10])\n"

# (name, program, expected "kind dtype shape" of probe)
CASES: list[tuple[str, str, str]] = [
    ("constant", RT + "probe = rt", "ragged int32 (3, None)"),
    ("constant_empty_rows", "probe = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])",
     "ragged int32 (5, None)"),
    ("constant_strings", 'probe = tf.ragged.constant([["So", "long"], ["thanks"]])',
     "ragged string (2, None)"),
    ("constant_3d", RT3 + "probe = rt3", "ragged int32 (4, None, None)"),
    ("constant_ragged_rank_1",
     "probe = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8]]], ragged_rank=1)",
     "ragged int32 (2, None, 2)"),
    ("constant_ragged_rank_2", "probe = tf.ragged.constant([[[[1], [2]], [], [[3]], [[4]]], "
     "[[[5], [6]], [[7]]]], ragged_rank=2)", "ragged int32 (2, None, None, 1)"),
    ("constant_mixed_numbers", "probe = tf.ragged.constant([[1.0], [2, 3]])",
     "ragged float32 (2, None)"),
    ("constant_dtype", "probe = tf.ragged.constant([[1], [2, 3]], dtype=tf.float32)",
     "ragged float32 (2, None)"),
    ("constant_empty_lists", "probe = tf.ragged.constant([[], []])", "ragged float32 (2, None)"),
    ("constant_flat_is_dense", "probe = tf.ragged.constant([1, 2])", "tensor int32 (2,)"),
    ("from_row_lengths", "probe = tf.RaggedTensor.from_row_lengths("
     "values=[3, 1, 4, 1, 5, 9, 2], row_lengths=[4, 0, 2, 1])", "ragged int32 (4, None)"),
    ("from_row_lengths_matrix", "probe = tf.RaggedTensor.from_row_lengths("
     "values=tf.zeros([7, 3]), row_lengths=[4, 0, 2, 1])", "ragged float32 (4, None, 3)"),
    ("from_row_splits", "probe = tf.RaggedTensor.from_row_splits("
     "values=[3, 1, 4, 1, 5, 9, 2], row_splits=[0, 4, 4, 6, 7])", "ragged int32 (4, None)"),
    ("from_value_rowids", "probe = tf.RaggedTensor.from_value_rowids("
     "values=[3, 1, 4, 1, 5, 9, 2], value_rowids=[0, 0, 0, 0, 2, 2, 3])",
     "ragged int32 (4, None)"),
    ("from_value_rowids_nrows", "probe = tf.RaggedTensor.from_value_rowids("
     "values=[3, 1, 4, 1, 5, 9, 2], value_rowids=[0, 0, 0, 0, 2, 2, 3], nrows=5)",
     "ragged int32 (5, None)"),
    ("from_tensor_padding", "probe = tf.RaggedTensor.from_tensor("
     "[[1, 3, -1, -1], [2, -1, -1, -1], [4, 5, 8, 9]], padding=-1)", "ragged int32 (3, None)"),
    ("from_tensor_full", "probe = tf.RaggedTensor.from_tensor(tf.zeros([3, 4, 5]))",
     "ragged float32 (3, 4, 5)"),
    ("from_tensor_lengths", "probe = tf.RaggedTensor.from_tensor(tf.zeros([3, 4]), "
     "lengths=[1, 2, 3]).to_tensor()", "tensor float32 (3, 3)"),
    ("from_nested_row_splits", "probe = tf.RaggedTensor.from_nested_row_splits("
     "flat_values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19], "
     "nested_row_splits=([0, 1, 1, 5], [0, 3, 3, 5, 9, 10]))", "ragged int32 (3, None, None)"),
    ("from_nested_row_lengths", "probe = tf.RaggedTensor.from_nested_row_lengths("
     "flat_values=[3, 1, 4, 1, 5, 9, 2, 6], nested_row_lengths=([2, 0, 3], [1, 2, 1, 3, 1]))",
     "ragged int32 (3, None, None)"),
    ("from_uniform_row_length", "probe = tf.RaggedTensor.from_uniform_row_length("
     "values=tf.RaggedTensor.from_row_splits(values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19], "
     "row_splits=[0, 3, 5, 9, 10]), uniform_row_length=2)", "ragged int32 (2, 2, None)"),
    ("to_tensor", RT + "probe = rt.to_tensor()", "tensor int32 (3, 3)"),
    ("to_tensor_3d", RT3 + "probe = rt3.to_tensor(default_value=-1)", "tensor int32 (4, 3, 3)"),
    ("to_tensor_shape", RT + "probe = rt.to_tensor(shape=[4, 5])", "tensor int32 (4, 5)"),
    ("to_tensor_shape_none", RT + "probe = rt.to_tensor(shape=[None, 5])",
     "tensor int32 (3, 5)"),
    ("to_tensor_empty", "probe = tf.ragged.constant([[], []]).to_tensor()",
     "tensor float32 (2, 0)"),
    ("flat_values", RT3 + "probe = rt3.flat_values", "tensor int32 (10,)"),
    ("values_of_3d", RT3 + "probe = rt3.values", "ragged int32 (8, None)"),
    ("row_lengths", RT + "probe = rt.row_lengths()", "tensor int64 (3,)"),
    ("row_splits", RT + "probe = rt.row_splits", "tensor int64 (4,)"),
    ("nrows", RT + "probe = rt.nrows()", "tensor int64 ()"),
    ("bounding_shape", RT3 + "probe = rt3.bounding_shape()", "tensor int64 (3,)"),
    ("fill_nrows", RT + "probe = tf.fill([rt.nrows(), 1], 0)", "tensor int32 (3, 1)"),
    ("to_sparse", RT + "probe = rt.to_sparse()", "sparse int32 (3, 3)"),
    ("row", RT + "probe = rt[2]", "tensor int32 (3,)"),
    ("rows", RT + "probe = rt[1:]", "ragged int32 (2, None)"),
    ("slice_rows", RT + "probe = rt[:, :-1].to_tensor()", "tensor int32 (3, 2)"),
    ("uniform_slice", "r = tf.RaggedTensor.from_tensor(tf.zeros([4, 6]))\n"
     "probe = r[:, :-1]", "ragged float32 (4, 5)"),
    ("uniform_concat", "r = tf.RaggedTensor.from_tensor(tf.zeros([4, 6]))\n"
     "probe = tf.concat([r, r], axis=0)", "ragged float32 (8, None)"),
    ("uniform_rows_concat", "u = tf.RaggedTensor.from_uniform_row_length(tf.zeros([6, 3]), 2)\n"
     "probe = tf.concat([u, u], axis=0)", "ragged float32 (6, None, 3)"),
    ("arithmetic", RT + "probe = rt * 2 + 1", "ragged int32 (3, None)"),
    ("negate", RT + "probe = -rt", "ragged int32 (3, None)"),
    ("compare", RT + "probe = rt > 2", "ragged bool (3, None)"),
    ("plus_ragged", RT + "probe = rt + tf.ragged.constant([[1, 1], [2], [3, 3, 3]])",
     "ragged int32 (3, None)"),
    ("plus_column", RT + "probe = rt + tf.constant([[1], [2], [3]])", "ragged int32 (3, None)"),
    ("broadcast_inner", "probe = tf.ragged.constant([[[[1], [2]], [], [[3]], [[4]]], "
     "[[[5], [6]], [[7]]]], ragged_rank=2) + tf.constant([10, 20, 30])",
     "ragged int32 (2, None, None, 3)"),
    ("cast", RT + "probe = tf.cast(rt, tf.float32)", "ragged float32 (3, None)"),
    ("abs", RT + "probe = tf.abs(rt)", "ragged int32 (3, None)"),
    ("reduce_rows", RT + "probe = tf.reduce_sum(rt, axis=1)", "tensor int32 (3,)"),
    ("reduce_all", RT + "probe = tf.reduce_sum(rt)", "tensor int32 ()"),
    ("reduce_max_last", RT + "probe = tf.math.reduce_max(rt, axis=-1)", "tensor int32 (3,)"),
    ("concat_rows", RT + "probe = tf.concat([rt, rt], axis=0)", "ragged int32 (6, None)"),
    ("concat_columns", RT + "probe = tf.concat([tf.fill([3, 1], 0), rt], axis=1)",
     "ragged int32 (3, None)"),
    ("stack_0", RT + "probe = tf.stack([rt, rt], axis=0)", "ragged int32 (2, None, None)"),
    ("stack_1", RT + "probe = tf.stack([rt, rt], axis=1)", "ragged int32 (3, None, None)"),
    ("ragged_range", "probe = tf.ragged.range([3, 5, 2])", "ragged int32 (3, None)"),
    ("strings_split", "probe = tf.strings.split(tf.constant(['a b', 'c d e', 'f']))",
     "ragged string (3, None)"),
    ("strings_split_2d", "probe = tf.strings.split(tf.constant([['a b', 'c'], ['d', 'e f']]))",
     "ragged string (2, 2, None)"),
    ("hash_buckets", "probe = tf.strings.to_hash_bucket_fast("
     "tf.ragged.constant([['a', 'b'], ['c']]), 10)", "ragged int64 (2, None)"),
    ("embedding_lookup", "probe = tf.nn.embedding_lookup(tf.zeros([10, 4]), "
     "tf.ragged.constant([[1, 2], [3]]))", "ragged float32 (2, None, 4)"),
    ("average_embedding", "e = tf.nn.embedding_lookup(tf.zeros([10, 4]), "
     "tf.ragged.constant([[1, 2], [3]]))\nprobe = tf.reduce_mean(e, axis=1)",
     "tensor float32 (2, 4)"),
    ("strings_join", "q = tf.ragged.constant([['a', 'b'], ['c']])\n"
     "probe = tf.strings.join([q, q], separator='+')", "ragged string (2, None)"),
    ("from_sparse", "st = tf.SparseTensor(indices=[[0, 0], [2, 0], [2, 1]], "
     "values=['a', 'b', 'c'], dense_shape=[3, 3])\nprobe = tf.RaggedTensor.from_sparse(st)",
     "ragged string (3, None)"),
    ("nested_row_splits", RT3 + "probe = rt3.nested_row_splits[1]", "tensor int64 (9,)"),
    ("nested_row_lengths", RT3 + "probe = rt3.nested_row_lengths()[0]", "tensor int64 (4,)"),
    ("value_rowids", RT + "probe = rt.value_rowids()", "tensor int64 (6,)"),
    ("ragged_stack", RT + "probe = tf.ragged.stack([rt, rt])", "ragged int32 (2, None, None)"),
    ("element", RT + "probe = rt[2, 1]", "tensor int32 ()"),
    ("gather", "probe = tf.gather(tf.zeros([10, 4]), tf.ragged.constant([[1, 2], [3]]))",
     "ragged float32 (2, None, 4)"),
    ("strings_length", "probe = tf.strings.length(tf.ragged.constant([['a', 'bc'], ['d']]))",
     "ragged int32 (2, None)"),
    ("strings_to_number", "probe = tf.strings.to_number(tf.ragged.constant([['1', '2'], "
     "['3']]))", "ragged float32 (2, None)"),
    ("ragged_range_scalar", "probe = tf.ragged.range(4)", "ragged int32 (1, None)"),
    ("ragged_range_limits", "probe = tf.ragged.range([0, 1], [3, 5])", "ragged int32 (2, None)"),
    ("reduce_inner_axis", "x = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8]]], "
     "ragged_rank=1)\nprobe = tf.reduce_sum(x, axis=2)", "ragged int32 (2, None)"),
    ("is_nan", "probe = tf.math.is_nan(tf.ragged.constant([[1.0], [2.0, 3.0]]))",
     "ragged bool (2, None)"),
    # sparse
    ("retain", ST + "probe = tf.sparse.retain(st, [True, False])", "sparse int32 (3, 10)"),
    ("minimum", ST + "probe = tf.sparse.minimum(st, st)", "sparse int32 (3, 10)"),
    ("sparse_softmax", "s = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], "
     "values=[1.0, 2.0], dense_shape=[3, 10])\nprobe = tf.sparse.softmax(s)",
     "sparse float32 (3, 10)"),
    ("ragged_to_sparse_concat", "a = tf.ragged.constant([['John'], ['a', 'big', 'dog'], "
     "['my', 'cat']]).to_sparse()\nb = tf.ragged.constant([['fell', 'asleep'], ['barked'], "
     "['is', 'fuzzy']]).to_sparse()\nprobe = tf.sparse.concat(sp_inputs=[a, b], axis=1)",
     "sparse string (3, 5)"),
    ("sparse_tensor", ST + "probe = st", "sparse int32 (3, 10)"),
    ("SparseTensor_alias", "probe = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], "
     "dense_shape=[3, 4])", "sparse int32 (3, 4)"),
    ("indices", ST + "probe = st.indices", "tensor int64 (2, 2)"),
    ("values", ST + "probe = st.values", "tensor int32 (2,)"),
    ("dense_shape", ST + "probe = st.dense_shape", "tensor int64 (2,)"),
    ("rebuilt", ST + "probe = tf.sparse.SparseTensor(st.indices, st.values + 5, "
     "st.dense_shape)", "sparse int32 (3, 10)"),
    ("to_dense", ST + "probe = tf.sparse.to_dense(st)", "tensor int32 (3, 10)"),
    ("from_dense", "probe = tf.sparse.from_dense([[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])",
     "sparse int32 (3, 4)"),
    ("add", ST + "probe = tf.sparse.add(st, st)", "sparse int32 (3, 10)"),
    ("add_dense", ST + "probe = tf.sparse.add(st, tf.ones([3, 10], tf.int32))",
     "tensor int32 (3, 10)"),
    ("sparse_dense_matmul", ST + "probe = tf.sparse.sparse_dense_matmul(st, "
     "tf.ones([10, 2], tf.int32))", "tensor int32 (3, 2)"),
    ("sparse_dense_matmul_adjoint", ST + "probe = tf.sparse.sparse_dense_matmul(st, "
     "tf.ones([3, 2], tf.int32), adjoint_a=True)", "tensor int32 (10, 2)"),
    ("dense_sparse_matmul", ST + "probe = tf.sparse.sparse_dense_matmul("
     "tf.ones([5, 3], tf.int32), st)", "tensor int32 (5, 10)"),
    ("reorder", ST + "probe = tf.sparse.reorder(st)", "sparse int32 (3, 10)"),
    ("reshape", ST + "probe = tf.sparse.reshape(st, [5, 6])", "sparse int32 (5, 6)"),
    ("reshape_infer", ST + "probe = tf.sparse.reshape(st, [-1, 5])", "sparse int32 (6, 5)"),
    ("concat", ST + "probe = tf.sparse.concat(1, [st, st])", "sparse int32 (3, 20)"),
    ("concat_expand", ST + "probe = tf.sparse.concat(1, [st, tf.sparse.SparseTensor("
     "[[0, 0]], [1], [2, 4])], expand_nonconcat_dims=True)", "sparse int32 (3, 14)"),
    ("slice", ST + "probe = tf.sparse.slice(st, [0, 0], [2, 5])", "sparse int32 (2, 5)"),
    ("slice_clipped", ST + "probe = tf.sparse.slice(st, start=[0, 8], size=[3, 5])",
     "sparse int32 (3, 2)"),
    ("slice_past_end", ST + "probe = tf.sparse.slice(st, start=[0, 12], size=[3, 5])",
     "sparse int32 (3, 0)"),
    ("transpose", ST + "probe = tf.sparse.transpose(st)", "sparse int32 (10, 3)"),
    ("expand_dims", ST + "probe = tf.sparse.expand_dims(st, 0)", "sparse int32 (1, 3, 10)"),
    ("reduce_sum", ST + "probe = tf.sparse.reduce_sum(st)", "tensor int32 ()"),
    ("reduce_sum_axis", ST + "probe = tf.sparse.reduce_sum(st, axis=1)", "tensor int32 (3,)"),
    ("reduce_sum_keepdims", ST + "probe = tf.sparse.reduce_sum(st, axis=1, keepdims=True)",
     "tensor int32 (3, 1)"),
    ("reduce_sum_sparse", ST + "probe = tf.sparse.reduce_sum(st, axis=1, "
     "output_is_sparse=True)", "sparse int32 (3,)"),
    ("reduce_max", "probe = tf.sparse.reduce_max(tf.sparse.from_dense([-5, 0, -3]))",
     "tensor int32 ()"),
    ("map_values", ST + "probe = tf.sparse.map_values(tf.add, st, 5)", "sparse int32 (3, 10)"),
    ("scaled", ST + "probe = st * 2", "sparse int32 (3, 10)"),
    ("eye", "probe = tf.sparse.eye(3)", "sparse float32 (3, 3)"),
    ("cast_sparse", ST + "probe = tf.cast(st, tf.float32)", "sparse float32 (3, 10)"),
    # Keras 3 layers on ragged input (core/keras/layers.py composite_input)
    ("keras_embedding", RT + "import keras\nprobe = keras.layers.Embedding(10, 4)(rt)",
     "ragged float32 (3, None, 4)"),
    ("keras_global_average", "import keras\nrf = tf.ragged.constant([[[1.0, 2.0]], "
     "[[3.0, 4.0], [5.0, 6.0]]], ragged_rank=1)\n"
     "probe = keras.layers.GlobalAveragePooling1D()(rf)", "tensor float32 (2, 2)"),
    ("keras_global_max_keepdims", "import keras\nrf = tf.ragged.constant([[[1.0, 2.0]], "
     "[[3.0, 4.0], [5.0, 6.0]]], ragged_rank=1)\n"
     "probe = keras.layers.GlobalMaxPooling1D(keepdims=True)(rf)", "tensor float32 (2, 1, 2)"),
]

# (name, program whose last line TF refuses, rule code)
ERRORS: list[tuple[str, str, str]] = [
    ("ragged_rows_differ", RT + "probe = rt + tf.ragged.constant([[1], [2]])", "SL120"),
    ("ragged_vs_dense_rows", RT + "probe = rt + tf.constant([[1], [2]])", "SL120"),
    ("ragged_lengths_vs_dense", "x = tf.ragged.constant([[1, 2], [3, 4, 5, 6], [7]])\n"
     "probe = x + tf.constant([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])", "SL120"),
    ("ragged_lengths_vs_vector", RT + "probe = rt + tf.constant([1, 2, 3])", "SL120"),
    ("ragged_lengths_differ", "x = tf.ragged.constant([[1, 2, 3], [4], [5, 6]])\n"
     "probe = x + tf.ragged.constant([[10, 20], [30, 40], [50]])", "SL120"),
    ("ragged_inner_sizes", "x = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8], "
     "[9, 10]]])\ny = tf.ragged.constant([[[1, 2, 0], [3, 4, 0], [5, 6, 0]], [[7, 8, 0], "
     "[9, 10, 0]]])\nprobe = x + y", "SL120"),
    ("ragged_rows_of_one", RT + "probe = rt + tf.ragged.constant([[1], [2], [3]])", "SL120"),
    ("ragged_inner_lengths", "x = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]])\n"
     "probe = x + tf.ragged.constant([[[1], [3, 4]], [[5, 6]]])", "SL120"),
    ("row_lengths_short", "probe = tf.RaggedTensor.from_row_lengths("
     "values=[3, 1, 4, 1, 5, 9, 2], row_lengths=[4, 0, 2])", "SL121"),
    ("row_splits_end", "probe = tf.RaggedTensor.from_row_splits("
     "values=[3, 1, 4, 1, 5, 9, 2], row_splits=[0, 4, 4, 6])", "SL121"),
    ("row_splits_start", "probe = tf.RaggedTensor.from_row_splits("
     "values=[3, 1, 4, 1, 5, 9, 2], row_splits=[1, 4, 4, 7])", "SL121"),
    ("value_rowids_count", "probe = tf.RaggedTensor.from_value_rowids("
     "values=[3, 1, 4, 1, 5, 9, 2], value_rowids=[0, 0, 0, 0, 2, 2])", "SL121"),
    ("sparse_values_count", "probe = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], "
     "values=[10, 20, 30], dense_shape=[3, 10])", "SL122"),
    ("sparse_index_columns", "probe = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], "
     "values=[10, 20], dense_shape=[3, 10, 2])", "SL122"),
    ("sparse_values_matrix", "probe = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], "
     "values=[[10], [20]], dense_shape=[3, 10])", "SL122"),
    ("sparse_add_shapes", ST + "probe = tf.sparse.add(st, tf.sparse.SparseTensor("
     "indices=[[0, 0]], values=[1], dense_shape=[3, 9]))", "SL122"),
    ("sparse_add_dense", ST + "probe = tf.sparse.add(st, tf.ones([3, 9], tf.int32))",
     "SL122"),
    ("sparse_matmul_inner", ST + "probe = tf.sparse.sparse_dense_matmul(st, "
     "tf.ones([3, 2], tf.int32))", "SL122"),
    ("sparse_reshape_count", ST + "probe = tf.sparse.reshape(st, [7, 5])", "SL122"),
    ("sparse_index_out_of_bounds", "st = tf.sparse.SparseTensor(indices=[[0, 3], [5, 4]], "
     "values=[10, 20], dense_shape=[3, 10])\nprobe = tf.sparse.to_dense(st)", "SL122"),
    ("sparse_index_negative", "st = tf.sparse.SparseTensor(indices=[[0, 3], [-1, 4]], "
     "values=[10, 20], dense_shape=[3, 10])\nprobe = tf.sparse.to_dense(st)", "SL122"),
    ("sparse_index_order", "st = tf.sparse.SparseTensor(indices=[[2, 4], [0, 3]], "
     "values=[10, 20], dense_shape=[3, 10])\nprobe = tf.sparse.to_dense(st)", "SL122"),
    ("sparse_index_repeated", "st = tf.sparse.SparseTensor(indices=[[0, 3], [0, 3]], "
     "values=[10, 20], dense_shape=[3, 10])\nprobe = tf.sparse.to_dense(st)", "SL122"),
    ("sparse_index_out_of_bounds_unvalidated", "st = tf.sparse.SparseTensor(indices=[[0, 3], "
     "[5, 4]], values=[10, 20], dense_shape=[3, 10])\n"
     "probe = tf.sparse.to_dense(st, validate_indices=False)", "SL122"),
]

# Programs TF runs where a dense rule would wrongly fire: the engine must stay silent.
SILENT: list[tuple[str, str]] = [
    ("ragged_plus_length_one", RT + "probe = rt + tf.constant([1])"),
    ("ragged_uniform_rows", "x = tf.ragged.constant([[1, 2], [3, 4]])\n"
     "probe = x + tf.constant([[1, 2], [3, 4]])"),
    ("ragged_matmul", "probe = tf.matmul(tf.ragged.constant([[1., 2.], [3., 4.]]), "
     "tf.ones([2, 2]))"),
    ("ragged_reshape", RT + "probe = tf.reshape(rt, [-1])"),
    ("sparse_reordered", "st = tf.sparse.SparseTensor(indices=[[2, 4], [0, 3]], "
     "values=[10, 20], dense_shape=[3, 10])\nprobe = tf.sparse.to_dense(tf.sparse.reorder(st))"),
    ("sparse_unvalidated_order", "st = tf.sparse.SparseTensor(indices=[[2, 4], [0, 3]], "
     "values=[10, 20], dense_shape=[3, 10])\n"
     "probe = tf.sparse.to_dense(st, validate_indices=False)"),
    ("sparse_index_out_of_bounds_built", "probe = tf.sparse.SparseTensor(indices=[[0, 3], "
     "[5, 4]], values=[10, 20], dense_shape=[3, 10])"),
]
