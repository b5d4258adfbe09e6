"""Lifecycle and document sync: initialize, settings, pyproject watching, open/change/save/close.

Each handler takes the server first (``state.ShapeLensServer``) and hands the work to its
parts; ``server.build_server`` registers them.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from . import workspace
from .config import parse_settings

if TYPE_CHECKING:
    from .state import ShapeLensServer

log = logging.getLogger("shapelens.lsp.server")  # the logger these messages always had
PYPROJECT_GLOB = "**/pyproject.toml"


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
