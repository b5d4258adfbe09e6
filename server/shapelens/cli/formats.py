"""Reports for CI systems and other tools: GitHub Actions workflow commands, GitLab Code
Quality, JUnit XML, pylint's line format, JSON Lines, and ``--statistics``.

Positions are 1-based; end columns are exclusive, as in the JSON and SARIF reports. A
notebook's positions are cells and in-cell lines, which no CI system can place on the
``.ipynb`` file (its lines are JSON): there the annotation goes on the file and the text
says the cell and line, as ruff does with its notebook fallback.
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..report import FileFinding

# GitHub's annotation levels: information and hints become notices.
GITHUB_LEVEL = {"error": "error", "warning": "warning", "information": "notice",
                "hint": "notice"}
# Code Quality severities: info, minor, major, critical, blocker.
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "information": "info", "hint": "info"}


def github_data(text: str) -> str:
    """Escape a workflow command's message (the runner decodes %25, %0D and %0A)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a workflow command's property value: also ``:`` and ``,``, which would end
    the property list or the property."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def _in_cell(result: FileFinding) -> str:
    f = result.finding
    return f"cell {f.cell}, line {f.span.line}, column {f.span.col + 1}: " \
        if f.cell is not None else ""


def github(results: list[FileFinding]) -> str:
    """One ``::error``/``::warning``/``::notice`` workflow command per finding."""
    lines = []
    for r in results:
        f = r.finding
        props = [("file", r.path.replace("\\", "/"))]
        if f.cell is None:
            props += [("line", str(f.span.line)), ("col", str(f.span.col + 1)),
                      ("endLine", str(f.span.end_line)), ("endColumn", str(f.span.end_col + 1))]
        props.append(("title", f.code))
        joined = ",".join(f"{k}={github_property(v)}" for k, v in props)
        lines.append(f"::{GITHUB_LEVEL.get(f.severity, 'error')} {joined}::"
                     f"{github_data(_in_cell(r) + f.message)}")
    return "\n".join(lines)


def _project_path(path: str) -> str:
    """``path`` relative to the project (``CI_PROJECT_DIR`` in GitLab CI, else the current
    folder) with ``/`` separators, as Code Quality matches it against the repository."""
    root = os.environ.get("CI_PROJECT_DIR") or os.getcwd()
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, os.path.abspath(root))
    except ValueError:  # another drive (Windows)
        relative = absolute
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        relative = absolute
    return relative.replace("\\", "/")


def gitlab(results: list[FileFinding]) -> str:
    """A Code Quality report: a JSON array of issues. The fingerprint hashes the path, code
    and message (not the line: an issue keeps its identity when code above it moves), made
    unique among equal findings by their order."""
    import hashlib

    seen: dict[str, int] = {}
    issues = []
    for r in results:
        f = r.finding
        path = _project_path(r.path)
        key = "\0".join((path, f.code, f.message))
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()
        begin = {"line": 1, "column": 1} if f.cell is not None else \
            {"line": f.span.line, "column": f.span.col + 1}
        end = begin if f.cell is not None else \
            {"line": f.span.end_line, "column": f.span.end_col + 1}
        issues.append({
            "description": f"{f.code}: {_in_cell(r)}{f.message}",
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITY.get(f.severity, "major"),
            "location": {"path": path, "positions": {"begin": begin, "end": end}},
        })
    return json.dumps(issues, indent=2)


def _xml_text(text: str) -> str:
    """Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates) become
    U+FFFD."""
    return "".join(ch if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) < 0xE000
                                            and ch not in "\ufffe\uffff")
                   else "\ufffd" for ch in text)


def junit(results: list[FileFinding], files: list[str]) -> str:
    """JUnit XML: a test suite per checked file, a failing test case per error or warning
    (an information finding is a passing case that says it), a passing case for a clean file."""
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[FileFinding]] = {name: [] for name in files}
    for r in results:
        by_file.setdefault(r.path, []).append(r)
    failing = sum(1 for r in results if r.finding.severity in ("error", "warning"))
    root = ET.Element("testsuites", name="shapelens", tests=str(sum(
        max(1, len(found)) for found in by_file.values())), failures=str(failing), errors="0")
    for path, found in by_file.items():
        failures = [r for r in found if r.finding.severity in ("error", "warning")]
        suite = ET.SubElement(root, "testsuite", name=_xml_text(path), tests=str(
            max(1, len(found))), failures=str(len(failures)), errors="0", skipped="0")
        if not found:
            ET.SubElement(suite, "testcase", name="shapelens", classname=_xml_text(path))
        for r in found:
            f = r.finding
            where = f"cell {f.cell}, " if f.cell is not None else ""
            case = ET.SubElement(suite, "testcase", name=f"shapelens.{f.code}",
                                 classname=_xml_text(path), file=_xml_text(path),
                                 line=str(f.span.line), column=str(f.span.col + 1))
            text = _xml_text(f"{where}line {f.span.line}, col {f.span.col + 1}, {f.message}")
            if f.severity in ("error", "warning"):
                failure = ET.SubElement(case, "failure", message=_xml_text(f.message),
                                        type=f.severity)
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def pylint(results: list[FileFinding]) -> str:
    """``path:line: [CODE] message``, the line format pylint's parsers read."""
    return "\n".join(f"{r.path}:{r.finding.span.line}: [{r.finding.code}] {_in_cell(r)}"
                     f"{r.finding.message}" for r in results)


def json_lines(results: list[FileFinding]) -> str:
    """The JSON report's objects, one per line (streams, ``jq -c``)."""
    return "\n".join(json.dumps(r.to_json()) for r in results)


def statistics(results: list[FileFinding], as_json: bool) -> str:
    """Counts per rule, most frequent first: ``count  code  [*] name`` where ``[*]`` marks
    a rule whose findings all carry a fix (``[-]`` some, ``[ ]`` none); a JSON array with
    ``--format json``."""
    from ..rules.catalogue import BY_CODE

    counts: dict[str, list[int]] = {}
    for r in results:
        entry = counts.setdefault(r.finding.code, [0, 0])
        entry[0] += 1
        entry[1] += r.finding.fixable
    rows = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    if as_json:
        return json.dumps([{"code": code, "name": BY_CODE[code].name if code in BY_CODE else "",
                            "count": count, "fixable": fixable == count,
                            "fixable_count": fixable}
                           for code, (count, fixable) in rows], indent=2)
    width = max((len(str(count)) for _, (count, _) in rows), default=1)
    marks = {True: "[*]", False: "[-]"}
    return "\n".join(
        f"{count:>{width}}\t{code}\t"
        f"{marks[fixable == count] if fixable else '[ ]'} "
        f"{BY_CODE[code].name if code in BY_CODE else ''}".rstrip()
        for code, (count, fixable) in rows)
