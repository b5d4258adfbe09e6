"""What the real-editor tests share about the servers they start (code-server, JupyterLab): a
free loopback port, and waiting for a line of their output — a state, never a fixed time."""

from __future__ import annotations

import queue
import socket
import time

import pytest


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_line(lines: queue.Queue[str | None], needle: str, timeout: float,
                  who: str) -> list[str]:
    """Read ``who``'s output (``None`` ends it) until a line contains ``needle``; fail with the
    last lines seen when it exits first or ``timeout`` seconds pass."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"{who} did not print {needle!r} in {timeout:.0f} s:\n"
                        + "".join(seen[-40:]), pytrace=False)
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        if line is None:
            pytest.fail(f"{who} exited early:\n" + "".join(seen[-40:]), pytrace=False)
        seen.append(line)
        if needle in line:
            return seen
