"""Uncalled functions' analyses are replayed sixteen at a time (``records.Chunk``), as
top-level statements are: an edit inside one function of a library module re-analyses that
function, and the chunks of sixteen functions around it that nothing changed are applied at
once. The result stays equal to a from-scratch analysis."""

from __future__ import annotations

from test_incremental import assert_same_as_scratch

from shapelens.core import Session
from shapelens.core.incremental.records import CHUNK


def library(count: int, scale: int = 3, width: int = 5) -> str:
    """``count`` functions nobody calls; every fourth reads the module's ``SCALE``."""
    parts = ["import tensorflow as tf\n\nSCALE = %d\n" % scale]
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
