"""ShapeLens: TensorFlow/Keras tensor shapes and shape bugs, found statically."""

__version__ = "0.1.0"
