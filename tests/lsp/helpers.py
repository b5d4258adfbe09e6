"""Helpers for the end-to-end tests: a recording client, open documents, ranges.

Waiting is always on a notification or a response, never a sleep: ``RecordingClient`` keeps
every ``publishDiagnostics`` and lets a test wait until a condition over them holds.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

WORKSPACE = Path(__file__).parent / "workspace"
CLIENTS = ["visual_studio_code", "neovim"]
SERVER = [sys.executable, "-m", "shapelens", "serve"]
TIMEOUT = 15.0


class RecordingClient(LanguageClient):
    """A pytest-lsp client that also keeps the full history of published diagnostics."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.changed = asyncio.Event()
        self.initialize_result: types.InitializeResult | None = None

    def _notify(self) -> None:
        self.changed.set()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
        """Wait (on notifications, not on time) until ``predicate()`` is truthy."""

        async def poll() -> Any:
            while not (value := predicate()):
                self.changed.clear()
                await self.changed.wait()
            return value

        return await asyncio.wait_for(poll(), timeout)

    async def published_for(self, uri: str, version: int | None,
                            since: int = 0) -> list[types.Diagnostic]:
        """The diagnostics published for ``uri`` at ``version`` (after ``published[since]``)."""
        found = await self.wait_until(lambda: [p for p in self.published[since:]
                                               if p.uri == uri and p.version == version])
        return list(found[-1].diagnostics)


def make_client() -> RecordingClient:
    from pygls.protocol import default_converter

    client = RecordingClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    default_publish = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]
    default_log = features[types.WINDOW_LOG_MESSAGE]
    default_show = features[types.WINDOW_SHOW_MESSAGE]
    default_progress = features[types.PROGRESS]

    def publish(c: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
        default_publish(c, params)
        c.published.append(params)
        c._notify()

    def log_message(c: RecordingClient, params: types.LogMessageParams) -> None:
        default_log(c, params)
        c._notify()

    def show_message(c: RecordingClient, params: types.ShowMessageParams) -> None:
        default_show(c, params)
        c._notify()

    def progress(c: RecordingClient, params: types.ProgressParams) -> None:
        default_progress(c, params)
        c._notify()

    def register_capability(c: RecordingClient, params: types.RegistrationParams) -> None:
        c.registrations.extend(params.registrations)
        c._notify()

    features[types.CLIENT_REGISTER_CAPABILITY] = register_capability
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.WINDOW_LOG_MESSAGE] = log_message
    features[types.WINDOW_SHOW_MESSAGE] = show_message
    features[types.PROGRESS] = progress
    register_lsp_features(client, features)
    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)


def initialize_params(client_name: str, options: dict[str, Any] | None = None
                      ) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=client_capabilities(client_name),
        root_uri=WORKSPACE.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=WORKSPACE.as_uri(), name="workspace")],
        initialization_options={"debounce": 0, **(options or {})},
    )


def uri_for(*parts: str) -> str:
    path = WORKSPACE.joinpath(*parts)
    assert path.is_file(), path
    return path.as_uri()


def pull_supported(client: LanguageClient) -> bool:
    caps = client.capabilities
    return bool(caps and caps.text_document and caps.text_document.diagnostic is not None)


class Doc:
    """An open document in the test client: open/edit/close with version bookkeeping."""

    def __init__(self, client: RecordingClient, *parts: str, text: str | None = None):
        self.client = client
        self.uri = uri_for(*parts)
        self.text = WORKSPACE.joinpath(*parts).read_text() if text is None else text
        self.version = 1
        self.since = 0

    def open(self) -> Doc:
        self.since = len(self.client.published)  # earlier tests may have used this file
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=self.uri, language_id="python",
                                                 version=self.version, text=self.text)))
        return self

    def change(self, start: tuple[int, int], end: tuple[int, int], new_text: str) -> int:
        """An incremental edit (0-based line/character in the client's units)."""
        self.version += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri,
                                                                version=self.version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=start[0], character=start[1]),
                                  end=types.Position(line=end[0], character=end[1])),
                text=new_text)]))
        return self.version

    def close(self) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri)))

    async def diagnostics(self) -> list[types.Diagnostic]:
        """This version's diagnostics, pulled or pushed, as the client supports."""
        if pull_supported(self.client):
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=self.uri)))
            assert report.kind == "full"
            return list(report.items)
        return await self.client.published_for(self.uri, self.version, self.since)

    async def hover(self, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri),
            position=types.Position(line=line, character=character)))


def rng(a: int, b: int, c: int, d: int) -> types.Range:
    """``rng(2, 4, 2, 41)``: a Range from 0-based line/character numbers."""
    return types.Range(start=types.Position(line=a, character=b),
                       end=types.Position(line=c, character=d))


def card(label: str, dtype: str, line: str, kind: str = "Tensor") -> str:
    """The Markdown of a value's hover card: name, kind and dtype, then its shape line."""
    return f"**`{label}`** · {kind} · `{dtype}`\n```text\n{line}\n```"


async def assert_hover(client: RecordingClient, file: str, position: tuple[int, int],
                       markdown: str, range_: types.Range) -> None:
    """Open ``file`` of the test workspace, hover at ``position`` and expect exactly this
    Markdown card over this range."""
    doc = Doc(client, file).open()
    try:
        hover = await doc.hover(*position)
        assert hover == types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
            range=range_)
    finally:
        doc.close()
