"""SL317 (``core/provenance/recreated.py``): a ``tf.Variable`` the loop body makes again on
every iteration, whose in-place update is therefore lost (TF 2.21: the loss is the same at
every step), and the cases where the proof does not hold or TF does something else."""

from __future__ import annotations

import textwrap

import pytest

from shapelens.core import analyze

HEAD = """\
import tensorflow as tf
import keras
x = tf.ones((8, 3))
y = tf.ones((8, 1))
n = 5
"""
LOOP = """\
for step in range(100):
    with tf.GradientTape() as tape:
        w = tf.Variable(tf.zeros([3, 1]))
        loss = tf.reduce_mean((x @ w - y) ** 2)
    g = tape.gradient(loss, w)
    w.assign_sub(0.1 * g)
"""


def _sl317(body: str) -> list[int]:
    source = HEAD + textwrap.dedent(body)
    return [f.span.line - HEAD.count("\n") for f in analyze(source, "t.py").findings
            if f.code == "SL317"]


def test_a_variable_made_inside_the_tape_of_each_step_is_reported_where_it_is_made() -> None:
    assert _sl317(LOOP) == [3]
    source = HEAD + LOOP
    (finding,) = [f for f in analyze(source, "t.py").findings if f.code == "SL317"]
    assert finding.severity == "warning" and "every iteration" in finding.message
    assert finding.fix is not None and finding.fix.fix_id == "variable-before-loop"
    assert not finding.fix.safe


@pytest.mark.parametrize("body", [
    LOOP.replace("range(100)", "range(n)"),
    LOOP.replace("range(100)", "[1, 2]"),
    LOOP.replace("w.assign_sub(0.1 * g)", "w.assign(w - 0.1 * g)"),
    # made before the tape, still in the loop
    """\
    for step in range(3):
        w = tf.Variable(tf.random.normal([3, 1]))
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
        dw = tape.gradient(loss, [w])[0]
        w.assign_sub(0.1 * dw)
    """,
])
def test_reported_variants(body: str) -> None:
    assert len(_sl317(body)) == 1


@pytest.mark.parametrize(("why", "body"), [
    ("one iteration: the update is kept", LOOP.replace("range(100)", "range(1)")),
    ("the count is not known", "def f(k):\n" + textwrap.indent(
        LOOP.replace("range(100)", "range(k)"), "    ")),
    ("a Keras optimizer raises on step 2 instead",
     "opt = keras.optimizers.SGD(0.1)\n" +
     LOOP.replace("w.assign_sub(0.1 * g)", "opt.apply_gradients(zip([g], [w]))")),
    ("the update is read in the same step",
     LOOP + "    print(w.numpy())\n"),
    ("the variable is kept in a list", "history = []\n" + LOOP.replace(
        "    g = tape.gradient", "    history.append(w)\n    g = tape.gradient")),
    ("the initial value reads the loop variable",
     LOOP.replace("tf.zeros([3, 1])", "tf.fill([3, 1], float(step))")),
    ("the initial value reads the old variable", "w = tf.Variable(tf.zeros([3, 1]))\n" +
     LOOP.replace("tf.Variable(tf.zeros([3, 1]))", "tf.Variable(w * 1.0)")),
    ("the initial value comes from a function of the program",
     "def start():\n    return tf.zeros([3, 1])\n" + LOOP.replace("tf.zeros([3, 1])",
                                                                 "start()")),
    ("read before it is made again (the last update is seen)",
     "w = tf.Variable(tf.zeros([3, 1]))\n" + LOOP.replace(
         "    with tf.GradientTape()", "    tf.print(w)\n    with tf.GradientTape()")),
    ("a break may end the loop", LOOP + "    if step > 3:\n        break\n"),
    ("made only on some iterations", LOOP.replace(
        "        w = tf.Variable(tf.zeros([3, 1]))",
        "        if step == 0:\n            w = tf.Variable(tf.zeros([3, 1]))")),
    ("no update", LOOP.replace("    w.assign_sub(0.1 * g)\n", "    print(g)\n")),
    ("the first iteration raises before the update", LOOP.replace(
        "    g = tape.gradient", "    bad = tf.reshape(x, [5, 5])\n    g = tape.gradient")),
    ("the first iteration raises after the update: no next iteration",
     LOOP + "    bad = tf.reshape(x, [5, 5])\n"),
    ("inside tf.function TF raises on the second variable",
     "@tf.function\ndef train():\n" + textwrap.indent(LOOP, "    ") + "train()\n"),
])
def test_silent(why: str, body: str) -> None:
    assert _sl317(body) == [], why
