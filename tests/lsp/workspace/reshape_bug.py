import tensorflow as tf

y = tf.zeros((4, 2))
w = tf.reshape(y, [2, 4])
z = tf.matmul(y, w)
x = tf.reshape(tf.constant([1.0]), [400])
