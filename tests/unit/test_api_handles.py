"""``shapefns/api_handles.py`` and ``core/overlays/handles.py`` through the engine: each case
program's ``probe`` is the value ``api_handles_cases.py`` gives (TF's own value is checked by
the oracle on an in-process cluster), unknown arguments stay unknown, a shape error inside a
scheduled function is found where TF raises it, and nothing else is reported."""

from __future__ import annotations

import pytest
from api_handles_cases import CASES, CLUSTER, SETUP, UNKNOWN
from test_api_calls_more import describe, engine_probe

from shapelens.core import analyze
from shapelens.domain.values import UNKNOWN as UNKNOWN_VALUE
from shapelens.domain.values import Value


def probe(program: str) -> Value:
    return engine_probe(program.replace(SETUP, ""))


@pytest.mark.parametrize(("name", "program", "engine", "tf"), CASES, ids=[c[0] for c in CASES])
def test_engine_value(name: str, program: str, engine: str, tf: str) -> None:
    assert describe(probe(program)) == engine
    assert not analyze(SETUP + program + "\n").findings


@pytest.mark.parametrize(("name", "program"), UNKNOWN, ids=[c[0] for c in UNKNOWN])
def test_unknown_stays_unknown(name: str, program: str) -> None:
    assert probe(program) is UNKNOWN_VALUE
    assert not analyze(SETUP + program + "\n").findings


def test_a_shape_error_in_a_scheduled_function_is_found_in_it() -> None:
    """TF traces the function at ``schedule`` and raises there (the oracle's
    ``reshape_in_scheduled_function``); the engine reports the reshape inside it."""
    program = (SETUP + CLUSTER + "@tf.function\ndef bad(x):\n    return tf.reshape(x, (5,))\n"
               "r = coordinator.schedule(bad, args=(tf.ones((4, 3)),))\n")
    findings = analyze(program).findings
    assert [(f.code, program.splitlines()[f.span.line - 1].strip()) for f in findings] == [
        ("SL101", "return tf.reshape(x, (5,))")]


def test_a_scheduled_function_sees_the_per_worker_element() -> None:
    """The dataset a worker iterates is ``dataset_fn()``'s: a reshape of its batch to the
    wrong size is found."""
    program = (SETUP + CLUSTER + "def dataset_fn():\n"
               "    return tf.data.Dataset.from_tensor_slices(tf.ones((8, 3))).batch(2)\n"
               "it = iter(coordinator.create_per_worker_dataset(dataset_fn))\n"
               "@tf.function\ndef step(iterator):\n"
               "    return tf.reshape(next(iterator), (2, 4))\n"
               "coordinator.schedule(step, args=(it,))\n")
    assert [f.code for f in analyze(program).findings] == ["SL101"]


def test_the_graph_of_a_with_is_the_graph_not_the_scope() -> None:
    """``with g.as_default() as h`` binds the graph: its methods are a graph's."""
    program = "g = tf.Graph()\nwith g.as_default() as h:\n    probe = h.get_tensor_by_name('a:0')"
    assert describe(probe(program)) == "tensor None *"


def test_other_attributes_of_a_wrapped_function_stay_unknown() -> None:
    program = ("def build():\n    tf.constant([1.0], name='x')\n"
               "w = tf.compat.v1.wrap_function(build, [])\nprobe = w.variables")
    assert probe(program) is UNKNOWN_VALUE


@pytest.mark.parametrize(("name", "program"), [(c[0], c[1]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_ignorance_never_adds_a_finding(name: str, program: str) -> None:
    """The metamorphic test of ``tests/test_metamorphic.py`` on each case program."""
    import sys
    from pathlib import Path

    tests = str(Path(__file__).resolve().parents[1])
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from test_metamorphic import check_program  # pyright: ignore[reportMissingImports]

    check_program(SETUP + program + "\n", name, 40)
