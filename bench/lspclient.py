"""A minimal LSP client over stdio for the benchmark: raw JSON-RPC, timestamps on arrival.

The timing of a message is taken the moment its last byte has been read from the server's
stdout, before the JSON is parsed, so the numbers are the server's time plus the pipe, not
the client's (de)serialisation. The client declares as little as a plain editor does: push
diagnostics with versions, UTF-16 positions, no ``workspace/configuration`` (settings come in
``initializationOptions``), no progress, no dynamic registration. Any request the server
sends anyway is answered with ``null``. The server's stderr is drained continuously (a full
pipe would block it) and kept in ``stderr_lines``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SERVER = [sys.executable, "-m", "shapelens", "serve"]


@dataclass
class Published:
    uri: str
    version: int | None
    diagnostics: list[dict[str, Any]]
    arrived: float


@dataclass
class LspProcess:
    """One server process and the client side of its connection."""

    root: Path
    options: dict[str, Any] = field(default_factory=lambda: {"debounce": 0})
    log_level: str = "WARNING"
    command: list[str] = field(default_factory=lambda: list(SERVER))  # the server to run
    proc: asyncio.subprocess.Process | None = None
    started: float = 0.0
    stderr_lines: list[str] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    _next_id: int = 0
    _pending: dict[int, asyncio.Future[tuple[Any, float]]] = field(default_factory=dict)
    _waiters: dict[tuple[str, int | None], asyncio.Future[Published]] = \
        field(default_factory=dict)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    # -- lifecycle -------------------------------------------------------------------------
    async def spawn(self) -> None:
        self.started = time.perf_counter()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = await asyncio.create_subprocess_exec(
            *self.command, "--log-level", self.log_level, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
            limit=2**26)
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._drain())]

    async def initialize(self) -> float:
        """``initialize`` + ``initialized``; returns the time the answer arrived."""
        _, arrived = await self.request("initialize", {
            "processId": os.getpid(),
            "rootUri": self.root.as_uri(),
            "capabilities": {"textDocument": {
                "publishDiagnostics": {"versionSupport": True},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "inlayHint": {},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {
                    "valueSet": ["quickfix", "source", "source.fixAll"]}}},
            }},
            "initializationOptions": self.options,
        })
        self.notify("initialized", {})
        return arrived

    async def start(self) -> None:
        await self.spawn()
        await self.initialize()

    async def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.request("shutdown", None), 30)
            self.notify("exit", None)
        try:
            await asyncio.wait_for(self.proc.wait(), 5)
        except asyncio.TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        for task in self._tasks:
            task.cancel()

    # -- memory ----------------------------------------------------------------------------
    def memory_kib(self) -> tuple[int, int]:
        """``(VmRSS, VmHWM)`` of the server in KiB (Linux ``/proc``)."""
        assert self.proc is not None
        values = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
        return values["VmRSS"], values["VmHWM"]

    # -- messages --------------------------------------------------------------------------
    def _write(self, message: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method: str, params: Any) -> asyncio.Future[tuple[Any, float]]:
        self._next_id += 1
        future: asyncio.Future[tuple[Any, float]] = \
            asyncio.get_running_loop().create_future()
        self._pending[self._next_id] = future
        self._write({"jsonrpc": "2.0", "id": self._next_id, "method": method,
                     "params": params})
        return future

    async def request(self, method: str, params: Any) -> tuple[Any, float]:
        """``(result, arrival time)``; a JSON-RPC error raises ``RuntimeError``."""
        return await self.send_request(method, params)

    async def timed(self, method: str, params: Any) -> tuple[Any, float]:
        """``(result, seconds from sending to the answer's arrival)``."""
        sent = time.perf_counter()
        result, arrived = await self.request(method, params)
        return result, arrived - sent

    def expect(self, uri: str, version: int | None) -> asyncio.Future[Published]:
        """A future for the ``publishDiagnostics`` of ``uri`` at ``version``."""
        future: asyncio.Future[Published] = asyncio.get_running_loop().create_future()
        done = [p for p in self.published if (p.uri, p.version) == (uri, version)]
        if done:
            future.set_result(done[-1])
        else:
            self._waiters[(uri, version)] = future
        return future

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        stdout = self.proc.stdout
        while True:
            length = None
            while True:
                line = await stdout.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            body = await stdout.readexactly(length)
            arrived = time.perf_counter()
            self._dispatch(json.loads(body), arrived)

    def _dispatch(self, message: dict[str, Any], arrived: float) -> None:
        if "id" in message and "method" not in message:
            future = self._pending.pop(message["id"], None)
            if future is not None and not future.done():
                if "error" in message:
                    future.set_exception(RuntimeError(message["error"]))
                else:
                    future.set_result((message.get("result"), arrived))
        elif "id" in message:  # a request from the server: answer it, nothing more
            self._write({"jsonrpc": "2.0", "id": message["id"], "result": None})
        elif message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            pub = Published(params["uri"], params.get("version"), params["diagnostics"],
                            arrived)
            self.published.append(pub)
            waiter = self._waiters.pop((pub.uri, pub.version), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(pub)

    async def _drain(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            self.stderr_lines.append(line.decode("utf-8", "replace").rstrip())


class Document:
    """An open document: its text on the client side and its version."""

    def __init__(self, server: LspProcess, path: Path, text: str):
        self.server = server
        self.uri = path.resolve().as_uri()
        self.lines = text.split("\n")
        self.version = 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    async def open(self) -> Published:
        waiter = self.server.expect(self.uri, 1)
        self.server.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri, "languageId": "python", "version": 1, "text": self.text}})
        return await waiter

    def close(self) -> None:
        self.server.notify("textDocument/didClose", {"textDocument": {"uri": self.uri}})

    def change(self, line: int, start: int, end: int, new: str) -> int:
        """Replace characters ``start:end`` of ``line`` (ASCII columns) with ``new``."""
        self.version += 1
        text = self.lines[line]
        self.lines[line] = text[:start] + new + text[end:]
        self.server.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                          "end": {"line": line, "character": end}},
                                "text": new}]})
        return self.version

    async def timed_change(self, line: int, start: int, end: int, new: str) -> float:
        """One edit; seconds from sending it to its diagnostics arriving."""
        waiter = self.server.expect(self.uri, self.version + 1)
        sent = time.perf_counter()
        self.change(line, start, end, new)
        published = await waiter
        return published.arrived - sent

    def enter(self, line: int, join: bool = False) -> int:
        """Press Enter at the end of ``line`` (a new blank line below it), or with ``join``
        delete the line break there again (Backspace): the lines below move."""
        self.version += 1
        end = len(self.lines[line])
        if join:
            stop = {"line": line + 1, "character": 0}
            self.lines[line] += self.lines.pop(line + 1)
        else:
            stop = {"line": line, "character": end}
            self.lines.insert(line + 1, "")
        self.server.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [{"range": {"start": {"line": line, "character": end},
                                          "end": stop},
                                "text": "" if join else "\n"}]})
        return self.version

    async def timed_enter(self, line: int, join: bool = False) -> float:
        """``enter``; seconds from sending it to its diagnostics arriving."""
        waiter = self.server.expect(self.uri, self.version + 1)
        sent = time.perf_counter()
        self.enter(line, join)
        published = await waiter
        return published.arrived - sent

    def ident(self) -> dict[str, str]:
        return {"uri": self.uri}


