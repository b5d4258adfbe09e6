# ruff: noqa
# found by the random-program oracle's graph-pruning probe: keras.ops.tile follows NumPy
# (repeats shorter or longer than the rank are padded with 1s), unlike tf.tile. The engine
# reported SL110 "multiples has length 3 but the input has rank 2".
import keras
import tensorflow as tf

x = tf.zeros([4, 6])
a = keras.ops.tile(x, (1, 2, 3))
b = keras.ops.tile(x, (3,))
c = keras.ops.tile(x, repeats=(2, 1))
