"""Programs for the 2-site APIs of ``bench/coverage.py`` (``np_more``/``np_extra`` ufuncs and
arrays, ``tf_math`` float-only and bitwise ops, ``tf_shape`` TensorShape methods and
broadcast shapes, ``tf_linalg_ops``, ``tf.io.decode_raw``, ``tf.image.non_max_suppression``,
``keras.ops.tril``/``triu`` and the ``K.flatten``/``not_equal``/``dtype`` backend calls), each
binding ``probe``, with what the engine gives (``tests/unit/test_api_twos.py``) and what
TensorFlow 2.21 / Keras 3 / NumPy 2 make of the same program
(``tests/oracle/test_api_twos_oracle.py``, which also checks the engine's value is consistent
with TF's).

A value is written as in ``api_calls_more_cases.py`` (``"<kind> <dtype> <shape>"``), plus
``"bool True"``/``"str float32"`` for Python values and ``"shape (2, None)"`` for a
``TensorShape``. NumPy scalars are wrapped in ``np.asarray`` (an array of shape ``()``).
"""

from __future__ import annotations

SETUP = "import numpy as np\nimport tensorflow as tf\nimport keras\n"
K = "K = tf.keras.backend\n"
SEED = "n = int(np.random.randint(3, 4))\n"  # a value the engine does not know
SPARSE = ("ids = tf.sparse.SparseTensor(indices=[[0, 0], [1, 0], [1, 1]], "
          "values=tf.constant([1, 2, 3], tf.int64), dense_shape=[3, 2])\n")

