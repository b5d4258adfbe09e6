"""The ShapeLens language server: the one place features are registered, and the entry point.

``build_server()`` wires the feature modules (each a few short handlers: get the document, get
its cached analysis, convert, return) to their LSP methods; ``serve(args)`` is what
``shapelens serve`` runs (stdio by default, ``--tcp``/``--ws`` for debugging).

The layers of ``lsp/``, each importing only those below it: conversions and settings
(``convert``, ``config``, ``cells``, ``cards``, ``workspace``, ``transport``); the server's
parts (``results``, ``documents``, ``publisher``, ``notebook_store``), which see the server as
``host.Host``; the server object (``state.ShapeLensServer``); the feature handlers
(``lifecycle``, ``diagnostics``, ``hover``, ``inlay_hints``, ``code_actions``, ``notebooks``);
and this module.

Settings come from ``initializationOptions`` first, then from ``workspace/configuration``
after ``initialized``; documents opened before the settings arrive wait for them (bounded by
``documents.READY_TIMEOUT``). ``[tool.shapelens]`` in ``pyproject.toml`` is watched through
``workspace/didChangeWatchedFiles`` (registered dynamically when the client allows it).
Jupyter notebooks are synced as notebook documents (``notebook_store.SYNC``); requests on
their cells are routed to ``notebooks`` by ``notebooks.cell_aware``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from typing import TYPE_CHECKING

from lsprotocol import types

from . import diagnostics, hover, inlay_hints, lifecycle, notebooks, transport
from .results import SET_ASIDE
from .state import ShapeLensServer

if TYPE_CHECKING:
    import argparse

GC_THRESHOLD = 2_000  # allocations between young collections (CPython's default: 700)
# ``code_actions.OPTIONS``, declared here so that starting the server does not import the
# code actions, the fixers and LibCST (a test checks that the two are equal).
CODE_ACTION_OPTIONS = types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, "source.fixAll.shapelens"],
    resolve_provider=False)


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
        (types.INITIALIZE, lifecycle.initialize, None),
        (types.INITIALIZED, lifecycle.initialized, None),
        (types.SHUTDOWN, lifecycle.shutdown, None),
        (types.TEXT_DOCUMENT_DID_OPEN, lifecycle.did_open, None),
        (types.TEXT_DOCUMENT_DID_CHANGE, lifecycle.did_change, None),
        (types.TEXT_DOCUMENT_DID_SAVE, lifecycle.did_save,
         types.SaveOptions(include_text=False)),
        (types.TEXT_DOCUMENT_DID_CLOSE, lifecycle.did_close, None),
        (types.NOTEBOOK_DOCUMENT_DID_OPEN, notebooks.did_open, None),
        (types.NOTEBOOK_DOCUMENT_DID_CHANGE, notebooks.did_change, None),
        (types.NOTEBOOK_DOCUMENT_DID_CLOSE, notebooks.did_close, None),
        (types.WORKSPACE_DID_CHANGE_CONFIGURATION, lifecycle.did_change_configuration, None),
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, lifecycle.did_change_watched_files, None),
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
        SET_ASIDE[0] = True  # the worker's full collections set aside what survives
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
