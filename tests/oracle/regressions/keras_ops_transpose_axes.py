# ruff: noqa
# shrunk from genprog seed 1063 (chain): a shape disagreement. keras.ops.transpose spells
# its permutation axes= (as NumPy does); the engine read perm= and reversed the axes,
# giving (6, 5, 1) where TF has (1, 5, 6).
import keras

x1 = keras.ops.full((5, 6), 0.5)
v3 = keras.ops.expand_dims(x1, axis=0)
v6 = keras.ops.transpose(v3, axes=(0, 1, 2))
v7 = keras.ops.transpose(v3, axes=(2, 1, 0))
