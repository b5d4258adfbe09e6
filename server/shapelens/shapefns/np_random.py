"""``np.random``: the legacy functions (``rand``, ``randn``, ``randint``, ``normal``,
``choice``, ``permutation``, ``shuffle``...) and the ``Generator`` of ``default_rng()`` with
its methods (``integers``, ``normal``, ``uniform``, ``random``, ``choice``, ``permutation``,
``shuffle``...).

A sample's shape is ``size`` when given, else the broadcast shape of the distribution's
parameters. Without ``size`` and with scalar parameters NumPy returns a *Python* ``float`` or
``int`` (not a 0-d array), which TensorFlow converts to float32/int32: such results are left
unknown rather than guessed as float64 arrays. ``default_rng()`` and ``RandomState()`` give an
``Opaque`` object whose methods are the functions registered here under
``np.random.Generator.<method>`` / ``np.random.RandomState.<method>``.
"""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast
from ..domain.values import NONE, UNKNOWN, Const, Opaque, Value
from ._common import Call, to_dim, to_dims, to_int, to_tensor
from .registry import op

GENERATOR = "np.random.Generator"
RANDOM_STATE = "np.random.RandomState"


def _both(*methods: str) -> tuple[str, ...]:
    """A legacy function's names: ``np.random.f`` and ``RandomState().f``."""
    return tuple(n for m in methods for n in (f"np.random.{m}", f"{RANDOM_STATE}.{m}"))


def _generator(*methods: str) -> tuple[str, ...]:
    return tuple(f"{GENERATOR}.{m}" for m in methods)


@op("np.random.default_rng")
def default_rng(call: Call) -> Value:
    return Opaque(GENERATOR)


@op("np.random.RandomState")
def random_state(call: Call) -> Value:
    return Opaque(RANDOM_STATE)


@op(*_both("seed", "shuffle"), *_generator("shuffle"))
def returns_none(call: Call) -> Value:
    """``seed`` and the in-place ``shuffle`` return None."""
    return NONE


def _sample(call: Call, size_at: int | None, params: tuple[tuple[int, str], ...],
            dtype: str | None, scalar_is_array: bool = False) -> Value:
    """``size`` when given; else the broadcast of the parameters' shapes. A scalar result
    is a Python number (unknown) unless ``scalar_is_array`` (a NumPy scalar)."""
    size = call.arg(size_at, "size")
    if call.has(size_at, "size") and not (isinstance(size, Const) and size.value is None):
        return call.result(to_dims(size), dtype, call.name)
    shape: tuple[Dim, ...] | None = ()
    for pos, name in params:
        if not call.has(pos, name):
            continue
        t = to_tensor(call.arg(pos, name), numpy=True)
        if t is None or t.shape is None:
            return UNKNOWN
        shape, ok = broadcast(shape, t.shape)
        if not ok or shape is None:
            return UNKNOWN
    if shape == () and not scalar_is_array:
        return UNKNOWN
    return call.result(shape, dtype, call.name)


@op(*_both("rand", "randn"))
def rand(call: Call) -> Value:
    if not call.args:
        return UNKNOWN  # a Python float
    return call.result(tuple(to_dim(a) for a in call.args), "float64", call.name)


@op(*_both("random", "random_sample", "ranf", "sample", "standard_normal"))
def legacy_unit(call: Call) -> Value:
    return _sample(call, 0, (), "float64")


_FLOAT_PARAMS: dict[str, tuple[tuple[int, str], ...]] = {
    "normal": ((0, "loc"), (1, "scale")), "uniform": ((0, "low"), (1, "high")),
    "exponential": ((0, "scale"),), "beta": ((0, "a"), (1, "b")),
    "gamma": ((0, "shape"), (1, "scale")), "laplace": ((0, "loc"), (1, "scale")),
    "logistic": ((0, "loc"), (1, "scale")), "lognormal": ((0, "mean"), (1, "sigma")),
}
_INT_PARAMS: dict[str, tuple[tuple[int, str], ...]] = {
    "binomial": ((0, "n"), (1, "p")), "poisson": ((0, "lam"),),
}


