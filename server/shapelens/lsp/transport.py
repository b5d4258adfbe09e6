"""The stdio transport: base-protocol framing that survives a bad message.

pygls' own stdio loop has three failure modes that the hardening tests found:

* a wrong ``Content-Length`` (a client that counts characters instead of UTF-8 bytes) makes
  it read into the next message; from then on every header is glued to the previous body,
  never matched, and every later message is dropped: the editor waits forever;
* a request whose params do not validate (a position of ``-1``, a missing field) is never
  answered, only reported with a ``window/showMessage`` error, so the client waits for it;
* a body that is not JSON, or JSON that is not a JSON-RPC message, pops up an error in the
  editor instead of getting the JSON-RPC error response.

``read_messages`` reads the same framing but finds the next ``Content-Length`` header
anywhere in a line (so it resynchronises after garbage), answers unparsable messages with
``-32700``/``-32600`` and invalid requests with ``-32602`` (``id`` kept, so the client stops
waiting), answers requests after ``shutdown`` with ``-32600`` as LSP requires, and logs
instead of showing a message. Valid messages go to pygls' protocol unchanged.

When stdin is a pipe (as every editor starts us), the event loop reads it itself
(``PipeReader``): pygls' reader hands each header line and each body to a thread of its pool
and back, three thread switches per message that a keystroke's round trip pays for.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import stat
import sys
import threading
from collections.abc import Awaitable
from typing import Any, BinaryIO, Protocol

from pygls.io_ import StdinAsyncReader, StdoutWriter
from pygls.protocol import JsonRPCProtocol
from pygls.server import JsonRPCServer

log = logging.getLogger(__name__)
HEADER = re.compile(rb"Content-Length:[ \t]*(\d+)", re.IGNORECASE)
PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32700, -32600, -32602
EXIT = "exit"
LINE_LIMIT = 1 << 24  # longest header line (or garbage between messages) read as one line


class Reader(Protocol):
    def readline(self) -> Awaitable[bytes]: ...

    def readexactly(self, n: int) -> Awaitable[bytes]: ...


class PipeReader:
    """stdin read by the event loop (``connect_read_pipe``): no thread per message."""

    def __init__(self, stream: asyncio.StreamReader):
        self.stream = stream

    @classmethod
    async def connect(cls, stdin: BinaryIO) -> PipeReader | None:
        """``None`` where the loop cannot watch ``stdin`` (a file, a device, Windows)."""
        if sys.platform == "win32":  # the proactor reads only pipes opened for overlapped I/O
            return None
        try:  # a pipe or a socket; not a device such as /dev/null, which the loop accepts
            mode = os.fstat(stdin.fileno()).st_mode  # but cannot watch (it never reads EOF)
        except (OSError, ValueError):
            return None
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return None
        loop = asyncio.get_running_loop()
        stream = asyncio.StreamReader(limit=LINE_LIMIT)
        try:
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), stdin)
        except (ValueError, NotImplementedError, OSError):
            return None
        return cls(stream)

    async def readline(self) -> bytes:
        try:
            return await self.stream.readline()
        except ValueError:  # a line over LINE_LIMIT: the stream dropped it; not a header
            return b"" if self.stream.at_eof() else b"(overlong line)\n"

    async def readexactly(self, n: int) -> bytes:
        try:
            return await self.stream.readexactly(n)
        except asyncio.IncompleteReadError as err:  # end of input inside a body
            return err.partial


def _send_error(protocol: JsonRPCProtocol, msg_id: Any, code: int, message: str) -> None:
    protocol._send_data({"jsonrpc": "2.0", "id": msg_id,
                         "error": {"code": code, "message": message}})


def _valid_id(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def dispatch(protocol: JsonRPCProtocol, body: bytes) -> None:
    """Hand one message body to ``protocol``, or answer it with the right error."""
    try:
        data = json.loads(body)
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
        log.warning("ignored a message that is not JSON: %s", err)
        _send_error(protocol, None, PARSE_ERROR, f"Parse error: {err}")
        return
    msg_id = data.get("id") if isinstance(data, dict) else None
    method = data.get("method") if isinstance(data, dict) else None
    is_response = isinstance(data, dict) and "method" not in data and \
        ("result" in data or "error" in data)
    if not isinstance(data, dict) or data.get("jsonrpc") != "2.0" or \
            ("id" in data and not _valid_id(msg_id) and msg_id is not None) or \
            not (isinstance(method, str) or is_response):
        log.warning("ignored an invalid JSON-RPC message: %.200s", body)
        if not is_response:
            _send_error(protocol, msg_id if _valid_id(msg_id) else None, INVALID_REQUEST,
                        "Invalid Request: not a JSON-RPC 2.0 request or notification")
        return
    is_request = method is not None and "id" in data
    if is_request and method != EXIT and getattr(protocol, "_shutdown", False):
        _send_error(protocol, msg_id, INVALID_REQUEST, f"{method}: the server is shut down")
        return
    try:
        message: Any = protocol.structure_message(data)
    except Exception as err:  # pygls raises JsonRpcInvalidParams / JsonRpcInternalError
        log.warning("invalid params for %s: %s", method, err.__cause__ or err)
        if is_request:
            _send_error(protocol, msg_id, INVALID_PARAMS, f"Invalid params for {method}")
        return
    try:
        protocol.handle_message(message)
    except Exception:  # a handler bug must not end the loop (SystemExit still does)
        log.exception("failed to handle %s", method or "a response")
    if not is_request:
        forget_finished(protocol)


def forget_finished(protocol: JsonRPCProtocol) -> None:
    """Drop finished futures from pygls' table of running requests.

    pygls 2.1 files every notification whose handler is a generator or a coroutine (all its
    built-in ``didOpen``/``didChange``/``didClose`` handlers) in ``_request_futures`` under
    a fresh uuid and never removes it: one future, one lock and one uuid per keystroke,
    about 2 MiB per 1,000 edits (found by ``bench/soak.py``). Requests remove their own
    entry when answered, so only finished leftovers are dropped here.
    """
    futures: dict[Any, Any] = getattr(protocol, "_request_futures", {})
    for key in [key for key, future in futures.items() if future.done()]:
        futures.pop(key, None)


async def read_messages(reader: Reader, protocol: JsonRPCProtocol,
                        stop: threading.Event) -> None:
    """The message loop: header lines, a blank line, ``Content-Length`` bytes of body."""
    length: int | None = None
    while not stop.is_set():
        line = await reader.readline()
        if not line:
            break  # end of input: the client is gone
        match = HEADER.search(line)
        if match:
            if match.start() > 0 or length is not None:
                log.warning("skipped malformed input before a Content-Length header")
            length = int(match[1])
            continue
        if line.strip() or length is None:
            continue  # another header (Content-Type), or garbage between messages
        body = await reader.readexactly(length)
        if len(body) < length:
            break  # end of input in the middle of a body
        length = None
        dispatch(protocol, body)


def start_io(server: JsonRPCServer) -> int:
    """Serve on stdin/stdout until ``exit`` or end of input; returns the LSP exit code.

    0 when ``shutdown`` came before the end, 1 otherwise (the LSP ``exit`` rule).
    """
    stop = threading.Event()
    server._stop_event = stop  # pygls' shutdown() sets it
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))

    async def serve() -> None:
        pipe = await PipeReader.connect(sys.stdin.buffer)
        reader: Reader = pipe if pipe is not None else \
            StdinAsyncReader(sys.stdin.buffer, server.thread_pool)
        await read_messages(reader, server.protocol, stop)

    try:
        asyncio.run(serve())
    except BrokenPipeError:
        log.error("the connection to the client is lost; exiting")
    except (KeyboardInterrupt, SystemExit):
        pass  # the ``exit`` notification ends the loop with SystemExit
    finally:
        server.shutdown()
    return 0 if getattr(server.protocol, "_shutdown", False) else 1
