# ruff: noqa
# shrunk from genprog seed 100444 (function): a false alarm. Inside a tf.function, a
# tf.transpose whose perm repeats an axis passes TF's shape function (static shape [4, 4]);
# only the kernel rejects it, and graph execution prunes the unused result, so TF runs this.
# The engine reported SL106.
import tensorflow as tf

x1 = tf.zeros([4, 6], dtype=tf.int32)


@tf.function
def block(inp):
    v2 = tf.transpose(inp, perm=[0, 1])
    v3 = tf.transpose(v2, perm=[0, 0])
    v4 = tf.math.top_k(inp, k=5).indices
    return v4


y5 = block(x1)
