"""Call summaries (issue 18): in a script whose ``main()`` calls every function, an edit in one
function re-runs ``main()``, and each call of an unchanged function replays its recorded
analysis instead of interpreting the body again. After any sequence of edits inside function
bodies the result still equals a from-scratch analysis."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import assert_same_as_scratch
from test_incremental_library import as_function, edit_inside

from shapelens.core import Session, analyze

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*.py") if p.parent.name != "tf1")


def as_script(first: str, second: str) -> str:
    """Two fixtures as functions called by ``main()`` behind the ``__main__`` guard (the first
    twice, so its second call is a memo hit), as a script has them."""
    one = as_function(first).replace("def experiment():", "def experiment_one():")
    two = as_function(second).replace("def experiment():", "def experiment_two():")
    return (one + "\n\n" + two + "\n\ndef main():\n    experiment_one()\n"
            "    experiment_two()\n    experiment_one()\n\n\n"
            'if __name__ == "__main__":\n    main()\n')


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURES), st.sampled_from(FIXTURES), st.integers(0, 2**32 - 1),
       st.integers(1, 6))
def test_edits_in_a_script_whose_main_calls_everything_end_equal_to_scratch(
        first: Path, second: Path, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    original = as_script(first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8"))
    session = Session()
    text = original
    assert_same_as_scratch(session, text, "script.py")
    for _ in range(steps):
        text = edit_inside(text, rng)
        assert_same_as_scratch(session, text, "script.py")
    assert_same_as_scratch(session, original, "script.py")


SCRIPT = '''import tensorflow as tf

SIZE = 6


def first():
    x = tf.zeros((2, 3))
    return tf.reshape(x, (3, 2))


def second():
    y = tf.ones((4, 5))
    return tf.matmul(y, tf.ones((5, SIZE)))


def third():
    z = tf.zeros((2, 4))
    return tf.reshape(z, (4, 2))


def main():
    first()
    second()
    third()


if __name__ == "__main__":
    main()
'''


def test_an_edit_in_one_function_replays_the_calls_of_the_others() -> None:
    session = Session()
    assert_same_as_scratch(session, SCRIPT)
    assert_same_as_scratch(session, SCRIPT.replace("(2, 4)", "(2, 5)"))  # SL101 in third()
    # ``main()`` runs again (it names third); first() and second() replay their analyses
    assert session.calls_replayed == 2
    found = analyze(SCRIPT.replace("(2, 4)", "(2, 5)"), session=session)
    assert [f.code for f in found.findings] == ["SL101"]


def test_a_global_a_call_read_is_compared_before_its_analysis_is_replayed() -> None:
    session = Session()
    assert_same_as_scratch(session, SCRIPT)
    # second() reads SIZE: its analysis is not replayed with the old value
    text = SCRIPT.replace("SIZE = 6", "SIZE = 7").replace("(2, 4)", "(2, 5)")
    found = assert_same_as_scratch(session, text)
    assert session.calls_replayed == 1  # first() only
    shapes = [getattr(v, "shape", None) for k, v in found.expressions.items() if k[0] == 13]
    assert (4, 7) in shapes and (4, 6) not in shapes


def test_a_call_under_a_try_that_catches_its_error_is_not_replayed_elsewhere() -> None:
    guarded = SCRIPT.replace("    first()\n", "    try:\n        first()\n"
                             "    except Exception:\n        pass\n")
    broken = guarded.replace("(3, 2)", "(3, 5)")  # first() raises: caught in main()
    session = Session()
    assert not assert_same_as_scratch(session, broken).findings
    # the same lines (nothing moves), first() no longer under the try
    unguarded = broken.replace("    try:\n        first()\n    except Exception:\n",
                               "    if SIZE:\n        first()\n    else:\n")
    found = assert_same_as_scratch(session, unguarded)
    assert [f.code for f in found.findings] == ["SL101"]
