# ruff: noqa
# shrunk from genprog seed 1028 (image): a miss. tf.roll with an axis past the rank raises
# InvalidArgumentError "axis 3 is out of range" (SL105); the engine said nothing.
import tensorflow as tf

x1 = tf.random.uniform([3, 6, 10, 2])
v3 = tf.reduce_max(x1, axis=-2)
v4 = tf.matmul(v3, tf.random.uniform([2, 1]))
v6 = tf.roll(v4, shift=1, axis=3)
