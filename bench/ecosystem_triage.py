"""Verdicts on the ecosystem check's findings, and the Markdown that ECOSYSTEM.md shows.

A finding on third-party code is only useful once someone has read the code around it and
said whether TensorFlow really fails there. ``ecosystem_triage.toml`` keeps those verdicts,
one ``[[finding]]`` each, keyed by repository, path, cell, line and code (the code is pinned,
so positions do not move): ``TRUE`` (TensorFlow really raises or really gives a None gradient:
a guide showing a failure on purpose, Keras 2 code that Keras 3 rejects), ``FALSE ALARM`` (the
engine is wrong) or ``UNSURE``. The report prints each finding with its verdict, and a finding
nobody has judged yet as ``untriaged``, so a new one stands out on the next run.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # pyright: ignore[reportMissingImports]

TRIAGE = Path(__file__).with_name("ecosystem_triage.toml")
VERDICTS = ("TRUE", "FALSE ALARM", "UNSURE")
UNTRIAGED = "untriaged"
START, END = "<!-- ecosystem-results:start -->", "<!-- ecosystem-results:end -->"

Key = tuple[str, str, object, object, object]
Report = dict[str, dict[str, object]]


def finding_key(repo: str, item: dict[str, object]) -> Key:
    return (repo, str(item["path"]), item.get("cell"), item["line"], item["code"])


def load_triage(path: Path) -> dict[Key, tuple[str, str]]:
    """Verdicts by finding; an unknown verdict is an error (a typo would hide a finding)."""
    if not path.exists():
        return {}
    verdicts: dict[Key, tuple[str, str]] = {}
    for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("finding", []):
        if entry.get("verdict") not in VERDICTS:
            raise ValueError(f"{path}: {entry.get('path')}: verdict must be one of {VERDICTS}")
        verdicts[finding_key(entry["repo"], entry)] = (entry["verdict"], entry.get("why", ""))
    return verdicts


def judge(report: Report, triage: dict[Key, tuple[str, str]]) -> None:
    """Write each finding's verdict (and why) into the report, in place."""
    for repo, rep in report.items():
        for item in rep["findings"]:  # type: ignore[union-attr]
            verdict, why = triage.get(finding_key(repo, item), (UNTRIAGED, ""))
            item["verdict"] = verdict
            if why:
                item["why"] = why


def _tally(rep: dict[str, object]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys((*VERDICTS, UNTRIAGED), 0)
    for item in rep["findings"]:  # type: ignore[union-attr]
        counts[str(item.get("verdict", UNTRIAGED))] += 1
    return counts


def _title(repo: str, rep: dict[str, object]) -> str:
    """``name`` (``owner/name``: paths): one repository may be pinned twice, other paths."""
    paths = ", ".join("the whole repository" if p == "." else f"`{p}`" if p.endswith(
        (".py", ".ipynb")) else f"`{p}/`" for p in rep.get("paths", []))  # type: ignore[union-attr]
    return f"{repo} ({rep['github']}: {paths})" if rep.get("github") else repo


def _where(item: dict[str, object]) -> str:
    cell = f"cell {item['cell']}:" if item.get("cell") is not None else ""
    return f"`{item['path']}:{cell}{item['line']}:{item['column']}`"


def markdown(report: Report, when: str) -> str:
    """The results table and every error/warning with its verdict, as ECOSYSTEM.md shows."""
    lines = [f"Run of {when}.", "",
             "| repository | files | lines | analysis time | errors | warnings | crashes | "
             "TRUE | FALSE ALARM | UNSURE | untriaged |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for repo, rep in report.items():
        counts: dict[str, int] = rep["counts"]  # type: ignore[assignment]
        tally = _tally(rep)
        lines.append(f"| {_title(repo, rep)} | {rep['files']} | {rep['lines']:,} | "
                     f"{rep['seconds']:.2f} s | {counts['error']} | {counts['warning']} | "
                     f"{len(rep['crashes'])} | " +  # type: ignore[arg-type]
                     " | ".join(str(tally[v]) for v in (*VERDICTS, UNTRIAGED)) + " |")
    for repo, rep in report.items():
        lines += ["", f"### {_title(repo, rep)}", ""]
        for crash in rep["crashes"]:  # type: ignore[union-attr]
            lines.append(f"- CRASH `{crash['path']}`: {crash['crash']}")
        items = rep["findings"]
        if not items and not rep["crashes"]:
            lines.append("No errors or warnings.")
        for item in items:  # type: ignore[union-attr]
            why = f" — {item['why']}" if item.get("why") else ""
            lines.append(f"- **{item.get('verdict', UNTRIAGED)}** {_where(item)} "
                         f"{item['code']} [{item['severity']}]{why}")
    return "\n".join(lines)


def update_doc(doc: Path, text: str) -> None:
    """Replace what stands between the result markers of ``doc`` with ``text``."""
    old = doc.read_text(encoding="utf-8")
    if START not in old or END not in old:
        raise ValueError(f"{doc} has no {START} ... {END} block")
    head, rest = old.split(START, 1)
    tail = rest.split(END, 1)[1]
    doc.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
