"""move-into-tape (SL303): the statements computing the target move into the tape's block."""

from __future__ import annotations

from shapelens.core import analyze
from shapelens.fixes.apply import fix_source

from .helpers import assert_fix, assert_no_fix, dedent, finding, findings, fixed

PRELUDE = """\
import numpy as np
import tensorflow as tf
"""


def test_forward_pass_moves_into_the_tape() -> None:
    assert_fix(PRELUDE + """
w = tf.Variable(2.0)
y = w * 3.0
with tf.GradientTape() as tape:
    z = y * 2.0
g = tape.gradient(z, w)
""", PRELUDE + """
w = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = w * 3.0
    z = y * 2.0
g = tape.gradient(z, w)
""", "move-into-tape", safe=False)


def test_the_target_itself_computed_before_the_block() -> None:
    assert_fix(PRELUDE + """
w = tf.Variable([1.0, 2.0])
loss = tf.reduce_sum(w * w)
with tf.GradientTape() as tape:
    pass
g = tape.gradient(loss, w)
""", PRELUDE + """
w = tf.Variable([1.0, 2.0])
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(w * w)
    pass
g = tape.gradient(loss, w)
""", "move-into-tape")


def test_keras_model_called_before_the_tape_comments_kept() -> None:
    assert_fix(PRELUDE + """import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
x = np.ones((4, 3), np.float32)
for step in range(2):
    # forward pass
    preds = model(x,
                  training=True)  # logits
    scores = preds * 2.0

    with tf.GradientTape() as tape:   # record
        loss = tf.reduce_mean(scores)
    grads = tape.gradient(loss, model.trainable_variables)
""", PRELUDE + """import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
x = np.ones((4, 3), np.float32)
for step in range(2):
    with tf.GradientTape() as tape:   # record
        # forward pass
        preds = model(x,
                      training=True)  # logits
        scores = preds * 2.0
        loss = tf.reduce_mean(scores)
    grads = tape.gradient(loss, model.trainable_variables)
""", "move-into-tape")


def test_blank_lines_above_the_run_stay_above_the_with() -> None:
    assert_fix(PRELUDE + """
w = tf.Variable(2.0)

# scaled
y = w * 3.0
with tf.GradientTape() as tape:
    z = y * y
g = tape.gradient(z, w)
""", PRELUDE + """
w = tf.Variable(2.0)

with tf.GradientTape() as tape:
    # scaled
    y = w * 3.0
    z = y * y
g = tape.gradient(z, w)
""", "move-into-tape")


def test_only_the_run_that_the_target_needs_and_after_leading_watches() -> None:
    assert_fix(PRELUDE + """
w = tf.Variable(2.0)
x = tf.constant(1.0)
other = tf.constant(5.0)
h = w * x
with tf.GradientTape() as tape:
    tape.watch(x)
    z = h * x
g = tape.gradient(z, w)
""", PRELUDE + """
w = tf.Variable(2.0)
x = tf.constant(1.0)
other = tf.constant(5.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    h = w * x
    z = h * x
g = tape.gradient(z, w)
""", "move-into-tape")


def test_data_the_run_needs_but_that_does_not_read_the_source_stays() -> None:
    assert_fix(PRELUDE + """
w = tf.Variable(2.0)
x = tf.constant([1.0, 2.0])
h = w * x
with tf.GradientTape() as tape:
    z = tf.reduce_sum(h * x)
g = tape.gradient(z, w)
""", PRELUDE + """
w = tf.Variable(2.0)
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as tape:
    h = w * x
    z = tf.reduce_sum(h * x)
g = tape.gradient(z, w)
""", "move-into-tape")


def test_never_applied_without_unsafe_fixes() -> None:
    source = PRELUDE + dedent("""
    w = tf.Variable(2.0)
    y = w * 3.0
    with tf.GradientTape() as tape:
        z = y * 2.0
    g = tape.gradient(z, w)
    """)
    assert not fix_source(source).changed
    outcome = fix_source(source, unsafe=True)
    assert outcome.changed and "SL303" not in [f.code for f in outcome.analysis.findings]


def test_no_fix_from_the_engine_without_names() -> None:
    source = PRELUDE + dedent("""
    w = tf.Variable(2.0)
    y = w * 3.0
    with tf.GradientTape() as tape:
        z = [y * 2.0]
    g = tape.gradient(z[0], w)
    """)
    (item,) = [f for f in analyze(source, "t.py").findings if f.code == "SL303"]
    assert item.fix is None