# (name, program, the engine's value, TensorFlow's value)
CASES: list[tuple[str, str, str, str]] = [
    # NumPy unary ufuncs (np_more.np_unary)
    ("absolute_int8", "probe = np.absolute(np.zeros((2, 3), np.int8))",
     "ndarray int8 (2, 3)", "ndarray int8 (2, 3)"),
    ("absolute_complex", "probe = np.absolute(np.zeros((2, 3), np.complex64))",
     "ndarray float32 (2, 3)", "ndarray float32 (2, 3)"),
    ("arccosh_int", "probe = np.arccosh(np.ones((2, 3), np.int32))",
     "ndarray float64 (2, 3)", "ndarray float64 (2, 3)"),
    ("arcsinh_float32", "probe = np.arcsinh(np.ones((4,), np.float32))",
     "ndarray float32 (4,)", "ndarray float32 (4,)"),
    ("arctanh_int16", "probe = np.arctanh(np.zeros((2,), np.int16))",
     "ndarray float32 (2,)", "ndarray float32 (2,)"),
    ("arcsinh_of_a_tensor", "probe = np.arcsinh(tf.zeros([2, 5]))",
     "ndarray float32 (2, 5)", "ndarray float32 (2, 5)"),
    ("bitwise_not_bool", "probe = np.bitwise_not(np.zeros((2, 3), bool))",
     "ndarray bool (2, 3)", "ndarray bool (2, 3)"),
    ("bitwise_not_int", "probe = np.bitwise_not(np.arange(6).reshape(2, 3))",
     "ndarray int64 (2, 3)", "ndarray int64 (2, 3)"),
    ("conjugate_bool", "probe = np.conjugate(np.zeros((2, 3), bool))",
     "ndarray int8 (2, 3)", "ndarray int8 (2, 3)"),
    ("conjugate_complex", "probe = np.conjugate(np.zeros((3,), np.complex64))",
     "ndarray complex64 (3,)", "ndarray complex64 (3,)"),
    ("deg2rad_int", "probe = np.deg2rad(np.arange(4))", "ndarray float64 (4,)",
     "ndarray float64 (4,)"),
    ("rad2deg_uint8", "probe = np.rad2deg(np.zeros((2, 3), np.uint8))",
     "ndarray float16 (2, 3)", "ndarray float16 (2, 3)"),
    ("isneginf_int", "probe = np.isneginf(np.zeros((2, 3), np.int32))",
     "ndarray bool (2, 3)", "ndarray bool (2, 3)"),
    ("isposinf_float", "probe = np.isposinf(np.zeros((5,)))", "ndarray bool (5,)",
     "ndarray bool (5,)"),
    ("signbit_float32", "probe = np.signbit(np.zeros((2, 2), np.float32))",
     "ndarray bool (2, 2)", "ndarray bool (2, 2)"),
    ("sinc_int8", "probe = np.sinc(np.zeros((2, 3), np.int8))", "ndarray float64 (2, 3)",
     "ndarray float64 (2, 3)"),
    ("sinc_float32", "probe = np.sinc(np.linspace(-1, 1, 7).astype(np.float32))",
     "ndarray float32 (7,)", "ndarray float32 (7,)"),
    # NumPy float binary ufuncs (np_more.np_float_binary)
    ("ldexp_float32", "probe = np.ldexp(np.zeros((2, 3), np.float32), np.ones(3, np.int64))",
     "ndarray float32 (2, 3)", "ndarray float32 (2, 3)"),
    ("ldexp_int_literal", "probe = np.ldexp(np.arange(3), 2)", "ndarray float64 (3,)",
     "ndarray float64 (3,)"),
    ("logaddexp_promoted", "probe = np.logaddexp(np.zeros((2, 3), np.float32), np.ones(3))",
     "ndarray float64 (2, 3)", "ndarray float64 (2, 3)"),
    ("logaddexp_weak_literal", "probe = np.logaddexp(np.zeros((2, 3), np.float32), 1.0)",
     "ndarray float32 (2, 3)", "ndarray float32 (2, 3)"),
    ("logaddexp2_int8", "probe = np.logaddexp2(np.zeros((4, 1), np.int8), "
     "np.ones(3, np.int8))", "ndarray float16 (4, 3)", "ndarray float16 (4, 3)"),
    ("nextafter_int", "probe = np.nextafter(np.zeros((2, 3), np.int32), 1)",
     "ndarray float64 (2, 3)", "ndarray float64 (2, 3)"),
    ("nextafter_tensor", "probe = np.nextafter(tf.zeros([2]), 1.0)", "ndarray float32 (2,)",
     "ndarray float32 (2,)"),
    # NumPy arrays (np_extra)
    ("swapaxes", "probe = np.swapaxes(np.zeros((2, 3, 4)), 0, 2)",
     "ndarray float64 (4, 3, 2)", "ndarray float64 (4, 3, 2)"),
    ("swapaxes_negative", "probe = np.swapaxes(np.zeros((2, 3, 4), np.int32), -1, 1)",
     "ndarray int32 (2, 4, 3)", "ndarray int32 (2, 4, 3)"),
    ("vdot", "probe = np.asarray(np.vdot(np.zeros((2, 3)), np.zeros(6)))",
     "ndarray float64 ()", "ndarray float64 ()"),
    ("vdot_promoted", "probe = np.asarray(np.vdot(np.zeros((2, 3), np.int32), "
     "np.zeros(6, np.float32)))", "ndarray float64 ()", "ndarray float64 ()"),
    ("kron_matrices", "probe = np.kron(np.zeros((2, 3)), np.zeros((4, 5)))",
     "ndarray float64 (8, 15)", "ndarray float64 (8, 15)"),
    ("kron_matrix_vector", "probe = np.kron(np.zeros((2, 3)), np.zeros(5))",
     "ndarray float64 (2, 15)", "ndarray float64 (2, 15)"),
    ("kron_ranks", "probe = np.kron(np.zeros(2), np.zeros((4, 5, 6), np.float32))",
     "ndarray float64 (4, 5, 12)", "ndarray float64 (4, 5, 12)"),
    ("kron_ints", "probe = np.kron(np.zeros((2, 3), np.int32), np.zeros((4, 5), np.int64))",
     "ndarray int64 (8, 15)", "ndarray int64 (8, 15)"),
    ("kron_literal", "probe = np.kron(np.zeros((2, 3), np.float32), 2.0)",
     "ndarray float64 (2, 3)", "ndarray float64 (2, 3)"),
    ("searchsorted", "probe = np.searchsorted(np.zeros(5), np.zeros((2, 3)))",
     "ndarray int64 (2, 3)", "ndarray int64 (2, 3)"),
    ("searchsorted_list", "probe = np.searchsorted(np.arange(5), [1.0, 2.0])",
     "ndarray int64 (2,)", "ndarray int64 (2,)"),
    ("corrcoef_rows", "probe = np.corrcoef(np.arange(12.0).reshape(3, 4) ** 2)",
     "ndarray float64 (3, 3)", "ndarray float64 (3, 3)"),
    ("corrcoef_columns", "probe = np.corrcoef(np.arange(12.0).reshape(3, 4) ** 2, "
     "rowvar=False)", "ndarray float64 (4, 4)", "ndarray float64 (4, 4)"),
    ("corrcoef_two_vectors", "probe = np.corrcoef(np.arange(4.0), np.arange(4.0) ** 2)",
     "ndarray float64 (2, 2)", "ndarray float64 (2, 2)"),
    ("corrcoef_x_and_y", "probe = np.corrcoef(np.arange(12.0).reshape(3, 4) ** 2, "
     "np.arange(8.0).reshape(2, 4) ** 3)", "ndarray float64 (5, 5)", "ndarray float64 (5, 5)"),
    ("corrcoef_float32", "probe = np.corrcoef(np.arange(6, dtype=np.float32).reshape(2, 3) "
     "** 2)", "ndarray float64 (2, 2)", "ndarray float64 (2, 2)"),
    ("corrcoef_one_variable", "probe = np.asarray(np.corrcoef(np.arange(4.0)))",
     "ndarray float64 ()", "ndarray float64 ()"),
    ("hamming", "probe = np.hamming(5)", "ndarray float64 (5,)", "ndarray float64 (5,)"),
    ("hanning_empty", "probe = np.hanning(0)", "ndarray float64 (0,)", "ndarray float64 (0,)"),
    ("blackman_negative", "probe = np.blackman(-3)", "ndarray float64 (0,)",
     "ndarray float64 (0,)"),
    ("bartlett_one", "probe = np.bartlett(1)", "ndarray float64 (1,)", "ndarray float64 (1,)"),
    ("kaiser", "probe = np.kaiser(7, 14.0)", "ndarray float64 (7,)", "ndarray float64 (7,)"),
    # tf_math: float-only unary and bitwise
    ("acos", "probe = tf.acos(tf.zeros([2, 3]))", "tensor float32 (2, 3)",
     "tensor float32 (2, 3)"),
    ("acosh_float64", "probe = tf.math.acosh(tf.ones([4], tf.float64))",
     "tensor float64 (4,)", "tensor float64 (4,)"),
    ("asinh_complex", "probe = tf.math.asinh(tf.zeros([2], tf.complex64))",
     "tensor complex64 (2,)", "tensor complex64 (2,)"),
    ("atanh", "probe = tf.math.atanh(tf.zeros([3, 1]))", "tensor float32 (3, 1)",
     "tensor float32 (3, 1)"),
    ("erfc_float16", "probe = tf.math.erfc(tf.zeros([2], tf.float16))",
     "tensor float16 (2,)", "tensor float16 (2,)"),
    ("bessel_i0", "probe = tf.math.bessel_i0(tf.zeros([2, 2]))", "tensor float32 (2, 2)",
     "tensor float32 (2, 2)"),
    ("invert_int32", "probe = tf.bitwise.invert(tf.zeros([2, 3], tf.int32))",
     "tensor int32 (2, 3)", "tensor int32 (2, 3)"),
    ("invert_uint8", "probe = tf.bitwise.invert(tf.zeros([4], tf.uint8))",
     "tensor uint8 (4,)", "tensor uint8 (4,)"),
    ("left_shift_broadcast", "probe = tf.bitwise.left_shift(tf.zeros([2, 3], tf.int32), "
     "tf.ones([3], tf.int32))", "tensor int32 (2, 3)", "tensor int32 (2, 3)"),
    ("left_shift_literal", "probe = tf.bitwise.left_shift(tf.zeros([2, 3], tf.int32), 2)",
     "tensor int32 (2, 3)", "tensor int32 (2, 3)"),
    ("right_shift_int64", "probe = tf.bitwise.right_shift(tf.zeros([2, 3], tf.int64), "
     "tf.ones([2, 1], tf.int64))", "tensor int64 (2, 3)", "tensor int64 (2, 3)"),
    # tf_shape: broadcast shapes and TensorShape methods
    ("broadcast_static", "probe = tf.broadcast_static_shape(tf.TensorShape([2, 1]), "
     "tf.TensorShape([3]))", "shape (2, 3)", "shape (2, 3)"),
    ("broadcast_static_none", "probe = tf.broadcast_static_shape(tf.TensorShape([2, 1]), "
     "tf.TensorShape([None, 3]))", "shape (2, 3)", "shape (2, 3)"),
    ("broadcast_static_keeps_none", "probe = tf.broadcast_static_shape(tf.TensorShape([2, 1]),"
     " tf.TensorShape([None]))", "shape (2, None)", "shape (2, None)"),
    ("broadcast_static_of_tensors", "probe = tf.broadcast_static_shape(tf.zeros([4, 1]).shape,"
     " tf.zeros([5]).shape)", "shape (4, 5)", "shape (4, 5)"),
    ("broadcast_dynamic", "probe = tf.broadcast_dynamic_shape(tf.constant([2, 1]), "
     "tf.constant([3]))", "tensor int32 (2,)", "tensor int32 (2,)"),
    ("broadcast_dynamic_content", "probe = tf.zeros(tf.broadcast_dynamic_shape(tf.shape("
     "tf.zeros([2, 1])), [4, 1, 3]))", "tensor float32 (4, 2, 3)", "tensor float32 (4, 2, 3)"),
    ("broadcast_dynamic_int64", "probe = tf.broadcast_dynamic_shape(tf.constant([2, 1], "
     "tf.int64), tf.constant([3], tf.int64))", "tensor int64 (2,)", "tensor int64 (2,)"),
    ("fully_defined", "probe = tf.zeros([2, 3]).shape.is_fully_defined()", "bool True",
     "bool True"),
    ("not_fully_defined", "probe = tf.TensorShape([2, None]).is_fully_defined()",
     "bool False", "bool False"),
    ("compatible_with_none", "probe = tf.TensorShape([2, None]).is_compatible_with([2, 5])",
     "bool True", "bool True"),
    ("not_compatible_size", "probe = tf.zeros([2, 3]).shape.is_compatible_with("
     "tf.TensorShape([2, 4]))", "bool False", "bool False"),
    ("not_compatible_rank", "probe = tf.TensorShape([2, 3]).is_compatible_with([2, 3, 1])",
     "bool False", "bool False"),
    ("merge_with", "probe = tf.TensorShape([None, 3]).merge_with([4, None])",
     "shape (4, 3)", "shape (4, 3)"),
    ("merge_with_tensor_shape", "probe = tf.zeros([2, 3]).shape.merge_with("
     "tf.TensorShape([None, 3]))", "shape (2, 3)", "shape (2, 3)"),
    # tf_linalg_ops
    ("cholesky", "probe = tf.linalg.cholesky(tf.eye(3))", "tensor float32 (3, 3)",
     "tensor float32 (3, 3)"),
    ("inv_batch", "probe = tf.linalg.inv(tf.eye(3, batch_shape=[4], dtype=tf.float64))",
     "tensor float64 (4, 3, 3)", "tensor float64 (4, 3, 3)"),
    ("det_batch", "probe = tf.linalg.det(tf.zeros([4, 3, 3]))", "tensor float32 (4,)",
     "tensor float32 (4,)"),
    ("logdet", "probe = tf.linalg.logdet(tf.eye(3))", "tensor float32 ()",
     "tensor float32 ()"),
    ("slogdet_log", "sign, probe = tf.linalg.slogdet(tf.zeros([2, 3, 3]))",
     "tensor float32 (2,)", "tensor float32 (2,)"),
    ("slogdet_sign", "probe = tf.linalg.slogdet(tf.eye(2, dtype=tf.complex64))[0]",
     "tensor complex64 ()", "tensor complex64 ()"),
    ("eig_values", "probe = tf.linalg.eig(tf.eye(3))[0]", "tensor complex64 (3,)",
     "tensor complex64 (3,)"),
    ("eig_vectors", "probe = tf.linalg.eig(tf.eye(3, dtype=tf.float64))[1]",
     "tensor complex128 (3, 3)", "tensor complex128 (3, 3)"),
    ("eigh", "e, probe = tf.linalg.eigh(tf.eye(3, batch_shape=[2]))",
     "tensor float32 (2, 3, 3)", "tensor float32 (2, 3, 3)"),
    ("eigh_values", "probe, v = tf.linalg.eigh(tf.eye(3))", "tensor float32 (3,)",
     "tensor float32 (3,)"),
    ("eigvals", "probe = tf.linalg.eigvals(tf.eye(3))", "tensor complex64 (3,)",
     "tensor complex64 (3,)"),
    ("eigvalsh", "probe = tf.linalg.eigvalsh(tf.eye(3))", "tensor float32 (3,)",
     "tensor float32 (3,)"),
    ("lu_permutation", "lu, probe = tf.linalg.lu(tf.eye(3))", "tensor int32 (3,)",
     "tensor int32 (3,)"),
    ("lu_factors_int64_index", "probe = tf.linalg.lu(tf.eye(3), output_idx_type=tf.int64)[0]",
     "tensor float32 (3, 3)", "tensor float32 (3, 3)"),
    ("lu_int64_index", "probe = tf.linalg.lu(tf.eye(3), output_idx_type=tf.int64)[1]",
     "tensor int64 (3,)", "tensor int64 (3,)"),
    ("matrix_rank", "probe = tf.linalg.matrix_rank(tf.zeros([5, 3, 4]))",
     "tensor int32 (5,)", "tensor int32 (5,)"),
    ("pinv", "probe = tf.linalg.pinv(tf.zeros([5, 3, 4]))", "tensor float32 (5, 4, 3)",
     "tensor float32 (5, 4, 3)"),
    ("cross", "probe = tf.linalg.cross(tf.zeros([2, 3]), tf.ones([2, 3]))",
     "tensor float32 (2, 3)", "tensor float32 (2, 3)"),
    ("cross_arrays", "probe = tf.linalg.cross(np.zeros((2, 3)), np.ones((2, 3)))",
     "tensor float64 (2, 3)", "tensor float64 (2, 3)"),
    # tf.io / tf.image
    ("decode_raw", "probe = tf.io.decode_raw(tf.constant([b'abcd', b'efgh']), tf.uint8)",
     "tensor uint8 (2, None)", "tensor uint8 (2, 4)"),
    ("decode_raw_scalar", "probe = tf.io.decode_raw(tf.constant(b'abcd'), tf.int16)",
     "tensor int16 (None,)", "tensor int16 (2,)"),
    ("non_max_suppression", "probe = tf.image.non_max_suppression(tf.zeros([5, 4]), "
     "tf.zeros([5]), 3)", "tensor int32 (None,)", "tensor int32 (3,)"),
    # keras.ops / backend
    ("keras_tril", "probe = keras.ops.tril(tf.zeros([3, 4]))", "tensor float32 (3, 4)",
     "tensor float32 (3, 4)"),
    ("keras_triu_batch", "probe = keras.ops.triu(tf.zeros([2, 3, 4], tf.int32), k=1)",
     "tensor int32 (2, 3, 4)", "tensor int32 (2, 3, 4)"),
    ("keras_tril_array", "probe = keras.ops.tril(np.zeros((3, 3)))",
     "tensor float64 (3, 3)", "tensor float64 (3, 3)"),
    ("backend_flatten", K + "probe = K.flatten(tf.zeros([2, 3]))", "tensor float32 (6,)",
     "tensor float32 (6,)"),
    ("backend_flatten_array", K + "probe = K.flatten(np.zeros((2, 3, 2)))",
     "tensor float64 (12,)", "tensor float64 (12,)"),
    ("backend_not_equal", K + "probe = K.not_equal(tf.zeros([2, 3]), tf.zeros([3]))",
     "tensor bool (2, 3)", "tensor bool (2, 3)"),
    ("backend_not_equal_literal", K + "probe = K.not_equal(tf.zeros([2, 3]), 1.0)",
     "tensor bool (2, 3)", "tensor bool (2, 3)"),
    ("backend_dtype", K + "probe = K.dtype(tf.zeros([2, 3]))", "str float32", "str float32"),
    ("backend_dtype_variable", K + "probe = K.dtype(tf.Variable(1))", "str int32",
     "str int32"),
    # more 2-site calls: tf.math, segments, unique_with_counts, tf.signal, tf.strings, NumPy
    ("angle_complex", "probe = tf.math.angle(tf.zeros([2, 3], tf.complex128))",
     "tensor float64 (2, 3)", "tensor float64 (2, 3)"),
    ("angle_float", "probe = tf.math.angle(tf.zeros([4]))", "tensor float32 (4,)",
     "tensor float32 (4,)"),
    ("igamma", "probe = tf.math.igamma(tf.ones([2, 3]), tf.ones([3]))",
     "tensor float32 (2, 3)", "tensor float32 (2, 3)"),
    ("igammac_literal", "probe = tf.math.igammac(tf.ones([2, 3], tf.float64), 1.0)",
     "tensor float64 (2, 3)", "tensor float64 (2, 3)"),
    ("nextafter", "probe = tf.math.nextafter(tf.ones([2, 3]), tf.zeros([2, 1]))",
     "tensor float32 (2, 3)", "tensor float32 (2, 3)"),
    ("count_nonzero_all", "probe = tf.math.count_nonzero(tf.zeros([2, 3]))",
     "tensor int64 ()", "tensor int64 ()"),
    ("count_nonzero_axis", "probe = tf.math.count_nonzero(tf.zeros([2, 3]), 0)",
     "tensor int64 (3,)", "tensor int64 (3,)"),
    ("count_nonzero_keepdims", "probe = tf.math.count_nonzero(tf.zeros([2, 3]), axis=1, "
     "keepdims=True, dtype=tf.int32)", "tensor int32 (2, 1)", "tensor int32 (2, 1)"),
    ("count_nonzero_strings", "probe = tf.math.count_nonzero(tf.constant(['a', '']))",
     "tensor int64 ()", "tensor int64 ()"),
    ("segment_sum", "probe = tf.math.segment_sum(tf.zeros([4, 3]), tf.constant([0, 0, 1, 1]))",
     "tensor float32 (None, 3)", "tensor float32 (2, 3)"),
    ("segment_max_vector", "probe = tf.math.segment_max(tf.zeros([4]), "
     "tf.constant([0, 0, 1, 2]))", "tensor float32 (None,)", "tensor float32 (3,)"),
    ("segment_prod_int64_ids", "probe = tf.math.segment_prod(tf.ones([4, 3], tf.int32), "
     "tf.constant([0, 0, 1, 1], tf.int64))", "tensor int32 (None, 3)", "tensor int32 (2, 3)"),
    ("unique_with_counts_values", "probe, idx, count = tf.unique_with_counts("
     "tf.constant([1, 1, 2]))", "tensor int32 (None,)", "tensor int32 (2,)"),
    ("unique_with_counts_index", "y, probe, count = tf.unique_with_counts(tf.constant([1, 1, "
     "2]), out_idx=tf.int64)", "tensor int64 (3,)", "tensor int64 (3,)"),
    ("unique_with_counts_counts", "probe = tf.unique_with_counts(tf.constant([1.0, 1.0]))[2]",
     "tensor int32 (None,)", "tensor int32 (1,)"),
    ("fft", "probe = tf.signal.fft(tf.zeros([2, 8], tf.complex64))",
     "tensor complex64 (2, 8)", "tensor complex64 (2, 8)"),
    ("ifft2d", "probe = tf.signal.ifft2d(tf.zeros([2, 8, 4], tf.complex128))",
     "tensor complex128 (2, 8, 4)", "tensor complex128 (2, 8, 4)"),
    ("irfft", "probe = tf.signal.irfft(tf.zeros([2, 5], tf.complex64))",
     "tensor float32 (2, 8)", "tensor float32 (2, 8)"),
    ("irfft_length", "probe = tf.signal.irfft(tf.zeros([2, 5], tf.complex128), "
     "fft_length=[6])", "tensor float64 (2, 6)", "tensor float64 (2, 6)"),
    ("kaiser_window", "probe = tf.signal.kaiser_window(8)", "tensor float32 (8,)",
     "tensor float32 (8,)"),
    ("kaiser_window_float64", "probe = tf.signal.kaiser_window(1, beta=3.0, dtype=tf.float64)",
     "tensor float64 (1,)", "tensor float64 (1,)"),
    ("regex_replace", "probe = tf.strings.regex_replace(tf.constant([['ab', 'c']]), 'a', 'b')",
     "tensor string (1, 2)", "tensor string (1, 2)"),
    ("regex_replace_scalar", "probe = tf.strings.regex_replace('ab', 'a', 'b')",
     "tensor string ()", "tensor string ()"),
    ("substr_scalars", "probe = tf.strings.substr(tf.constant(['abc', 'def']), 0, 2)",
     "tensor string (2,)", "tensor string (2,)"),
    ("substr_per_string", "probe = tf.strings.substr(tf.constant([['abc', 'def']]), "
     "[[0, 1]], [[1, 2]])", "tensor string (1, 2)", "tensor string (1, 2)"),
    ("to_number", "probe = tf.strings.to_number(tf.constant(['1', '2']))",
     "tensor float32 (2,)", "tensor float32 (2,)"),
    ("to_number_int64", "probe = tf.strings.to_number(tf.constant([['1', '2']]), "
     "out_type=tf.int64)", "tensor int64 (1, 2)", "tensor int64 (1, 2)"),
    ("ndarray_new", "probe = np.ndarray((2, 3))", "ndarray float64 (2, 3)",
     "ndarray float64 (2, 3)"),
    ("ndarray_new_dtype", "probe = np.ndarray(4, dtype='float32')", "ndarray float32 (4,)",
     "ndarray float32 (4,)"),
    ("frombuffer", "probe = np.frombuffer(b'abcdefgh', dtype=np.uint8)",
     "ndarray uint8 (None,)", "ndarray uint8 (8,)"),
    ("frombuffer_count", "probe = np.frombuffer(b'abcdefgh', dtype=np.float32, count=1)",
     "ndarray float32 (1,)", "ndarray float32 (1,)"),
    ("conv_transpose_2d", "probe = tf.nn.conv_transpose(tf.zeros([2, 8, 8, 3]), "
     "tf.zeros([3, 3, 5, 3]), output_shape=[2, 16, 16, 5], strides=2)",
     "tensor float32 (2, 16, 16, 5)", "tensor float32 (2, 16, 16, 5)"),
    ("conv_transpose_1d", "probe = tf.nn.conv_transpose(tf.zeros([2, 8, 3]), tf.zeros([3, 5, "
     "3]), [2, 16, 5], 2, padding='SAME')", "tensor float32 (2, 16, 5)",
     "tensor float32 (2, 16, 5)"),
    ("ctc_loss_time_major", "probe = tf.nn.ctc_loss(tf.zeros([2, 5], tf.int32), "
     "tf.zeros([10, 2, 6]), tf.constant([5, 5]), tf.constant([10, 10]))",
     "tensor float32 (2,)", "tensor float32 (2,)"),
    ("ctc_loss_batch_major", "probe = tf.nn.ctc_loss(tf.zeros([3, 5], tf.int32), "
     "tf.zeros([3, 10, 6]), tf.constant([5, 5, 5]), tf.constant([10, 10, 10]), "
     "logits_time_major=False)", "tensor float32 (3,)", "tensor float32 (3,)"),
    ("bincount", "probe = tf.math.bincount(tf.constant([1, 2, 2]))", "tensor int32 (None,)",
     "tensor int32 (3,)"),
    ("bincount_weights", "probe = tf.math.bincount(tf.constant([1, 2, 2]), "
     "weights=tf.constant([1.0, 2.0, 3.0]))", "tensor float32 (None,)", "tensor float32 (3,)"),
    ("bincount_fixed_length", "probe = tf.math.bincount(tf.constant([1, 2, 2]), minlength=5, "
     "maxlength=5)", "tensor int32 (5,)", "tensor int32 (5,)"),
    ("bincount_rows", "probe = tf.math.bincount(tf.constant([[1, 2], [2, 0]]), axis=-1, "
     "dtype=tf.float32)", "tensor float32 (2, None)", "tensor float32 (2, 3)"),
    ("unique_v2", "probe, idx = tf.raw_ops.UniqueV2(x=tf.constant([[1, 2], [1, 2]]), "
     "axis=[0])", "tensor int32 (None, 2)", "tensor int32 (1, 2)"),
    ("unique_with_counts_v2", "y, probe, count = tf.raw_ops.UniqueWithCountsV2("
     "x=tf.constant([[1, 2], [1, 2]]), axis=[1])", "tensor int32 (2,)", "tensor int32 (2,)"),
    ("select", "probe = np.select([np.array([True, False])], [np.array([1.0, 2.0], "
     "np.float32)])", "ndarray float32 (2,)", "ndarray float32 (2,)"),
    ("select_broadcast", "probe = np.select([np.zeros((3, 1), bool), np.ones((3, 1), bool)], "
     "[np.zeros(4, np.int32), np.ones(4, np.int32)], default=np.zeros(4))",
     "ndarray float64 (3, 4)", "ndarray float64 (3, 4)"),
    ("tnp_select", "import tensorflow.experimental.numpy as tnp\n"
     "probe = tnp.select([tf.constant([[True, False]])], [tf.constant([1.0, 2.0])])",
     "tensor float32 (1, 2)", "tensor float32 (1, 2)"),
    ("inverse_stft", "probe = tf.signal.inverse_stft(tf.zeros([2, 7, 5], tf.complex64), 8, 4)",
     "tensor float32 (2, 32)", "tensor float32 (2, 32)"),
    ("inverse_stft_fft_length", "probe = tf.signal.inverse_stft(tf.zeros([7, 9], "
     "tf.complex128), 16, 4, fft_length=16)", "tensor float64 (40,)", "tensor float64 (40,)"),
    ("inverse_of_stft", "s = tf.signal.stft(tf.zeros([2, 100]), 8, 4)\n"
     "probe = tf.signal.inverse_stft(s, 8, 4)", "tensor float32 (2, 100)",
     "tensor float32 (2, 100)"),
    ("embedding_lookup_sparse", SPARSE + "probe = tf.nn.embedding_lookup_sparse("
     "tf.zeros([10, 4]), ids, None)", "tensor float32 (None, 4)", "tensor float32 (2, 4)"),
    ("embedding_lookup_sparse_shards", SPARSE + "probe = tf.nn.embedding_lookup_sparse("
     "[tf.zeros([10, 4, 2])], ids, None, combiner='sum')", "tensor float32 (None, 4, 2)",
     "tensor float32 (2, 4, 2)"),
    ("safe_embedding_lookup_sparse", SPARSE + "probe = tf.nn.safe_embedding_lookup_sparse("
     "tf.zeros([10, 4]), ids)", "tensor float32 (3, 4)", "tensor float32 (3, 4)"),
]

