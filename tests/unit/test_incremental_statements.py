"""Statement summaries (issue 18): a function body that no call summary covers (``main()``
reaching too many functions, or reading a module-level model) replays its unchanged simple
statements one by one. After any sequence of edits the result still equals a from-scratch
analysis, and a statement whose inputs changed (a local it reads, a global, a function it
calls) runs again."""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import assert_same_as_scratch

from shapelens.core import Session

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*.py") if p.parent.name != "tf1")
# A module-level object read by main(): its state is in no memo key, so main() has none and
# its body is summarised statement by statement.
PROBE = "class _Probe:\n    pass\n\n\nPROBE = _Probe()\n\n\n"


def as_main(text: str) -> str:
    """The fixture's program as the body of ``main()`` behind the ``__main__`` guard."""
    lines = text.splitlines(keepends=True)
    imports = [line for line in lines if line.startswith(("import ", "from "))]
    rest = "".join(line for line in lines if line not in imports) or "pass\n"
    body = "".join("    " + line if line.strip() else line
                   for line in rest.splitlines(keepends=True))
    return ("".join(imports) + "\n\n" + PROBE + "def main():\n    probe = PROBE\n" + body +
            '\n\nif __name__ == "__main__":\n    main()\n')


def edit_in_main(text: str, rng: random.Random) -> str:
    """A digit retyped, Enter, or a line deleted or typed, inside ``main()``'s body."""
    lines = text.splitlines(keepends=True)
    start = lines.index("def main():\n") + 2
    inside = [i for i in range(start, len(lines)) if lines[i].startswith("    ")]
    i = rng.choice(inside)
    line = lines[i]
    op = rng.random()
    digits = [m.start() for m in re.finditer(r"\d", line)]
    if op < 0.5 and digits:
        k = rng.choice(digits)
        lines[i] = line[:k] + str(rng.randrange(10)) + line[k + 1:]
    elif op < 0.7:
        lines.insert(i + 1, "\n")
    elif op < 0.8 and not line.rstrip().endswith(":"):
        del lines[i]
    else:
        indent = line[:len(line) - len(line.lstrip(" "))]
        lines.insert(i, indent + rng.choice(["n_extra = 3", "x = tf.zeros((2, 3))", "pass"])
                     + "\n")
    return "".join(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURES), st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_edits_in_a_main_without_a_memo_key_end_equal_to_scratch(
        fixture: Path, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    original = as_main(fixture.read_text(encoding="utf-8"))
    session = Session()
    text = original
    assert_same_as_scratch(session, text, "script.py")
    for _ in range(steps):
        text = edit_in_main(text, rng)
        assert_same_as_scratch(session, text, "script.py")
    assert_same_as_scratch(session, original, "script.py")


SCRIPT = '''import tensorflow as tf

''' + PROBE + '''def first():
    return tf.zeros((2, 3))


def second():
    return tf.ones((4, 5))


def main():
    probe = PROBE
    n = 3
    a = first()
    b = tf.reshape(a, (n, 2))
    c = second()
    tf.matmul(c, tf.ones((5, 2)))


if __name__ == "__main__":
    main()
'''


def codes(found: object) -> list[str]:
    return [f.code for f in found.findings]  # type: ignore[attr-defined]


def test_unchanged_statements_of_main_replay() -> None:
    session = Session()
    assert_same_as_scratch(session, SCRIPT)
    edited = SCRIPT.replace("tf.ones((4, 5))", "tf.ones((4, 6))")  # in second()
    found = assert_same_as_scratch(session, edited)
    assert codes(found) == ["SL102"]  # matmul (4, 6) x (5, 2)
    # main() runs again (second() changed); ``n = 3``, ``a = first()`` and the reshape
    # replay as statements, each with what it read; ``c = second()`` and the matmul run
    assert session.calls_replayed == 3


def test_a_statement_whose_local_input_changed_runs_again() -> None:
    session = Session()
    assert not codes(assert_same_as_scratch(session, SCRIPT))
    found = assert_same_as_scratch(session, SCRIPT.replace("n = 3", "n = 4"))
    assert codes(found) == ["SL101"]  # the reshape reads n: not replayed with n = 3
    assert not codes(assert_same_as_scratch(session, SCRIPT))


def test_a_statement_whose_callee_changed_runs_again() -> None:
    session = Session()
    assert_same_as_scratch(session, SCRIPT)
    found = assert_same_as_scratch(session, SCRIPT.replace("(2, 3)", "(2, 4)"))
    assert codes(found) == ["SL101"]  # a = first() is (2, 4) now: 8 values into (3, 2)


def long_script(edited: int, value: int) -> str:
    """A ``main()`` of forty statements, each calling its own function; function ``edited``
    builds its tensor with ``value`` columns."""
    functions = "".join(
        f"def f{i}():\n    return tf.zeros((2, {value if i == edited else 3}))\n\n\n"
        for i in range(40))
    body = "".join(f"    x{i} = f{i}()\n" for i in range(40))
    return ("import tensorflow as tf\n\n" + PROBE + functions + "def main():\n"
            "    probe = PROBE\n" + body + "    tf.reshape(x35, (3, 2))\n\n\n"
            'if __name__ == "__main__":\n    main()\n')


def test_runs_of_unchanged_statements_replay_as_one() -> None:
    session = Session()
    assert_same_as_scratch(session, long_script(35, 3))
    assert_same_as_scratch(session, long_script(35, 4))  # f35 changed: its statement runs
    # the runs of sixteen statements before it replay whole (joined after the first edit)
    found = assert_same_as_scratch(session, long_script(35, 3))
    assert not codes(found)
    assert session.calls_replayed <= 12  # 41 statements, two runs of 16 replayed whole
    found = assert_same_as_scratch(session, long_script(35, 4))
    assert codes(found) == ["SL101"]  # (2, 4) into (3, 2)
    found = assert_same_as_scratch(session, long_script(5, 4))  # inside the first run
    assert codes(found) == []  # x35 is (2, 3) again


def test_steps_out_of_the_body_order_each_run_alone() -> None:
    """A body walked out of its order (defensive: ``exec_block`` never does) replays or runs
    every statement it is given, none skipped as part of a run."""
    from shapelens.core.incremental.bodies import Body

    ran: list[int] = []
    body = ast.parse("a = 1\nb = 2\nc = 3\n").body

    class Inactive:  # a tracker that records nothing: every statement just runs
        active = False

    class Summaries:
        tracker, active_tapes, old, new, module = Inactive(), [], {}, {}, None

    walker = Body(Summaries(), body, lambda s: ran.append(s.lineno) or True,  # type: ignore[arg-type]
                  None)  # type: ignore[arg-type]
    for stmt in (body[1], body[0], body[1], body[2]):
        assert walker.step(stmt)
    assert ran == [2, 1, 2, 3]
