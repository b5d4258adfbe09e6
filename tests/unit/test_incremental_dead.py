"""An edit that makes a statement certainly raise turns every statement after it dead
(analysed silently). A live record whose run reported nothing, raised nothing and recorded no
gradient call runs the same dead, so it is replayed there instead of running again; the others
run again (dead, a raise caught live would flow on, a finding would not be written). Both stay
equal to a from-scratch analysis, and undoing the edit brings the findings back."""

from __future__ import annotations

from tests.unit.test_incremental import assert_same_as_scratch

from shapelens.core import Session, analyze

HEAD = "import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.reshape(x, [3, 2])\n"
TAIL = "".join(f"v{i} = tf.ones([{i % 5 + 1}, 4])\n" for i in range(40)) + \
    "a = tf.argmax(tf.ones([3, 1]), axis=1)\n" + \
    "try:\n    w = tf.matmul(tf.ones([2, 3]), tf.ones([4, 5]))\nexcept Exception:\n" + \
    "    w = None\n"


def test_statements_after_a_new_error_replay_instead_of_running_again() -> None:
    session = Session()
    clean = HEAD + TAIL
    before = analyze(clean, "t.py", session=session)
    assert [f.code for f in before.findings] == ["SL115"]  # a warning; the matmul is caught
    broken = clean.replace("[3, 2]", "[3, 4]")  # the reshape certainly raises now
    result = assert_same_as_scratch(session, broken)
    assert [(f.code, f.span.line) for f in result.findings] == [("SL101", 3)]
    # the edited statement runs; the 40 plain ones replay; the warning's statement and the
    # ``try`` (a caught raise) run again, silenced
    assert session.stats["run"] == 3
    restored = assert_same_as_scratch(session, clean)
    assert len(restored.findings) == len(before.findings)
