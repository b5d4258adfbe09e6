"""Enter and Backspace anywhere in a long module (issue 18): a blank line typed or deleted
changes no syntax, so nothing is parsed or run again, whatever it falls inside (a method of a
big class, between two methods, a function body); the records below it are renumbered, and
the result still equals a from-scratch analysis."""

from __future__ import annotations

import random

from test_incremental import assert_same_as_scratch

from shapelens.core import Session, analyze
from shapelens.core.incremental.records import Shifted, parts_of


def big_class(methods: int) -> str:
    """A test-class-shaped module: one class of many methods nothing calls (as Keras's
    ``numpy_test.py``), each with a shape error of its own, and a helper below it."""
    out = ["import tensorflow as tf\n", "\n", "\n", "class OpsTest:\n"]
    for i in range(methods):
        out += [f"    def test_{i}(self):\n",
                f"        x = tf.zeros([{i + 2}, 3])\n",
                f"        y = helper_{i % 3}(x)\n",
                f"        return tf.matmul(y, tf.zeros([{i + 4}, 2]))\n",
                "\n"]
    for k in range(3):
        out += ["\n", f"def helper_{k}(t):\n", f"    return tf.reshape(t, [-1, {k + 1}])\n"]
    return "".join(out)


def line_of(text: str, needle: str) -> int:
    """The 0-based index of the first line holding ``needle``."""
    return next(i for i, line in enumerate(text.splitlines()) if needle in line)


def press_enter(text: str, at: int, indent: str = "") -> str:
    lines = text.splitlines(keepends=True)
    return "".join([*lines[:at + 1], indent + "\n", *lines[at + 1:]])


def test_enter_at_the_end_of_a_method_runs_nothing_again() -> None:
    """It used to re-parse the whole class (the edit touched the line after the method) and
    analyse all of its methods again: now nothing at all runs again."""
    text = big_class(40)
    session = Session()
    first = assert_same_as_scratch(session, text)
    assert len(first.findings) >= 20  # most methods multiply mismatched shapes
    for needle in ("return tf.matmul(y, tf.zeros([14, 2]))",  # the last line of a method
                   "x = tf.zeros([30, 3])",  # inside one
                   "def test_0(self):"):  # its first line
        at = line_of(text, needle)
        for new in (press_enter(text, at, "        "), text):  # Enter, then Backspace
            assert_same_as_scratch(session, new)
            assert session.stats["parsed_lines"] == 0 and session.stats["run"] == 0
            assert session.stats["moved"] >= 1


def test_an_uncalled_function_keeps_the_lines_of_a_helper_below_it_right() -> None:
    """The analysis of ``f`` (nobody calls it) runs ``g``, defined further down: its record
    holds ``g``'s lines, and an Enter between the two must move them (it did not)."""
    text = ("import tensorflow as tf\n\ndef f():\n    return g(3)\n\nx = 1\ny = 2\nz = 3\n"
            "w = 4\nv = 5\n\ndef g(n):\n    a = tf.zeros([n, 4])\n"
            "    return tf.matmul(a, tf.zeros([5, 2]))\n")
    session = Session()
    assert_same_as_scratch(session, text)
    for new in (text.replace("y = 2\n", "y = 2\n\n"), text):
        result = assert_same_as_scratch(session, new)
        assert session.stats["run"] == 0 and [f.code for f in result.findings] == ["SL102"]


def test_many_enters_without_a_hover_in_between_end_equal_to_scratch() -> None:
    """The recorded expressions (what hovers read) are moved only when read: after a series
    of Enters and Backspaces nobody hovered over, they are where a fresh analysis puts them."""
    text = big_class(12)
    session = Session()
    analyze(text, "t.py", session=session)
    rng = random.Random(7)
    lines = len(text.splitlines())
    for _ in range(10):
        at = rng.randrange(3, lines - 1)
        text = press_enter(text, at) if rng.random() < 0.6 else \
            "".join(line for i, line in enumerate(text.splitlines(keepends=True))
                    if i != at or line.strip())  # Backspace on a blank line
        lines = len(text.splitlines())
        analyze(text, "t.py", session=session)
    assert any(type(part) is Shifted for r in session.order
               for part in parts_of(r.bulk.get("expressions", {})))
    assert_same_as_scratch(session, text)


def test_a_comment_line_typed_in_a_method_runs_nothing_again() -> None:
    text = big_class(6)
    session = Session()
    assert_same_as_scratch(session, text)
    at = line_of(text, "x = tf.zeros([4, 3])")
    new = "".join([*text.splitlines(keepends=True)[:at + 1], "        # why: see above\n",
                   *text.splitlines(keepends=True)[at + 1:]])
    assert_same_as_scratch(session, new)
    assert session.stats["run"] == 0 and session.stats["parsed_lines"] == 0
    # and a string that holds the new line is parsed again, as it must
    doc = new.replace("    def test_3(self):\n",
                      '    def test_3(self):\n        """a\n\n        b"""\n')
    assert_same_as_scratch(session, doc)
    assert_same_as_scratch(session, doc.replace('"""a\n\n', '"""a\n'))
    assert session.stats["parsed_lines"] > 0


def test_a_function_pasted_between_two_classes_runs_only_itself() -> None:
    """It used to parse the classes on both sides again, and analyse all their methods."""
    text = big_class(20) + "\n\n" + big_class(20).replace("OpsTest", "MoreTest").replace(
        "import tensorflow as tf\n", "").replace("def helper_", "def other_")
    session = Session()
    assert_same_as_scratch(session, text)
    pasted = ("def pasted(n=3):\n    a = tf.zeros([n, 4])\n"
              "    return tf.matmul(a, tf.zeros([5, 2]))\n\n\n")
    new = text.replace("class MoreTest:", pasted + "class MoreTest:")
    assert_same_as_scratch(session, new)
    assert session.stats["parsed_lines"] == 5 and session.stats["run"] == 2  # def, analysis
    assert_same_as_scratch(session, text)  # deleted again
    assert session.stats["parsed_lines"] == 0 and session.stats["run"] == 0


def test_a_method_pasted_between_two_methods_runs_only_it_and_its_class() -> None:
    text = big_class(30)
    session = Session()
    assert_same_as_scratch(session, text)
    pasted = ("    def test_pasted(self):\n        a = tf.zeros([3, 4])\n"
              "        return tf.matmul(a, tf.zeros([5, 2]))\n\n")
    new = text.replace("    def test_12(self):", pasted + "    def test_12(self):")
    assert_same_as_scratch(session, new)
    # the class statement and the pasted method's analysis (was: every method of the class)
    assert session.stats["parsed_lines"] == 4 and session.stats["run"] == 2
    assert_same_as_scratch(session, text)  # deleted again
    assert session.stats["parsed_lines"] == 0 and session.stats["run"] == 1


def test_moves_nobody_reads_do_not_pile_up() -> None:
    """Forty Enters with no hover in between: each record keeps a bounded list of pending
    moves of its recorded expressions, and they still end where a fresh analysis has them."""
    text = big_class(4)
    session = Session()
    analyze(text, "t.py", session=session)
    for _ in range(40):
        text = "\n" + text  # Enter at the top: everything moves
        analyze(text, "t.py", session=session)
    pending = [len(part.moves) for r in session.order
               for part in parts_of(r.bulk.get("expressions", {})) if type(part) is Shifted]
    assert pending and max(pending) < 16
    assert_same_as_scratch(session, text)
