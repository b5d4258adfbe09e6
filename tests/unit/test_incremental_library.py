"""The incremental engine on library-shaped modules (issue 18): functions and classes nothing
calls at module level, edited anywhere inside a function body. After any sequence of such
edits the result equals a from-scratch analysis, and an edit inside one method re-analyses
that method and what names it, not the rest of its class."""

from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import SNIPPETS, assert_same_as_scratch

from shapelens.core import Session

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "fixtures").rglob("*.py"))


def _indent(text: str, by: str) -> str:
    return "".join(f"{by}{line}" if line.strip() else line
                   for line in text.splitlines(keepends=True))


def as_function(text: str) -> str:
    """The fixture as the body of a function nobody calls (its functions become nested
    helpers), imports kept at module level as a library has them."""
    lines = text.splitlines(keepends=True)
    imports = [line for line in lines if line.startswith(("import ", "from "))]
    rest = "".join(line for line in lines if line not in imports)
    return "".join(imports) + "\n\ndef experiment():\n" + _indent(rest or "pass\n", "    ")


def as_class(text: str) -> str:
    """The fixture as the body of a method of a class, beside two small methods."""
    lines = text.splitlines(keepends=True)
    imports = [line for line in lines if line.startswith(("import ", "from "))]
    rest = "".join(line for line in lines if line not in imports)
    return ("".join(imports) + "\n\nclass Library:\n    scale = 2\n\n"
            "    def helper(self, n):\n        return n * 3\n\n"
            "    def run(self):\n" + _indent(rest or "pass\n", "        ") +
            "\n    def other(self):\n        return self.helper(4)\n")


SHAPES = [as_function, as_class]


def body_lines(text: str) -> list[int]:
    """Indices of lines indented at least twice (inside some function body)."""
    return [i for i, line in enumerate(text.splitlines()) if line.startswith("        ")]


def edit_inside(text: str, rng: random.Random) -> str:
    """A digit retyped, a line typed or deleted, Enter, or a snippet typed, inside a body."""
    lines = text.splitlines(keepends=True)
    inside = body_lines(text) or [len(lines) - 1]
    i = rng.choice(inside)
    line = lines[i]
    op = rng.random()
    if op < 0.4:
        digits = [m.start() for m in re.finditer(r"\d", line)]
        if digits:
            k = rng.choice(digits)
            lines[i] = line[:k] + str(rng.randrange(10)) + line[k + 1:]
            return "".join(lines)
    if op < 0.6:
        lines.insert(i + 1, "\n")  # Enter at the end of the line
    elif op < 0.7:
        del lines[i]
    elif op < 0.8:
        indent = line[:len(line) - len(line.lstrip(" "))]
        lines.insert(i, indent + rng.choice(["pass", "_tmp = 1", "x = tf.zeros((2, 3))"])
                     + "\n")
    else:
        k = rng.randrange(len(line))
        lines[i] = line[:k] + rng.choice(SNIPPETS) + line[k:]
    return "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURES), st.sampled_from(SHAPES), st.integers(0, 2**32 - 1),
       st.integers(1, 6))
def test_edits_inside_function_bodies_end_equal_to_scratch(path: Path, shape: object,
                                                           seed: int, steps: int) -> None:
    rng = random.Random(seed)
    original = shape(path.read_text(encoding="utf-8"))  # type: ignore[operator]
    session = Session()
    text = original
    assert_same_as_scratch(session, text, str(path))
    for _ in range(steps):
        text = edit_inside(text, rng)
        assert_same_as_scratch(session, text, str(path))
    assert_same_as_scratch(session, original, str(path))


CLASS = '''import tensorflow as tf


class Blocks:
    width = 4

    def first(self):
        x = tf.zeros((2, 3))
        return tf.reshape(x, (3, 2))

    def second(self):
        y = tf.ones((4, 5))
        return tf.matmul(y, tf.ones((5, 6)))

    def third(self):
        return self.second()

    def fourth(self):
        z = tf.zeros((self.width, 2))
        return z
'''


def test_an_edit_in_a_method_reanalyses_it_and_the_methods_naming_it() -> None:
    session = Session()
    assert_same_as_scratch(session, CLASS)
    assert_same_as_scratch(session, CLASS.replace("(5, 6)", "(5, 7)"))
    # the class statement, ``second`` and ``third`` (which calls it); not first/fourth
    assert session.stats["run"] == 3
    assert_same_as_scratch(session, CLASS.replace("(5, 6)", "(6, 7)"))  # now SL102
    assert session.stats["run"] == 3


def test_a_class_attribute_edit_reanalyses_the_methods_reading_it() -> None:
    session = Session()
    assert_same_as_scratch(session, CLASS)
    assert_same_as_scratch(session, CLASS.replace("width = 4", "width = 5"))
    # the class statement and ``fourth``; the methods keep their nodes but not ``fourth``'s
    # reads through ``self``
    assert session.stats["run"] == 2


def test_a_nested_helper_does_not_stop_its_function_from_being_replayed() -> None:
    text = ("import tensorflow as tf\n\n\ndef build():\n    def helper(t):\n"
            "        return tf.reshape(t, (3, 2))\n\n    return helper(tf.zeros((2, 3)))\n\n\n"
            "def other():\n    return tf.zeros((1, 2))\n")
    session = Session()
    assert_same_as_scratch(session, text)
    assert_same_as_scratch(session, text.replace("(1, 2)", "(1, 3)"))
    assert session.stats["run"] == 2  # ``def other`` and its analysis; ``build`` replayed


def test_switching_numpy_promotion_on_anywhere_changes_the_statements_above() -> None:
    text = "import tensorflow as tf\nx = tf.constant([1, 2]) + tf.constant([1.5, 2.5])\n"
    switch = ("import tensorflow.experimental.numpy as tnp\n"
              "tnp.experimental_enable_numpy_behavior()\n")
    session = Session()
    assert [f.code for f in assert_same_as_scratch(session, text).findings] == ["SL111"]
    assert assert_same_as_scratch(session, text + switch).findings == []
    assert [f.code for f in assert_same_as_scratch(session, text).findings] == ["SL111"]
