"""constant-to-variable (SL301's alternative): ``x = tf.constant(...)`` -> ``tf.Variable``."""

from __future__ import annotations

from shapelens.core import analyze
from shapelens.fixes.apply import fix_source

from .helpers import assert_fix, assert_no_fix, dedent, finding, findings, fixed

PRELUDE = """\
import numpy as np
import tensorflow as tf
"""


def test_constant_becomes_a_variable() -> None:
    assert_fix(PRELUDE + """
x = tf.constant([1.0, 2.0])  # the input
with tf.GradientTape() as tape:
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", PRELUDE + """
x = tf.Variable([1.0, 2.0])  # the input
with tf.GradientTape() as tape:
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", "constant-to-variable", safe=False)


def test_it_is_an_alternative_to_add_watch() -> None:
    source = PRELUDE + dedent("""
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    g = tape.gradient(y, x)
    """)
    (item,) = [f for f in analyze(source, "t.py").findings if f.code == "SL301"]
    assert item.fix is not None and item.fix.fix_id == "add-watch" and item.fix.safe
    assert [a.fix_id for a in item.alternatives] == ["constant-to-variable"]
    assert not item.alternatives[0].safe
    # check --fix applies the primary fix only, with or without --unsafe-fixes
    for unsafe in (False, True):
        outcome = fix_source(source, unsafe=unsafe)
        assert "tape.watch(x)" in outcome.source and "tf.Variable" not in outcome.source


def test_convert_to_tensor_in_a_function() -> None:
    assert_fix(PRELUDE + """
def saliency(model, pixels):
    images = tf.convert_to_tensor(pixels)
    with tf.GradientTape() as tape:
        score = tf.reduce_sum(model(images))
    return tape.gradient(score, images)

saliency(lambda v: v * 2.0, np.ones((2, 3), np.float32))
""", PRELUDE + """
def saliency(model, pixels):
    images = tf.Variable(pixels)
    with tf.GradientTape() as tape:
        score = tf.reduce_sum(model(images))
    return tape.gradient(score, images)

saliency(lambda v: v * 2.0, np.ones((2, 3), np.float32))
""", "constant-to-variable")


def test_arguments_are_respelled_for_variable() -> None:
    assert_fix(PRELUDE + """
x = tf.constant(value=[1, 2], dtype=tf.float32, name="x")
with tf.GradientTape() as tape:
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", PRELUDE + """
x = tf.Variable(initial_value=[1, 2], dtype=tf.float32, name="x")
with tf.GradientTape() as tape:
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", "constant-to-variable")
    assert_fix(PRELUDE + """
x = tf.constant([1, 2], tf.float32)
with tf.GradientTape() as tape:
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", PRELUDE + """
x = tf.Variable([1, 2], dtype=tf.float32)
with tf.GradientTape() as tape:
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", "constant-to-variable")


def test_module_constant_read_in_a_function() -> None:
    assert_fix(PRELUDE + """
scale = tf.constant(2.0)

def grad():
    with tf.GradientTape() as tape:
        y = scale * scale
    return tape.gradient(y, scale)

grad()
""", PRELUDE + """
scale = tf.Variable(2.0)

def grad():
    with tf.GradientTape() as tape:
        y = scale * scale
    return tape.gradient(y, scale)

grad()
""", "constant-to-variable")


def test_not_offered_by_the_engine() -> None:
    # an integer constant (a variable would not be watched either), a NumPy array, a tensor
    # not made by tf.constant, a tape that does not watch variables, tf.function
    for body in ("""
x = tf.constant(3)
with tf.GradientTape() as tape:
    y = x * x
g = tape.gradient(y, x)
""", """
x = tf.ones((2,))
with tf.GradientTape() as tape:
    y = tf.reduce_sum(x * x)
g = tape.gradient(y, x)
""", """
x = tf.constant(3.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
    y = x * x
g = tape.gradient(y, x)
""", """
@tf.function
def step():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    return tape.gradient(y, x)

step()
"""):
        assert findings(dedent(PRELUDE + body), "constant-to-variable") == [], body


def test_not_applicable() -> None:
    # rebound in the training loop: the variable would become a plain tensor again
    assert_no_fix(PRELUDE + """
rate = tf.constant(0.2)
for step in range(3):
    with tf.GradientTape() as tape:
        loss = rate * rate
    g = tape.gradient(loss, rate)
    if g is not None:
        rate = rate - 0.1 * g
""", "constant-to-variable")
    # bound twice (also in two branches), deleted, a comprehension variable, shape=,
    # dtype_hint=; then a parameter and a global
    for body in ("""
x = tf.constant(1.0)
x = tf.constant(2.0)
""", """
flag = len("ab") > 1
if flag:
    x = tf.constant(1.0)
else:
    x = tf.constant(2.0)
""", """
x = tf.constant(1.0)
del x
x = tf.constant(1.0)
""", """
x = tf.constant(1.0)
xs = [x for x in range(3)]
""", """
x = tf.constant(1.0, shape=(2,))
""", """
x = tf.convert_to_tensor(1.0, dtype_hint=tf.float32)
"""):
        source = PRELUDE + body + """
with tf.GradientTape() as tape:
    y = x * x
g = tape.gradient(y, x)
"""
        assert findings(dedent(source), "constant-to-variable"), body  # offered, declined
        assert_no_fix(source, "constant-to-variable")
    assert_no_fix(PRELUDE + """
def f(x):
    with tf.GradientTape() as tape:
        y = x * x
    return tape.gradient(y, x)

f(tf.constant(2.0))
""", "constant-to-variable")
    assert_no_fix(PRELUDE + """
x = tf.constant(1.0)

def f():
    global x
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    return tape.gradient(y, x)

f()
""", "constant-to-variable")


def test_stale_and_odd_arguments() -> None:
    source = PRELUDE + dedent("""
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    g = tape.gradient(y, x)
    """)
    assert fixed(source, finding("constant-to-variable", 6, name="x")) != source
    assert fixed(source, finding("constant-to-variable", 6, name="z")) == source
    assert fixed(source, finding("constant-to-variable", 6, name="x.y")) == source
    assert fixed(source, finding("constant-to-variable", 6)) == source
    assert fixed("x = (\n", finding("constant-to-variable", 1, name="x")) == "x = (\n"
    # from another module's constant (not tf): left alone
    other = source.replace("tf.constant(3.0)", "np.constant(3.0)")
    assert fixed(other, finding("constant-to-variable", 6, name="x")) == other
