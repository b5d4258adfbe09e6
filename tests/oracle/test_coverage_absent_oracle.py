"""``bench/coverage_engine_absent.py`` and ``coverage_scope.FOREIGN_METHODS`` checked against the
installed TF 2.21 / Keras 3 / NumPy 2, so that the coverage table's ``absent``, ``tf1`` and
``out`` classes cannot rot: every name listed as absent raises under every spelling, every
TF1-only name exists as ``tf.compat.v1.X`` and not as ``tf.X``, Keras 3 metrics lack
``reset_states``, and no public TF/Keras/NumPy class has a method listed as foreign.

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
    ABSENT,
    ABSENT_METHODS,
    TF1_ONLY,
)
from coverage_scope import FOREIGN_METHODS  # noqa: E402  # pyright: ignore[reportMissingImports]

pytestmark = pytest.mark.oracle

_PROBE = r'''
import importlib, inspect, json, sys, types, warnings
warnings.filterwarnings("ignore")
import keras, numpy, tensorflow

def resolves(path):
    """Whether ``path`` names something (a namespace must also list public names)."""
    parts = path.split(".")
    try:
        obj = importlib.import_module(parts[0])
        for i, part in enumerate(parts[1:], 1):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                obj = importlib.import_module(".".join(parts[: i + 1]))
        if isinstance(obj, types.ModuleType) or type(obj).__name__ == "LazyLoader":
            return any(not n.startswith("_") for n in dir(obj))
        return True
    except Exception:
        return False

def methods(cls):
    """The names of a class's methods (a property, a slot or a named tuple's field is
    not one: ``x.axis()`` calls a method)."""
    found = set()
    for name in dir(cls):
        try:
            member = inspect.getattr_static(cls, name)
        except Exception:
            found.add(name)  # cannot tell: counted as a method
            continue
        if isinstance(member, property) or type(member).__name__ in (
                "_tuplegetter", "member_descriptor", "getset_descriptor"):
            continue
        if isinstance(member, (staticmethod, classmethod)) or callable(member):
            found.add(name)
    return found

def class_attributes():
    """Every method name of every class reachable from tensorflow, keras and numpy."""
    seen, names = set(), set()
    def walk(mod, depth):
        if id(mod) in seen or depth > 8:
            return
        seen.add(id(mod))
        try:
            keys = dir(mod)
        except Exception:
            return
        for key in keys:
            if key.startswith("__"):
                continue
            try:
                value = getattr(mod, key)
                if isinstance(value, types.ModuleType):
                    name = str(object.__getattribute__(value, "__name__"))
                    if name.split(".")[0] in ("tensorflow", "keras", "numpy") or \
                            "keras" in name:
                        walk(value, depth + 1)
                elif inspect.isclass(value) and id(value) not in seen:
                    seen.add(id(value))
                    names.update(methods(value))
            except Exception:
                continue
    for module in (tensorflow, keras, numpy):
        walk(module, 0)
    return names

paths = json.loads(sys.argv[1])
metric_classes = [getattr(m, n) for m in (keras.metrics, tensorflow.keras.metrics)
                  for n in dir(m) if inspect.isclass(getattr(m, n, None))]
print(json.dumps({
    "resolves": {p: resolves(p) for p in paths},
    "metric_methods": sorted(set().union(*(dir(c) for c in metric_classes))),
    "metric_classes": len(metric_classes),
    "class_attributes": sorted(class_attributes()),
    "versions": [tensorflow.__version__, keras.__version__, numpy.__version__],
}))
'''


def _spellings(name: str) -> list[str]:
    """Every import path a canonical name is spelled by (``tf.X`` → ``tensorflow.X`` and
    ``tensorflow.compat.v1.X``; ``keras.X`` → ``keras.X``, ``tensorflow.keras.X``,
    ``tensorflow.compat.v1.keras.X``; ``np.X`` → ``numpy.X``)."""
    root, _, rest = name.rstrip(".").partition(".")
    if root == "tf":
        return [f"tensorflow.{rest}", f"tensorflow.compat.v1.{rest}"]
    if root == "keras":
        return [f"keras.{rest}", f"tensorflow.keras.{rest}",
                f"tensorflow.compat.v1.keras.{rest}"]
    return [f"numpy.{rest}"]


@pytest.fixture(scope="module")
def probe() -> dict[str, object]:
    paths = [p for n in ABSENT for p in _spellings(n)]
    paths += [p for n in TF1_ONLY for p in _spellings(n)]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(paths)], env=env,
                         capture_output=True, text=True, timeout=600, check=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_the_probe_ran_tf_2_21_keras_3_numpy_2(probe: dict[str, object]) -> None:
    tf_version, keras_version, np_version = probe["versions"]  # type: ignore[misc]
    assert tf_version.startswith("2.21") and keras_version.startswith("3.")
    assert np_version.startswith("2.")
    # the probe itself finds what exists (it is not blind)
    assert len(probe["class_attributes"]) > 1000  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(ABSENT))
def test_absent_names_raise_under_every_spelling(probe: dict[str, object], name: str) -> None:
    resolves: dict[str, bool] = probe["resolves"]  # type: ignore[assignment]
    assert not [p for p in _spellings(name) if resolves[p]]


@pytest.mark.parametrize("name", sorted(TF1_ONLY))
def test_tf1_names_exist_only_under_compat_v1(probe: dict[str, object], name: str) -> None:
    resolves: dict[str, bool] = probe["resolves"]  # type: ignore[assignment]
    plain, compat = _spellings(name)
    assert resolves[compat] and not resolves[plain]


def test_keras_3_metrics_lack_the_absent_methods(probe: dict[str, object]) -> None:
    assert int(probe["metric_classes"]) > 20  # type: ignore[call-overload]
    methods = set(probe["metric_methods"])  # type: ignore[call-overload]
    assert "reset_state" in methods  # what they have instead
    assert not set(ABSENT_METHODS["keras.metrics."]) & methods


def test_no_tf_keras_numpy_class_has_a_foreign_method(probe: dict[str, object]) -> None:
    attributes = set(probe["class_attributes"])  # type: ignore[call-overload]
    assert {"numpy", "reshape", "fit", "reduce"} <= attributes  # the walk reaches them
    assert not sorted(set(FOREIGN_METHODS) & attributes)
