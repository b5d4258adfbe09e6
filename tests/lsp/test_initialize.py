"""The advertised capabilities, per client: the contract every other test relies on."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .helpers import RecordingClient

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


async def test_capabilities(client: RecordingClient) -> None:
    assert client.initialize_result is not None
    caps = client.initialize_result.capabilities
    info = client.initialize_result.server_info
    assert info is not None and info.name == "shapelens"

    sync = caps.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert sync.open_close is True
    assert caps.hover_provider is True
    assert caps.inlay_hint_provider == types.InlayHintOptions(resolve_provider=True)
    assert caps.code_action_provider == types.CodeActionOptions(
        code_action_kinds=(types.CodeActionKind.QuickFix, "source.fixAll.shapelens"),
        resolve_provider=False)
    assert caps.diagnostic_provider == types.DiagnosticOptions(
        identifier="shapelens", inter_file_dependencies=False, workspace_diagnostics=False)


async def test_position_encoding_follows_the_client(client: RecordingClient) -> None:
    """VS Code offers no encodings (UTF-16 by default); Neovim 0.11 prefers UTF-8."""
    caps = client.initialize_result.capabilities  # type: ignore[union-attr]
    general = client.capabilities.general  # type: ignore[union-attr]
    offered = general.position_encodings if general else None
    expected = offered[0] if offered else types.PositionEncodingKind.Utf16
    assert caps.position_encoding == expected


async def test_pyproject_watch_is_registered_when_the_client_allows(
        client: RecordingClient) -> None:
    workspace = client.capabilities.workspace  # type: ignore[union-attr]
    watched = workspace.did_change_watched_files if workspace else None
    if watched is None or not watched.dynamic_registration:
        assert client.registrations == []
        return
    registrations = await client.wait_until(lambda: client.registrations)
    assert [(r.method, r.register_options) for r in registrations] == [
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
         {"watchers": [{"globPattern": "**/pyproject.toml"}]})]
