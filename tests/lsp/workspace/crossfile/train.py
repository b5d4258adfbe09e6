import tensorflow as tf
from batches import make_batch

images = make_batch(8)
flat = tf.reshape(images, (8, 784))
