"""Known float and bool values of 0-d tensors (``domain/scalars.py``, ``Tensor.scalar``) and
the ``if`` they decide (``core/interpreter/truth.py``): the autodiff guide's
``x = tf.constant(1.0)``; ``if x > 0.0:`` runs one branch, so a gradient w.r.t. a variable
only the other branch uses is None. Where the value, or eager execution, is not certain, both
branches run and are joined, as before."""

from __future__ import annotations

import textwrap

import pytest

from shapelens.core import analyze
from shapelens.domain.scalars import compared, exact, known_value, literal_scalar
from shapelens.domain.values import Const, Tensor, join

HEAD = "import numpy as np\nimport tensorflow as tf\n"


def _shapes(body: str) -> dict[str, object]:
    analysis = analyze(HEAD + textwrap.dedent(body), "t.py")
    return {a.name: a.shape for a in analysis.assignments}


def _branch(test: str, setup: str = "x = tf.constant(1.0)") -> object:
    """The shape after an ``if`` whose branches make different shapes: (2, 3) when the test
    is known true, (3, 2) when known false, a join of both when not known."""
    return _shapes(f"""\
        {setup}
        if {test}:
            y = tf.zeros([2, 3])
        else:
            y = tf.zeros([3, 2])
        z = y
        """)["z"]


@pytest.mark.parametrize(("test", "taken"), [
    ("x > 0.0", (2, 3)), ("x < 1.0", (3, 2)), ("x >= 1.0", (2, 3)), ("x == 1", (2, 3)),
    ("0.5 > x", (3, 2)), ("x != 1.0", (3, 2)), ("tf.greater(x, 2.0)", (3, 2)),
    ("tf.identity(x) > 0.0", (2, 3)), ("tf.constant(x) <= 0.0", (3, 2)), ("x", (2, 3)),
])
def test_a_known_float_tensor_decides_the_branch(test: str, taken: tuple[int, ...]) -> None:
    assert _branch(test) == taken


@pytest.mark.parametrize(("setup", "test", "taken"), [
    ("x = tf.constant(True)", "x", (2, 3)),
    ("x = tf.constant(-2.5, dtype=tf.float64)", "x < -2.0", (2, 3)),
    ("x = np.array(0.1)", "x > 0.1", (3, 2)),  # float64 holds 0.1 exactly
    ("x = tf.constant(3)", "x > 2", (2, 3)),  # an int tensor's value (content)
    ("x = tf.shape(tf.zeros([4, 2]))[1]", "x > 3", (3, 2)),
    ("x = tf.constant(0.0)", "x", (3, 2)),
])
def test_other_known_scalars_decide_too(setup: str, test: str, taken: tuple[int, ...]) -> None:
    assert _branch(test, setup) == taken


@pytest.mark.parametrize(("setup", "test"), [
    ("x = tf.constant(0.1)", "x > 0.1"),  # float32(0.1) is not 0.1: no claim
    ("x = tf.constant(1.0)", "x > 0.1"),
    ("x = tf.Variable(1.0)", "x > 0.0"),  # a variable changes in place
    ("x = tf.identity(tf.Variable(1.0))", "x > 0.0"),
    ("x = tf.nn.relu(tf.constant(-1.0))", "x > -0.5"),  # an op changed the value
    ("x = np.array(1.5).astype(np.int32)", "x > 1"),  # a cast kept a stale value
    ("x = tf.constant(float('nan'))", "x"),
    ("x = tf.constant([1.0])", "x[0] > 0.0"),  # element values are not tracked
    ("x = tf.constant(1.0) * 2.0", "x > 1.5"),  # no float arithmetic
    ("x = tf.constant(1.0) if unknown() else tf.constant(2.0)", "x > 0.5"),
])
def test_values_not_certain_leave_both_branches(setup: str, test: str) -> None:
    assert _branch(test, setup) not in ((2, 3), (3, 2))


@pytest.mark.parametrize("body", [
    # autograph makes the ``if`` a tf.cond that traces both branches
    """\
    x = tf.constant(1.0)
    @tf.function
    def f():
        if x > 0.0:
            y = tf.zeros([2, 3])
        else:
            y = tf.zeros([3, 2])
        return y
    z = f()
    """,
    # a method may be a Keras layer's call or a train_step traced by fit
    """\
    class Picker:
        def pick(self, x):
            if x > 0.0:
                return tf.zeros([2, 3])
            return tf.zeros([3, 2])
    z = Picker().pick(tf.constant(1.0))
    """,
    # a decorator of the user's may wrap the function in tf.function
    """\
    def compiled(f):
        return tf.function(f)
    @compiled
    def pick(x):
        return tf.zeros([2, 3]) if x > 0.0 else tf.zeros([3, 2])
    z = pick(tf.constant(1.0))
    """,
    # a TF1 graph refuses a tensor as a Python bool
    """\
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    x = tf.constant(1.0)
    z = tf.zeros([2, 3]) if x > 0.0 else tf.zeros([3, 2])
    """,
    # ds.map traces its function as a graph
    """\
    def fn(e):
        c = tf.constant(1.0)
        return tf.zeros([2, 3]) if c > 0.0 else tf.zeros([3, 2])
    ds = tf.data.Dataset.from_tensor_slices(tf.zeros([4])).map(fn)
    for e in ds:
        z = e
    """,
])
def test_a_test_that_may_run_traced_decides_nothing(body: str) -> None:
    assert _shapes(body)["z"] not in ((2, 3), (3, 2))


