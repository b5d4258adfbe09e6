"""Shared fixtures: a server per test module (starting one costs about a second)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .wire import LspServer

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="module")
def server() -> Iterator[LspServer]:
    """A server with push diagnostics and UTF-16 positions, as most editors run it."""
    with LspServer() as lsp:
        lsp.initialize()
        yield lsp
        assert lsp.problems() == [], lsp.stderr_text
