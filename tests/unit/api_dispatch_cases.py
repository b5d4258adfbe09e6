"""Programs for ``shapefns/api_dispatch.py``, each binding ``probe``, with what the engine gives
(``tests/unit/test_api_dispatch.py``) and what TensorFlow 2.21 makes of the same program
(``tests/oracle/test_api_dispatch_oracle.py``). Written as in ``api_iterators_cases.py``."""

from __future__ import annotations

SETUP = "import numpy as np\nimport tensorflow as tf\nimport keras\n"
MASKED = ("class MaskedTensor(tf.experimental.ExtensionType):\n"
          "    values: tf.Tensor\n    mask: tf.Tensor\n")
STACK = (MASKED + "@tf.experimental.dispatch_for_api(tf.stack)\n"
         "def masked_stack(values: list[MaskedTensor], axis=0):\n"
         "    return MaskedTensor(tf.stack([v.values for v in values], axis),\n"
         "                        tf.stack([v.mask for v in values], axis))\n")

# (name, program, the engine's value, TensorFlow's value)
CASES: list[tuple[str, str, str, str]] = [
    ("dispatch_decorator", "probe = tf.experimental.dispatch_for_api(tf.stack)",
     "object function (a dispatch_for_api decorator)", "object builtins.function"),
    # the API on tensors is unchanged by the registration
    ("stack_of_tensors_after", STACK + "probe = tf.stack([tf.zeros([2, 3]), tf.ones([2, 3])])",
     "tensor float32 (2, 2, 3)", "tensor float32 (2, 2, 3)"),
]

# Programs TF runs where the engine must leave the value unknown.
UNKNOWN: list[tuple[str, str]] = [
    ("decorator_applied", MASKED + "d = tf.experimental.dispatch_for_api(tf.stack)\n"
     "def stack(values: list[MaskedTensor], axis=0):\n    return values[0]\nprobe = d(stack)"),
    ("decorated_called_directly", STACK + "m = MaskedTensor(tf.zeros([4]), tf.ones([4], tf.bool))\n"
     "probe = masked_stack([m, m]).values"),
]

# Programs TF runs where the engine must report nothing (tf.stack of extension-type values
# runs the registered function; the engine's own tf.stack gives a tensor of unknown shape and
# dtype there, which claims nothing about dims).
SILENT: list[tuple[str, str]] = [
    ("dispatched_stack", STACK + "m = MaskedTensor(tf.zeros([4]), tf.ones([4], tf.bool))\n"
     "probe = tf.stack([m, m]).values"),
]
