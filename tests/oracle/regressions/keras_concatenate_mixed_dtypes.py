# ruff: noqa
# shrunk from genprog seed 503397 (function)
# was a false alarm (SL111): keras.ops.concatenate converts mixed dtypes to their result type (float32 + int32 -> float32); TF runs it
import keras
import tensorflow as tf
x1 = tf.random.uniform([6, 2, 3], maxval=4, dtype=tf.int32)

def block(inp):
    v4 = keras.ops.mean(inp, axis=2)
    v5 = keras.ops.concatenate([v4, tf.reshape(tf.range(4), [2, 2])], axis=0)
y6 = block(x1)
