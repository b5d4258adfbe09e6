"""An op a ``tf.function`` never runs (its value unused) stays silent in an incremental
session too: a function whose analysis is kept from an earlier run executes its own (old)
node, and the pruned calls are looked up on that node, not only on the new tree's (found by
hypothesis: a syntax error above the function, then the text restored, reported the pruned
gather of ``fixtures/graph/pruned_gather_ok.py``)."""

from __future__ import annotations

from pathlib import Path

from shapelens.core import analyze
from shapelens.core.incremental.session import Session

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "graph" / "pruned_gather_ok.py"


def test_a_pruned_op_stays_silent_after_an_edit_and_its_undo() -> None:
    original = FIXTURE.read_text(encoding="utf-8")
    broken = original.replace("values = tf.constant([3.0])\n", "the ops its outputs need\n")
    assert broken != original
    session = Session()
    for text in (original, broken, original):
        incremental = analyze(text, str(FIXTURE), session=session)
        scratch = analyze(text, str(FIXTURE))
        assert [(f.code, f.span.line) for f in incremental.findings] == \
            [(f.code, f.span.line) for f in scratch.findings]
    assert not [f for f in incremental.findings if f.code == "SL108"]
