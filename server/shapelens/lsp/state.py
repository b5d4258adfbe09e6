"""The server object: pygls' ``LanguageServer`` with the state ShapeLens keeps per session.

``ShapeLensServer`` owns the settings (``initializationOptions`` first, then
``workspace/configuration``), the ``pyproject.toml`` configs, and the parts that do the work:
the analysis cache (``documents.Documents``), the diagnostics publisher
(``publisher.Publisher``) and the open notebooks (``notebook_store.Notebooks``). The parts
reach back to it only through ``host.Host``; the feature handlers receive it as their first
argument; ``server.build_server`` registers them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..core import Config
from .config import ProjectConfigs, Settings, effective_config, parse_settings
from .documents import Documents
from .notebook_store import SYNC, Notebooks
from .publisher import Publisher
from .results import Result

log = logging.getLogger("shapelens.lsp.server")  # the logger these messages always had
MESSAGE_TYPES = {logging.ERROR: types.MessageType.Error,
                 logging.WARNING: types.MessageType.Warning,
                 logging.INFO: types.MessageType.Info}


class ShapeLensServer(LanguageServer):
    """A pygls server with the settings, project configs and analysis cache attached."""

    def __init__(self) -> None:
        super().__init__("shapelens", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=SYNC)
        self.settings = Settings()
        self.init_options: Any = None
        self.projects = ProjectConfigs()
        self.publisher = Publisher(self)
        self.notebooks = Notebooks(self)
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
