"""Limits instead of hangs: the time budget, deep nesting and the size limit, end to end.

The engine-level checks (``tests/unit/test_robustness.py``) cover a nested expression and an
oversized file; these add the time budget (partial results, the rest unknown, one note) and
the same limits through the protocol, where a hang or a crash would freeze the editor.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shapelens.core import analyze

from .wire import LspServer, span

pytestmark = pytest.mark.hardening


def long_program(blocks: int) -> str:
    lines = ["import tensorflow as tf", "x = tf.zeros((8, 16))"]
    for i in range(blocks):
        lines += [f"def step_{i}(t):", f"    u = tf.reshape(t, (4, {32 + i % 5}))",
                  "    return tf.matmul(u, tf.ones((u.shape[1], 2)))", f"h{i} = step_{i}(x)"]
    return "\n".join(lines) + "\n"


def test_time_budget_gives_partial_results_and_one_note() -> None:
    source = long_program(3000)
    start = time.perf_counter()
    result = analyze(source, time_budget=0.05)
    assert time.perf_counter() - start < 3.0
    notes = [f for f in result.findings if f.code == "SL903"]
    assert len(notes) == 1 and notes[0].severity == "information"
    lines = {fact.line for fact in result.assignments}
    assert 2 in lines  # the start of the file was analysed
    assert max(lines) < len(source.splitlines())  # the rest is unknown, not guessed


@pytest.fixture(scope="module")
def lsp() -> Iterator[LspServer]:
    with LspServer() as server:
        server.initialize()
        yield server
        assert server.problems() == []


def test_deep_nesting_through_the_protocol(lsp: LspServer, tmp_path: Path) -> None:
    deep = "tf.identity(" * 3000 + "x" + ")" * 3000
    text = f"import tensorflow as tf\nx = tf.zeros((2, 3))\ny = {deep}\nz = tf.ones((4,))\n"
    uri = (tmp_path / "deep.py").as_uri()
    lsp.open(uri, text)
    diagnostics = lsp.published(uri, 1)
    assert len(diagnostics) == 1 and diagnostics[0]["code"] in {"SL901", "SL903"}
    assert lsp.hover(uri, 1, 0) is not None  # the statements around it still analysed
    lsp.inlay_hints(uri, span(0, 0, 4, 0))
    lsp.code_actions(uri, span(2, 0, 2, 10), diagnostics)
    lsp.close(uri)


def test_workspace_size_limit_applies_to_open_documents(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.shapelens]\nmax-file-size = 200\n")
    with LspServer(cwd=tmp_path) as server:
        server.initialize(root=tmp_path)
        uri = (tmp_path / "big.py").as_uri()
        server.open(uri, long_program(5))
        (note,) = server.published(uri, 1)
        assert note["code"] == "SL902" and note["severity"] == 3
        assert server.hover(uri, 1, 0) is None
        assert server.shutdown_and_exit(timeout=5)[0] == 0
