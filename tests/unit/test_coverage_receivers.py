"""``bench/coverage.py``'s receiver-aware classes: a method of Keras run on another backend
(``KERAS_BACKEND=jax``/``torch``: ``backend``), of an instance of the program's own class that
derives only a foreign library's class (``class ConvModel(flax.linen.Module)``: ``out``), of a
name that a top-level assignment certainly left holding a foreign value when the call runs
(``opt = optax.adam(lr); opt.init(params)``: ``out``), and a name only the standalone ``keras``
package lacks (``absent``). Each test also checks the cases where the class must not be given.
What TF does for these is checked by ``tests/oracle/test_coverage_receivers_oracle.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "coverage.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shapelens_bench_coverage_receivers", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


cov = _load()


def _classes(text: str, name: str) -> dict[str, int]:
    """How many sites of ``name`` fall in each class (``resolution`` of the site)."""
    found: dict[str, int] = {}
    for site, n in cov.count_source(text).items():
        if site.name == name:
            key = cov.resolution(site)
            found[key] = found.get(key, 0) + n
    return found


JAX = '''
import os
os.environ["KERAS_BACKEND"] = "{backend}"
import keras
model = keras.Sequential([keras.layers.Dense(2)])
optimizer = keras.optimizers.Adam()
tv, ov = optimizer.stateless_apply(optimizer.variables, grads, model.trainable_variables)
params = model.parameters()
model.fit(x, y)
'''


def test_other_backend_methods_are_that_backends() -> None:
    jax = JAX.format(backend="jax")
    assert _classes(jax, ".stateless_apply()") == {"backend": 1}
    assert _classes(jax, ".parameters()") == {"backend": 1}
    # a method the engine resolves keeps its class, in one row
    assert _classes(jax, ".fit()") == {"engine": 1}
    # TensorFlow (or no choice at all) is TF's own program: still unresolved
    for text in (JAX.format(backend="tensorflow"), JAX.replace(
            'os.environ["KERAS_BACKEND"] = "{backend}"\n', "")):
        assert _classes(text, ".stateless_apply()") == {"-": 1}


FLAX = '''
import flax
import optax
import tensorflow as tf

class ConvModel(flax.linen.Module):
    pass

class Mixed(flax.linen.Module, tf.Module):
    pass

def train_step(model, optimizer):
    return model.apply(optimizer)

model = ConvModel()
state = model.init(rng, batch)
optimizer = optax.adam(learning_rate=0.1)
opt_state = optimizer.init(state)
optimizer = tf.keras.optimizers.Adam(0.1)
later = optimizer.init(state)
mixed = Mixed()
other = mixed.init(state)
for step in range(3):
    again = optimizer.init(state)
    optimizer = optax.sgd(0.1)
'''


def test_foreign_receivers_by_class_and_by_flow() -> None:
    found = {(s.outside, s.missing): n for s, n in cov.count_source(FLAX).items()
             if s.name == ".init()"}
    # the flax module's instance and optax's optimizer right after it is made: out; the
    # name rebound to a Keras optimizer, a class with a TF base, and a loop that rebinds
    # the name: unresolved as before
    assert found == {("flax object (a class deriving its class)", ""): 1,
                     ("optax object", ""): 1, ("", ""): 3}


GLOBAL = '''
import optax
optimizer = optax.adam(0.1)
def reset():
    global optimizer
    optimizer = make()
reset()
x = optimizer.init(p)
'''


def test_a_global_rebinding_leaves_the_receiver_unknown() -> None:
    assert _classes(GLOBAL, ".init()") == {"-": 1}


IDG = '''
import keras
import tensorflow as tf
from tensorflow import keras as tfk
a = keras.preprocessing.image.ImageDataGenerator(rescale=1.0)
b = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1.0)
c = tfk.preprocessing.image.ImageDataGenerator(rescale=1.0)
'''


def test_image_data_generator_is_absent_only_in_the_keras_package() -> None:
    name = "keras.preprocessing.image.ImageDataGenerator"
    sites = {s.missing: n for s, n in cov.count_source(IDG).items() if s.name == name}
    assert sites == {"absent": 1, "": 2}
