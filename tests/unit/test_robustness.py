"""The engine never raises, whatever it is given: generated programs with odd shapes and
arguments, self-reference and recursion, and every kind of text damage to real fixtures.

A rule that fails internally is isolated to its statement (logged once); the analysis of the
rest of the file goes on. These properties are what lets the language server run on every
keystroke.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapelens.core import analyze


class _Errors(logging.Handler):
    """Collects errors the engine logs when it isolates a failing rule."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True, scope="module")
def no_isolated_bugs() -> Iterator[None]:
    """Isolation keeps the server alive, but an isolated failure is still a bug: fail on it."""
    handler = _Errors()
    logger = logging.getLogger("shapelens")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    bugs = [r for r in handler.records if "bug-on-purpose" not in str(r.exc_info)]
    assert not bugs, [f"{r.getMessage()}: {r.exc_info[1]!r}" for r in bugs if r.exc_info]


FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").rglob("*.py"))

DIMS = st.sampled_from([0, 1, 2, 3, 5, -1, -7, 2**62, 10**30, None])
OPS = [
    "tf.reshape({a}, {shape})", "tf.matmul({a}, {b})", "{a} @ {b}", "{a} + {b}",
    "tf.concat([{a}, {b}], axis={axis})", "tf.stack([{a}, {b}], axis={axis})",
    "tf.transpose({a}, perm={shape})", "tf.reduce_sum({a}, axis={axis}, keepdims=True)",
    "tf.expand_dims({a}, {axis})", "tf.squeeze({a}, axis={axis})", "tf.tile({a}, {shape})",
    "tf.split({a}, {axis}, axis=0)", "{a}[{axis}:, ..., None]", "tf.gather({a}, {shape})",
    "tf.einsum('ij,jk->ik', {a}, {b})", "tf.pad({a}, [[1, 1], [0, {axis}]])",
    "np.reshape({a}, {shape})", "{a}.shape[{axis}]", "len({a})", "tf.one_hot({a}, {axis})",
    "tf.nn.conv2d({a}, {b}, strides={axis}, padding='VALID')", "f({a})", "g({a}, {b})",
    "keras.layers.Dense({axis})({a})", "tf.zeros({shape})", "[{a}, {b}][{axis}]",
    "tape.gradient({a}, {b})", "tf.Variable({a})", "{a}.numpy()",
]


def _shape(dims: list[object]) -> str:
    return "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"


@st.composite
def programs(draw: st.DrawFn) -> str:
    lines = [
        "import numpy as np", "import tensorflow as tf", "import keras",
        "def f(t):\n    return f(t) + t",  # unbounded recursion
        "def g(a, b):\n    return g(b, a) @ a",
        "x = x",  # self-reference before definition
        "tape = tf.GradientTape()",
    ]
    names = ["x"]
    for i in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            dims = draw(st.lists(DIMS, max_size=5))
            expr = f"tf.zeros({_shape(dims)})"
        else:
            op = draw(st.sampled_from(OPS))
            expr = op.format(
                a=draw(st.sampled_from(names)), b=draw(st.sampled_from(names)),
                shape=_shape(draw(st.lists(DIMS, max_size=5))), axis=draw(DIMS))
        depth = draw(st.integers(0, 3))
        for _ in range(depth):
            expr = f"tf.identity({expr})"
        name = f"v{i}"
        lines.append(f"{name} = {expr}")
        names.append(name)
        if draw(st.booleans()):
            count = draw(st.integers(0, 40))
            lines.append(f"for _ in range({count}):\n    x = tf.concat([x, {name}], 0)")
        if draw(st.booleans()):
            lines.append(f"if {name}:\n    {name} = {draw(st.sampled_from(names))}")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_generated_programs_never_raise(source: str) -> None:
    result = analyze(source, time_budget=5.0)
    for finding in result.findings:
        assert finding.code.startswith("SL") and finding.span.line >= 1


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_damaged_fixtures_never_raise(data: st.DataObject) -> None:
    """Random insertions, deletions and replacements of real fixtures (mid-typing text)."""
    path = data.draw(st.sampled_from(FIXTURES))
    text = path.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(text)))
        kind = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        junk = data.draw(st.sampled_from(["(", ")", "[", ":", "\n", "    ", "tf.", "'''", "#",
                                          "λ", "\t", "\x00", "😀", ",", "=", "\r\n"]))
        if kind == "insert":
            text = text[:pos] + junk + text[pos:]
        elif kind == "delete":
            text = text[:pos] + text[pos + data.draw(st.integers(1, 20)):]
        else:
            text = text[:pos] + junk + text[pos + 1:]
    analyze(text, str(path), time_budget=5.0)


def test_every_prefix_of_a_fixture_is_analysable() -> None:
    """Typing a fixture character by character (sampled every 7 characters)."""
    text = random.Random(0).choice(FIXTURES).read_text(encoding="utf-8")
    for end in range(0, len(text), 7):
        analyze(text[:end], time_budget=5.0)


def test_deep_nesting_gives_a_limit_note_not_a_crash() -> None:
    source = "import tensorflow as tf\nx = " + "tf.identity(" * 3000 + "1" + ")" * 3000 + "\n"
    result = analyze(source)
    codes = {f.code for f in result.findings}
    assert codes & {"SL901", "SL903"}, codes


def test_huge_file_gets_one_size_note() -> None:
    from shapelens.core import Config

    source = "x = 1\n" * 1000
    result = analyze(source, config=Config(max_file_size=100))
    assert [f.code for f in result.findings] == ["SL902"]


def test_a_failing_shape_function_is_isolated(monkeypatch: object) -> None:
    """A bug in one rule leaves that result unknown; the rest of the file is analysed."""
    import shapelens.shapefns as registry

    def broken(call: object) -> object:
        raise ZeroDivisionError("bug-on-purpose")

    monkeypatch.setitem(registry.REGISTRY, "tf.transpose", broken)  # type: ignore[attr-defined]
    source = ("import tensorflow as tf\nx = tf.transpose(tf.zeros((2, 3)))\n"
              "y = tf.reshape(tf.zeros((2, 3)), (4,))\n")
    result = analyze(source)
    assert [(f.code, f.span.line) for f in result.findings] == [("SL101", 3)]
