"""Probe templates for the shape functions added in session 10 (issue 16: the names with two
sites in ``bench/coverage.py``, the NumPy behaviour of KerasTensor-free ufuncs, RNN cells and
the graph/coordinator handles' eager parts), in ``probes.py``'s format: (minimum rank, float
only, template). ``probes.TEMPLATES`` takes them in, so the random programs and the sweep
(``bench/fuzz.py --sweep``) run them under TF like every other probe."""

from __future__ import annotations

MORE: list[tuple[int, bool, str]] = [
    # NumPy ufuncs and helpers (shapefns/np_more.py, np_extra.py)
    (1, False, "np.absolute(np.asarray({x}))"),
    (1, True, "np.arcsinh(np.asarray({x}))"),
    (1, True, "np.deg2rad(np.asarray({x}))"),
    (1, True, "np.rad2deg(np.asarray({x}, np.float32))"),
    (1, True, "np.signbit(np.asarray({x}))"),
    (1, True, "np.sinc(np.asarray({x}))"),
    (1, True, "np.isposinf(np.asarray({x}))"),
    (1, True, "np.logaddexp(np.asarray({x}), np.zeros({dl}))"),
    (1, True, "np.logaddexp2(np.asarray({x}), 1.0)"),
    (1, True, "np.nextafter(np.asarray({x}), np.ones(({d0}, 1) if {r} > 1 else 1))"),
    (1, True, "np.ldexp(np.asarray({x}), 2)"),
    (2, False, "np.swapaxes(np.asarray({x}), 0, {a})"),
    (1, False, "np.kron(np.asarray({x}), np.ones(2))"),
    (1, True, "np.vdot(np.asarray({x}), np.asarray({x}))"),
    (1, False, "np.searchsorted(np.arange(5), np.asarray({x}))"),
    (2, True, "np.corrcoef(np.asarray({x}))"),
    (1, False, "np.hamming({d0})"),
    (1, False, "np.kaiser({dl}, 5.0)"),
    # keras.ops and the Keras backend (shapefns/np_more.py, keras_backend.py)
    (2, False, "keras.ops.tril({x})"),
    (2, False, "keras.ops.triu({x}, 1)"),
    (1, False, "tf.keras.backend.flatten({x})"),
    # TF math, shapes and linear algebra (tf_math.py, tf_shape.py, tf_linalg_ops.py)
    (1, True, "tf.acos(tf.clip_by_value({x}, -1.0, 1.0))"),
    (1, True, "tf.math.asinh({x})"),
    (1, False, "tf.bitwise.invert(tf.cast({x}, tf.int32))"),
    (1, False, "tf.bitwise.left_shift(tf.cast({x}, tf.int32), 1)"),
    (1, False, "tf.broadcast_static_shape({x}.shape, tf.TensorShape([1] * {r}))"),
    (1, False, "tf.broadcast_dynamic_shape(tf.shape({x}), tf.shape({x}))"),
    (2, True, "tf.linalg.inv(tf.eye({dl}) + tf.matmul({x}, {x}, transpose_a=True))"),
    (2, True, "tf.linalg.det(tf.eye({dl}) + tf.matmul({x}, {x}, transpose_a=True))"),
    (2, True, "tf.linalg.pinv({x})"),
    (1, True, "tf.signal.fft(tf.complex({x}, {x}))"),
    # an RNN cell stepped once (shapefns/keras_cells.py)
    (1, True, "keras.layers.GRUCell(3)(tf.reshape({x}, [{d0}, -1]), [tf.zeros([{d0}, 3])])[0]"),
    (1, True, "keras.layers.LSTMCell(2)(tf.reshape({x}, [{d0}, -1]), "
              "[tf.zeros([{d0}, 2]), tf.zeros([{d0}, 2])])[1][1]"),
]
