"""Uncalled functions' analyses are replayed sixteen at a time (``records.Chunk``), as
top-level statements are: an edit inside one function of a library module re-analyses that
function, and the chunks of sixteen functions around it that nothing changed are applied at
once. The result stays equal to a from-scratch analysis."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_incremental import assert_same_as_scratch

from shapelens.core import Session
from shapelens.core.incremental.journal import replay
from shapelens.core.incremental.records import CHUNK, apply_combined, combined


def library(count: int, scale: int = 3, width: int = 5) -> str:
    """``count`` functions nobody calls; every fourth reads the module's ``SCALE``."""
    parts = [f"import tensorflow as tf\n\nSCALE = {scale}\n"]
    for i in range(count):
        uses = " * SCALE" if i % 4 == 0 else ""
        size = width if i == 20 else 4
        parts.append(f"\n\ndef step_{i}():\n    x = tf.zeros(({size}{uses}, 2))\n"
                     f"    return tf.reshape(x, (-1,))\n")
    return "".join(parts)


def test_an_edit_in_one_function_replays_the_other_chunks_at_once() -> None:
    session = Session()
    assert_same_as_scratch(session, library(3 * CHUNK))
    assert_same_as_scratch(session, library(3 * CHUNK, width=6))  # inside step_20
    # its def statement and its analysis; the chunks before and after it, applied whole
    assert session.stats["run"] == 2
    assert session.fn_chunks_applied == 2
    assert_same_as_scratch(session, library(3 * CHUNK, width=5))  # and back
    assert session.stats["run"] == 2 and session.fn_chunks_applied == 2


def test_a_module_variable_they_read_reanalyses_exactly_the_readers() -> None:
    session = Session()
    assert_same_as_scratch(session, library(3 * CHUNK))
    assert_same_as_scratch(session, library(3 * CHUNK, scale=7))
    # SCALE's statement and the twelve functions reading it; no chunk holds none of them
    assert session.stats["run"] == 1 + 3 * CHUNK // 4
    assert session.fn_chunks_applied == 0
    assert_same_as_scratch(session, library(3 * CHUNK, scale=7, width=6))
    assert session.stats["run"] == 2 and session.fn_chunks_applied == 2


def test_moved_lines_combine_the_chunks_anew() -> None:
    session = Session()
    text = library(3 * CHUNK)
    assert_same_as_scratch(session, text)
    down = "SCALE = 3\n\n"  # every function one line down
    assert_same_as_scratch(session, text.replace("SCALE = 3\n", down))
    # their records were renumbered, but their logs hold no line: the chunks stay whole
    assert session.stats["run"] == 0 and session.fn_chunks_applied == 3
    assert_same_as_scratch(session, library(3 * CHUNK, width=6).replace("SCALE = 3\n", down))
    assert session.stats["run"] == 2 and session.fn_chunks_applied == 2


TAPES = '''import tensorflow as tf


def step(n):
    w = tf.Variable(tf.zeros((3, 2)))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.matmul(tf.ones((n, 3)), w))
    grad = tape.gradient(loss, w)
    return grad.shape


def main():
    for n in (4, 5, 6):
        step(n)
    step(8)


if __name__ == "__main__":
    main()
'''


def test_tapes_made_inside_a_summarised_call_are_not_copied_by_its_caller() -> None:
    """Only the tapes table reaches a tape made inside a summarised call: its summary keeps
    one copy of it (``premade``), and the statement that runs or replays the call does not
    copy it again (``Record.objects``)."""
    from shapelens.domain.values import TapeValue

    session = Session()
    assert_same_as_scratch(session, TAPES)
    assert_same_as_scratch(session, TAPES.replace("step(8)", "step(9)"))
    assert session.calls_replayed > 0  # the calls of step in the loop
    guard = session.order[len(session.body) - 1]
    premade = [obj for found in guard.premade for obj, _ in found.values()]
    assert any(isinstance(obj, TapeValue) for obj in premade)
    assert not any(isinstance(obj, TapeValue) for obj in guard.objects)


ENTRY = st.one_of(
    st.tuples(st.sampled_from(["memo", "findings"]), st.sampled_from(["set", "setdefault"]),
              st.integers(0, 5), st.integers(0, 9)),
    st.tuples(st.just("tapes"), st.just("append"), st.none(), st.integers(0, 9)),
    st.tuples(st.just("called"), st.just("add"), st.none(), st.integers(0, 9)))


@settings(max_examples=300, deadline=None)
@given(st.lists(ENTRY, max_size=40), st.dictionaries(st.integers(0, 5), st.integers(0, 9)),
       st.lists(st.integers(0, 9), max_size=3))
def test_a_chunks_combined_log_leaves_the_tables_as_its_entries_do(
        log: list[tuple[str, str, Any, Any]], before: dict[int, int], items: list[int]) -> None:
    def tables() -> dict[str, Any]:
        return {"memo": dict(before), "findings": dict(before), "tapes": list(items),
                "called": set(items)}

    one_by_one, at_once = tables(), tables()
    replay(one_by_one, log)
    apply_combined(at_once, combined(log))
    assert at_once == one_by_one
    assert list(at_once["memo"].items()) == list(one_by_one["memo"].items())  # and in order
