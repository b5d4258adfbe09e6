"""The programs of ``tests/unit/keras3_removed_cases.py`` under TensorFlow 2.21 / Keras 3:
each SL214 program raises the exception the rule promises (its class and message, from the
catalogue's ``tf_errors``) on the line the engine reports, and each silent one runs to the
end. One TF subprocess for all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import assert_raises_as_predicted, run_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from keras3_removed_cases import FINDINGS, SETUP, SILENT  # pyright: ignore[reportMissingImports]

pytestmark = pytest.mark.oracle

# describe(None) for a program that ran; the line a raising program failed on comes from the
# message the runner prints with the exception (``[line N]`` appended below).
DESCRIBE = '''
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf

def describe(v):
    return "ran"
'''
# Each program records its own failing line: run inside a try that re-raises the rule's
# exception classes with the line of the program's frame appended (others pass unchanged).
WRAP = '''
import traceback as _tb
_source = {source!r}
try:
    exec(compile(_source, "case", "exec"), {{}})
except (AttributeError, ValueError, ImportError) as _err:
    _line = [f.lineno for f in _tb.extract_tb(_err.__traceback__) if f.filename == "case"][-1]
    raise type(_err)(f"{{_err}} [line {{_line}}]") from None
'''


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(c[0], WRAP.format(source=SETUP + c[1] + "\n"))
                for c in [*FINDINGS, *SILENT]]
    return run_cases(DESCRIBE, programs)


@pytest.mark.parametrize(("name", "program", "line", "error"), FINDINGS,
                         ids=[c[0] for c in FINDINGS])
def test_tensorflow_raises_as_the_rule_says(tf_results: dict[str, tuple[str, str]], name: str,
                                            program: str, line: str, error: str) -> None:
    status, message = tf_results[name]
    assert status == error
    assert_raises_as_predicted(name, tf_results[name], "SL214")
    lines = (SETUP + program).splitlines()
    assert message.endswith(f"[line {lines.index(line) + 1}]"), message[-200:]


@pytest.mark.parametrize("name", [c[0] for c in SILENT])
def test_silent_programs_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name] == ("ok", "ran"), tf_results[name][1][:300]


def test_wrapper_reports_the_failing_line() -> None:
    """The line-recording wrapper itself: a program failing on its second line says so."""
    result = run_cases(DESCRIBE, [("two", WRAP.format(source="x = 1\nraise ValueError('no')\n"))])
    assert result["two"] == ("ValueError", "no [line 2]")
