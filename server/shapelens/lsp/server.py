"""The ShapeLens language server: state, lifecycle, and the one place features are registered.

``build_server()`` wires the feature modules (each a few short handlers: get the document, get
its cached analysis, convert, return) to their LSP methods; ``serve(args)`` is what
``shapelens serve`` runs (stdio by default, ``--tcp``/``--ws`` for debugging).

Settings come from ``initializationOptions`` first, then from ``workspace/configuration``
after ``initialized``; documents opened before the settings arrive wait for them (bounded by
``documents.READY_TIMEOUT``). ``[tool.shapelens]`` in ``pyproject.toml`` is watched through
``workspace/didChangeWatchedFiles`` (registered dynamically when the client allows it).
Jupyter notebooks are synced as notebook documents (``notebooks.SYNC``); requests on their
cells are routed to ``notebooks`` by ``notebooks.cell_aware``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..core import Config
from . import diagnostics, hover, inlay_hints, notebooks, transport, workspace
from .config import ProjectConfigs, Settings, effective_config, parse_settings
from .documents import Documents, Result

if TYPE_CHECKING:
    import argparse

log = logging.getLogger(__name__)
GC_THRESHOLD = 2_000  # allocations between young collections (CPython's default: 700)
PYPROJECT_GLOB = "**/pyproject.toml"
MESSAGE_TYPES = {logging.ERROR: types.MessageType.Error,
                 logging.WARNING: types.MessageType.Warning,
                 logging.INFO: types.MessageType.Info}
# ``code_actions.OPTIONS``, declared here so that starting the server does not import the
# code actions, the fixers and LibCST (a test checks that the two are equal).
CODE_ACTION_OPTIONS = types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, "source.fixAll.shapelens"],
    resolve_provider=False)


class ShapeLensServer(LanguageServer):
    """A pygls server with the settings, project configs and analysis cache attached."""

    def __init__(self) -> None:
        super().__init__("shapelens", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=notebooks.SYNC)
        self.settings = Settings()
        self.init_options: Any = None
        self.projects = ProjectConfigs()
        self.publisher = diagnostics.Publisher(self)
        self.notebooks = notebooks.Notebooks(self)
        self.documents = Documents(self, self.on_result)
        self.forwarder = ClientLogHandler(self)
        self._shown: set[str] = set()
        self._tasks: set[asyncio.Task[Any]] = set()

    def run_task(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run ``coro`` in the background, keeping a reference and logging its failure."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log.error("background task failed", exc_info=t.exception())

        task.add_done_callback(done)

    def on_result(self, result: Result) -> None:
        """A current analysis: a notebook's diagnostics go to its cells."""
        if result.layout is not None:
            self.notebooks.publish(result)
        else:
            self.publisher.on_result(result)

    # -- configuration ------------------------------------------------------------------
    def apply_settings(self, *raw: Any) -> None:
        """Parse and adopt settings; on change re-analyse (push) or ask to re-pull."""
        settings, error = parse_settings(self.init_options, *raw)
        if error:
            self.show_once(f"ShapeLens: invalid settings, using the defaults ({error})")
        changed = settings != self.settings
        self.settings = settings
        self.forwarder.setLevel(settings.log_level_number)
        first = not self.documents.ready.is_set()
        self.documents.ready.set()
        if changed and not first:
            log.info("settings changed: %s", settings)
            self.documents.schedule_all()
            self.publisher.refresh()
            self.refresh_inlay_hints()

    def refresh_inlay_hints(self) -> None:
        """Hints depend on settings (on/off): ask the client to re-request them."""
        workspace = self.client_capabilities.workspace
        hints = workspace.inlay_hint if workspace else None
        if hints is not None and hints.refresh_support:
            self.workspace_inlay_hint_refresh(None)

    async def load_settings(self) -> None:
        raw = None
        workspace = self.client_capabilities.workspace
        if workspace is not None and workspace.configuration:
            try:
                answer = await self.workspace_configuration_async(types.ConfigurationParams(
                    items=[types.ConfigurationItem(section="shapelens")]))
                raw = answer[0] if answer else None
            except Exception as err:  # a client that fails the request: keep init options
                log.warning("workspace/configuration failed: %s", err)
        self.apply_settings(raw)

    def config_for(self, uri: str, path: str | None) -> Config:
        """The rule selection of one document: pyproject overlaid with the editor settings."""
        fs_path = to_fs_path(uri)
        root = self.workspace.root_path
        project, error = self.projects.for_path(Path(fs_path) if fs_path else None,
                                                Path(root) if root else None)
        if error:
            self.show_once(f"ShapeLens: {error}; using the default rules")
        return effective_config(project, self.settings)

    def show_once(self, message: str) -> None:
        """``window/showMessage`` for a problem the user must fix, once per distinct text."""
        log.warning("%s", message)
        if message not in self._shown:
            self._shown.add(message)
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Warning, message=message))


