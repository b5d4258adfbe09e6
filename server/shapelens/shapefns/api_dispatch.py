"""``tf.experimental.dispatch_for_api(api, *signatures)``: a decorator that registers its
function as ``api``'s implementation for extension-type arguments (``@dispatch_for_api(tf.stack)
def stack(values: list[MaskedTensor], axis=0)``), 3 sites in ``bench/coverage.py``.

Its value is a plain Python function (the decorator), probed under TF 2.21
(``tests/unit/api_dispatch_cases.py``, run under TF by
``tests/oracle/test_api_dispatch_oracle.py``). Calling it gives a wrapper of the decorated
function, which the engine leaves unknown; as a decorator the engine keeps the decorated
function itself, which a direct call runs as it is. The API's own behaviour on tensors is
unchanged by the registration (the case table checks ``tf.stack`` of tensors after it), and
extension-type values are unknown to the engine, so nothing here can report anything.
"""

from __future__ import annotations

from ..domain.values import Opaque, Value
from ._common import Call
from .registry import op

DISPATCH_DECORATOR = "function (a dispatch_for_api decorator)"


@op("tf.experimental.dispatch_for_api")
def dispatch_for_api(call: Call) -> Value:
    """``dispatch_for_api(api, *signatures)``: the decorator (a Python function)."""
    return Opaque(DISPATCH_DECORATOR)


# The names of this module (all with a known non-tensor result): bench/coverage.py.
NON_TENSOR_NAMES = frozenset({"tf.experimental.dispatch_for_api"})
