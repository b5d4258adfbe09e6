# ruff: noqa
# shrunk from genprog seed 903676 (function)
# was a false alarm (SL105): in a tf.function, ArgMin accepts any axis when the graph is built; only its kernel checks it, and an unused result is never run
import tensorflow as tf
x1 = tf.zeros([3])

@tf.function
def block(inp):
    v4 = tf.argmin(inp, axis=1)
y6 = block(x1)
