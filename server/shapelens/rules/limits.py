"""The catalogue's ``SL9xx`` rules: the analyser's own limits (files that do not parse
or cannot be read, an analysis that failed)."""

from __future__ import annotations

from .rule import Rule, Severity

LIMITS: tuple[Rule, ...] = (
    Rule(
        "SL901",
        "syntax-error",
        "The file does not parse; statements that still parse are analysed.",
        severity=Severity.ERROR,
    ),
    Rule(
        "SL902",
        "file-too-large",
        "The file is larger than the analysis limit and was not analysed.",
        severity=Severity.INFORMATION,
    ),
    Rule(
        "SL903",
        "analysis-limit",
        "Part of the file was not analysed: an expression nested too deeply, or the time "
        "budget ran out; results there are unknown.",
        severity=Severity.INFORMATION,
    ),
    Rule(
        "SL904",
        "unreadable-file",
        "The file could not be decoded as Python source text.",
        severity=Severity.ERROR,
    ),
)
