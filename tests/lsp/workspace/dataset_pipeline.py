import numpy as np
import tensorflow as tf

images = np.zeros((60, 28, 28), np.float32)
labels = np.zeros((60,), np.int64)
ds = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(60).batch(16)
for x, y in ds:
    print(x, y)


@tf.function
def train_step(dataset):
    for xb, yb in dataset:
        tf.print(xb)


train_step(ds)
