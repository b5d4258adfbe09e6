"""TensorFlow objects and helpers seen in the official guides: ``tf.random.Generator`` and its
sampling methods, the per-replica loss helpers of ``tf.nn`` and, under
``tnp.experimental_enable_numpy_behavior()``, the NumPy methods TF tensors then gain
(``x.reshape(2, 3)``, ``x.astype(tnp.float32)``, ``x.T``...).

Each result was checked against TF 2.21; anything else stays unknown.
"""

from __future__ import annotations

from ..domain.names import dtype_from_string
from ..domain.values import NONE, UNKNOWN, Const, DType, Opaque, Tensor, Value
from ..structs import replace
from ._common import Call, to_dims
from .registry import REGISTRY, op

GENERATOR = "tf.random.Generator"


@op("tf.random.Generator.from_seed", "tf.random.Generator.from_non_deterministic_state",
    "tf.random.Generator.from_state", "tf.random.get_global_generator",
    "tf.random.experimental.Generator.from_seed", "tf.random.experimental.get_global_generator",
    "tf.random.Generator")
def generator(call: Call) -> Value:
    """A ``tf.random.Generator``: its methods are the ``tf.random.Generator.*`` entries."""
    return Opaque(GENERATOR)


def _methods(*names: str) -> tuple[str, ...]:
    return tuple(f"{GENERATOR}.{n}" for n in names)


# shape, then the distribution's parameters, then dtype (TF 2.21 signatures)
_DTYPE_AT = {"normal": 3, "truncated_normal": 3, "uniform": 3, "uniform_full_int": 1,
             "binomial": 3}
_DEFAULT = {"normal": "float32", "truncated_normal": "float32", "uniform": "float32",
            "uniform_full_int": "uint64", "binomial": "int32"}


@op(*_methods(*_DTYPE_AT))
def generator_sample(call: Call) -> Value:
    """``g.normal(shape)``, ``g.uniform(shape, maxval=5, dtype=tf.int32)``...: ``shape``."""
    method = call.name.rsplit(".", 1)[-1]
    dtype = call.dtype_arg(_DTYPE_AT[method], "dtype", _DEFAULT[method])
    return call.result(to_dims(call.arg(0, "shape")), dtype, call.name)


@op(*_methods("make_seeds"))
def make_seeds(call: Call) -> Value:
    """``g.make_seeds(count=1)``: a ``[2, count]`` int64 tensor."""
    count = to_dims(call.arg(0, "count")) if call.has(0, "count") else (1,)
    n = count[0] if count is not None and len(count) == 1 else None
    return call.result((2, n), "int64", call.name)


@op("tf.nn.compute_average_loss", "tf.nn.scale_regularization_loss")
def replica_loss(call: Call) -> Value:
    """The per-replica loss helpers sum whatever they are given over every axis and divide
    it: a scalar, of the losses' dtype (unknown when the losses are)."""
    t = call.tensor(0, "per_example_loss" if "average" in call.name else "regularization_loss")
    return call.result((), None if t is None else t.dtype, call.name)


_NUMPY_METHODS = ("reshape", "astype", "transpose", "ravel", "flatten")


@op(*(f"Tensor.{m}" for m in _NUMPY_METHODS))
def numpy_behaviour_method(call: Call) -> Value:
    """A NumPy method of a TF tensor, which exists only under NumPy behaviour (else TF
    raises AttributeError, no shape error): the ``ndarray`` method's shape, as a tensor."""
    t = call.tensor(0, None)
    if not call.promote or t is None or t.kind not in ("tensor", "variable"):
        return UNKNOWN
    fn = REGISTRY.get("ndarray." + call.name.rsplit(".", 1)[-1])
    if fn is None:
        return UNKNOWN
    out = fn(Call(call.name, call.args, call.kwargs, False, call.promote))
    return replace(out, kind="tensor") if isinstance(out, Tensor) else UNKNOWN


@op("tf.as_dtype", "tf.dtypes.as_dtype")
def as_dtype(call: Call) -> Value:
    """``tf.as_dtype(tf.float32)`` / ``tf.as_dtype("int64")``: that dtype (a Python type or a
    NumPy one is left unknown: TF's mapping of those is not modelled)."""
    v = call.arg(0, "type_value")
    name = v.name if isinstance(v, DType) else \
        dtype_from_string(v.value) if isinstance(v, Const) and isinstance(v.value, str) else None
    return DType(name) if name is not None else UNKNOWN


@op("np.testing.assert_allclose", "np.testing.assert_array_equal", "np.testing.assert_equal",
    "np.testing.assert_array_almost_equal", "np.testing.assert_almost_equal")
def assertion(call: Call) -> Value:
    """NumPy's test assertions return None (they raise AssertionError, no shape error)."""
    return NONE
