"""One TensorFlow subprocess for a table of small programs (the case tables of
``tests/dataset_cases.py``, ``tests/unit/ragged_sparse_cases.py`` and
``tests/unit/keras_lookup_cases.py``): each program binds ``probe``; the subprocess prints one
JSON line per case, ``[name, "ok", describe(probe)]`` or ``[name, exception class, message]``.
Each table brings its own ``describe`` (how TF's value is written in its expectations)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from shapelens.rules.catalogue import BY_CODE

_LOOP = '''
for name, program in json.loads(sys.stdin.read()):
    scope = {}
    try:
        exec(compile(program, name, "exec"), scope)
        print(json.dumps([name, "ok", describe(scope.get("probe"))]), flush=True)
    except Exception as err:
        print(json.dumps([name, type(err).__name__, str(err)]), flush=True)
'''


# ``"<kind> <dtype> <static shape>"``: kind ``tensor``, ``ragged``, ``sparse`` or ``keras``
# (a KerasTensor), the shape as TF prints it (``None`` for an unknown dim).
DESCRIBE_TENSORS = '''
import os
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
'''


def run_cases(describe_source: str, programs: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """``{name: (status, text)}`` for every program, run under TensorFlow in one process;
    ``describe_source`` imports what it needs and defines ``describe(value) -> str``."""
    runner = "import json, sys\n" + describe_source + _LOOP
    proc = subprocess.run([sys.executable, "-c", runner], input=json.dumps(programs),
                          capture_output=True, text=True, timeout=600)
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("["):
            name, status, text = json.loads(line)
            results[name] = (status, text)
    if len(results) != len(programs):
        pytest.fail(f"TensorFlow runner failed: {proc.stderr[-2000:]}", pytrace=False)
    return results


def consistent(engine: str, tf: str) -> bool:
    """The engine's value (``"<kind> <dtype> <shape>"``) claims nothing TF's contradicts: the
    same kind, the same dtype unless the engine's is ``None`` (unknown), and each dim the
    engine knows equal to TF's (``*``: any rank; ``None``: any dim)."""
    e_kind, e_dtype, e_shape = engine.split(" ", 2)
    t_kind, t_dtype, t_shape = tf.split(" ", 2)
    if e_kind != t_kind or e_dtype not in ("None", t_dtype):
        return False
    if e_shape == "*":
        return True
    e_dims = [d for d in e_shape.strip("(),").split(", ") if d]
    t_dims = [d for d in t_shape.strip("(),").split(", ") if d]
    return len(e_dims) == len(t_dims) and all(e in ("None", t) for e, t in zip(e_dims, t_dims))


def assert_raises_as_predicted(name: str, result: tuple[str, str], code: str) -> None:
    """TensorFlow refused the program with an exception rule ``code`` names."""
    status, message = result
    assert status != "ok", f"{name}: TensorFlow ran it"
    assert any(status in classes and re.search(regex, message, re.S)
               for classes, regex in BY_CODE[code].tf_errors), (status, message[:300])
