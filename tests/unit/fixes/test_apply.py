"""Bulk fixing (``fixes.apply``) and the minimal-edit diff every fixer goes through."""

from __future__ import annotations

import pytest

from shapelens.core import Analysis, Config
from shapelens.fixes import apply_edits
from shapelens.fixes._cst import diff_edits
from shapelens.fixes.apply import fix_round, fix_source, select_fixes, wanted

from .helpers import dedent, finding

BUGGY = dedent("""
    import tensorflow as tf
    x = tf.constant([1.0, 2.0])
    scale = tf.Variable(2)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x * x) * tf.cast(scale, tf.float32)
    gx = tape.gradient(y, x)
    gs = tape.gradient(y, scale)
    """)


def test_safe_fixes_only_by_default() -> None:
    outcome = fix_source(BUGGY)
    assert outcome.changed
    assert "tape.watch(x)" in outcome.source and "persistent=True" in outcome.source
    assert "tf.Variable(2)" in outcome.source  # float-variable is unsafe
    assert {f.fix.fix_id for f in outcome.applied if f.fix} == {"add-watch", "persistent-tape"}
    assert [f.code for f in outcome.analysis.findings if f.severity in ("error", "warning")] \
        == ["SL302"]


def test_unsafe_fixes_on_request() -> None:
    outcome = fix_source(BUGGY, unsafe=True)
    assert "tf.Variable(2.0)" in outcome.source
    assert not [f for f in outcome.analysis.findings if f.severity in ("error", "warning")]
    assert 1 <= outcome.rounds <= 3


def test_nothing_to_fix() -> None:
    source = "import tensorflow as tf\nx = tf.ones((2, 3))\n"
    outcome = fix_source(source)
    assert not outcome.changed and outcome.applied == [] and outcome.rounds == 0


def test_select_config_is_honoured() -> None:
    outcome = fix_source(BUGGY, config=Config(select=("SL309",)))
    assert "persistent=True" in outcome.source and "tape.watch" not in outcome.source


def test_rounds_are_bounded() -> None:
    """A fixer that never converges is stopped after max_rounds."""
    calls = []
    source = "import tensorflow as tf\nwith tf.GradientTape() as tape:\n    pass\n"

    def analyzer(text: str, path: str, config: object) -> Analysis:
        calls.append(text)
        result = Analysis(path)
        line = text.count("\n")  # always a new add-watch on the last statement
        result.findings.append(finding("add-watch", line, 4, name=f"v{line}", tape="tape",
                                       with_line=2))
        return result

    outcome = fix_source(source, analyzer=analyzer, max_rounds=3)
    assert outcome.rounds == 3 and len(calls) == 4
    assert outcome.source.count("tape.watch") == 3


def test_overlapping_fixes_first_wins_and_unsafe_filter() -> None:
    source = "import tensorflow as tf\nwith tf.GradientTape() as tape:\n    pass\n"
    a = finding("add-watch", 3, 4, name="a", tape="tape", with_line=2)
    b = finding("add-watch", 3, 5, name="b", tape="tape", with_line=2)
    unsafe = finding("add-watch", 3, 6, safe=False, name="c", tape="tape", with_line=2)
    ignore = finding("suppress", 3, 0)
    assert not wanted(unsafe, False) and wanted(unsafe, True) and not wanted(ignore, True)
    chosen = select_fixes(source, [b, a, unsafe, ignore])
    assert [f for f, _ in chosen] == [a]  # b inserts at the same point: it overlaps a
    text, applied = fix_round(source, [a, b])
    assert applied == [a] and "tape.watch(a)" in text and "tape.watch(b)" not in text


def test_a_round_that_would_not_parse_keeps_only_good_fixes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from shapelens.fixes import apply as apply_module
    from shapelens.fixes.base import Edit, Span

    source = "x = 1\ny = 2\n"
    good, bad = finding("add-watch", 1), finding("add-watch", 2)
    table = {1: [Edit(Span(1, 4, 1, 5), "3")], 2: [Edit(Span(2, 4, 2, 5), "(")]}
    monkeypatch.setattr(apply_module, "apply_fix", lambda _s, f: table[f.span.line])
    text, applied = fix_round(source, [good, bad])
    assert text == "x = 3\ny = 2\n" and applied == [good]


@pytest.mark.parametrize(("old", "new"), [
    ("a\nb\nc\n", "a\nx\nb\nc\n"),
    ("a = f(b)\n", "a = g(f(b), 1)\n"),
    ("a\nb\nc", "a\nc"),
    ("with t:\n    y = 1\n", "with t:\n    y = 1\nz = 2\n"),
    ("x = 1\r\ny = 2\r\n", "x = 1\r\nw = 0\r\ny = 2\r\n"),
    ("é = 1\nb = 2\n", "é = 1.0\nb = 2\n"),
    ("", "x = 1\n"),
])
def test_diff_edits_round_trip(old: str, new: str) -> None:
    edits = diff_edits(old, new)
    assert apply_edits(old, edits) == new
    assert all(e.span.line >= 1 for e in edits)


def test_diff_edits_are_minimal_and_do_not_split_words() -> None:
    [edit] = diff_edits("g = tape.gradient(l, tf.reshape(w, s))\n",
                        "g = tf.reshape(tape.gradient(l, w), s)\n")
    assert edit.new_text.startswith("tf.reshape(") and edit.span.col == 4
    [insert] = diff_edits("a\nb\n", "a\nnew\nb\n")
    assert insert.span.line == insert.span.end_line == 2 and insert.span.col == 0
    assert insert.new_text == "new\n"
