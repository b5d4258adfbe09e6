"""Print the report of ``ecosystem_tf.py``: a per-program table, the totals, and every false
alarm, shape disagreement and miss (text for the terminal, Markdown for ECOSYSTEM.md)."""

from __future__ import annotations

from collections import Counter
from typing import Any

COUNTED = ("clean", "raised", "timeout")


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate numbers over every program."""
    status = Counter(r["status"] for r in rows)
    judged = [r for r in rows if r["status"] in COUNTED and "false_alarms" in r]

    def total(key: str) -> int:
        return sum(len(r[key]) if isinstance(r.get(key), list) else r.get(key, 0)
                   for r in judged)

    compared, agreeing, stub = total("compared"), total("agreeing"), total("stub_size")
    tensors, covered = total("tf_tensors"), total("covered")
    return {
        "programs": len(rows),
        "status": dict(status),
        "ran": sum(status[s] for s in COUNTED),
        "false_alarms": total("false_alarms"),
        "confirmed": total("confirmed"),
        "unverified": total("unverified"),
        "unreached": total("unreached"),
        "misses": total("misses"),
        "misses_in_scope": sum(1 for r in judged for m in r["misses"]
                               if m["kind"] != "error outside the rules"),
        "tf_tensors": tensors,
        "covered": covered,
        "coverage": covered / tensors if tensors else None,
        "given": total("given"),
        "given_share": total("given") / tensors if tensors else None,
        "conflicts": total("conflicts"),
        "tf_known": total("tf_known"),
        "coverage_of_known": compared / total("tf_known") if total("tf_known") else None,
        "compared": compared,
        "agreeing": agreeing,
        "stub_size": stub,
        "agreement": agreeing / compared if compared else None,
        "agreement_without_stub_size": (agreeing / (compared - stub)
                                        if compared - stub else None),
        "engine_crashes": sum(1 for r in rows if r.get("engine_crash")),
    }


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _row_cells(r: dict[str, Any]) -> list[str]:
    judged = "false_alarms" in r
    return [
        r["file"], r["status"],
        str(len(r["false_alarms"])) if judged else "",
        str(len(r["confirmed"])) if judged else "",
        str(len(r["misses"])) if judged else "",
        f"{r['agreeing']}/{r['compared']}" if judged else "",
        f"{r['covered']}/{r['tf_tensors']}" if judged else "",
        (r.get("detail") or "")[:90],
    ]


HEADER = ["program", "TF", "false alarms", "confirmed", "misses", "shapes agree",
          "coverage", "detail"]


def _details(rows: list[dict[str, Any]], bullet: str) -> list[str]:
    out: list[str] = []
    for title, key, fmt in (
        ("False alarms", "false_alarms",
         lambda r, x: f"{r['file']}:{x['where']} {x['code']} {x['message']}"
         + (f" ({x['why']})" if x.get("why") else "")),
        ("Unverified (a claim a clean run cannot disprove)", "unverified",
         lambda r, x: f"{r['file']}:{x['where']} {x['code']} {x['message']}"),
        ("Findings on lines TF never reached", "unreached",
         lambda r, x: f"{r['file']}:{x['where']} {x['code']} {x['message']}"),
        ("Confirmed findings", "confirmed",
         lambda r, x: f"{r['file']}:{x['where']} {x['code']} ({x['why']})"),
        ("Shape disagreements", "disagreements",
         lambda r, x: f"{r['file']}:{x['where']} {x['name']}: engine {tuple(x['engine'])} "
         f"vs TF {tuple(x['tf'])}" + (" [stub data size]" if x.get("stub_size") else "")),
        ("Misses", "misses",
         lambda r, x: f"{r['file']}:{x['where']} {x['kind']}: {x['message']}"),
    ):
        items = [fmt(r, x) for r in rows for x in r.get(key) or []]
        out.append("")
        out.append(f"{title}: {len(items)}")
        out.extend(f"{bullet}{i}" for i in items)
    crashes = [f"{r['file']}: {r['engine_crash']}" for r in rows if r.get("engine_crash")]
    if crashes:
        out.append("")
        out.append(f"Engine crashes: {len(crashes)}")
        out.extend(f"{bullet}{c}" for c in crashes)
    return out


def _summary(t: dict[str, Any]) -> list[str]:
    status = ", ".join(f"{k} {v}" for k, v in sorted(t["status"].items()))
    return [
        f"programs: {t['programs']} ({status})",
        f"ran under TF (clean + raised + timeout): {t['ran']}",
        f"false alarms: {t['false_alarms']}; confirmed findings: {t['confirmed']}; "
        f"unverified: {t['unverified']}; on unreached lines: {t['unreached']}; "
        f"misses: {t['misses']} ({t['misses_in_scope']} an error a rule names or a None "
        "gradient; the rest errors outside every rule)",
        f"shape agreement: {_pct(t['agreement'])} ({t['agreeing']}/{t['compared']} fully known "
        f"shapes agree; {t['stub_size']} differ only in a stubbed data set's size; without "
        f"those {_pct(t['agreement_without_stub_size'])})",
        f"shape coverage: {_pct(t['coverage'])} ({t['covered']}/{t['tf_tensors']} TF-recorded "
        "tensor values have a fully known engine shape); of the values whose static shape TF "
        f"itself fully knows: {_pct(t['coverage_of_known'])} ({t['compared']}/{t['tf_known']})",
        f"shapes given: {_pct(t['given_share'])} ({t['given']}/{t['tf_tensors']} TF-recorded "
        "tensor values whose engine shape has TF's rank and every dimension TF's static shape "
        "knows; where TF's is None, e.g. a Keras batch axis, the engine's may be a symbol); "
        "engine shapes contradicting TF's static shape: "
        f"{t['conflicts'] + t['compared'] - t['agreeing']}",
    ]


def render(report: dict[str, Any]) -> str:
    """Plain-text report for the terminal."""
    rows = report["programs"]
    table = [HEADER, *(_row_cells(r) for r in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1]
             for row in table]
    lines.append("")
    if report.get("engine"):
        lines.append(f"engine: {report['engine']}, harness version {report.get('harness_version')}")
    lines.extend(_summary(totals(rows)))
    lines.extend(_details(rows, "  "))
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    """The results as Markdown: totals, a table of the programs TF ran, the others grouped by
    why not, then every false alarm, disagreement and miss."""
    rows = report["programs"]
    out = [f"Engine {report.get('engine', '?')}, harness version "
           f"{report.get('harness_version', '?')}.", ""]
    out.extend(f"- {line}" for line in _summary(totals(rows)))
    out.extend(["", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)])
    for r in rows:
        if r["status"] not in COUNTED:
            continue
        cells = [c.replace("|", "\\|") for c in _row_cells(r)]
        cells[0] = f"`{cells[0]}`"
        out.append("| " + " | ".join(cells) + " |")
    groups: dict[str, list[str]] = {}
    for r in rows:
        if r["status"] not in COUNTED:
            reason = r["status"] if r["status"] != "skipped" else f"skipped: {r['detail']}"
            groups.setdefault(reason, []).append(r["file"].rsplit("/", 1)[-1])
    out.extend(["", "Not run or not counted:", ""])
    for reason, files in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(f"- {reason} ({len(files)}): {', '.join(files)}")
    out.extend(_details(rows, "- "))
    return "\n".join(out)


START, END = "<!-- ecosystem-tf:start -->", "<!-- ecosystem-tf:end -->"


def update_doc(path: Any, text: str) -> bool:
    """Replace the results between the markers in ``path``; False if it has no markers."""
    doc = path.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        return False
    head, rest = doc.split(START, 1)
    path.write_text(f"{head}{START}\n{text}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")
    return True