def test_not_applicable() -> None:
    for body in (
        # hoisted out of the loop: moving it would change how often it runs
        """
y = w * 3.0
for step in range(2):
    with tf.GradientTape() as tape:
        z = y * 2.0
    g = tape.gradient(z, w)
""",
        # a statement between the computation and the with uses it
        """
y = w * 3.0
print(y)
with tf.GradientTape() as tape:
    z = y * 2.0
g = tape.gradient(z, w)
""",
        # the code right before the with does not read the source
        """
y = w * 3.0
print("scaled")
c = tf.constant(2.0)
with tf.GradientTape() as tape:
    z = y * c
g = tape.gradient(z, w)
""",
        # a statement that stays rebinds what a moved one read
        """
c = tf.constant(2.0)
y = w * c
c = tf.constant(3.0)
with tf.GradientTape() as tape:
    z = y * c
g = tape.gradient(z, w)
""",
        # the with statement reads what the run binds
        """
y = w * 3.0
with tf.GradientTape(persistent=bool(y > 0.0)) as tape:
    z = y * 2.0
g = tape.gradient(z, w)
""",
        # a moved statement mentions the tape
        """
tape = None
y = w * 3.0 if tape is None else w
with tf.GradientTape() as tape:
    z = y * 2.0
g = tape.gradient(z, w)
""",
        # a watch later in the block: the moved code would run before it
        """
y = w * 3.0
with tf.GradientTape() as tape:
    z = y * 2.0
    tape.watch(w)
g = tape.gradient(z, w)
""",
        # the target is rebound between the block and the gradient call
        """
y = w * 3.0
with tf.GradientTape() as tape:
    z = y * 2.0
z = z + 1.0
g = tape.gradient(z, w)
""",
        # a one-line block
        """
y = w * 3.0
with tf.GradientTape() as tape: z = y * 2.0
g = tape.gradient(z, w)
""",
    ):
        source = PRELUDE + "w = tf.Variable(2.0)\n" + body
        assert findings(dedent(source), "move-into-tape"), body  # offered, then declined
        assert_no_fix(source, "move-into-tape")


def test_stale_and_odd_arguments() -> None:
    source = PRELUDE + dedent("""
    w = tf.Variable(2.0)
    y = w * 3.0
    with tf.GradientTape() as tape:
        z = y * 2.0
    g = tape.gradient(z, w)
    """)
    args = {"with_line": 5, "tape": "tape", "target": "z", "source": "w"}
    assert fixed(source, finding("move-into-tape", 7, **args)) != source
    for key, value in (("with_line", 4), ("with_line", "5"), ("tape", "t"), ("tape", "a.b"),
                       ("target", "q"), ("source", "v"), ("source", None)):
        odd = finding("move-into-tape", 7, **{**args, key: value})
        assert fixed(source, odd) == source, (key, value)
    assert fixed("x = (\n", finding("move-into-tape", 1, **args)) == "x = (\n"


KERAS_CLONE = PRELUDE + """
import keras

inputs = keras.Input((6,))
scorer = keras.Model(inputs, keras.layers.Dense(2)(inputs))
clone = keras.models.clone_model(scorer)
x = tf.ones((4, 6))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(clone(x) ** 2)
grads = tape.gradient(loss, scorer.trainable_variables)
"""


def test_building_a_model_from_the_source_is_not_moved() -> None:
    """``clone = clone_model(scorer)`` reads the source but uses none of its weights (the
    clone's call is already taped): the engine names the objects and neither fix offers to
    move or copy it (moving it left every gradient None under TF)."""
    assert_no_fix(KERAS_CLONE, "move-into-tape")
    assert_no_fix(KERAS_CLONE, "recompute-in-tape")


def test_a_tensor_computed_by_calling_the_source_still_moves() -> None:
    """The statement that calls the source model (its weights' use) still moves."""
    source = KERAS_CLONE.replace("clone = keras.models.clone_model(scorer)\nx = tf.ones((4, 6))",
                                 "x = tf.ones((4, 6))\nclone = scorer(x)").replace(
        "clone(x)", "clone")
    assert_fix(source, source.replace("clone = scorer(x)\nwith tf.GradientTape() as tape:\n",
                                      "with tf.GradientTape() as tape:\n    clone = scorer(x)\n"),
               "move-into-tape", safe=False)
