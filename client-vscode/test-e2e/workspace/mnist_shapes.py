import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

images = tf.zeros((32, 28, 28, 1))
features = tf.reshape(images, [32, 784])
weights = tf.zeros((784, 10))
logits = tf.matmul(features, weights)
noise = tf.reshape(tf.constant([1.0]), [400])

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(10),
])
