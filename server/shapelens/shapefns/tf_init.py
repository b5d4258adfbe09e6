"""Initializers: ``tf.random_normal_initializer()``, ``tf.zeros_initializer()``,
``keras.initializers.GlorotUniform()``... build an object; calling it with a shape makes a
tensor of that shape (float32 unless ``dtype`` is given). Custom layers in the TF guides make
their weights this way (``tf.Variable(w_init(shape=(d, units)))``).

The object is an ``Opaque`` of kind ``initializer``; the interpreter answers its call with
``initializer.__call__`` below.
"""

from __future__ import annotations

from ..domain.values import UNKNOWN, Const, Opaque, Value
from ._common import Call, to_dims, to_str
from .registry import op

_TF = ("random_normal_initializer", "random_uniform_initializer", "truncated_normal_initializer",
       "zeros_initializer", "ones_initializer", "constant_initializer",
       "glorot_uniform_initializer", "glorot_normal_initializer")
_KERAS = ("Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform", "TruncatedNormal",
          "GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal",
          "LecunUniform", "Orthogonal", "VarianceScaling", "zeros", "ones", "constant",
          "random_normal", "random_uniform", "truncated_normal", "glorot_uniform",
          "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform",
          "orthogonal")
_NAMES = frozenset(n.lower() for n in _KERAS)


@op(*(f"tf.{n}" for n in _TF), *(f"keras.initializers.{n}" for n in _KERAS),
    *(f"tf.initializers.{n}" for n in _KERAS))
def initializer(call: Call) -> Value:
    return Opaque("initializer")


@op("keras.initializers.get")
def get_initializer(call: Call) -> Value:
    """``keras.initializers.get("glorot_uniform")``: a known name builds an initializer."""
    name = to_str(call.arg(0, "identifier"))
    return Opaque("initializer") if name is not None and name.lower() in _NAMES else UNKNOWN


@op("initializer.__call__")
def initialize(call: Call) -> Value:
    dims = to_dims(call.arg(0, "shape"))
    if dims is None and isinstance(call.arg(0, "shape"), Const):
        return UNKNOWN
    return call.result(dims, call.dtype_arg(1, "dtype", "float32"), "initializer")
