"""variable-before-loop (SL317, unsafe): the variable the loop body makes again on every
iteration is made once, right before the loop."""

from __future__ import annotations

from .helpers import assert_fix, dedent, finding, fixed

HEAD = """
import tensorflow as tf
x = tf.ones((8, 3))
y = tf.ones((8, 1))
"""


def test_made_inside_the_tape_moves_before_the_loop_with_its_comment() -> None:
    assert_fix(HEAD + """
# train
for step in range(10):
    with tf.GradientTape() as tape:
        # the weights
        w = tf.Variable(tf.zeros([3, 1]))
        loss = tf.reduce_mean((x @ w - y) ** 2)
    w.assign_sub(0.1 * tape.gradient(loss, w))
""", HEAD + """
# train
# the weights
w = tf.Variable(tf.zeros([3, 1]))
for step in range(10):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((x @ w - y) ** 2)
    w.assign_sub(0.1 * tape.gradient(loss, w))
""", "variable-before-loop", safe=False)


def test_made_in_the_loop_body_inside_a_function() -> None:
    assert_fix(HEAD + """
def train():
    for step in range(10):
        w = tf.Variable(tf.zeros([3, 1]), name="w")
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((x @ w - y) ** 2)
        w.assign_sub(0.1 * tape.gradient(loss, w))
    return w


train()
""", HEAD + """
def train():
    w = tf.Variable(tf.zeros([3, 1]), name="w")
    for step in range(10):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((x @ w - y) ** 2)
        w.assign_sub(0.1 * tape.gradient(loss, w))
    return w


train()
""", "variable-before-loop")


def test_nothing_when_the_statement_is_not_there_any_more() -> None:
    source = HEAD.lstrip("\n") + dedent("""
        for step in range(10):
            w = tf.Variable(tf.zeros([3, 1])); v = 1
            w.assign_sub(tf.ones([3, 1]))
        """)
    for loop_line, variable_line in ((4, 5), (5, 5), (4, 6)):  # one line, no loop, no w =
        stale = finding("variable-before-loop", 5, name="w", loop_line=loop_line,
                        variable_line=variable_line)
        assert fixed(source, stale) == source


def test_nothing_when_it_would_leave_an_empty_block() -> None:
    source = HEAD.lstrip("\n") + dedent("""
        for step in range(10):
            with tf.GradientTape() as tape:
                w = tf.Variable(tf.zeros([3, 1]))
            w.assign_sub(tf.ones([3, 1]))
        """)
    item = finding("variable-before-loop", 6, name="w", loop_line=4, variable_line=6)
    assert fixed(source, item) == source
    roomy = source.replace("        w = tf", "        pass\n        w = tf")
    item = finding("variable-before-loop", 7, name="w", loop_line=4, variable_line=7)
    assert fixed(roomy, item) != roomy
