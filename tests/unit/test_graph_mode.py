"""Graph-mode TensorFlow (``core/overlays/graph_mode.py``): ``Session.run`` / ``Tensor.eval`` /
``Operation.run`` check their feeds, replay the graph with the fed shapes (a kernel that then
fails is reported at the run, where TF raises it) and give fetched values their shapes."""

from __future__ import annotations

from shapelens.core import analyze

HEAD = ("import numpy as np\nimport tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"
        "x = tf.placeholder(tf.float32, [None, 784])\n")


def _run(body: str) -> tuple[list[tuple[str, int]], dict[str, object]]:
    analysis = analyze(HEAD + body, "t.py")
    findings = [(f.code, f.span.line) for f in analysis.findings]
    return findings, {a.name: a.shape for a in analysis.assignments}


def test_session_run_gives_fetched_shapes() -> None:
    findings, shapes = _run("w = tf.zeros([784, 10])\nlogits = tf.matmul(x, w)\n"
                            "with tf.Session() as sess:\n"
                            "    out = sess.run(logits, feed_dict={x: np.zeros((5, 784))})\n"
                            "    both = sess.run([logits, w], feed_dict={x: np.zeros((2, 784))})\n"
                            "    first = both[0]\n")
    assert findings == []
    assert shapes["out"] == (5, 10) and shapes["first"] == (2, 10)


def test_feed_mismatch_at_the_run() -> None:
    findings, _ = _run("y = x * 2.0\nsess = tf.InteractiveSession()\n"
                       "sess.run(y, feed_dict={x: np.zeros(784)})\n")
    assert findings == [("SL116", 7)]


def test_replay_finds_the_kernel_error_at_the_run() -> None:
    """(50, 4, 4, 64) reshaped to (-1, 3136): TF's static shape (?, 4, 4, 64) proves
    nothing; fed a batch of 50, the reshape fails when the graph runs."""
    findings, _ = _run("img = tf.reshape(x, [-1, 28, 28, 1])\n"
                       "k = tf.Variable(tf.truncated_normal([13, 13, 1, 64]))\n"
                       "h = tf.nn.conv2d(img, k, strides=[1, 4, 4, 1], padding='VALID')\n"
                       "flat = tf.reshape(h, [-1, 7 * 7 * 64])\n"
                       "with tf.Session() as sess:\n"
                       "    sess.run(flat, feed_dict={x: np.zeros((50, 784))})\n")
    assert findings == [("SL101", 10)]


def test_operation_run_checks_feeds_and_minimize_is_no_tape_matter() -> None:
    findings, _ = _run("y = tf.placeholder(tf.float32, [None, 10])\n"
                       "w = tf.Variable(tf.zeros([784, 10]))\n"
                       "loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))\n"
                       "step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)\n"
                       "grads = tf.gradients(loss, [w])\n"
                       "with tf.Session() as sess:\n"
                       "    step.run(feed_dict={x: np.zeros((3, 784)), y: np.zeros(3)})\n")
    assert findings == [("SL116", 11)]


def test_mnist_tutorial_loader() -> None:
    """TF1's MNIST loader: class-id labels (one_hot=False) fed for one-hot rows."""
    source = ("import tensorflow as tf\n"
              "from tensorflow.examples.tutorials.mnist import input_data\n"
              "mnist = input_data.read_data_sets('/tmp/data', one_hot=False)\n"
              "y = tf.placeholder(tf.float32, [None, 10])\n"
              "images = mnist.test.images\n"
              "batch = mnist.train.next_batch(50)\n"
              "batch_y = batch[1]\n"
              "print(tf.reduce_sum(y).eval(feed_dict={y: batch_y}))\n")
    analysis = analyze(source, "t.py")
    assert [(f.code, f.span.line) for f in analysis.findings] == [("SL116", 8)]
    shapes = {a.name: a.shape for a in analysis.assignments}
    assert shapes["images"] == (10000, 784) and shapes["batch_y"] == (50,)


def test_a_list_filled_by_appends_in_a_method_is_not_judged() -> None:
    """``self.data = []`` filled by ``append`` in a loop (the analyzer does not see those
    appends on an attribute): neither the list nor an array made from it is fed as empty
    (aymericdamien/TensorFlow-Examples' dynamic_rnn.py)."""
    findings, _ = _run("class Data:\n"
                       "    def __init__(self):\n"
                       "        self.rows = []\n"
                       "        for _ in range(10):\n"
                       "            self.rows.append([0.0] * 784)\n"
                       "    def batch(self):\n"
                       "        return self.rows[0:5]\n"
                       "data = Data()\n"
                       "with tf.Session() as sess:\n"
                       "    sess.run(x, feed_dict={x: data.batch()})\n"
                       "    sess.run(x, feed_dict={x: np.array(data.batch())})\n")
    assert findings == []


def test_a_kernel_check_fails_at_the_run_that_fetches_it() -> None:
    """tf.gather's index check is the kernel's: building the op raises nothing; a run that
    computes it fails (reported there), and an op no run fetches never fails."""
    body = ("table = tf.zeros([6, 4])\nbad = tf.gather(table, [0, 6])\n"
            "rows = tf.reduce_sum(bad, axis=1)\nfine = tf.gather(table, [0, 5])\n"
            "with tf.Session() as sess:\n"
            "    a = sess.run(fine)\n"
            "    b = sess.run([rows], feed_dict={x: np.zeros((1, 784))})\n")
    findings, shapes = _run(body)
    assert findings == [("SL108", 11)]
    assert shapes["a"] == (2, 4)
    unfetched, _ = _run("table = tf.zeros([6, 4])\nbad = tf.gather(table, [0, 6])\n"
                        "with tf.Session() as sess:\n    sess.run(table)\n")
    assert unfetched == []


def test_eager_compat_v1_still_reports_a_kernel_check_at_the_op() -> None:
    """Without a graph being built (no placeholder, v2 behaviour on), the op runs eagerly."""
    analysis = analyze("import tensorflow as tf\ntable = tf.zeros([6, 4])\n"
                       "bad = tf.gather(table, [0, 6])\n", "t.py")
    assert [(f.code, f.span.line) for f in analysis.findings] == [("SL108", 3)]


def test_compute_gradients_pairs_each_variable_with_an_unknown_gradient() -> None:
    """(gradient, variable) pairs; a gradient is None where the loss does not depend on
    its variable (no tape in graph mode), so only the variable's shape is claimed."""
    findings, shapes = _run("w = tf.Variable(tf.zeros([784, 10]))\n"
                            "b = tf.Variable(tf.zeros([10]))\n"
                            "loss = tf.reduce_sum(tf.matmul(x, w))\n"
                            "opt = tf.train.GradientDescentOptimizer(0.1)\n"
                            "pairs = opt.compute_gradients(loss, var_list=[w, b])\n"
                            "v0 = pairs[0][1]\nv1 = pairs[1][1]\ng0 = pairs[0][0]\n")
    assert findings == []
    assert shapes["v0"] == (784, 10) and shapes["v1"] == (10,)
    assert shapes.get("g0") is None
