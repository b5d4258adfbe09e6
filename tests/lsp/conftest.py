"""pytest-lsp fixtures: the real server in a subprocess, driven as VS Code and as Neovim.

The suite shares one server per client (``scope="session"``) because starting Python and
importing lsprotocol costs one to four seconds here; tests open their own documents and
close them, so they do not see each other's state. Tests that need other settings start
their own server with ``start_server``.
"""

from __future__ import annotations

import pytest
import pytest_lsp

from .helpers import CLIENTS, CONFIG, RecordingClient, initialize_params


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS, scope="session")
async def client(request: pytest.FixtureRequest, lsp_client: RecordingClient):
    lsp_client.initialize_result = await lsp_client.initialize_session(
        initialize_params(request.param))
    yield
    await lsp_client.shutdown_session()