# Programs TF runs where the engine must leave ``probe`` unknown: a value it cannot read.
UNKNOWN: list[tuple[str, str]] = [
    ("window_of_unknown_length", SEED + "probe = np.hamming(n)"),
    ("fully_defined_unknown_dim", SEED + "probe = tf.TensorShape([n, 3]).is_fully_defined()"),
    ("compatible_unknown_dim", SEED + "probe = tf.TensorShape([n, 3]).is_compatible_with("
     "[3, 3])"),
    ("corrcoef_unknown_rowvar", SEED + "probe = np.corrcoef(np.arange(12.0).reshape(3, 4) ** 2,"
     " rowvar=n > 5)"),
    ("swapaxes_unknown_axis", SEED + "probe = np.swapaxes(np.zeros((2, 3, 4)), 0, n - 1)"),
]

# Programs TF/NumPy refuse (the exception class) where the engine stays silent and leaves the
# value unknown: errors whose messages no rule of ours names, and dtype refusals.
RAISES: list[tuple[str, str, str]] = [
    ("bitwise_not_float", "probe = np.bitwise_not(np.zeros((2, 3)))", "TypeError"),
    ("ldexp_float_exponent", "probe = np.ldexp(np.zeros((2, 3)), np.ones(3))", "TypeError"),
    ("isposinf_complex", "probe = np.isposinf(np.zeros((2, 3), np.complex64))", "TypeError"),
    ("signbit_complex", "probe = np.signbit(np.zeros(3, np.complex64))", "TypeError"),
    ("vdot_other_sizes", "probe = np.vdot(np.zeros((2, 3)), np.zeros(5))", "ValueError"),
    ("searchsorted_matrix", "probe = np.searchsorted(np.zeros((5, 2)), 1.0)", "ValueError"),
    # a NumPy function of a KerasTensor: Keras refuses the conversion, whatever the shapes
    ("np_add_keras_tensor_other_width", "probe = np.add(keras.Input((3,)), np.ones(4))",
     "ValueError"),
    ("np_maximum_keras_tensor", "probe = np.maximum(keras.Input((3,)), np.ones(3))",
     "ValueError"),
    ("corrcoef_three_dims", "probe = np.corrcoef(np.zeros((3, 4, 2)))", "ValueError"),
    ("corrcoef_other_observations", "probe = np.corrcoef(np.zeros((3, 4)), np.zeros((2, 5)))",
     "ValueError"),
    ("acos_of_ints", "probe = tf.acos(tf.zeros([2, 3], tf.int32))", "InvalidArgumentError"),
    ("invert_float", "probe = tf.bitwise.invert(tf.zeros([2, 3]))", "InvalidArgumentError"),
    ("left_shift_dtypes", "probe = tf.bitwise.left_shift(tf.zeros([2, 3], tf.int32), "
     "tf.ones([3], tf.int64))", "InvalidArgumentError"),
    ("broadcast_static_clash", "probe = tf.broadcast_static_shape(tf.TensorShape([2, 2]), "
     "tf.TensorShape([3]))", "ValueError"),
    ("broadcast_static_of_lists", "probe = tf.broadcast_static_shape([2, 1], [3])",
     "AttributeError"),
    ("merge_with_clash", "probe = tf.TensorShape([2, None]).merge_with([3, None])",
     "ValueError"),
    ("cholesky_not_square", "probe = tf.linalg.cholesky(tf.zeros([2, 3]))",
     "InvalidArgumentError"),
    ("det_of_a_vector", "probe = tf.linalg.det(tf.zeros([3]))", "InvalidArgumentError"),
    ("inv_of_ints", "probe = tf.linalg.inv(tf.zeros([3, 3], tf.int32))",
     "InvalidArgumentError"),
    ("slogdet_not_square", "probe = tf.linalg.slogdet(tf.zeros([2, 3, 4]))",
     "InvalidArgumentError"),
    ("cross_of_4_vectors", "probe = tf.linalg.cross(tf.zeros([2, 4]), tf.zeros([2, 4]))",
     "FailedPreconditionError"),
    ("cross_other_shapes", "probe = tf.linalg.cross(tf.zeros([2, 3]), tf.zeros([3]))",
     "InvalidArgumentError"),
    ("pinv_complex", "probe = tf.linalg.pinv(tf.eye(3, dtype=tf.complex64))", "TypeError"),
    ("decode_raw_of_floats", "probe = tf.io.decode_raw(tf.zeros([2]), tf.uint8)",
     "InvalidArgumentError"),
    ("non_max_suppression_3d_boxes", "probe = tf.image.non_max_suppression(tf.zeros([1, 5, 4]),"
     " tf.zeros([5]), 3)", "InvalidArgumentError"),
    ("keras_triu_vector", "probe = keras.ops.triu(tf.zeros([3]))", "InvalidArgumentError"),
    ("backend_dtype_keras_tensor", K + "probe = K.dtype(keras.Input((3,)))", "AttributeError"),
    ("backend_dtype_array", K + "probe = K.dtype(np.zeros(3))", "AttributeError"),
    ("angle_of_ints", "probe = tf.math.angle(tf.zeros([2], tf.int32))", "TypeError"),
    ("igamma_of_ints", "probe = tf.math.igamma(tf.ones([3], tf.int32), tf.ones([3], tf.int32))",
     "InvalidArgumentError"),
    ("nextafter_float16", "probe = tf.math.nextafter(tf.ones([3], tf.float16), "
     "tf.zeros([3], tf.float16))", "InvalidArgumentError"),
    ("segment_ids_too_few", "probe = tf.math.segment_sum(tf.zeros([4, 3]), "
     "tf.constant([0, 0, 1]))", "InvalidArgumentError"),
    ("fft_of_floats", "probe = tf.signal.fft(tf.zeros([2, 8]))", "InvalidArgumentError"),
    ("kaiser_window_empty", "probe = tf.signal.kaiser_window(0)", "InvalidArgumentError"),
    ("substr_other_shapes", "probe = tf.strings.substr(tf.constant(['abc', 'def']), [0, 1], 2)",
     "InvalidArgumentError"),
    ("conv_transpose_wrong_output", "probe = tf.nn.conv_transpose(tf.zeros([2, 8, 8, 3]), "
     "tf.zeros([3, 3, 5, 3]), output_shape=[2, 16, 16], strides=2)", "InvalidArgumentError"),
    ("ctc_loss_float64", "probe = tf.nn.ctc_loss(tf.zeros([2, 5], tf.int32), tf.zeros([2, 10, "
     "6], tf.float64), tf.constant([5, 5]), tf.constant([10, 10]), logits_time_major=False)",
     "InvalidArgumentError"),
    # a KerasTensor in a NumPy or TF function is Keras' own ValueError, not a shape error
    ("logaddexp_of_a_keras_tensor", "probe = np.logaddexp(keras.Input((3,)), np.ones(4))",
     "ValueError"),
    ("left_shift_of_a_keras_tensor", "probe = tf.bitwise.left_shift(keras.Input((3,), "
     "dtype='int32'), tf.ones([4], tf.int32))", "ValueError"),
    ("igamma_of_a_keras_tensor", "probe = tf.math.igamma(keras.Input((3,)), tf.ones([4]))",
     "ValueError"),
    ("swapaxes_of_a_keras_tensor", "probe = np.swapaxes(keras.Input((3,)), 0, 5)",
     "ValueError"),
]

