# ruff: noqa
# shrunk from genprog seed 2005534 (chain): a false alarm. keras.ops.add (TF backend) runs
# tf.nn.bias_add when the second operand squeezes to a vector as long as dim 1 or the last dim
# of the first (rank >= 2), so [5, 5, 4, 4] + [5] works (NCHW bias). The engine reported SL103.
import keras
import tensorflow as tf

x1 = tf.ones([5, 5, 4, 4], dtype=tf.float64)
w2 = tf.random.normal([5], dtype=tf.float64)
v3 = keras.ops.add(x1, w2)
v4 = keras.ops.add(tf.ones([2, 3, 4]), tf.ones([3, 1]))
