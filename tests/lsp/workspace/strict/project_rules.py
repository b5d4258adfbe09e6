import tensorflow as tf

y = tf.zeros((4, 2))
x = tf.reshape(y, [3])
