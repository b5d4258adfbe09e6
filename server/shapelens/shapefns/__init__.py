"""The shape-function table: canonical qualified name → pure shape function.

Each op module registers its functions with ``@op("tf.reshape", "np.reshape", ...)`` under
every alias; ``lookup`` finds the function for a canonical name (``tnp.*`` falls back to the
NumPy function, as ``tf.experimental.numpy`` follows NumPy semantics).
"""

from __future__ import annotations

from collections.abc import Callable

from ._common import Call, ShapeError, ShapeFn

REGISTRY: dict[str, ShapeFn] = {}


def op(*names: str) -> Callable[[ShapeFn], ShapeFn]:
    def register(fn: ShapeFn) -> ShapeFn:
        for name in names:
            if name in REGISTRY:
                raise ValueError(f"shape function for {name} registered twice")
            REGISTRY[name] = fn
        return fn

    return register


def lookup(name: str) -> ShapeFn | None:
    fn = REGISTRY.get(name)
    if fn is None and name.startswith("tnp."):
        fn = REGISTRY.get("np." + name[4:])
    return fn


def _load() -> None:
    # Import for registration side effects.
    from . import (  # noqa: F401
        builtins_ops,
        keras_conv,
        keras_data,
        keras_core,
        keras_rnn,
        tf_array,
        tf_create,
        tf_image,
        tf_index,
        tf_losses,
        tf_math,
        tf_nn,
        tf_reduce,
    )
    from . import tf1, tf1_data, tf1_session  # noqa: F401  (after the TF2 rules: tf1 wraps some)


_load()

__all__ = ["REGISTRY", "Call", "ShapeError", "ShapeFn", "lookup", "op"]
