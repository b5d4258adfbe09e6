"""The cases of ``tests/unit/keras_lookup_cases.py`` run under real TensorFlow / Keras 3:
every value the engine is held to there is what TF makes (kind, dtype, static shape; a
KerasTensor is ``keras``), every refused program raises the exception its rule predicts, and
every program the engine must leave unknown runs.

All programs run in one TensorFlow subprocess; it prints one JSON line per case.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from keras_lookup_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    ERRORS,
    SETUP,
    UNKNOWN,
)

from shapelens.rules.catalogue import BY_CODE

pytestmark = pytest.mark.oracle

RUNNER = '''
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
import tensorflow as tf

def shape(s):
    dims = ["None" if d is None else str(d) for d in tf.TensorShape(s).as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"

def describe(v):
    if isinstance(v, keras.KerasTensor):
        return f"keras {v.dtype} {shape(v.shape)}"
    kind = ("ragged" if isinstance(v, tf.RaggedTensor) else
            "sparse" if isinstance(v, tf.SparseTensor) else "tensor")
    return f"{kind} {tf.as_dtype(v.dtype).name} {shape(v.shape)}"

for name, program in json.loads(sys.stdin.read()):
    scope = {}
    try:
        exec(compile(program, name, "exec"), scope)
        print(json.dumps([name, "ok", describe(scope["probe"])]), flush=True)
    except Exception as err:
        print(json.dumps([name, type(err).__name__, str(err)]), flush=True)
'''


@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(name, SETUP + program + "\n") for name, program, *_ in CASES + ERRORS]
    programs += [(name, SETUP + program + "\n") for name, program in UNKNOWN]
    proc = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(programs),
                          capture_output=True, text=True, timeout=600)
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("["):
            name, status, text = json.loads(line)
            results[name] = (status, text)
    if len(results) != len(programs):
        pytest.fail(f"TensorFlow runner failed: {proc.stderr[-2000:]}", pytrace=False)
    return results


@pytest.mark.parametrize(("name", "expected"), [(c[0], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]],
                                             name: str, expected: str) -> None:
    assert tf_results[name] == ("ok", expected)


@pytest.mark.parametrize(("name", "code"), [(c[0], c[2]) for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_tensorflow_raises_what_the_rule_predicts(tf_results: dict[str, tuple[str, str]],
                                                  name: str, code: str) -> None:
    status, message = tf_results[name]
    assert status != "ok", f"{name}: TensorFlow ran it"
    assert any(status in classes and re.search(regex, message, re.S)
               for classes, regex in BY_CODE[code].tf_errors), (status, message[:300])


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN])
def test_programs_left_unknown_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok", tf_results[name]
