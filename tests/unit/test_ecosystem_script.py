"""``bench/ecosystem.py`` without the mirrors: the lock file, the baseline diff, a run over a
small folder, crash reporting and the message that tells how to get a missing mirror."""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "ecosystem.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shapelens_bench_ecosystem", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


eco = _load()

LOCK = """
[[repo]]
name = "keras"
github = "keras-team/keras"
commit = "3422977a5e38fb2f7709aaa9a08e47f0c43d0f60"
paths = ["guides", "examples/"]

[[repo]]
name = "docs"
github = "tensorflow/docs"
commit = "7c3650212740204359d4ceae481abc79345541be"
paths = ["site/en/guide"]
"""

BUG = "import tensorflow as tf\nx = tf.zeros((2, 3))\ny = tf.reshape(x, (4, 2))\n"
CLEAN = "import tensorflow as tf\nx = tf.zeros((2, 3))\ny = tf.reshape(x, (3, 2))\n"


def test_the_committed_lock_pins_the_required_repositories() -> None:
    pins = {(r.github, r.commit, p) for r in eco.load_lock(eco.LOCK) for p in r.paths}
    keras, docs = "3422977a5e38fb2f7709aaa9a08e47f0c43d0f60", \
        "7c3650212740204359d4ceae481abc79345541be"
    assert {("keras-team/keras", keras, "guides"), ("keras-team/keras", keras, "examples"),
            ("tensorflow/docs", docs, "site/en/guide"),
            ("tensorflow/docs", docs, "site/en/tutorials")} <= pins


def test_lock_parsing(tmp_path: Path) -> None:
    lock = tmp_path / "eco.toml"
    lock.write_text(LOCK)
    keras, docs = eco.load_lock(lock)
    assert (keras.name, keras.github, keras.paths) == ("keras", "keras-team/keras",
                                                       ("guides", "examples"))
    assert docs.paths == ("site/en/guide",)


@pytest.mark.parametrize(("edit", "complaint"), [
    (('commit = "7c36', 'commit = "zz36'), "40 hex digits"),
    (('github = "tensorflow/docs"', 'github = "docs"'), "owner/name"),
    (('name = "docs"', 'name = "keras"'), "unique"),
    (('paths = ["site/en/guide"]', ''), "lacks paths"),
])
def test_a_bad_pin_is_an_error_that_names_it(tmp_path: Path, edit: tuple[str, str],
                                             complaint: str) -> None:
    lock = tmp_path / "eco.toml"
    lock.write_text(LOCK.replace(*edit))
    with pytest.raises(ValueError, match=complaint):
        eco.load_lock(lock)


def test_a_missing_mirror_says_what_to_fetch_and_is_skipped(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    lock = tmp_path / "eco.toml"
    lock.write_text(LOCK)
    status = eco.main(["--lock", str(lock), "--cache", str(tmp_path / "cache"),
                       "--mirrors", str(tmp_path / "no-mirrors")])
    err = capsys.readouterr().err
    assert status == 2  # nothing could be analysed
    assert "fetch `github:keras-team/keras` with the search tool" in err
    assert "fetch `github:tensorflow/docs` with the search tool" in err
    assert not (tmp_path / "cache" / "keras").exists()


def _two_files(root: Path) -> None:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "bug.py").write_text(BUG)
    (root / "clean.py").write_text(CLEAN + "# a comment\n")


def test_a_run_over_a_small_folder(tmp_path: Path) -> None:
    _two_files(tmp_path)
    files = eco.check_tree(tmp_path)
    assert sorted(f.path for f in files) == ["clean.py", "pkg/bug.py"]
    report = eco.repo_report(files, root=str(tmp_path))
    assert (report["files"], report["lines"]) == (2, 7)
    assert report["crashes"] == []
    assert report["counts"]["error"] == 1
    (finding,) = report["findings"]
    assert (finding["path"], finding["line"], finding["code"]) == ("pkg/bug.py", 3, "SL101")
    assert "[2,3]" in finding["message"] or "(2, 3)" in finding["message"]
    text = eco.render({"tmp": report})
    assert "2 files, 7 lines" in text and "0 crashes, 1 errors" in text
    assert "pkg/bug.py:3:" in text and "SL101 [error]" in text


def test_the_command_saves_json_and_compares_with_a_baseline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "code"
    _two_files(root)
    first = tmp_path / "first.json"
    assert eco.main(["--dir", str(root), "--json", str(first)]) == 0
    saved = json.loads(first.read_text())
    assert saved["code"]["counts"]["error"] == 1
    (root / "pkg" / "bug.py").write_text(CLEAN)
    (root / "clean.py").write_text(BUG)
    capsys.readouterr()
    assert eco.main(["--dir", str(root), "--baseline", str(first)]) == 1  # a new finding
    out = capsys.readouterr().out
    assert "1 new, 1 gone" in out
    assert "  + code: clean.py:3:" in out and "  - code: pkg/bug.py:3:" in out


def _report(*findings: tuple[str, int, str], crashes: tuple[str, ...] = ()) -> dict:
    return {"files": 1, "lines": 10, "seconds": 0.0, "counts": {},
            "crashes": [{"path": "a.py", "crash": c} for c in crashes],
            "findings": [{"path": p, "line": line, "column": 1, "code": code,
                          "severity": "error", "message": f"m{code}"}
                         for p, line, code in findings]}


