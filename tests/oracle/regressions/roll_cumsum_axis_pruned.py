# ruff: noqa
# found while checking the kernel-only checks after genprog seed 100444: inside a
# tf.function, tf.roll / tf.cumsum / keras.ops.roll along an axis past the rank pass TF's
# shape functions and only their kernels raise, so an unused one is pruned and TF runs this.
# The engine reported SL105.
import keras
import tensorflow as tf

x = tf.zeros([4, 6])


@tf.function
def f(inp):
    a = tf.roll(inp, 1, axis=3)
    b = tf.cumsum(inp, axis=3)
    c = keras.ops.roll(inp, 1, axis=3)
    return inp


y = f(x)
