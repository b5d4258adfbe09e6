"""A small regression model trained with a custom loop, with two classic mistakes that
ShapeLens reports before anything runs (try: shapelens check examples/)."""
import tensorflow as tf

batch, features, hidden = 32, 16, 8

x = tf.random.normal((batch, features))
y = tf.random.normal((batch, 1))
w1 = tf.Variable(tf.random.normal((features, hidden), stddev=0.1))
w2 = tf.Variable(tf.random.normal((hidden, 1), stddev=0.1))
scale = tf.Variable(2)  # an int variable: the tape never watches it


def forward(inputs):
    h = tf.nn.relu(inputs @ w1)
    return h @ w2 * tf.cast(scale, tf.float32)


with tf.GradientTape() as tape:
    pred = forward(x)
    loss = tf.reduce_mean(tf.square(pred - y))
grads = tape.gradient(loss, [w1, w2, scale])

patches = tf.reshape(x, (batch, 4, 8))
