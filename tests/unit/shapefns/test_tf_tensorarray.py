"""tf.TensorArray (shapefns/tf_tensorarray.py): stack/read/gather/concat/size after writes or
unstack, the element shape taken from the first write or element_shape=, and the write of
another shape TF refuses (SL125). Each expectation is TF 2.21's (eager)."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.core import analyze

from .notation import cases, check

WRITTEN = "tf.TensorArray(tf.float32, size=3).write(0, x).write(1, x).write(2, x)"
CASES: list[Any] = [
    ("ta.stack()", {"x": "f32[2]", "ta": WRITTEN}, "f32[3,2]"),
    ("ta.read(1)", {"x": "f32[2]", "ta": WRITTEN}, "f32[2]"),
    ("ta.size()", {"x": "f32[2]", "ta": WRITTEN}, "i32[]"),
    ("ta.gather([0, 1])", {"x": "f32[2]", "ta": WRITTEN}, "f32[2,2]"),
    ("ta.concat()", {"x": "f32[2]", "ta": WRITTEN}, "f32[?]"),
    ("tf.TensorArray(tf.int32, size=2, element_shape=[4]).write(0, x).stack()",
     {"x": "i32[4]"}, "i32[2,4]"),
    ("tf.TensorArray(tf.float32, size=4).unstack(x).read(0)", {"x": "f32[4,7]"}, "f32[7]"),
    ("tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(0, x).stack()",
     {"x": "f32[2,5]"}, "f32[?,2,5]"),
    ("ta.write(0, y)", {"x": "f32[2]", "y": "f32[3]", "ta": WRITTEN}, "SL125"),
    ("tf.TensorArray(tf.float32, size=2, element_shape=[2]).write(0, y)", {"y": "f32[3]"},
     "SL125"),
    ("tf.TensorArray(tf.float32, size=2).write(0, x).write(1, y)",
     {"x": "f32[2,4]", "y": "f32[2,8]"}, "SL125"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_tensor_array(case: Any) -> None:
    check(case)


def test_written_in_a_tf_function_loop() -> None:
    """The guide's dynamic_rnn: a TensorArray of the loop's states, stacked after a
    tf.range loop in a tf.function (TF: (2, 3, 4))."""
    source = """import tensorflow as tf
def rnn_step(inp, state):
    return inp + state
@tf.function
def dynamic_rnn(rnn_step, input_data, initial_state):
    input_data = tf.transpose(input_data, [1, 0, 2])
    max_seq_len = input_data.shape[0]
    states = tf.TensorArray(tf.float32, size=max_seq_len)
    state = initial_state
    for i in tf.range(max_seq_len):
        state = rnn_step(input_data[i], state)
        states = states.write(i, state)
    out = tf.transpose(states.stack(), [1, 0, 2])
    return out
dynamic_rnn(rnn_step, tf.random.uniform([2, 3, 4]), tf.zeros([2, 4]))
"""
    shapes = {(f.line, f.name): f.shape for f in analyze(source, "t.py").assignments}
    assert shapes[(11, "state")] == (2, 4)
    # the loop may run no time (an array with no element shape): (2, 3, 4) or unknown
    assert shapes.get((13, "out")) in ((2, 3, 4), None)
