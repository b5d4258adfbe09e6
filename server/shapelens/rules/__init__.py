"""The rule catalogue and its documentation pages."""

from .catalogue import BY_CODE, DOCS_BASE_URL, RULES, FixAvailability, Rule, Severity, get

__all__ = ["BY_CODE", "DOCS_BASE_URL", "RULES", "FixAvailability", "Rule", "Severity", "get"]
