import tensorflow as tf

table = {"😋é": tf.reshape(tf.constant([1.0]), [400])}
