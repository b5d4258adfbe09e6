# ruff: noqa
# found by the random-program oracle's probe of keras.ops: keras.ops.split(x, [2], axis=1)
# splits at index 2 as NumPy does (pieces (4, 2) and (4, 4)); the engine read [2] as tf.split
# sizes and reported SL109 "sizes [2] sum to 2 but dimension 1 is 6". keras.ops.expand_dims
# with a tuple of axes got rank 3 instead of 4.
import keras
import tensorflow as tf

x = tf.random.normal([4, 6])
r0 = keras.ops.split(x, [2], axis=1)[1]
r1 = keras.ops.split(x, [1, 3], axis=0)[2]
r2 = keras.ops.split(x, 3, axis=1)[0]
r3 = keras.ops.expand_dims(x, (0, 1))
