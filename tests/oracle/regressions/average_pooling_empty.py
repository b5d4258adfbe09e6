# ruff: noqa
# shrunk from genprog seed 148 (chain): a false alarm. keras.layers.AveragePooling1D with a
# window longer than the input returns an empty tensor (1, 0, 6); TF raises nothing. The
# engine reported SL203 "computed output size would be zero or negative (0)".
import keras
import numpy as np
import tensorflow as tf

x1 = tf.constant(np.random.rand(2, 2, 6).astype("float32"))
v4 = x1[1:4, 1:]
v6 = tf.sort(v4, axis=0)
p7 = keras.layers.AveragePooling1D(pool_size=2, strides=1)(v6)
v8 = tf.stack([v6, v6], axis=-1)
