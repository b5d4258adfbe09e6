"""A raw, thread-based LSP client for the hardening tests.

The pytest-lsp client only sends well-formed messages; these tests also send broken frames,
invalid JSON, unknown methods and out-of-order versions, and watch the process itself
(stderr, exit code, how long ``exit`` takes). ``LspServer`` starts ``python -m shapelens
serve`` over stdio, reads its stdout on a thread into ``messages`` and its stderr into
``stderr``, answers the server's own requests (``workspace/configuration`` with the
``settings`` given, everything else with ``null``), and lets a test wait for a message that
satisfies a condition. Every wait has a timeout: a hang fails the test, it never blocks it.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SERVER = [sys.executable, "-m", "shapelens", "serve"]
TIMEOUT = 15.0
Message = dict[str, Any]


class RpcError(Exception):
    def __init__(self, error: dict[str, Any]):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.message = error.get("message")


def position(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


def span(a: int, b: int, c: int, d: int) -> dict[str, dict[str, int]]:
    return {"start": position(a, b), "end": position(c, d)}


class LspServer:
    """One server process; use as a context manager (the process is always reaped)."""

    def __init__(self, *, cwd: Path | None = None, env: dict[str, str] | None = None,
                 argv: Sequence[str] = SERVER, settings: dict[str, Any] | None = None):
        self.settings = settings
        self.proc = subprocess.Popen(
            list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=cwd, env=env)  # env: the whole environment (None: this process's)
        self.messages: list[Message] = []
        self.stderr: list[str] = []
        self.stdout_closed = False
        self._cond = threading.Condition()
        self._next_id = 0
        self._write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    def __enter__(self) -> LspServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    # -- writing -------------------------------------------------------------------------
    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        with self._write_lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def send(self, message: Message) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method: str, params: Any = None) -> int:
        with self._cond:
            self._next_id += 1
            msg_id = self._next_id
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return msg_id

    def response(self, msg_id: int | str, timeout: float = TIMEOUT) -> Message:
        return self.wait_for(lambda m: m.get("id") == msg_id and "method" not in m, timeout,
                             f"the answer to request {msg_id}")

    def call(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> Any:
        """Send a request and return its result; a JSON-RPC error raises ``RpcError``."""
        answer = self.response(self.send_request(method, params), timeout)
        if "error" in answer:
            raise RpcError(answer["error"])
        return answer.get("result")

    # -- lifecycle -----------------------------------------------------------------------
    def initialize(self, capabilities: dict[str, Any] | None = None,
                   options: dict[str, Any] | None = None, root: Path | None = None,
                   ) -> dict[str, Any]:
        caps = capabilities if capabilities is not None else {"textDocument": {
            "publishDiagnostics": {"versionSupport": True}}}
        result = self.call("initialize", {
            "processId": os.getpid(), "capabilities": caps,
            "rootUri": root.as_uri() if root else None,
            "initializationOptions": {"debounce": 0, **(options or {})}})
        self.notify("initialized", {})
        return result

    def shutdown_and_exit(self, timeout: float = 1.0) -> tuple[int | None, float]:
        """``shutdown`` then ``exit``; returns the exit code and seconds ``exit`` took."""
        self.call("shutdown")
        start = time.perf_counter()
        self.notify("exit")
        try:
            code: int | None = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            code = None
        return code, time.perf_counter() - start

    # -- documents -----------------------------------------------------------------------
    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": version, "text": text}})

    def change(self, uri: str, version: int, *changes: dict[str, Any]) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": list(changes)})

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def published(self, uri: str, version: int | None = None,
                  timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """The diagnostics of the first ``publishDiagnostics`` for ``uri`` at ``version``."""
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and (version is None or m["params"].get("version") == version),
            timeout, f"diagnostics of {uri} v{version}")
        return message["params"]["diagnostics"]

    def publications(self, uri: str) -> list[dict[str, Any]]:
        with self._cond:
            return [m["params"] for m in self.messages
                    if m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == uri]

    def hover(self, uri: str, line: int, character: int) -> Any:
        return self.call("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": position(line, character)})

    def inlay_hints(self, uri: str, rng: dict[str, Any]) -> Any:
        return self.call("textDocument/inlayHint", {"textDocument": {"uri": uri},
                                                    "range": rng})

    def code_actions(self, uri: str, rng: dict[str, Any],
                     diagnostics: list[dict[str, Any]] | None = None) -> Any:
        return self.call("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": rng,
            "context": {"diagnostics": diagnostics or []}})

    # -- reading -------------------------------------------------------------------------
    def wait_for(self, predicate: Callable[[Message], bool], timeout: float = TIMEOUT,
                 what: str = "a message", since: int = 0) -> Message:
        """The first message (from ``messages[since]`` on) that satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            seen = since
            while True:
                for message in self.messages[seen:]:
                    if predicate(message):
                        return message
                seen = len(self.messages)
                left = deadline - time.monotonic()
                if left <= 0 or self.stdout_closed:
                    raise AssertionError(f"no {what} within {timeout} s; server exit code "
                                         f"{self.proc.poll()}; stderr:\n{self.stderr_text}")
                self._cond.wait(left)

    @property
    def stderr_text(self) -> str:
        with self._cond:
            return "\n".join(self.stderr)

    def log_messages(self, kinds: tuple[int, ...] = (1,)) -> list[str]:
        """``window/logMessage`` and ``window/showMessage`` texts of the given types
        (1 error, 2 warning, 3 info, 4 log)."""
        with self._cond:
            return [m["params"]["message"] for m in self.messages
                    if m.get("method") in ("window/logMessage", "window/showMessage")
                    and m["params"].get("type") in kinds]

    def problems(self) -> list[str]:
        """Tracebacks and errors the server logged, to stderr or to the client."""
        lines = [line for line in self.stderr_text.splitlines()
                 if "Traceback" in line or " ERROR " in line or "Error:" in line]
        return lines + self.log_messages((1,))

    def _read(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        try:
            while True:
                length = None
                while True:
                    line = stdout.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii", "replace").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is None:
                    continue
                message = json.loads(stdout.read(length))
                if "id" in message and "method" in message:
                    self._answer(message)
                with self._cond:
                    self.messages.append(message)
                    self._cond.notify_all()
        finally:
            with self._cond:
                self.stdout_closed = True
                self._cond.notify_all()

    def _answer(self, request: Message) -> None:
        result: Any = None
        if request["method"] == "workspace/configuration":
            result = [self.settings for _ in request["params"]["items"]]
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):  # it has exited
            self.send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def _drain(self) -> None:
        stderr = self.proc.stderr
        assert stderr is not None
        for raw in stderr:
            with self._cond:
                self.stderr.append(raw.decode("utf-8", "replace").rstrip())
                self._cond.notify_all()
