# ruff: noqa
# shrunk from genprog seed 108526 (image): a false alarm. tf.nn.avg_pool2d with a VALID window
# larger than a spatial axis returns an empty tensor (3, 0, 0, 1); only max pooling raises.
# The engine reported SL114 "the output size would be -1".
import tensorflow as tf
x1 = tf.zeros([3, 7, 5, 1])
v3 = tf.nn.avg_pool2d(x1, ksize=8, strides=2, padding='VALID')
