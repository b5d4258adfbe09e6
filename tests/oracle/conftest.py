"""Oracle session fixture and terminal summary.

TensorFlow runs once per session for every fixture (in one subprocess), and the engine once
per fixture; tests read the shared ``OracleRun``. The summary hook prints the aggregate shape
agreement and coverage so they appear in CI logs, pass or fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oracle_support import LAST_RUN, OracleRun, build_run, summary_lines

from fixture_expectations import fixture_files, notebook_files


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> OracleRun:
    """Run TF and the engine over every fixture (notebooks too) once; failures are stored,
    not raised, so each test fails (rather than errors) with the reason."""
    run = build_run([*fixture_files(), *notebook_files()], tmp_path_factory.mktemp("oracle"))
    LAST_RUN.append(run)
    return run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print agreement/coverage (and counts) of the oracle run, if one happened."""
    if not LAST_RUN:
        return
    terminalreporter.section("ShapeLens TensorFlow oracle")
    for line in summary_lines(LAST_RUN[-1]):
        terminalreporter.write_line(line)
