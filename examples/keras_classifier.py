"""A Keras CNN whose labels do not match its loss: Keras raises only when fit() starts."""
import keras
import numpy as np
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

images = np.random.rand(64, 28, 28).astype("float32")  # Keras adds the channel axis
labels = keras.utils.to_categorical(np.random.randint(0, 10, size=(64,)), 10)
model.fit(images, labels, epochs=1)
