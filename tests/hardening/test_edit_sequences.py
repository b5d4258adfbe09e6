"""Hypothesis-generated edit sequences through the protocol never lose or misplace text.

Each example takes a fixture, seasons it with the characters that make position mapping hard
(CRLF and lone CR line breaks, tabs, form feeds, a ``\\u2028``, emoji and CJK in comments and
strings), and sends a random sequence of incremental edits: insertions, deletions and
replacements, across lines, that break the syntax and repair it. The client keeps its own
copy of the text and converts each edit to LSP positions (UTF-16) the way an editor does.
After the sequence the server's diagnostics must be those of a from-scratch analysis of the
client's text: a change applied in the wrong place shows up as a difference.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapelens.core import analyze

from .conftest import FIXTURES
from .wire import LspServer, span

pytestmark = pytest.mark.hardening

FILES = sorted(FIXTURES.rglob("*.py"))
LINE_BREAK = re.compile(r"\r\n|\r|\n")
JUNK = ["(", ")", "[", "]", ":", "\n", "\r\n", "    ", "\t", "tf.", "'''", "#", ",", "=",
        "😀", "数据", "x = tf.zeros((2, 3))\n", "\x0c", "\u2028", "é", "\r", ""]
SEASONING = ["# 数据 😀 café\n", "# page\x0cbreak\n", "label = 'a\u2028b'\n", "\t\n"]


def to_position(text: str, offset: int) -> tuple[int, int]:
    """LSP ``(line, UTF-16 character)`` of a code-point offset in ``text``."""
    line, start = 0, 0
    for match in LINE_BREAK.finditer(text, 0, offset):
        if match.end() > offset:
            break
        line, start = line + 1, match.end()
    return line, len(text[start:offset].encode("utf-16-le")) // 2


def safe(text: str, offset: int) -> int:
    """Move an offset off the middle of a ``\\r\\n`` (no LSP position is there)."""
    return offset - 1 if 0 < offset < len(text) and text[offset - 1:offset + 1] == "\r\n" \
        else offset


def seasoned(data: st.DataObject) -> str:
    text = data.draw(st.sampled_from(FILES)).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for extra in data.draw(st.lists(st.sampled_from(SEASONING), max_size=3)):
        lines.insert(data.draw(st.integers(0, len(lines))), extra)
    text = "".join(lines)
    if data.draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


def summary(findings: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    return sorted(findings)


@pytest.fixture(scope="module")
def shared() -> Iterator[LspServer]:
    with LspServer() as lsp:
        lsp.initialize()
        yield lsp
        assert lsp.problems() == []


COUNTER = itertools.count()


@settings(max_examples=60, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_edit_sequences_keep_the_text(shared: LspServer, tmp_path: Path,
                                             data: st.DataObject) -> None:
    text = seasoned(data)
    uri = (tmp_path / f"edits_{next(COUNTER)}.py").as_uri()
    shared.open(uri, text)
    version = 1
    for _ in range(data.draw(st.integers(1, 10))):
        start = safe(text, data.draw(st.integers(0, len(text))))
        end = safe(text, data.draw(st.integers(start, min(len(text), start + 40))))
        new = data.draw(st.sampled_from(JUNK))
        version += 1
        (a, b), (c, d) = to_position(text, start), to_position(text, end)
        shared.change(uri, version, {"range": span(a, b, c, d), "text": new})
        text = text[:start] + new + text[end:]
    diagnostics = shared.published(uri, version)
    expected = [(f.code, f.span.line - 1, f.message) for f in analyze(text).findings]
    got = [(d["code"], d["range"]["start"]["line"], d["message"]) for d in diagnostics]
    assert summary(got) == summary(expected)
    shared.close(uri)
