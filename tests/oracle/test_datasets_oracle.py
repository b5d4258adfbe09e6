"""The ``tf.data`` cases of ``tests/dataset_cases.py`` run under real TensorFlow: every
element spec the engine is held to there is what TF reports (an engine ``?`` matches any
size), and every refused dataset raises the exception its rule predicts.

All programs run in one TensorFlow subprocess; it prints one JSON line per case.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest
from case_runner import run_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dataset_cases import CASES, ERRORS, SETUP
from shapelens.rules.catalogue import BY_CODE

pytestmark = pytest.mark.oracle

DESCRIBE = '''
import tensorflow as tf

def dim(d):
    return "None" if d is None else str(d)

def shape(s):
    if s.rank is None:
        return "<unknown>"
    dims = [dim(d) for d in s.as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"

def describe(v):
    if isinstance(v, tf.data.Dataset):
        return describe(v.element_spec)
    if isinstance(v, tuple):
        return "(" + ", ".join(describe(i) for i in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k!r}: {describe(i)}" for k, i in v.items()) + "}"
    if hasattr(v, "dtype") and hasattr(v, "shape"):
        return f"{tf.as_dtype(v.dtype).name}{shape(tf.TensorShape(v.shape))}"
    return "unknown"
'''


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(name, SETUP + textwrap.dedent(program) + "\n") for name, program, _ in CASES]
    programs += [(name, SETUP + program + "\n") for name, program, _, _ in ERRORS]
    return run_cases(DESCRIBE, programs)


def _matches(engine: str, tf: str) -> bool:
    """Equal, where each ``?`` of the engine stands for any one size of TF's."""
    pattern = re.escape(engine).replace(r"\?", r"(?:None|\d+)")
    return re.fullmatch(pattern, tf) is not None


@pytest.mark.parametrize(("name", "expected"), [(c[0], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_spec_is_tensorflows(tf_results: dict[str, tuple[str, str]], name: str,
                             expected: str) -> None:
    status, text = tf_results[name]
    assert status == "ok", text
    assert _matches(expected, text), f"engine {expected} vs TF {text}"


@pytest.mark.parametrize(("name", "exception", "code"), [(e[0], e[2], e[3]) for e in ERRORS],
                         ids=[e[0] for e in ERRORS])
def test_refused_dataset_raises(tf_results: dict[str, tuple[str, str]], name: str,
                                exception: str, code: str) -> None:
    status, text = tf_results[name]
    assert status == exception, text
    assert any(status in classes and re.search(regex, text)
               for classes, regex in BY_CODE[code].tf_errors), text
