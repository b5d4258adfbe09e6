"""Qualified names: every import style maps to one canonical name per library object.

``tensorflow.keras.layers.Dense``, ``tf.keras.layers.Dense`` and ``keras.layers.Dense`` are all
``keras.layers.Dense``; ``tensorflow.reshape`` is ``tf.reshape``; ``numpy.zeros`` is
``np.zeros``. The shape-function table is keyed by these canonical names.
"""

from __future__ import annotations

# Longest prefix first.
_PREFIXES: tuple[tuple[str, str], ...] = (
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
            return short + name[len(prefix):]
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
}
