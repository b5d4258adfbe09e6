"""What a rule is: the ``Rule`` record, its ``Severity`` and ``FixAvailability``.

The rules themselves are written in one module per code group (``ops``, ``keras``,
``tape``, ``limits``) and gathered by ``catalogue``. The ``IAE``/``VE`` tuples name the
TensorFlow exception classes a rule's ``tf_errors`` promise.
"""

from __future__ import annotations

from enum import Enum

from ..structs import Frozen

DOCS_BASE_URL = "https://github.com/shapelens/shapelens/blob/main/docs/rules/"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


class FixAvailability(str, Enum):
    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


class Rule(Frozen):
    """One rule of the catalogue: code, name, one-line summary, severity and fix."""

    __slots__ = ("code", "name", "summary", "severity", "fix", "tf_errors", "silent_outcome")

    def __init__(self, code: str, name: str, summary: str,
                 severity: Severity = Severity.ERROR, fix: FixAvailability = FixAvailability.NEVER,
                 tf_errors: tuple[tuple[tuple[str, ...], str], ...] = (),
                 silent_outcome: str = "") -> None:
        self.code = code
        self.name = name
        self.summary = summary
        self.severity = severity
        self.fix = fix
        # (exception class names, message regex) pairs TensorFlow raises for this rule.
        self.tf_errors = tf_errors
        # What happens at run time when nothing is raised: "none-gradient" (tape.gradient
        # returns None at the flagged line), "wrong-gradient" (a silently wrong value),
        # "constant-result" (an op whose result is proven constant, e.g. argmax over an axis
        # of size 1), "" otherwise.
        self.silent_outcome = silent_outcome

    @property
    def url(self) -> str:
        return f"{DOCS_BASE_URL}{self.code}.md"


IAE = ("InvalidArgumentError",)
VE = ("ValueError",)
IAE_VE = ("InvalidArgumentError", "ValueError")
