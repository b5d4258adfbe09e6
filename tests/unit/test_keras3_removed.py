"""SL214 through the engine: each program of ``keras3_removed_cases.py`` that TF refuses
(``tests/oracle/test_keras3_removed_oracle.py`` runs them) gets exactly one SL214, on the
line TF raises on; the programs TF runs get nothing; the fixes rename the one name."""

from __future__ import annotations

import pytest
from keras3_removed_cases import FINDINGS, SETUP, SILENT

from shapelens.core import analyze
from shapelens.fixes import apply_edits, apply_fix


@pytest.mark.parametrize(("name", "program", "line", "error"), FINDINGS,
                         ids=[c[0] for c in FINDINGS])
def test_reported_on_the_line_tf_raises(name: str, program: str, line: str, error: str) -> None:
    source = SETUP + program + "\n"
    findings = analyze(source).findings
    assert [(f.code, source.splitlines()[f.span.line - 1]) for f in findings] == [
        ("SL214", line)]


@pytest.mark.parametrize(("name", "program"), SILENT, ids=[c[0] for c in SILENT])
def test_nothing_where_tf_runs(name: str, program: str) -> None:
    assert not analyze(SETUP + program + "\n").findings


FIXED = {
    "metric_reset_states": ("m.reset_states()", "m.reset_state()", True),
    "adam_lr": ("keras.optimizers.Adam(lr=0.01)", "keras.optimizers.Adam(learning_rate=0.01)",
                True),
    "legacy_sgd": ("tf.keras.optimizers.legacy.SGD(", "tf.keras.optimizers.SGD(", False),
    "model_fit_generator": ("model.fit_generator(batches()", "model.fit(batches()", False),
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_the_fix_renames_one_name(name: str) -> None:
    program = next(c[1] for c in FINDINGS if c[0] == name)
    source = SETUP + program + "\n"
    (finding,) = analyze(source).findings
    old, new, safe = FIXED[name]
    assert finding.fix is not None and finding.fix.safe is safe
    fixed = apply_edits(source, apply_fix(source, finding))
    assert fixed == source.replace(old, new, 1)
    assert not analyze(fixed).findings


def test_no_fix_when_both_keywords_are_given() -> None:
    """``SGD(learning_rate=..., lr=...)``: renaming would repeat a keyword (a SyntaxError)."""
    program = next(c[1] for c in FINDINGS if c[0] == "tf_optimizers_sgd_lr_and_learning_rate")
    (finding,) = analyze(SETUP + program + "\n").findings
    assert finding.fix is None


def test_no_fix_for_a_model_reset_states() -> None:
    program = next(c[1] for c in FINDINGS if c[0] == "model_reset_states")
    (finding,) = analyze(SETUP + program + "\n").findings
    assert finding.fix is None and "reset_state() on each stateful layer" in finding.message


def test_the_fix_offers_nothing_once_the_code_changed() -> None:
    program = next(c[1] for c in FINDINGS if c[0] == "metric_reset_states")
    source = SETUP + program + "\n"
    (finding,) = analyze(source).findings
    assert apply_fix(source.replace("reset_states", "reset_stats"), finding) == []


def test_an_unknown_receiver_is_never_judged() -> None:
    """A metric the engine cannot see (a parameter never called with one) is silent."""
    assert not analyze(SETUP + "def end(metric):\n    metric.reset_states()\n").findings


@pytest.mark.parametrize(("name", "program"),
                         [(c[0], c[1]) for c in FINDINGS] + [(c[0], c[1]) for c in SILENT],
                         ids=[c[0] for c in FINDINGS] + [c[0] for c in SILENT])
def test_ignorance_never_adds_a_finding(name: str, program: str) -> None:
    """The metamorphic test of ``tests/test_metamorphic.py`` on each case program."""
    import sys
    from pathlib import Path

    tests = str(Path(__file__).resolve().parents[1])
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from test_metamorphic import check_program  # pyright: ignore[reportMissingImports]

    check_program(SETUP + program + "\n", name, 40)


def test_nothing_in_a_module_that_may_use_keras_2() -> None:
    """``os.environ["TF_USE_LEGACY_KERAS"] = "1"`` makes ``tf.keras`` the Keras 2 package
    (``tf_keras``) where it is installed, and there ``reset_states``, ``lr=`` and
    ``fit_generator`` work: the rule stays silent in such a module."""
    head = "import os\nos.environ['TF_USE_LEGACY_KERAS'] = '1'\n"
    for name in ("metric_reset_states", "adam_lr", "legacy_sgd", "model_fit_generator"):
        program = next(c[1] for c in FINDINGS if c[0] == name)
        assert not analyze(head + SETUP + program + "\n").findings, name


def test_typing_the_legacy_switch_in_an_editor_session() -> None:
    """The incremental engine drops what it kept when the switch appears or goes (it changes
    what every statement does), as for NumPy promotion."""
    from shapelens.core.incremental.session import Session

    program = SETUP + next(c[1] for c in FINDINGS if c[0] == "tf_keras_metric_in_loop") + "\n"
    switched = "import os\nos.environ['TF_USE_LEGACY_KERAS'] = '1'\n" + program
    session = Session()
    assert [f.code for f in analyze(program, session=session).findings] == ["SL214"]
    assert not analyze(switched, session=session).findings
    assert [f.code for f in analyze(program, session=session).findings] == ["SL214"]