def test_baseline_diff_of_two_hand_made_reports() -> None:
    old = {"r": _report(("a.py", 1, "SL101"), ("a.py", 5, "SL208"), crashes=("boom",)),
           "skipped-now": _report(("z.py", 1, "SL101"))}
    new = {"r": _report(("a.py", 5, "SL208"), ("b.ipynb", 2, "SL314")),
           "added-now": _report(("y.py", 1, "SL101"))}
    new["r"]["findings"][1]["cell"] = 4
    added, gone = eco.diff_reports(old, new)
    assert added == ["r: b.ipynb:cell 4:2:1: SL314 [error] mSL314"]
    assert sorted(gone) == ["r: CRASH a.py: boom", "r: a.py:1:1: SL101 [error] mSL101"]
    assert eco.diff_reports(new, new) == ([], [])


def test_an_isolated_engine_failure_is_reported_as_a_crash(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    (tmp_path / "a.py").write_text(CLEAN)

    def analyze_path(path: Path, config: object) -> object:
        try:
            raise KeyError("bug-on-purpose")
        except KeyError:
            logging.getLogger("shapelens.core.execute").exception("analysis of line 2 failed")
        from shapelens.core import Analysis

        return Analysis(str(path))

    monkeypatch.setattr("shapelens.cli.analyze_path", analyze_path)
    (result,) = eco.check_tree(tmp_path)
    (crash,) = result.crashes
    assert crash.startswith("analysis of line 2 failed: KeyError: 'bug-on-purpose'")
    assert "analyze_path" in crash


def test_an_exception_out_of_the_analyzer_is_a_crash(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.py").write_text(CLEAN)

    def analyze_path(path: Path, config: object) -> object:
        raise RuntimeError("bug-on-purpose")

    monkeypatch.setattr("shapelens.cli.analyze_path", analyze_path)
    (result,) = eco.check_tree(tmp_path)
    assert result.crashes[0].startswith("raised RuntimeError: bug-on-purpose")
    assert eco.repo_report([result])["crashes"][0]["path"] == "a.py"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_materialise_extracts_the_pinned_paths_from_a_mirror(tmp_path: Path) -> None:
    """A tiny mirror made here: only the sources of the pinned paths at the pinned commit are
    extracted, and a second run reuses the cache."""
    work = tmp_path / "src"
    (work / "guides").mkdir(parents=True)
    (work / "other").mkdir()
    (work / "guides" / "g.py").write_text(BUG)
    (work / "guides" / "plot.gif").write_bytes(b"GIF89a")  # data: may be absent in a snapshot
    (work / "other" / "o.py").write_text(CLEAN)
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "pin"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                            text=True).stdout.strip()
    (work / "guides" / "g.py").write_text(CLEAN)  # after the pin: must not be seen
    mirrors = tmp_path / "mirrors"
    (mirrors / "me+proj").mkdir(parents=True)
    (work).rename(mirrors / "me+proj" / "repo")
    repo = eco.Repo("proj", "me/proj", commit, ("guides",))
    cache = tmp_path / "cache"
    folder, message = eco.materialise(repo, cache, mirrors)
    assert folder == cache / "proj" and message.startswith("extracted")
    assert (folder / "guides" / "g.py").read_text() == BUG
    assert not (folder / "other").exists()
    assert not (folder / "guides" / "plot.gif").exists()  # only sources are extracted
    assert eco.materialise(repo, cache, mirrors) == (folder, "cached")
    gone = eco.Repo("proj", "me/proj", "0" * 40, ("guides",))
    folder, message = eco.materialise(gone, cache, mirrors)
    assert folder is None and "lacks commit" in message and "github:me/proj" in message


TRIAGE = """
[[finding]]
repo = "r"
path = "nb.ipynb"
cell = 4
line = 2
code = "SL314"
verdict = "FALSE ALARM"
why = "built by the call in the tape"

[[finding]]
repo = "r"
path = "a.py"
line = 5
code = "SL208"
verdict = "TRUE"
"""


def test_verdicts_are_attached_and_shown(tmp_path: Path) -> None:
    triage = tmp_path / "triage.toml"
    triage.write_text(TRIAGE)
    report = {"r": _report(("a.py", 5, "SL208"), ("nb.ipynb", 2, "SL314"), ("a.py", 9, "SL101"))}
    report["r"]["findings"][1]["cell"] = 4
    report["r"]["counts"] = {"error": 3, "warning": 0}
    eco.judge(report, eco.load_triage(triage))
    verdicts = [(i["verdict"], i.get("why")) for i in report["r"]["findings"]]
    assert verdicts == [("TRUE", None), ("FALSE ALARM", "built by the call in the tape"),
                        ("untriaged", None)]
    assert eco.finding_line(report["r"]["findings"][2]).startswith("[untriaged] a.py:9:1:")
    text = eco.markdown(report, "now")
    assert "| r | 1 | 10 | 0.00 s | 3 | 0 | 0 | 1 | 1 | 0 | 1 |" in text
    assert "- **FALSE ALARM** `nb.ipynb:cell 4:2:1` SL314 [error] — built by the call" in text
    doc = tmp_path / "DOC.md"
    doc.write_text(f"# t\n\nintro\n{eco.START}\nold\n{eco.END}\nafter\n")
    eco.update_doc(doc, "new results")
    assert doc.read_text() == f"# t\n\nintro\n{eco.START}\nnew results\n{eco.END}\nafter\n"


def test_a_bad_verdict_is_an_error(tmp_path: Path) -> None:
    triage = tmp_path / "triage.toml"
    triage.write_text(TRIAGE.replace('"TRUE"', '"true-ish"'))
    with pytest.raises(ValueError, match="verdict must be one of"):
        eco.load_triage(triage)


def test_the_committed_verdicts_load() -> None:
    verdicts = eco.load_triage(eco.TRIAGE)
    assert verdicts and {v for v, _ in verdicts.values()} <= set(eco.VERDICTS)
    assert all(why for _, why in verdicts.values()), "every verdict says why"