def test_a_numpy_value_decides_inside_a_tf_function_too() -> None:
    body = """\
    @tf.function
    def f():
        if np.array(1.0) > 0.0:
            y = tf.zeros([2, 3])
        else:
            y = tf.zeros([3, 2])
        return y
    z = f()
    """
    assert _shapes(body)["z"] == (2, 3)


def test_a_helper_called_eagerly_and_traced_is_analysed_for_each() -> None:
    """The memo key says whether the call runs eagerly: the traced call reuses nothing."""
    shapes = _shapes("""\
    c = tf.constant(1.0)
    def pick(x):
        if x > 0.0:
            return tf.zeros([2, 3])
        return tf.zeros([3, 2])
    a = pick(c)
    @tf.function
    def traced():
        return pick(c)
    b = traced()
    """)
    assert shapes["a"] == (2, 3) and shapes["b"] not in ((2, 3), (3, 2))


def test_a_conditional_expression_is_decided_like_an_if() -> None:
    assert _shapes("x = tf.constant(2.0)\nz = tf.zeros([2]) if x < 1.0 else tf.zeros([5])\n"
                   )["z"] == (5,)


def test_a_float_value_is_never_read_as_a_dimension() -> None:
    shapes = _shapes("""\
    x = tf.constant(3.0)
    a = tf.zeros(x)
    b = tf.fill(tf.stack([x, x]), 1.0)
    """)
    assert shapes["a"] != (3,) and shapes["b"] != (3, 3)
    assert not [f for f in analyze(HEAD + "x = tf.constant(3.0)\nfor i in range(x):\n    "
                                   "pass\n", "t.py").findings]


GUIDE = """\
x = tf.constant(1.0)
v0 = tf.Variable(2.0)
v1 = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    if x > 0.0:
        result = v0
    else:
        result = v1**2
dv0, dv1 = tape.gradient(result, [v0, v1])
"""


def test_the_guide_s_none_gradient_is_found_on_the_branch_taken() -> None:
    findings = analyze(HEAD + GUIDE, "t.py").findings
    assert [(f.span.line, f.code) for f in findings] == [(12, "SL303")]
    assert "v1" in findings[0].message
    assert findings[0].fix is None and not findings[0].alternatives  # nothing to move


@pytest.mark.parametrize("change", [
    ("tf.constant(1.0)", "tf.constant(unknown())"),
    ("tf.constant(1.0)", "tf.constant(-1.0)"),  # v1 used, v0 is the one left out ...
    ("x > 0.0", "x > unknown()"),
])
def test_without_the_value_or_on_the_other_branch_v1_gets_its_gradient(
        change: tuple[str, str]) -> None:
    findings = analyze(HEAD + GUIDE.replace(*change), "t.py").findings
    flagged = [f.message.split(" is None")[0] for f in findings if f.code == "SL303"]
    assert not [m for m in flagged if "v1" in m]
    if change[1] == "tf.constant(-1.0)":
        assert flagged == ["the gradient w.r.t. v0"]  # ... and its gradient is None


# ------------------------------------------------------------------ domain/scalars.py
def test_exact_is_whether_the_dtype_holds_the_value() -> None:
    assert exact(1.0, "float32") and exact(0.5, "float32") and not exact(0.1, "float32")
    assert exact(0.1, "float64") and not exact(float("nan"), "float64")
    assert exact(True, "bool") and not exact(1, "bool") and not exact(1.0, "float16")
    assert exact(127, "int8") and not exact(128, "int8") and not exact(-1, "uint8")
    assert not exact(1e40, "float32") and exact(2 ** 24, "float32")
    assert literal_scalar(1, "float32") == 1.0 and literal_scalar(1, "int32") is None
    assert literal_scalar(0.1, "float32") is None and literal_scalar(True, "bool") is True


def test_known_values_and_comparisons() -> None:
    one = Tensor((), "float32", scalar=1.0)
    assert known_value(one) == 1.0 and known_value(Const(2)) == 2
    assert known_value(Tensor((), "float32", "variable", scalar=1.0)) is None
    assert known_value(Tensor((), "int32", scalar=1.0)) is None  # dtype disagrees
    assert known_value(Tensor((1,), "float32", scalar=1.0)) is None
    assert compared("gt", one, Const(0.0)) is True
    assert compared("lt", one, Const(0.1)) is None  # 0.1 becomes float32(0.1) in TF
    assert compared("eq", Tensor((), "int32", content=(3,)), Const(3)) is True
    assert compared("eq", Tensor((), "int32", content=("n",)), Const(3)) is None
    assert compared("gt", Const(1.0), Const(0.0)) is None  # not a tensor comparison
    assert compared("add", one, Const(0.0)) is None


def test_a_join_keeps_a_value_only_both_sides_have() -> None:
    one, two = Tensor((), "float32", scalar=1.0), Tensor((), "float32", scalar=2.0)
    assert isinstance(j := join(one, Tensor((), "float32", scalar=1.0)), Tensor)
    assert j.scalar == 1.0
    assert isinstance(j := join(one, two), Tensor) and j.scalar is None
    assert isinstance(j := join(Tensor((), "bool", scalar=True), Tensor((), "bool",
                                                                        scalar=False)), Tensor)
    assert j.scalar is None
    assert one.with_shape((1,)).scalar is None
