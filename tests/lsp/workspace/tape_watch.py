import tensorflow as tf

rate = tf.constant(0.2)
t = tf.constant([1.0, 2.0, 3.0])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.exp(-rate * t))
grad = tape.gradient(loss, rate)
