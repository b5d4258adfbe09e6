"""Names real code uses that TF 2.21, Keras 3 and NumPy 2 do not have, for ``bench/coverage.py``.

Two classes, never counted as resolved, so that the table of what is left to cover lists only
real APIs: ``absent`` (the name is not in TF 2.21 / Keras 3 / NumPy 2 as spelled: the program
raises AttributeError there; ``tf.estimator`` was removed in TF 2.16, ``np.float`` in NumPy
1.24, ``tf.layers`` and ``DeterministicRandomTestTool`` went with Keras 2) and ``tf1`` (a TF1
API that TF 2.21 keeps only as ``tf.compat.v1.X``, spelled so: issue 19's). A method is
``absent`` on a receiver of a known kind that lacks it (a Keras 3 metric has
``reset_state()``, not ``reset_states()``).

Every entry is checked against the installed TF 2.21 / Keras 3 / NumPy 2 by
``tests/oracle/test_coverage_absent_oracle.py``, so that the lists cannot rot.
"""

from __future__ import annotations

import ast

# Canonical names (``domain/names.canonical``) absent under every spelling: ``tf.X`` and
# ``tf.compat.v1.X`` for a ``tf.*`` name; ``keras.X``, ``tf.keras.X`` and
# ``tf.compat.v1.keras.X`` for a ``keras.*`` name; ``np.X`` for a NumPy name. A name ending in
# ``.`` is a namespace: everything under it is absent.
ABSENT: dict[str, str] = {
    "tf.estimator.": "tf.estimator was removed in TF 2.16",
    "tf.layers.": "tf.layers (and tf.compat.v1.layers' classes) went with Keras 2",
    "keras.layers.DenseFeatures": "a Keras 2 layer (feature columns), not in Keras 3",
    "keras.utils.DeterministicRandomTestTool": "a Keras 2 (tf_keras) utility",
    "keras.utils.track_tf1_style_variables": "a Keras 2 (tf_keras) utility",
    "keras.utils.generic_utils.": "a Keras 2 private module",
    "keras.backend.Variable": "Keras 3 has keras.Variable, not keras.backend.Variable",
    "np.float": "removed in NumPy 1.24 (use float or np.float64)",
    "np.int": "removed in NumPy 1.24 (use int or np.int64)",
}

# TF1 APIs that TF 2.21 has only under ``tf.compat.v1``: ``tf1`` when spelled through
# ``compat.v1``, ``absent`` when spelled ``tf.X`` (TF 2.21 raises AttributeError).
TF1_ONLY: frozenset[str] = frozenset({
    "tf.get_collection", "tf.GraphKeys.", "tf.global_variables", "tf.ConfigProto",
    "tf.losses.mean_squared_error", "tf.losses.sigmoid_cross_entropy",
    "tf.saved_model.simple_save", "tf.scatter_update", "tf.sparse_placeholder",
    "tf.train.get_global_step", "tf.train.get_or_create_global_step",
})

# Names absent only as spelled through the standalone ``keras`` package (``import keras``,
# ``from keras.preprocessing import image``): TF 2.21's ``tf.keras`` is Keras 3's legacy
# namespace and keeps them (``tf.keras.preprocessing.image.ImageDataGenerator`` works).
KERAS_PACKAGE_ABSENT: dict[str, str] = {
    "keras.preprocessing.image.ImageDataGenerator":
        "Keras 3 has it only as tf.keras.preprocessing.image.ImageDataGenerator",
}


# Methods a receiver of a known kind does not have (``bench/coverage_scope.py`` finds the
# kind: a name bound only to calls of one library constructor): kind prefix → methods.
ABSENT_METHODS: dict[str, dict[str, str]] = {
    "keras.metrics.": {
        "reset_states": "Keras 3 metrics have reset_state(), not reset_states()",
    },
}


def _listed(name: str, table: dict[str, str] | frozenset[str]) -> str | None:
    """The entry of ``table`` that covers ``name`` (itself or a namespace above it)."""
    if name in table:
        return name
    return next((k for k in table if k.endswith(".") and (name + ".").startswith(k)), None)


def absence(name: str, compat_v1: bool) -> str:
    """``absent``, ``tf1`` or "" for a canonical name spelled through ``tf.compat.v1``
    (``compat_v1``) or not."""
    if _listed(name, ABSENT) is not None:
        return "absent"
    if _listed(name, TF1_ONLY) is not None:
        return "tf1" if compat_v1 else "absent"
    return ""


def absent_method(kind: str, method: str) -> str:
    """Why a receiver made by the library constructor ``kind`` lacks ``method`` ("" if it
    may have it)."""
    for prefix, methods in ABSENT_METHODS.items():
        if kind.startswith(prefix) and method in methods:
            return methods[method]
    return ""


def compat_v1_names(tree: ast.AST) -> set[str]:
    """Local names the file imports through ``tensorflow.compat.v1`` (``import
    tensorflow.compat.v1 as tf``, ``from tensorflow.compat.v1 import keras``): a TF1 name
    spelled through them exists in TF 2.21 as ``tf.compat.v1.X``."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.asname for a in node.names
                      if a.asname and ".compat.v1" in f"{a.name}."}
        elif isinstance(node, ast.ImportFrom) and not node.level and \
                ".compat.v1" in f"{node.module}.":
            found |= {a.asname or a.name for a in node.names}
    return found


def via_v1(node: ast.expr, v1: set[str]) -> bool:
    """Whether a library name is spelled through ``compat.v1`` (``tf.compat.v1.X`` or an
    alias of it)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    spelled = ".".join(reversed(parts))
    return (isinstance(node, ast.Name) and node.id in v1) or \
        f".{spelled}.".find(".compat.v1.") >= 0


def keras_package_names(tree: ast.AST) -> set[str]:
    """Local names the file imports from the standalone ``keras`` package (``import keras``,
    ``from keras.preprocessing import image``), not through ``tensorflow``."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.asname or "keras" for a in node.names
                      if a.name.split(".")[0] == "keras"}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module and \
                node.module.split(".")[0] == "keras":
            found |= {a.asname or a.name for a in node.names}
    return found


def spelled_absence(name: str, node: ast.expr, v1: set[str], package: set[str]) -> str:
    """``absence`` of a name at one spelling: also ``absent`` for a name that only the
    standalone ``keras`` package lacks, spelled through it."""
    found = absence(name, via_v1(node, v1))
    if found or name not in KERAS_PACKAGE_ABSENT:
        return found
    start = node
    while isinstance(start, ast.Attribute):
        start = start.value
    return "absent" if isinstance(start, ast.Name) and start.id in package else ""


def spellings(tree: ast.AST) -> tuple[set[str], set[str]]:
    """(names imported through ``compat.v1``, names imported from the standalone ``keras``
    package): what ``spelled_absence`` needs of a file."""
    return compat_v1_names(tree), keras_package_names(tree)
