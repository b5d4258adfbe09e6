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


MAX_AGAIN = 4  # later values recorded per assignment


def record_every_shape() -> None:
    """Make ``tf_runner.Recorder`` also keep later values of an assignment whose shape or
    dtype differs from the ones seen (flagged ``again``; at most ``MAX_AGAIN``): a line in a
    loop, a helper called with other shapes, a Keras ``call()`` run symbolically (batch None)
    to build the model and then eagerly. The first value stays the one the fixture oracle
    compares; ``check`` accepts an engine shape that any of them has."""
    import tf_runner

    recorder = tf_runner.Recorder
    if getattr(recorder, "_genprog_every", False):
        return
    first_call = recorder.__call__

    def __call__(self: Any, index: int, value: Any) -> None:
        seen = self.__dict__.setdefault("_genprog_again", {})
        try:
            info = self.describe(value)
        except Exception:
            info = {"kind": "other"}
        key = (repr(info.get("shape")), info.get("dtype"))
        if index not in self.seen:
            first_call(self, index, value)
            seen[index] = {key}
            return
        kept = seen.setdefault(index, set())
        if key in kept or len(kept) >= MAX_AGAIN or info.get("kind") == "other":
            return
        kept.add(key)
        stmt = self.statements[index]
        self.records.append({"line": stmt["line"], "col": stmt["col"], "name": stmt["name"],
                             "again": True, **info})

    recorder.__call__ = __call__  # type: ignore[method-assign]
    recorder._genprog_every = True  # type: ignore[attr-defined]


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
        record_every_shape()
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
    batch run of the given files, with ``quicker_resets`` and ``record_every_shape``."""
    import tf_runner

    libs = tf_runner.import_libraries()
    quicker_resets(libs[2])
    record_every_shape()
    return tf_runner.main(argv)


if __name__ == "__main__":
    sys.exit(main())
