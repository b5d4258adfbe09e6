"""The shape-function table: canonical qualified name → pure shape function.

Each op module registers its functions with ``@op("tf.reshape", "np.reshape", ...)`` under
every alias; ``lookup`` finds the function for a canonical name (``tnp.*`` falls back to the
NumPy function, as ``tf.experimental.numpy`` follows NumPy semantics). The table lives in
``registry`` (op modules import ``op`` from there, not from this package, which imports
them); ``_load`` imports every op module, so the table is complete once the package is.
"""

from __future__ import annotations

from ._common import Call, ShapeError, ShapeFn
from .registry import REGISTRY, lookup, op


def _load() -> None:
    # Import for registration side effects.
    from . import (  # noqa: F401
        api_calls_extra,
        api_calls_more,
        api_dispatch,
        api_features,
        api_handles,
        api_iterators,
        api_layers_math,
        api_numeric,
        api_objects,
        api_tensors,
        api_tensors_more,
        api_values_more,
        builtins_ops,
        keras_applications,
        keras_backend,
        keras_cells,
        keras_conv,
        keras_core,
        keras_data,
        keras_lookup,
        keras_metrics,
        keras_rnn,
        np_extra,
        np_more,
        np_random,
        sklearn_ops,
        tf_array,
        tf_create,
        tf_data,
        tf_data_sources,
        tf_data_windows,
        tf_image,
        tf_image_more,
        tf_index,
        tf_init,
        tf_join,
        tf_linalg,
        tf_linalg_ops,
        tf_losses,
        tf_math,
        tf_misc,
        tf_nn,
        tf_objects,
        tf_ragged,
        tf_ragged_math,
        tf_ragged_ops,
        tf_reduce,
        tf_shape,
        tf_signal_strings,
        tf_sparse,
        tf_tensorarray,
        tf_variables,
    )
    # isort: split
    # after the TF2 rules: tf1 wraps some of them
    from . import tf1, tf1_data, tf1_session  # noqa: F401


_load()

__all__ = ["REGISTRY", "Call", "ShapeError", "ShapeFn", "lookup", "op"]