# Programs TF/NumPy refuse with a shape error at their last line (or a traced function's
# ``return``): the engine reports it there, once, with the rule that names TF's message.
FINDINGS: list[tuple[str, str, str, str]] = [
    ("logaddexp_no_broadcast", "probe = np.logaddexp(np.zeros((2, 3)), np.ones(4))",
     "ValueError", "SL103"),
    ("ldexp_no_broadcast", "probe = np.ldexp(np.zeros((2, 3)), np.ones(4, np.int32))",
     "ValueError", "SL103"),
    ("swapaxes_out_of_bounds", "probe = np.swapaxes(np.zeros((2, 3, 4)), 0, 3)", "AxisError",
     "SL105"),
    ("left_shift_no_broadcast", "probe = tf.bitwise.left_shift(tf.zeros([2, 3], tf.int32), "
     "tf.ones([4], tf.int32))", "InvalidArgumentError", "SL103"),
    ("left_shift_traced", "@tf.function\ndef f(x):\n    return tf.bitwise.left_shift(x, "
     "tf.ones([4], tf.int32))\n\nprobe = f(tf.zeros([2, 3], tf.int32))", "ValueError",
     "SL103"),
    ("broadcast_dynamic_clash", "probe = tf.broadcast_dynamic_shape(tf.constant([2, 2]), "
     "tf.constant([3]))", "InvalidArgumentError", "SL103"),
    ("backend_not_equal_no_broadcast", K + "probe = K.not_equal(tf.zeros([2, 3]), "
     "tf.zeros([4]))", "InvalidArgumentError", "SL103"),
    ("igamma_no_broadcast", "probe = tf.math.igamma(tf.ones([2, 3]), tf.ones([4]))",
     "InvalidArgumentError", "SL103"),
    ("nextafter_no_broadcast", "probe = tf.math.nextafter(tf.ones([2, 3]), tf.zeros([4]))",
     "InvalidArgumentError", "SL103"),
    ("count_nonzero_axis_out_of_range", "probe = tf.math.count_nonzero(tf.zeros([2, 3]), "
     "axis=2)", "InvalidArgumentError", "SL105"),
]
