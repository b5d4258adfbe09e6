"""float-variable (SL302, unsafe): an integer ``tf.Variable`` becomes floating-point."""

from __future__ import annotations

import pytest

from .helpers import assert_fix, dedent, finding, fixed

LOOP = """
with tf.GradientTape() as tape:
    loss = tf.cast(scale, tf.float32) * 3.0
g = tape.gradient(loss, scale)
"""


def test_int_literal_becomes_float() -> None:
    assert_fix("import tensorflow as tf\nscale = tf.Variable(2)  # the scale\n" + LOOP,
               "import tensorflow as tf\nscale = tf.Variable(2.0)  # the scale\n" + LOOP,
               "float-variable", safe=False)


@pytest.mark.parametrize(("before", "after"), [
    ("tf.Variable(-3)", "tf.Variable(-3.0)"),
    ("tf.Variable([1, 2, 3])", "tf.Variable([1.0, 2.0, 3.0])"),
    ("tf.Variable(((1, 2), (3, 4)), name='s')", "tf.Variable(((1.0, 2.0), (3.0, 4.0)), name='s')"),
    ("tf.Variable(initial_value=7)", "tf.Variable(initial_value=7.0)"),
    ("tf.Variable(2, dtype=tf.int32)", "tf.Variable(2.0, dtype=tf.float32)"),
    ("tf.Variable(2, dtype='int64')", "tf.Variable(2.0, dtype='float32')"),
    ("tf.Variable(tf.zeros(3, tf.int32))",
     "tf.Variable(tf.cast(tf.zeros(3, tf.int32), tf.float32))"),
])
def test_rewrites(before: str, after: str) -> None:
    source = f"import tensorflow as tf\nscale = {before}\n"
    item = finding("float-variable", 9, 0, code="SL302", safe=False, name="scale")
    assert fixed(source, item) == f"import tensorflow as tf\nscale = {after}\n"


def test_the_binding_closest_before_the_finding_is_edited() -> None:
    source = dedent("""
        import tensorflow as tf
        scale = tf.Variable(1)
        scale = tf.Variable(2)
        g = None
        scale = tf.Variable(3)
        """)
    item = finding("float-variable", 4, 0, code="SL302", safe=False, name="scale")
    assert fixed(source, item) == source.replace("(2)", "(2.0)")


def test_attribute_targets() -> None:
    source = "import tensorflow as tf\nself.scale = tf.Variable(4)\n"
    item = finding("float-variable", 5, 0, code="SL302", safe=False, name="self.scale")
    assert fixed(source, item) == source.replace("(4)", "(4.0)")


@pytest.mark.parametrize("init", [
    "tf.Variable(2.0, dtype=tf.float32)",  # already float: nothing to do
    "tf.Variable(True)",  # a boolean flag: 1.0 would not be what was meant
    "tf.Variable(0x10)",
    "keras.Variable(tf.zeros(3, tf.int32))",  # no tf.cast spelling to borrow
    "Variable(x)",
    "tf.constant(2)",  # not a variable
])
def test_not_applicable(init: str) -> None:
    source = f"import tensorflow as tf\nscale = {init}\n"
    item = finding("float-variable", 9, 0, code="SL302", safe=False, name="scale")
    assert fixed(source, item) == source


def test_no_binding_before_the_finding() -> None:
    source = "import tensorflow as tf\nx = 1\nscale = tf.Variable(2)\n"
    assert fixed(source, finding("float-variable", 2, 0, name="scale")) == source
    assert fixed(source, finding("float-variable", 9, 0, name="other")) == source
    assert fixed(source, finding("float-variable", 9, 0, name="a[0]")) == source
