"""Qualified names: every import style maps to one canonical name per library object.

``tensorflow.keras.layers.Dense``, ``tf.keras.layers.Dense`` and ``keras.layers.Dense`` are all
``keras.layers.Dense``; ``tensorflow.reshape`` is ``tf.reshape``; ``numpy.zeros`` is
``np.zeros``. The shape-function table is keyed by these canonical names.
"""

from __future__ import annotations

# Longest prefix first. ``tf.compat.v1.X`` is ``tf.X``: TF1 code runs under TF 2.21 as
# ``import tensorflow.compat.v1 as tf``, and both spellings name one function. The Keras that
# TF 1.x re-exported under ``tf.contrib.keras`` is Keras; the rest of ``tf.contrib`` is gone
# from TF 2.x and stays unknown.
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("tensorflow.contrib.keras.api.keras", "keras"),
    ("tf.contrib.keras.api.keras", "keras"),
    ("tensorflow.contrib.keras", "keras"),
    ("tf.contrib.keras", "keras"),
    ("tensorflow.compat.v1", "tf"),
    ("tf.compat.v1", "tf"),
    ("tensorflow.compat.v2", "tf"),  # the TF2 API itself
    ("tf.compat.v2", "tf"),
    ("tensorflow.experimental.numpy", "tnp"),
    ("tf.experimental.numpy", "tnp"),
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("tf.keras", "keras"),
    ("tf_keras", "keras"),
    ("tensorflow", "tf"),
    ("numpy", "np"),
)

DTYPES = frozenset(
    {
        "float16", "bfloat16", "float32", "float64", "half", "double",
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "bool", "bool_", "complex64", "complex128", "string", "float_", "int_",
    }
)

_DTYPE_ALIASES = {"half": "float16", "double": "float64", "bool_": "bool", "float_": "float64",
                  "int_": "int64"}


def canonical(name: str) -> str:
    for prefix, short in _PREFIXES:
        if name == prefix or name.startswith(prefix + "."):
            rest = short + name[len(prefix):]
            # tensorflow.compat.v1.keras.layers -> tf.keras.layers -> keras.layers
            return canonical(rest) if rest != name and short == "tf" else rest
    return name


def dtype_from_name(qualname: str) -> str | None:
    """``tf.float32`` / ``np.int64`` / ``tnp.float32`` → ``"float32"``; None otherwise."""
    root, _, leaf = qualname.rpartition(".")
    if root in ("tf", "np", "tnp", "keras", "tf.dtypes") and leaf in DTYPES:
        return _DTYPE_ALIASES.get(leaf, leaf)
    return None


def dtype_from_string(text: str) -> str | None:
    return _DTYPE_ALIASES.get(text, text) if text in DTYPES else None


PY_CONSTANTS = {
    "np.pi": 3.141592653589793, "np.e": 2.718281828459045, "np.inf": float("inf"),
    "np.nan": float("nan"), "math.pi": 3.141592653589793, "math.e": 2.718281828459045,
    "math.inf": float("inf"), "math.tau": 6.283185307179586, "tnp.pi": 3.141592653589793,
    "tf.data.AUTOTUNE": -1, "tf.data.experimental.AUTOTUNE": -1,
}
