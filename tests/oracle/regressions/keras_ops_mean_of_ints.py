# ruff: noqa
# shrunk from genprog seed 10273 (function): a dtype disagreement. keras.ops.mean (std, var,
# median) of an int tensor is float32 (Keras computes in floatx) and keras.ops.sum of bools
# is int32; the engine kept int32 / bool, so adding a float32 tensor looked like a dtype
# mismatch.
import keras
import tensorflow as tf

v7 = keras.ops.argmin(tf.random.normal([3, 5, 6]), axis=2)
v9 = keras.ops.mean(v7, axis=1)
w = v9 + tf.ones([3])
n = keras.ops.sum(v7 > 2, axis=1)
m = n + tf.ones([3], dtype=tf.int32)