class ClientLogHandler(logging.Handler):
    """Forwards ``shapelens.*`` log records to the editor's output (``window/logMessage``).

    Records may come from the analysis thread; they are handed to the event loop, which
    owns the connection.
    """

    def __init__(self, server: ShapeLensServer):
        super().__init__(logging.WARNING)
        self.server = server
        self.loop: asyncio.AbstractEventLoop | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.loop is None or self.loop.is_closed():
            return
        kind = MESSAGE_TYPES.get(record.levelno, types.MessageType.Log)
        params = types.LogMessageParams(type=kind, message=self.format(record))
        with contextlib.suppress(RuntimeError):  # the loop is closing at shutdown
            self.loop.call_soon_threadsafe(self.server.window_log_message, params)


# -- lifecycle and document sync --------------------------------------------------------------
def initialize(ls: ShapeLensServer, params: types.InitializeParams) -> None:
    workspace.install(ls.workspace)  # LSP line breaks; changes to closed documents ignored
    ls.init_options = params.initialization_options
    ls.settings, _ = parse_settings(ls.init_options)  # errors are shown after `initialized`
    ls.forwarder.loop = asyncio.get_running_loop()
    ls.forwarder.setLevel(ls.settings.log_level_number)


async def initialized(ls: ShapeLensServer, params: types.InitializedParams) -> None:
    ls.run_task(_watch_pyproject(ls))
    await ls.load_settings()


async def _watch_pyproject(ls: ShapeLensServer) -> None:
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if watched is None or not watched.dynamic_registration:
        return  # the mtime check in ProjectConfigs still notices edits
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=PYPROJECT_GLOB)])
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id="shapelens-pyproject",
                               method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=options)]))
    except Exception as err:
        log.info("could not watch pyproject.toml files: %s", err)


