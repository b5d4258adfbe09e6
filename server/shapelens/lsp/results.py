"""One analysis of one document version, as the language server keeps it: ``Result``.

``analyze_snapshot`` is what the analysis worker thread runs (``documents.Documents``): the
core analysis of a document's text plus the line splitting every conversion needs, so the
event loop only ever receives a finished ``Result``. ``Source`` is what an analysis needs of
a document, whether a pygls text document or a notebook's cells (``notebook_store``).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pygls.uris import to_fs_path
from pygls.workspace import PositionCodec

from ..core import Analysis, AssignmentFact, Config, Finding, Span, analyze
from ..jupyter import (
    cell_label,
    is_virtual_notebook,
    saved_notebook,
    virtual_cells,
    without_automagic,
)
from .convert import Positions

if TYPE_CHECKING:
    from ..core import Session  # (the incremental engine: imported by the recording run)
    from ..core.execute import Resolver
    from .cells import Layout

log = logging.getLogger("shapelens.lsp.documents")  # the name users filter the timings by
Key = tuple[int, int, int]  # (document version, settings generation, version epoch)


@dataclass
class Result:
    """One analysis of one version, with everything needed to convert it."""

    uri: str
    key: Key
    source: str
    analysis: Analysis
    positions: Positions
    config: Config
    cache: dict[str, Any] = field(default_factory=dict)  # per-feature indexes (hover)
    layout: Layout | None = None  # a notebook's cells (``notebooks``); None for a file

    @property
    def version(self) -> int:
        return self.key[0]

    def where(self, line: int) -> str:
        """How a card names 1-based ``line``: program lines mean nothing in a notebook."""
        if self.layout is not None:
            return self.layout.label(line)
        cells = self.virtual_cells
        return f"line {line}" if cells is None else cell_label(cells, line)

    @cached_property
    def virtual_cells(self) -> list[tuple[int, int, int]] | None:
        """The cells of jupyterlab-lsp's one text document for a saved notebook (see
        ``shapelens.jupyter``), or ``None`` for any other document."""
        path = to_fs_path(self.uri) or ""
        if not is_virtual_notebook(path, self.source):
            return None
        saved = saved_notebook(path)
        return None if saved is None else virtual_cells(self.source, saved)

    @cached_property
    def parses(self) -> bool:
        return not any(f.code == "SL901" for f in self.analysis.findings)

    @cached_property
    def assignments_by_line(self) -> dict[int, list[AssignmentFact]]:
        out: dict[int, list[AssignmentFact]] = {}
        for fact in self.analysis.assignments:
            out.setdefault(fact.line, []).append(fact)
        return out


class Collector:
    """A full collection of cyclic garbage every ``every`` analyses, run by the analysis
    worker after the analysis that triggers it (so its diagnostics are out first).

    Each analysis leaves its interpreter's parts as cyclic garbage, and with them the tree it
    ran (a syntax error re-parses the whole file: a whole old tree per keystroke). They live
    long enough to reach the oldest generation, which CPython collects only once a quarter
    of the heap has been added to it: in ``bench/soak.py`` that was hundreds of analyses'
    garbage, and memory grew with it. A full collection of a server's heap takes tens of
    milliseconds: one every 64 analyses costs about 1 ms per analysis.

    What survives it is set aside (``gc.freeze``) until the next one: CPython's own
    collections of the oldest generation in between look only at what came since, not at
    the millions of objects a long file's analysis keeps alive (each was a 100-200 ms pause
    of the edit it fell on, every twenty-odd edits: the 95th percentile of a 10,000-line
    file's Enter/Backspace). The first analysis's objects are set aside at once."""

    def __init__(self, submit: Callable[[Callable[[], object]], object], every: int = 64):
        self.submit = submit
        self.every = every
        self.count = 0

    def analysed(self) -> None:
        self.count += 1
        if self.count % self.every == 0 or self.count == 1:
            with contextlib.suppress(RuntimeError):  # shut down: the server is ending
                self.submit(full_collection)


# Whether a full collection sets aside what it leaves: the server's own process only
# (``server.serve``); a program that embeds the documents keeps its collector as it is.
SET_ASIDE = [False]


def full_collection() -> None:
    """Collect every generation, then set aside what is left (see ``Collector``)."""
    if not SET_ASIDE[0]:
        gc.collect()
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Source(Protocol):
    """What an analysis needs of a document: a pygls ``TextDocument`` or a notebook
    ``notebook_store.Snapshot`` (its cells as one program)."""

    @property
    def source(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def version(self) -> int | None: ...
    @property
    def position_codec(self) -> PositionCodec: ...


def analyze_snapshot(uri: str, key: Key, source: str, path: str, config: Config,
                      codec: PositionCodec, resolver: Resolver | None = None,
                      session: Session | None = None, recording: bool = False,
                      resume_gc: bool = True, lines: Sequence[str] | None = None,
                      python_lines: list[str] | None = None) -> Result:
    """Runs in the worker thread: the core analysis plus line splitting for conversion.

    ``recording``: the run that follows a document's first (unrecorded) analysis to fill its
    ``session``; logged at debug level, as the same version was already reported.

    A first analysis (no ``session``) runs with the cyclic garbage collector paused: the
    syntax tree and the values it builds outlive it, so the hundred-odd collections that
    would run meanwhile (about 8 ms of the 65 ms a 2,000-line file takes, on the way to
    the document's first diagnostics) free next to nothing; the one collection after it
    frees the little there is. Later analyses (every keystroke) collect as usual.
    ``resume_gc=False``: the caller turns the collector back on (``Documents`` does once the
    diagnostics are out, so that collection does not delay them). ``lines``,
    ``python_lines``: the document's lines as LSP and as Python count them, when it keeps
    them (``workspace.LspTextDocument``): for ``Positions`` and for ``analyze``."""
    start = time.perf_counter()
    paused = session is None and gc.isenabled()
    if paused:
        gc.disable()
    try:
        analysis = _analyze_snapshot(uri, key, source, path, config, resolver, session,
                                     recording, start, python_lines)
        return Result(uri, key, source, analysis, Positions(source, codec, lines), config)
    finally:
        if paused and resume_gc:
            gc.enable()


def _analyze_snapshot(uri: str, key: Key, source: str, path: str, config: Config,
                      resolver: Resolver | None, session: Session | None, recording: bool,
                      start: float, lines: list[str] | None) -> Analysis:
    try:
        # A BOM in the editor's text (Python skips it in a file) would be a syntax error
        # that hides the whole file; columns on the first line are then one unit early.
        text = source.removeprefix("\ufeff")
        if is_virtual_notebook(path, text):  # jupyterlab-lsp's: its automagic lines are not Python
            text = without_automagic(text)
        analysis = analyze(text, path, config, resolver=resolver, session=session,
                           lines=lines if text is source else None)  # (not when stripped)
        stats = session.stats if session is not None else \
            {"run": len(analysis.tree.body) if analysis.tree is not None else 0}
        log.log(logging.DEBUG if recording else logging.INFO,
                "analysed %s v%d in %.0f ms: %d finding(s); %d statement(s) run, %d replayed",
                Path(path).name, key[0], (time.perf_counter() - start) * 1000,
                len(analysis.findings), stats.get("run", 0), stats.get("reused", 0))
    except Exception as err:  # RecursionError in ast.parse, MemoryError, engine bugs
        log.exception("analysis of %s failed", uri)
        analysis = Analysis(path)
        analysis.findings.append(Finding(
            "SL903", f"analysis failed ({type(err).__name__}); results are unknown",
            Span(1, 0, 1, 0), "information"))
    return analysis