class Notebook:
    """An open notebook (LSP 3.17 notebook sync): one text document per code cell."""

    def __init__(self, server: LspProcess, path: Path, cells: list[str]):
        self.server = server
        self.uri = path.resolve().as_uri()
        self.cells = [text.split("\n") for text in cells]
        self.cell_uris = [f"vscode-notebook-cell:{path.resolve()}#C{i}" for i in
                          range(len(cells))]
        self.cell_versions = [1] * len(cells)
        self.version = 1

    def open(self) -> None:
        self.server.notify("notebookDocument/didOpen", {
            "notebookDocument": {"uri": self.uri, "notebookType": "jupyter-notebook",
                                 "version": 1, "cells": [
                                     {"kind": 2, "document": uri} for uri in self.cell_uris]},
            "cellTextDocuments": [{"uri": uri, "languageId": "python", "version": 1,
                                   "text": "\n".join(lines)}
                                  for uri, lines in zip(self.cell_uris, self.cells)]})

    def change(self, cell: int, start: tuple[int, int], end: tuple[int, int],
               new: str) -> None:
        """Replace the text between two ``(line, col)`` positions of one cell (ASCII)."""
        lines = self.cells[cell]
        (l0, c0), (l1, c1) = start, end
        text = lines[l0][:c0] + new + lines[l1][c1:]
        lines[l0:l1 + 1] = text.split("\n")
        self.version += 1
        self.cell_versions[cell] += 1
        self.server.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": self.uri, "version": self.version},
            "change": {"cells": {"textContent": [{
                "document": {"uri": self.cell_uris[cell],
                             "version": self.cell_versions[cell]},
                "changes": [{"range": {"start": {"line": l0, "character": c0},
                                       "end": {"line": l1, "character": c1}},
                             "text": new}]}]}}})

    async def timed_change(self, cell: int, start: tuple[int, int], end: tuple[int, int],
                           new: str) -> float:
        """One edit, then a pull of the edited cell's diagnostics (answered once the new
        revision is analysed); seconds from sending the edit to the answer's arrival."""
        sent = time.perf_counter()
        self.change(cell, start, end, new)
        _, arrived = await self.server.request("textDocument/diagnostic", {
            "textDocument": {"uri": self.cell_uris[cell]}})
        return arrived - sent