@op(*_both(*_FLOAT_PARAMS), *_generator(*_FLOAT_PARAMS))
def float_distribution(call: Call) -> Value:
    params = _FLOAT_PARAMS[call.name.rsplit(".", 1)[-1]]
    return _sample(call, len(params), params, "float64")


@op(*_both(*_INT_PARAMS), *_generator(*_INT_PARAMS))
def int_distribution(call: Call) -> Value:
    params = _INT_PARAMS[call.name.rsplit(".", 1)[-1]]
    return _sample(call, len(params), params, "int64")


@op(*_both("randint"), *_generator("integers"))
def integers(call: Call) -> Value:
    """``randint``/``integers(low, high=None, size=None, dtype=int64)``: a Generator's
    scalar is a NumPy int64, the legacy one a Python int."""
    dtype = call.dtype_arg(3, "dtype", "int64")
    generator = call.name.startswith(GENERATOR)
    return _sample(call, 2, ((0, "low"), (1, "high")), dtype, scalar_is_array=generator)


@op(*_generator("random", "standard_normal"))
def generator_unit(call: Call) -> Value:
    return _sample(call, 0, (), call.dtype_arg(1, "dtype", "float64"))


@op(*_both("multinomial"), *_generator("multinomial"))
def multinomial(call: Call) -> Value:
    pvals = to_tensor(call.arg(1, "pvals"), numpy=True)
    k: Dim = pvals.shape[-1] if pvals is not None and pvals.shape else None
    size = call.arg(2, "size")
    dims = () if not call.has(2, "size") or size == NONE else to_dims(size)
    return call.result(None if dims is None else (*dims, k), "int64", call.name)


@op(*_both("dirichlet"), *_generator("dirichlet"))
def dirichlet(call: Call) -> Value:
    alpha = to_tensor(call.arg(0, "alpha"), numpy=True)
    k: Dim = alpha.shape[-1] if alpha is not None and alpha.shape else None
    size = call.arg(1, "size")
    dims = () if not call.has(1, "size") or size == NONE else to_dims(size)
    return call.result(None if dims is None else (*dims, k), "float64", call.name)


@op(*_both("choice"), *_generator("choice"))
def choice(call: Call) -> Value:
    """Samples of ``a`` (an int n: ``arange(n)``): ``size`` of them; a Generator takes
    them along ``axis`` of a multi-dimensional ``a``."""
    a = call.arg(0, "a")
    n = to_int(a)
    generator = call.name.startswith(GENERATOR)
    t = None if n is not None else to_tensor(a, numpy=True)
    if n is None and (t is None or t.shape is None):
        return UNKNOWN
    size = call.arg(1, "size")
    given = call.has(1, "size") and size != NONE
    dims = to_dims(size) if given else ()
    if dims is None:
        return call.result(None, "int64" if n is not None else t.dtype if t else None,
                           call.name)
    if n is not None or t is None or t.shape is None:
        if not given and not generator:
            return UNKNOWN  # a Python int
        return call.result(dims, "int64", call.name)
    axis = to_int(call.arg(4, "axis")) if generator and call.has(4, "axis") else 0
    rank = len(t.shape)
    if axis is None or not -rank <= axis < rank or (rank != 1 and not generator):
        return UNKNOWN  # NumPy raises, or an axis the engine cannot read
    axis %= rank
    return call.result((*t.shape[:axis], *dims, *t.shape[axis + 1:]), t.dtype, call.name)


@op(*_both("permutation"), *_generator("permutation", "permuted"))
def permutation(call: Call) -> Value:
    x = call.arg(0, "x")
    n = to_int(x)
    if n is not None and call.name.rsplit(".", 1)[-1] == "permutation":
        return call.result((n,), "int64", call.name)
    t = to_tensor(x, numpy=True)
    if t is None:
        return UNKNOWN
    return call.result(t.shape, t.dtype, call.name)
