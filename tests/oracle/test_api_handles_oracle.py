"""The programs of ``tests/unit/api_handles_cases.py`` under TensorFlow 2.21: each ``probe``
is the value the table says TF makes and the engine's value claims nothing TF's contradicts;
the unknown cases run; a shape error in a scheduled function raises at ``schedule``. One TF
subprocess for all, with one in-process cluster (a worker and a parameter server on free
local ports, as TF's parameter server tutorial builds it) whose strategy the programs share."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from case_runner import consistent, run_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from api_handles_cases import (  # pyright: ignore[reportMissingImports]
    CASES,
    CLUSTER,
    SETUP,
    UNKNOWN,
)

pytestmark = pytest.mark.oracle

DESCRIBE = '''
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["GRPC_FAIL_FAST"] = "use_caller"
import socket
import numpy as np
import tensorflow as tf

def _free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]

_spec = tf.train.ClusterSpec({"worker": [f"localhost:{_free_port()}"],
                              "ps": [f"localhost:{_free_port()}"]})
SERVERS = [tf.distribute.Server(_spec, job_name=job, task_index=0, protocol="grpc")
           for job in ("worker", "ps")]
STRATEGY = tf.distribute.ParameterServerStrategy(
    tf.distribute.cluster_resolver.SimpleClusterResolver(_spec, rpc_layer="grpc"))

def describe(v):
    if v is None:
        return "None"
    if isinstance(v, np.ndarray | np.generic):
        return f"ndarray {v.dtype.name} {shape(np.shape(v))}"
    if isinstance(v, tf.Tensor):
        return f"tensor {v.dtype.name} {shape(v.shape)}"
    return f"object {type(v).__module__}.{type(v).__qualname__}"

def shape(s):
    dims = ["None" if d is None else str(d) for d in tf.TensorShape(s).as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
'''
RAISING = ("reshape_in_scheduled_function", CLUSTER + "@tf.function\ndef bad(x):\n"
           "    return tf.reshape(x, (5,))\n"
           "probe = coordinator.schedule(bad, args=(tf.ones((4, 3)),))")



@pytest.fixture(scope="module")
def tf_results() -> dict[str, tuple[str, str]]:
    programs = [(c[0], SETUP + c[1] + "\n") for c in [*CASES, *UNKNOWN, RAISING]]
    return run_cases(DESCRIBE, programs)


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_tensorflow_makes_the_expected_value(tf_results: dict[str, tuple[str, str]], name: str,
                                             program: str, engine: str, tf: str) -> None:
    assert tf_results[name] == ("ok", tf)
    if engine.startswith(("tensor ", "ndarray ")):
        assert consistent(engine, tf)


@pytest.mark.parametrize("name", [c[0] for c in UNKNOWN])
def test_unknown_cases_run(tf_results: dict[str, tuple[str, str]], name: str) -> None:
    assert tf_results[name][0] == "ok"


def test_a_shape_error_in_a_scheduled_function_raises_at_schedule(
        tf_results: dict[str, tuple[str, str]]) -> None:
    status, message = tf_results[RAISING[0]]
    assert status == "ValueError" and "Cannot reshape a tensor with 12 elements" in message
