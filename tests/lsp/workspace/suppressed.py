import tensorflow as tf

y = tf.zeros((4, 2))
z = tf.matmul(y, tf.zeros((3, 5)))  # shapelens: ignore[SL101]
