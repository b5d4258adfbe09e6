"""Run ONE third-party program under TensorFlow and save what happened (used by
``ecosystem_tf.py``, which starts one such process per program so that a crash, a hang or a
memory blow-up stays contained).

    python bench/ecotf_worker.py PROGRAM OUT.json [--budget SECONDS]

The program runs through the project's TF oracle runner (``tests/oracle/tf_runner.py``:
shape of every ``name = expr`` value, the exception and its line, every ``tape.gradient``
result through ``gradient_probe.py``), after ``ecotf_stubs`` made it offline and short. A
notebook runs as its code cells in order, magics and shell lines blanked by
``shapelens.notebook.read_notebook`` (the runner's own notebook support), so every line number
is the line the engine reports.

Added to the runner's record: ``executed`` (the program lines Python executed, from a trace
limited to the program's own frames), ``raised_lines`` (lines where an exception was raised or
passed through, with its classes: a guide that shows an error inside ``try``/``except`` raises
there and goes on), ``graph_functions`` and ``graph_lines`` (the program's functions AutoGraph
converted, and the lines it traced into a graph) and ``harness`` (stubs used, network
attempts, caps).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import threading
import time
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT / "tests" / "oracle", ROOT / "server", ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

AUTOGRAPH_FILE = "__autograph_generated_file"


class LineTrace:
    """Which lines of one file ran; Python's trace hook, kept cheap by returning no local
    tracer for frames of any other file."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.lines: set[int] = set()
        self.graph_functions: set[str] = set()
        self.graph_lines: dict[CodeType, set[int]] = {}
        self.raised: dict[int, set[str]] = {}  # line -> exception classes raised there
        self.maps: dict[str, Any] = {}  # generated file -> AutoGraph source map
        self.tried: set[CodeType] = set()

    def _local(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            self.lines.add(frame.f_lineno)
        elif event == "exception":  # raised at this line, or passing through it
            self.raised.setdefault(frame.f_lineno, set()).add(arg[0].__name__)
        return self._local

    def _graph_local(self, frame: FrameType, event: str, _arg: Any) -> Any:
        if event == "line":
            self.graph_lines.setdefault(frame.f_code, set()).add(frame.f_lineno)
        return self._graph_local

    def __call__(self, frame: FrameType, event: str, _arg: Any) -> Any:
        if event != "call":
            return None
        filename = frame.f_code.co_filename
        if filename == self.filename:
            self.lines.add(frame.f_lineno)
            return self._local
        if AUTOGRAPH_FILE in filename:
            name = frame.f_code.co_name
            self.graph_functions.add(name[4:] if name.startswith("tf__") else name)
            self.graph_lines.setdefault(frame.f_code, set()).add(frame.f_lineno)
            if filename not in self.maps and frame.f_code not in self.tried:
                self.tried.add(frame.f_code)  # the converted function is alive now, not later
                for ref in gc.get_referrers(frame.f_code):
                    source_map = getattr(ref, "ag_source_map", None)
                    if source_map:
                        self.maps[filename] = source_map
                        break
            return self._graph_local
        return None

    def traced_lines(self) -> set[int]:
        """Program lines AutoGraph-generated code ran while tracing, through the source map
        of each converted function (what ``gradient_probe`` uses to place a graph call).
        A source map covers its whole generated file, so the loop and branch bodies AutoGraph
        makes into inner functions are mapped through their file's map."""
        found: set[int] = set()
        for code, lines in self.graph_lines.items():
            for loc, origin in (self.maps.get(code.co_filename) or {}).items():
                if (loc.filename == code.co_filename and loc.lineno in lines
                        and origin.loc.filename == self.filename):
                    found.add(origin.loc.lineno)
        return found

    def start(self) -> None:
        sys.settrace(self)
        threading.settrace(self)

    def stop(self) -> None:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type]


def run(program: Path, budget: int) -> dict[str, Any]:
    """Execute ``program`` with the stubs in place; the runner's record plus ours."""
    import ecotf_stubs

    ecotf_stubs.block_network()
    import tf_runner  # pyright: ignore[reportMissingImports]

    started = time.perf_counter()
    libs = tf_runner.import_libraries()
    tf, np, keras = libs
    import_s = time.perf_counter() - started
    ecotf_stubs.stub_datasets(np)
    ecotf_stubs.stub_plot_model()
    ecotf_stubs.cap_dataset_iteration(tf, str(program.resolve()))
    if keras is not None:
        ecotf_stubs.cap_training(keras)
    tf_runner.builtins = ecotf_stubs.program_builtins(tf)  # type: ignore[attr-defined]
    trace = LineTrace(str(program.resolve()))
    trace.start()
    try:
        record = tf_runner.run_fixture(program, libs, budget)
    finally:
        trace.stop()
    record["executed"] = sorted(trace.lines)
    record["graph_functions"] = sorted(trace.graph_functions)
    record["graph_lines"] = sorted(trace.traced_lines())
    record["raised_lines"] = {str(k): sorted(v) for k, v in sorted(trace.raised.items())}
    record["harness"] = {
        **ecotf_stubs.LOG,
        "import_s": round(import_s, 2),
        "tensorflow": tf.__version__,
        "keras": getattr(keras, "__version__", None),
    }
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one third-party program under TF.")
    parser.add_argument("program", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--budget", type=int, default=100)
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    record = run(args.program, args.budget)
    args.out.write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
