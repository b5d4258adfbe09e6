"""What the receiver-aware classes of ``bench/coverage.py`` rest on, checked under the installed
TF 2.21 / Keras 3 (TensorFlow backend): ``KERAS_PACKAGE_ABSENT`` names raise AttributeError
spelled through the standalone ``keras`` package and exist through ``tf.keras``; the methods
that only another Keras backend has are not TF's (a Keras 3 optimizer's ``stateless_apply``
raises ValueError, a model has no ``parameters``), so a program that sets
``KERAS_BACKEND=jax``/``torch`` uses them outside TF's scope.

TensorFlow runs once, in a subprocess; it prints one JSON object.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from coverage_engine_absent import (  # noqa: E402  # pyright: ignore[reportMissingImports]
    KERAS_PACKAGE_ABSENT,
)

pytestmark = pytest.mark.oracle

_PROBE = r'''
import json, sys
import numpy as np
import tensorflow as tf
import keras
from tensorflow import keras as tf_keras

def resolves(root, path):
    obj = root
    try:
        for part in path.split(".")[1:]:
            obj = getattr(obj, part)
    except AttributeError:
        return False
    return True

names = json.loads(sys.argv[1])
result = {"backend": keras.backend.backend(),
          "package": {n: resolves(keras, n) for n in names},
          "tf_keras": {n: resolves(tf.keras, n) for n in names},
          "from_tensorflow": {n: resolves(tf_keras, n) for n in names}}
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
result["model_parameters"] = hasattr(model, "parameters")
optimizer = keras.optimizers.Adam(0.1)
optimizer.build(model.trainable_variables)
grads = [tf.zeros_like(v) for v in model.trainable_variables]
try:
    optimizer.stateless_apply(optimizer.variables, grads, model.trainable_variables)
    result["stateless_apply"] = "ran"
except ValueError as error:
    result["stateless_apply"] = "ValueError: " + str(error)
print(json.dumps(result))
'''


@pytest.fixture(scope="module")
def probe() -> dict[str, object]:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "KERAS_BACKEND": "tensorflow"}
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(sorted(KERAS_PACKAGE_ABSENT))],
                         env=env, capture_output=True, text=True, timeout=600, check=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("name", sorted(KERAS_PACKAGE_ABSENT))
def test_keras_package_absent_names_exist_only_through_tf_keras(
        probe: dict[str, object], name: str) -> None:
    spelled: dict[str, dict[str, bool]] = probe  # type: ignore[assignment]
    assert spelled["package"][name] is False
    assert spelled["tf_keras"][name] and spelled["from_tensorflow"][name]


def test_other_backend_methods_are_not_tfs(probe: dict[str, object]) -> None:
    assert probe["backend"] == "tensorflow"
    assert str(probe["stateless_apply"]).startswith("ValueError")
    assert probe["model_parameters"] is False