def did_open(ls: ShapeLensServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.documents.schedule(params.text_document.uri, immediately=True)


def did_change(ls: ShapeLensServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.documents.schedule(params.text_document.uri)
    ls.documents.schedule_dependants(params.text_document.uri)


def did_save(ls: ShapeLensServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.documents.schedule(params.text_document.uri, immediately=True)


def did_close(ls: ShapeLensServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.documents.close(params.text_document.uri)
    ls.publisher.clear(params.text_document.uri)


async def did_change_configuration(ls: ShapeLensServer,
                                   params: types.DidChangeConfigurationParams) -> None:
    workspace = ls.client_capabilities.workspace
    if workspace is not None and workspace.configuration:
        await ls.load_settings()  # pull model: the notification is only a nudge
    else:
        ls.apply_settings(params.settings)


def did_change_watched_files(ls: ShapeLensServer,
                             params: types.DidChangeWatchedFilesParams) -> None:
    if any(change.uri.endswith("pyproject.toml") for change in params.changes):
        ls.projects.invalidate()
        ls.documents.schedule_all()
        ls.publisher.refresh()


def shutdown(ls: ShapeLensServer, params: None) -> None:
    ls.documents.shutdown()


async def code_actions(ls: ShapeLensServer,
                       params: types.CodeActionParams) -> list[types.CodeAction] | None:
    """``textDocument/codeAction``: the feature module (with the fixers) is imported by the
    first request, not at start-up."""
    from . import code_actions as feature

    return await feature.code_actions(ls, params)


def build_server() -> ShapeLensServer:
    """A fresh server with every feature registered (tests and ``serve`` use this).

    Text-document requests on a notebook cell go to ``notebooks`` (``cell_aware``), which
    answers from the analysis of the whole notebook.
    """
    server = ShapeLensServer()
    cell_aware = notebooks.cell_aware
    for method, handler, options in [
        (types.INITIALIZE, initialize, None),
        (types.INITIALIZED, initialized, None),
        (types.SHUTDOWN, shutdown, None),
        (types.TEXT_DOCUMENT_DID_OPEN, did_open, None),
        (types.TEXT_DOCUMENT_DID_CHANGE, did_change, None),
        (types.TEXT_DOCUMENT_DID_SAVE, did_save, types.SaveOptions(include_text=False)),
        (types.TEXT_DOCUMENT_DID_CLOSE, did_close, None),
        (types.NOTEBOOK_DOCUMENT_DID_OPEN, notebooks.did_open, None),
        (types.NOTEBOOK_DOCUMENT_DID_CHANGE, notebooks.did_change, None),
        (types.NOTEBOOK_DOCUMENT_DID_CLOSE, notebooks.did_close, None),
        (types.WORKSPACE_DID_CHANGE_CONFIGURATION, did_change_configuration, None),
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, did_change_watched_files, None),
        (types.TEXT_DOCUMENT_DIAGNOSTIC, cell_aware(diagnostics.pull, notebooks.cell_pull),
         diagnostics.OPTIONS),
        (types.TEXT_DOCUMENT_HOVER, cell_aware(hover.hover, notebooks.cell_hover), None),
        (types.TEXT_DOCUMENT_INLAY_HINT,
         cell_aware(inlay_hints.inlay_hints, notebooks.cell_inlay_hints), inlay_hints.OPTIONS),
        (types.INLAY_HINT_RESOLVE, inlay_hints.resolve, None),
        (types.TEXT_DOCUMENT_CODE_ACTION,
         cell_aware(code_actions, notebooks.cell_code_actions), CODE_ACTION_OPTIONS),
    ]:
        server.feature(method, options)(handler)
    return server


# -- entry point --------------------------------------------------------------------------------
def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def serve(args: argparse.Namespace) -> int:
    """``shapelens serve``: log to stderr (stdout is the protocol), then run until exit."""
    level = getattr(logging, str(args.log_level).upper(), logging.WARNING)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(level)
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[stderr])
    enabled = gc.isenabled()
    gc.disable()
    try:
        server = build_server()
    finally:
        # The modules and the server live as long as the process: no collection needs to
        # look at them again (collections during the analyses stay cheap).
        gc.freeze()
        # A long file's analysis keeps millions of objects alive between keystrokes; with
        # the default first threshold (700 allocations) the collector promoted an edit's
        # short-lived objects so often that every ~30th edit paid for a full collection
        # (50-120 ms on the 10,000-line benchmark file). Cycles are still collected, a little
        # later (a higher threshold held tens of MiB more garbage in the soak).
        gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
        if enabled:
            gc.enable()
    ours = logging.getLogger("shapelens")
    ours.setLevel(logging.DEBUG)  # handlers filter: stderr by --log-level, client by setting
    ours.addHandler(server.forwarder)
    try:
        if args.tcp:
            server.start_tcp(*_address(args.tcp))
        elif args.ws:
            server.start_ws(*_address(args.ws))
        else:
            _exit_now(transport.start_io(server))
    except ValueError as err:  # a malformed HOST:PORT
        print(f"shapelens: {err}", file=sys.stderr)
        return 2
    return 0


def _exit_now(code: int) -> None:
    """End the process at once after stdio serving: everything is answered and flushed,
    and the interpreter's own teardown (a collection of the whole heap, joining a still
    running analysis thread) took 0.4 s to seconds, past what ``exit`` may take."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
