import tensorflow as tf

model = tf.keras.Sequential([
    tf.keras.Input(shape=(20, 3)),
    tf.keras.layers.LSTM(16, return_sequences=True),
    tf.keras.layers.LSTM(8),
    tf.keras.layers.Dense(4, activation="softmax"),
])
probs = model.predict(tf.zeros((4, 20, 3)), verbose=0)
