"""Output formats of ``shapelens check``: ruff-style text, JSON and SARIF 2.1.0."""

from __future__ import annotations

from . import __version__
from .core.results import Finding
from .rules.catalogue import BY_CODE, RULES
from .structs import Frozen


class FileFinding(Frozen):
    """A finding with the path of its file, as the reports list them."""

    __slots__ = ("path", "finding")

    def __init__(self, path: str, finding: Finding) -> None:
        self.path = path
        self.finding = finding

    def to_json(self) -> dict[str, object]:
        f = self.finding
        return {
            "path": self.path,
            "line": f.span.line,
            "column": f.span.col + 1,
            "end_line": f.span.end_line,
            "end_column": f.span.end_col + 1,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "fixable": f.fixable,
            **({"cell": f.cell} if f.cell is not None else {}),
        }


def text(results: list[FileFinding]) -> str:
    """One line per finding (``--format concise``), then the summary."""
    return "\n".join([*(location(r) + f" {r.finding.code} [{r.finding.severity}] "
                         f"{r.finding.message}" for r in results), summary(results)])


def location(result: FileFinding) -> str:
    """``path:line:col:`` (``path:cell N:line:col:`` in a notebook), 1-based as editors and
    terminals expect."""
    f = result.finding
    return f"{result.path}:{_cell(f)}{f.span.line}:{f.span.col + 1}:"


def summary(results: list[FileFinding]) -> str:
    """The closing line of the text reports (the same whatever the text format)."""
    count = len(results)
    if not count:
        return "All checks passed!"
    fixable = sum(1 for r in results if r.finding.fixable)
    line = f"Found {count} problem{'s' if count != 1 else ''}."
    return line + (f" ({fixable} fixable in the editor.)" if fixable else "")


def _cell(finding: Finding) -> str:
    return f"cell {finding.cell}:" if finding.cell is not None else ""


def as_json(results: list[FileFinding]) -> str:
    import json

    return json.dumps([r.to_json() for r in results], indent=2)


_SARIF_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def sarif(results: list[FileFinding]) -> str:
    import json

    used = sorted({r.finding.code for r in results})
    rules = [rule for rule in RULES if rule.code in used] or list(RULES)
    index = {rule.code: i for i, rule in enumerate(rules)}
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "shapelens",
                "version": __version__,
                "informationUri": "https://github.com/shapelens/shapelens",
                "rules": [{
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "helpUri": rule.url,
                    "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity.value]},
                } for rule in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": [{
                "ruleId": r.finding.code,
                "ruleIndex": index.get(r.finding.code, 0),
                "level": _SARIF_LEVEL[r.finding.severity],
                "message": {"text": r.finding.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": r.path.replace("\\", "/")},
                    "region": {
                        "startLine": r.finding.span.line,
                        "startColumn": r.finding.span.col + 1,
                        "endLine": r.finding.span.end_line,
                        "endColumn": r.finding.span.end_col + 1,
                    },
                }}],
            } for r in results if r.finding.code in BY_CODE],
        }],
    }
    return json.dumps(doc, indent=2)
