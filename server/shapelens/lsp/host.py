"""What the server's parts need of the server they belong to: ``Host``.

The analysis cache (``documents``), the diagnostics publisher (``publisher``) and the notebook
store (``notebook_store``) are built and owned by ``state.ShapeLensServer`` and call back into
it: its settings, its connection to the client, one another. They type that back-reference as
this protocol rather than as the class, so none of them imports the module that builds it.
The modules of ``lsp/`` then form layers without an import circle
(``tests/unit/test_import_graph.py``): conversions, the parts, the server object, the feature
handlers, and ``server`` on top, the one place that registers the handlers.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lsprotocol import types
    from pygls.progress import Progress
    from pygls.protocol import JsonRPCProtocol
    from pygls.workspace import Workspace

    from ..core import Config
    from .config import Settings
    from .results import Source


class NotebookSnapshots(Protocol):
    """The open notebooks, each as one program (``notebook_store.Notebooks``)."""

    def snapshot(self, uri: str) -> Source | None: ...


class DiagnosticsRefresh(Protocol):
    """Asks pull clients to pull again (``publisher.Publisher``)."""

    def refresh(self) -> None: ...


class Host(Protocol):
    """The server as its parts see it: pygls' connection, the settings, the other parts."""

    @property
    def settings(self) -> Settings: ...
    @property
    def workspace(self) -> Workspace: ...
    @property
    def client_capabilities(self) -> types.ClientCapabilities: ...
    @property
    def protocol(self) -> JsonRPCProtocol: ...
    @property
    def work_done_progress(self) -> Progress: ...
    @property
    def notebooks(self) -> NotebookSnapshots: ...
    @property
    def publisher(self) -> DiagnosticsRefresh: ...

    def run_task(self, coro: Coroutine[Any, Any, Any]) -> None: ...

    def config_for(self, uri: str, path: str | None) -> Config: ...

    def text_document_publish_diagnostics(self,
                                          params: types.PublishDiagnosticsParams) -> None: ...

    def workspace_diagnostic_refresh(self, params: None,
                                     callback: Callable[[None], None] | None = None
                                     ) -> Future[None]: ...
