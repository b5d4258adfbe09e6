"""Open documents and their analyses: debounced, off the event loop, never stale.

Every open document has one ``DocumentState``. An analysis is identified by its ``Key``:
the document version plus the settings generation (bumped when any setting or
``pyproject.toml`` changes), so a result is reused exactly as long as both still hold.

* **Debounce.** ``schedule`` (on open, change, save, settings change) restarts a per-document
  timer; when it fires, the current version is analysed. Requests (hover, inlay hints, pull
  diagnostics, code actions) do not wait for the timer: ``get`` starts the analysis of the
  current version at once, or joins the one already running.
* **Off the loop.** ``analyze`` runs in a single worker thread, so the message loop keeps
  reading (the GIL is released every few milliseconds). One worker serialises the work:
  a flood of edits never runs stale analyses in parallel with the one that matters.
* **Superseded work.** When a newer version arrives, queued analyses of older versions are
  cancelled before they start; one already running finishes but is never published (only a
  result whose key is still current reaches ``on_result``). A request waiting for a
  cancelled analysis gets ``ContentModified``, which clients treat as "ask again".
* **Incremental.** Each document keeps a ``core.Session``: an analysis replays every
  top-level statement the edit cannot have changed. Only the worker thread touches it. The
  first analysis of a document runs without recording (its diagnostics come sooner); the
  recording run is queued once they are published, ahead of any later edit's analysis.
* **Last good result.** ``good`` keeps the newest result without syntax errors; hover and
  inlay hints fall back to it on lines whose text is unchanged while the file does not parse.
* **Progress.** An analysis that runs longer than ``progressDelay`` shows a ``$/progress``
  indicator, ended when it finishes (or is cancelled).
* **Notebooks.** An open notebook is one document here: ``document`` answers for its uri
  with a ``notebook_store.Snapshot`` (its python cells as one program, a revision as version), so
  the rules above hold for it unchanged; the result carries the cells' ``Layout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified
from pygls.uris import to_fs_path
from pygls.workspace import PositionCodec, TextDocument

from ..core import AssignmentFact, Config, disk_resolver
from .results import Collector, Key, Result, Source, analyze_snapshot
from .workspace import LspTextDocument

if TYPE_CHECKING:
    from ..core import Session
    from ..core.execute import Resolver
    from .cells import Layout
    from .host import Host

log = logging.getLogger(__name__)
READY_TIMEOUT = 5.0  # seconds to wait for workspace/configuration before analysing anyway
# An open file's lines as LSP and as Python count them (``LspTextDocument.split``,
# ``python_lines``), kept by the document from edit to edit.
Lines = tuple[list[str], list[str]]
# What a document's first analysis ran with, for its recording run: source, path, config,
# codec, resolver, notebook layout, the document's lines.
Run = tuple[str, str, Config, PositionCodec, "Resolver", "Layout | None", "Lines | None"]


@dataclass
class DocumentState:
    uri: str
    timer: asyncio.Task[None] | None = None
    jobs: dict[Key, asyncio.Task[Result]] = field(default_factory=dict)
    queued: dict[Key, Future[Result]] = field(default_factory=dict)
    result: Result | None = None
    good: Result | None = None
    # What the last analysis learnt, reused for the statements an edit cannot change. Only
    # the (single) worker thread touches it. Made for the recording run (``_record``): the
    # incremental engine is not imported before a document's first diagnostics.
    session: Session | None = None
    # Its session's recording run is queued or done: once, so a file over the time budget
    # (whose session stays empty) does not pay for two analyses per edit.
    recording: bool = False


class Documents:
    """The analysis cache of all open documents (see the module docstring)."""

    def __init__(self, server: Host,
                 on_result: Callable[[Result], None] = lambda result: None):
        self.server = server
        self.on_result = on_result
        self.generation = 0
        self.ready = asyncio.Event()  # set once the settings are known
        self.states: dict[str, DocumentState] = {}
        self.dependency_epochs: dict[str, int] = {}
        self.executor = ThreadPoolExecutor(max_workers=1,
                                           thread_name_prefix="shapelens-analysis")
        self.collector = Collector(self.executor.submit)  # the analyses' cyclic garbage

    # -- document access --------------------------------------------------------------
    def document(self, uri: str) -> TextDocument | Source | None:
        """The open document (or notebook), or ``None``: unopened files get nothing."""
        notebook = self.server.notebooks.snapshot(uri)
        if notebook is not None:
            return notebook
        return self.server.workspace.text_documents.get(unquote(uri))

    def key(self, uri: str) -> Key | None:
        doc = self.document(uri)
        if doc is None:
            return None
        # A change in a module this document imports bumps its dependency epoch.
        epoch = getattr(doc, "epoch", 0) + self.dependency_epochs.get(uri, 0)
        return (doc.version or 0, self.generation, epoch)

    def open_uris(self) -> list[str]:
        return list(self.states)

    # -- scheduling -----------------------------------------------------------------------
    def schedule(self, uri: str, immediately: bool = False) -> None:
        """(Re)start the debounce timer of ``uri``; the timer analyses the newest version.

        ``immediately`` (open, save) skips the delay: there is no typing burst to wait out.
        """
        if self.document(uri) is None:
            return
        state = self.states.setdefault(uri, DocumentState(uri))
        if state.timer is not None:
            state.timer.cancel()
        self._supersede(state)
        delay = 0.0 if immediately else self.server.settings.debounce / 1000
        state.timer = asyncio.ensure_future(self._debounced(uri, delay))

    def schedule_dependants(self, uri: str) -> None:
        """``uri`` changed: re-analyse the open documents that import it (cross-file)."""
        doc = self.document(uri)
        path = getattr(doc, "path", None)
        if not path:
            return
        refreshed = False
        for other, state in list(self.states.items()):
            result = state.result or state.good
            if other != uri and result is not None and path in result.analysis.imports:
                self.dependency_epochs[other] = self.dependency_epochs.get(other, 0) + 1
                self.schedule(other)
                refreshed = True
        if refreshed:
            self.server.publisher.refresh()  # pull clients: ask them to pull again

    def resolver(self, path: str) -> Resolver:
        """Workspace modules for cross-file analysis: open buffers win over the disk."""
        overlay = {doc.path: doc.source
                   for doc in self.server.workspace.text_documents.values() if doc.path}
        roots = [Path(unquote(urlparse(folder.uri).path))
                 for folder in self.server.workspace.folders.values()]
        if path:
            roots.append(Path(path).parent)
        return disk_resolver(roots, overlay)

    def schedule_all(self) -> None:
        """Settings changed: every open document gets a new key and is re-analysed."""
        self.generation += 1
        for uri in self.open_uris():
            self.schedule(uri)

    async def _debounced(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            await self.get(uri)
        except JsonRpcContentModified:
            pass  # a newer version took over; its own timer runs
        except Exception:  # never let a bug end as "task exception was never retrieved"
            log.exception("analysis of %s failed", uri)

    def close(self, uri: str) -> None:
        state = self.states.pop(uri, None)
        if state is None:
            return
        if state.timer is not None:
            state.timer.cancel()
        for future in state.queued.values():
            future.cancel()
        for job in state.jobs.values():
            job.cancel()

    def shutdown(self) -> None:
        for uri in self.open_uris():
            self.close(uri)
        self.executor.shutdown(wait=False, cancel_futures=True)

    # -- results --------------------------------------------------------------------------
    async def get(self, uri: str) -> Result | None:
        """The analysis of the current version of ``uri`` (``None`` if it is not open).

        Raises ``JsonRpcContentModified`` when a newer edit cancelled the analysis this
        call was waiting for.
        """
        key = self.key(uri)
        if key is None:
            return None
        state = self.states.setdefault(uri, DocumentState(uri))
        if state.result is not None and state.result.key == key:
            return state.result
        job = state.jobs.get(key)
        if job is None:
            job = self._start(state, key)
        try:
            return await asyncio.shield(job)
        except asyncio.CancelledError:
            if job.cancelled() and not _current_task_cancelling():
                raise JsonRpcContentModified(f"{uri} changed while it was analysed") from None
            raise

    def _start(self, state: DocumentState, key: Key) -> asyncio.Task[Result]:
        doc = self.document(state.uri)
        assert doc is not None
        # An open file keeps its lines from edit to edit: its analysis need not split them.
        lines = (doc.split(), doc.python_lines()) if isinstance(doc, LspTextDocument) else None
        job = asyncio.ensure_future(self._job(state, key, doc.source, doc.path,
                                              doc.position_codec, getattr(doc, "layout", None),
                                              lines))
        state.jobs[key] = job
        job.add_done_callback(lambda _: state.jobs.pop(key, None))
        return job

    def _supersede(self, state: DocumentState) -> None:
        """Cancel queued (not yet running) analyses of keys that are no longer current."""
        current = self.key(state.uri)
        for key, future in list(state.queued.items()):
            if key != current:
                future.cancel()  # no-op for the one already running

    async def _job(self, state: DocumentState, key: Key, source: str, path: str,
                   codec: PositionCodec, layout: Layout | None = None,
                   lines: Lines | None = None) -> Result:
        if not self.ready.is_set():
            try:
                await asyncio.wait_for(self.ready.wait(), READY_TIMEOUT)
            except asyncio.TimeoutError:
                log.warning("no settings after %.0f s; analysing with the defaults",
                            READY_TIMEOUT)
                self.ready.set()
            if self.key(state.uri) != key:  # edited while waiting: analyse the new text
                raise asyncio.CancelledError
        config = self.server.config_for(state.uri, path)
        # The first analysis of a document runs without recording (about twice as fast), so
        # its diagnostics come sooner; the recording run is queued once they are published,
        # before any later edit's analysis (``recording`` keeps those from being first runs).
        fresh = (state.session is None or not state.session.order) and not state.recording
        resolver = self.resolver(path)
        future = self.executor.submit(analyze_snapshot, state.uri, key, source,
                                      path or state.uri, config, codec, resolver,
                                      None if fresh else state.session, resume_gc=False,
                                      lines=lines and lines[0],
                                      python_lines=lines and lines[1])
        state.queued[key] = future
        # Not cancelled from here: cancelling it mid ``create`` request would leave pygls a
        # response for a dead future; it ends by itself once ``future`` is done.
        self.server.run_task(self._progress_after_delay(state.uri, future))
        try:
            return await self._finish(state, key, future, fresh, (source, path, config, codec,
                                                                   resolver, layout, lines))
        finally:
            if fresh:  # a first analysis paused the collector: on again, diagnostics out
                gc.enable()

    async def _finish(self, state: DocumentState, key: Key, future: Future[Result],
                      fresh: bool, run: Run) -> Result:
        """The analysis is done: keep it, publish it if still current, record a first one."""
        layout = run[5]
        try:
            result = await asyncio.wrap_future(future)
        finally:
            state.queued.pop(key, None)
        self.collector.analysed()
        result.layout = layout
        if self.states.get(state.uri) is not state:
            return result  # closed meanwhile
        # The results this one replaces are freed once it is published, not before: freeing
        # an analysis of a long file (its values, its lines) took a fraction of a millisecond.
        replaced = state.result, state.good
        if state.result is None or _order(state.result.key) <= _order(key):
            state.result = result
            if result.parses:
                state.good = result
        if self.key(state.uri) == key:
            self.on_result(result)
            if fresh:
                self._record(state, key, run)
        del replaced
        return result

    def _record(self, state: DocumentState, key: Key, run: Run) -> None:
        """Queue the recording run that fills the document's session (see ``_job``); its
        result replaces the first one (``_adopt``)."""
        source, path, config, codec, resolver, layout, lines = run
        state.recording = True
        if state.session is None:
            from ..core import Session

            state.session = Session()
        recorded = self.executor.submit(analyze_snapshot, state.uri, key, source,
                                        path or state.uri, config, codec, resolver,
                                        state.session, True, lines=lines and lines[0],
                                        python_lines=lines and lines[1])
        loop = asyncio.get_running_loop()

        def adopt_later(done: Future[Result]) -> None:
            with contextlib.suppress(RuntimeError):  # the loop is gone: shutting down
                loop.call_soon_threadsafe(self._adopt, state, done, layout)

        recorded.add_done_callback(adopt_later)

    def _adopt(self, state: DocumentState, done: Future[Result], layout: Layout | None) -> None:
        """The recording run of a first analysis replaces it (same version, same facts), so
        one set of analysed values per document stays in memory, not two."""
        if done.cancelled() or done.exception() is not None:
            return
        result = done.result()
        result.layout = layout
        current = state.result
        if current is not None and current.key == result.key:
            if state.good is current:
                state.good = result
            state.result = result

    async def _progress_after_delay(self, uri: str, future: Future[Result]) -> None:
        """Show ``$/progress`` if the analysis is still running after ``progressDelay``."""
        caps = self.server.client_capabilities.window
        if caps is None or not caps.work_done_progress:
            return
        delay = self.server.settings.progress_delay / 1000
        if delay > 0:  # 0 means "always", which makes the indicator testable
            await asyncio.sleep(delay)
            if future.done():
                return
        token = f"shapelens-{uuid.uuid4()}"
        progress = self.server.work_done_progress
        try:
            await progress.create_async(token)
            progress.begin(token, types.WorkDoneProgressBegin(
                title="ShapeLens", message=f"analysing {Path(to_fs_path(uri) or uri).name}",
                cancellable=False))
            await asyncio.wait([asyncio.wrap_future(future)])  # done, failed or cancelled
        except Exception as err:  # a client that refuses the token: no indicator
            log.debug("no progress indicator: %s", err)
        finally:
            if progress.tokens.pop(token, None) is not None:
                progress.end(token, types.WorkDoneProgressEnd(message="done"))

    def fallback_facts(self, result: Result, line: int) -> list[AssignmentFact]:
        """Facts of ``line`` from the last good result, if that line's text is unchanged.

        While a statement does not parse, the engine blanks it; the last good analysis still
        describes this line if its text is the same at the same line number.
        """
        if result.parses:
            return []
        state = self.states.get(result.uri)
        good = state.good if state is not None else None
        if good is None or not 1 <= line <= len(result.positions.lines) or \
                line > len(good.positions.lines):
            return []
        if good.positions.lines[line - 1] != result.positions.lines[line - 1]:
            return []
        return good.assignments_by_line.get(line, [])


def _order(key: Key) -> tuple[int, int, int]:
    """Newest first by epoch: a client's version numbers repeat only in a new epoch
    (``workspace.ShapeLensWorkspace``)."""
    return (key[2] if len(key) > 2 else 0), key[1], key[0]


def _current_task_cancelling() -> bool:
    """True when the *caller* is being cancelled (``$/cancelRequest``), not the job."""
    task = asyncio.current_task()
    cancelling = getattr(task, "cancelling", None)  # Python >= 3.11
    return task is not None and cancelling is not None and cancelling() > 0
