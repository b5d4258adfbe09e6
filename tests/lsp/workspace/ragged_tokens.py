import tensorflow as tf

tokens = tf.ragged.constant([[1], [2, 3], [], [4]])
padded = tokens.to_tensor()
counts = tf.SparseTensor([[0, 1]], [1.0], [4, 8])
