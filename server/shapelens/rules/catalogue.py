"""The rule catalogue: every diagnostic ShapeLens can emit, with a stable code.

Codes are grouped like ruff's: ``SL1xx`` tensor ops (``rules.ops``), ``SL2xx`` Keras layers
and models (``rules.keras``), ``SL3xx`` GradientTape (``rules.tape``), ``SL9xx`` analyzer
limits (``rules.limits``). A code is never reused once retired.

Each rule also records the TensorFlow errors it predicts (``tf_errors``: exception class
names and a regular expression over the message). The oracle tests use them to check that
the error TensorFlow really raises is the one the rule promised, so the catalogue is the
single place where a rule's meaning is written down.
"""

from __future__ import annotations

from .keras import KERAS
from .limits import LIMITS
from .ops import TENSOR_OPS
from .rule import DOCS_BASE_URL, FixAvailability, Rule, Severity
from .tape import TAPE

RULES: tuple[Rule, ...] = (*TENSOR_OPS, *KERAS, *TAPE, *LIMITS)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def get(code: str) -> Rule:
    """Return the rule for ``code``; raises KeyError for unknown codes."""
    return BY_CODE[code]


__all__ = ["BY_CODE", "DOCS_BASE_URL", "RULES", "FixAvailability", "Rule", "Severity", "get"]
