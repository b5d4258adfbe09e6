"""Keras metric objects: result() and calls are float32 scalars, update_state and
reset_state return None."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.core import analyze

from .notation import cases, check

ACC = {"m": "keras.metrics.SparseCategoricalAccuracy()"}

CASES: list[Any] = [
    ("m.result()", ACC, "tf.f32[]"),
    ("m(tf.zeros([4]), tf.zeros([4, 3]))", ACC, "f32[]"),
    ("m(3.0)", {"m": "tf.keras.metrics.Mean(name='loss')"}, "f32[]"),
    ("m.result()", {"m": "keras.metrics.AUC()"}, "f32[]"),
    ("m.result()", {"m": "keras.metrics.MeanSquaredError()"}, "f32[]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_metrics(case: Any) -> None:
    check(case)


def test_update_and_reset_return_none() -> None:
    source = ("import keras\nimport tensorflow as tf\nm = keras.metrics.Mean()\n"
              "u = m.update_state(tf.zeros([4]))\nr = m.reset_state()\nv = m.result()\n")
    analysis = analyze(source, time_budget=None)
    facts = {a.name: a for a in analysis.assignments}
    assert "u" not in facts and "r" not in facts and facts["v"].shape == ()
    assert not analysis.findings
