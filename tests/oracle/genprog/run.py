"""Run generated programs under TensorFlow and under the engine, and judge them.

``Session`` imports TensorFlow once and runs every program in this process with the fixture
oracle's own runner (``tf_runner.run_fixture``: a fresh namespace per program, the same
instrumentation, seeded state, gradient probe and ``signal.alarm`` time budget); the engine
analyses the same text. ``bench/fuzz.py`` and the shrinker use it; the pytest oracle runs the
same runner in a subprocess (``tf_runner.py``) and judges with ``check.judge`` too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ORACLE_DIR = Path(__file__).resolve().parents[1]
if str(ORACLE_DIR) not in sys.path:
    sys.path.insert(0, str(ORACLE_DIR))

from oracle_support import EngineResult  # noqa: E402 - needs ORACLE_DIR on sys.path

from .check import Verdict, judge  # noqa: E402

BUDGET_S = 30
GC_EVERY = 40


def quicker_resets(keras: Any, every: int = GC_EVERY) -> None:
    """Make ``keras.backend.clear_session`` (called by ``tf_runner.reset_state`` before each
    program) skip its ``gc.collect`` except every ``every``-th call: with TF loaded a full
    collection takes ~0.3 s, ten times the run of a typical generated program. Only the
    generated-program runs are patched; the fixture oracle keeps its full reset."""
    backend = getattr(keras, "backend", None)
    original = getattr(backend, "clear_session", None)
    if original is None or getattr(original, "_genprog_quick", False):
        return
    calls = [0]

    def clear_session(free_memory: bool = True) -> None:
        calls[0] += 1
        original(free_memory=free_memory and calls[0] % every == 0)

    clear_session._genprog_quick = True  # type: ignore[attr-defined]
    backend.clear_session = clear_session


def engine_result(source: str, path: str) -> EngineResult:
    """The engine's analysis of ``source``; a crash is kept, not raised."""
    from shapelens.core import analyze

    try:
        return EngineResult(analysis=analyze(source, path))
    except Exception as exc:  # a crash is a finding of the fuzzer
        return EngineResult(error=f"{type(exc).__name__}: {exc}")


class Session:
    """TensorFlow imported once; programs written to ``workdir`` and run one by one."""

    def __init__(self, workdir: Path, budget_s: int = BUDGET_S) -> None:
        from tf_runner import import_libraries

        self.libs = import_libraries()
        quicker_resets(self.libs[2])
        self.workdir = workdir
        self.budget_s = budget_s
        workdir.mkdir(parents=True, exist_ok=True)

    def tf_record(self, source: str, name: str) -> tuple[dict[str, Any], str]:
        """Run ``source`` under TF; (record, path it ran as)."""
        from tf_runner import run_fixture

        path = self.workdir / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        return run_fixture(path, self.libs, self.budget_s), str(path.resolve())

    def evaluate(self, source: str, name: str) -> tuple[Verdict, dict[str, Any]]:
        """(verdict, TF record) of one program."""
        record, path = self.tf_record(source, name)
        verdict = judge(source, record, engine_result(source, path))
        return verdict, record


def main(argv: list[str] | None = None) -> int:
    """``python -m genprog.run --out FILE PROGRAM...`` (from tests/oracle): ``tf_runner.py``'s
    batch run of the given files, with ``quicker_resets``."""
    import tf_runner

    libs = tf_runner.import_libraries()
    quicker_resets(libs[2])
    return tf_runner.main(argv)


if __name__ == "__main__":
    sys.exit(main())
