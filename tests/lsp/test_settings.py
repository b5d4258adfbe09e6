"""Settings from the client, logging and progress, each test on its own server.

These need initialization options or client configuration other than the shared server's,
so each test starts one server, with one client's capabilities: push (VS Code) for one,
pull (Neovim 0.11) for the other.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from .helpers import CONFIG, Doc, RecordingClient, initialize_params, rng

pytestmark = [pytest.mark.lsp, pytest.mark.asyncio(loop_scope="session")]


@contextlib.asynccontextmanager
async def server(client_name: str, options: dict[str, Any] | None = None,
                 configuration: dict[str, Any] | None = None,
                 root: Path | None = None) -> AsyncIterator[RecordingClient]:
    client = await CONFIG.start()
    assert isinstance(client, RecordingClient)
    if configuration is not None:
        client.set_configuration(configuration, section="shapelens")
    params = initialize_params(client_name, options)
    if root is not None:
        params.root_uri = root.as_uri()
        params.workspace_folders = [types.WorkspaceFolder(uri=root.as_uri(), name="tmp")]
    client.initialize_result = await client.initialize_session(params)
    try:
        yield client
    finally:
        await client.shutdown_session()
        await client.stop()


async def test_invalid_settings_fall_back_to_defaults() -> None:
    async with server("visual_studio_code", {"inlayHints": {"enable": "yes"}}) as client:
        message = await client.wait_until(lambda: client.messages)
        assert message == [types.ShowMessageParams(
            type=types.MessageType.Warning,
            message="ShapeLens: invalid settings, using the defaults "
                    "(shapelens.inlayHints.enable: expected bool, got 'yes')")]
        doc = Doc(client, "reshape_bug.py").open()
        assert [d.code for d in await doc.diagnostics()] == ["SL101"]
        hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri), range=rng(0, 0, 6, 0)))
        assert hints and len(hints) == 3  # the default: hints on


async def test_client_configuration_logging_progress_and_changes() -> None:
    """workspace/configuration overrides init options; a change is picked up (pull)."""
    options = {"logLevel": "info", "progressDelay": 0, "severity": {"SL101": "hint"}}
    configuration = {"severity": {"SL101": "warning"}, "inlayHints": {"enable": False}}
    async with server("neovim", options, configuration) as client:
        doc = Doc(client, "reshape_bug.py").open()
        (diag,) = await doc.diagnostics()
        assert diag.severity == types.DiagnosticSeverity.Warning
        hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri), range=rng(0, 0, 6, 0)))
        assert hints is None

        logs = await client.wait_until(lambda: [m for m in client.log_messages
                                                if "reshape_bug.py v1" in m.message])
        assert logs[0].type == types.MessageType.Info
        assert logs[0].message.startswith("analysed reshape_bug.py v1 in ")
        assert logs[0].message.endswith(" ms: 1 finding(s); 5 statement(s) run, 0 replayed")

        reports = await client.wait_until(lambda: [r for r in client.progress_reports.values()
                                                   if len(r) == 2])
        begin, end = reports[0]
        assert begin == types.WorkDoneProgressBegin(title="ShapeLens",
                                                    message="analysing reshape_bug.py",
                                                    cancellable=False)
        assert end == types.WorkDoneProgressEnd(message="done")

        client.set_configuration({"ignore": ["SL1"]}, section="shapelens")
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=None))
        ident = types.TextDocumentIdentifier(uri=doc.uri)

        async def pulled_empty() -> bool:  # pull: Neovim 0.11 capabilities
            report = await client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=ident))
            return report.kind == "full" and not report.items

        # The server logs (at info) when it has fetched and applied the new settings.
        await client.wait_until(lambda: [m for m in client.log_messages
                                         if m.message.startswith("settings changed")])
        assert await pulled_empty()
