# ruff: noqa
# shrunk from genprog seed 202842 (chain): a dtype disagreement. tf.stack of a list of int64
# NumPy arrays along axis 0 converts the list as nested Python data, so the result is int32
# (along another axis, or with a tensor in the list, it stays int64). The engine said int64.
import numpy as np
import tensorflow as tf

x1 = np.zeros((2, 3, 4), dtype=np.int64)
p2 = tf.stack([x1])
p3 = tf.stack([x1, x1], axis=1)
