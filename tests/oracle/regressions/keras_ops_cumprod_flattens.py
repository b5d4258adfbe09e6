# ruff: noqa
# found by the random-program oracle's probes: keras.ops.cumprod / cumsum flatten the input
# when no axis is given (NumPy's default), and check their axis (ScanOp); the engine treated
# keras.ops.cumprod as elementwise: (4, 6) where TF has (24,), and no SL105 for axis=2.
import keras
import tensorflow as tf

x = tf.ones([4, 6])
a = keras.ops.cumprod(x)
b = keras.ops.cumprod(x, axis=1)
c = keras.ops.cumsum(x > 0, axis=0)
d = keras.ops.cumprod(x, axis=2)
