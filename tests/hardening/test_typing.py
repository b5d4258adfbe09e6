"""Typing through the protocol: every prefix of a fixture, one character per ``didChange``.

Each version is analysed and published (the test waits for it before typing the next
character), and at sampled prefixes hover, inlay hints and code actions are asked for at the
cursor and elsewhere. Nothing may be left unanswered, and the server may log no exception
(stderr, ``window/logMessage`` errors). The last version must agree with a from-scratch
analysis of the whole file, so no keystroke was lost or misplaced on the way.

A second test takes random prefixes of every fixture as full-text changes, so each fixture's
half-written states reach the conversion code too.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from shapelens.core import analyze

from .conftest import FIXTURES
from .wire import LspServer, span

pytestmark = pytest.mark.hardening

# One of each kind: Keras model + tape + a quick fix; tensor ops; a functional Keras model.
TYPED = {"tape/input_saliency_SL301.py": "SL301", "ops/multihead_split_SL101.py": "SL101",
         "keras/residual_block_SL205.py": "SL205"}
REQUESTS_EVERY = 9  # characters between two rounds of requests


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def ask_everything(lsp: LspServer, uri: str, lines: list[str], cursor: tuple[int, int],
                   diagnostics: list[dict], rng: random.Random) -> None:
    """Hover, inlay hints and code actions; each must be answered (``call`` raises on an
    error response and fails on a timeout)."""
    line, col = cursor
    lsp.hover(uri, line, max(col - 1, 0))
    other = rng.randrange(len(lines))
    lsp.hover(uri, other, rng.randint(0, utf16(lines[other])))
    lsp.inlay_hints(uri, span(0, 0, len(lines), 0))
    lsp.code_actions(uri, span(line, 0, line, col))
    for diag in diagnostics:
        lsp.code_actions(uri, diag["range"], [diag])
    lsp.call("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": span(0, 0, len(lines), 0),
        "context": {"diagnostics": diagnostics, "only": ["source.fixAll"]}})


def expected(text: str) -> list[tuple[str, int, str]]:
    return sorted((f.code, f.span.line - 1, f.message) for f in analyze(text).findings)


def got(diagnostics: list[dict]) -> list[tuple[str, int, str]]:
    return sorted((d["code"], d["range"]["start"]["line"], d["message"]) for d in diagnostics)


@pytest.mark.parametrize("name", TYPED)
def test_every_prefix_typed_one_character_at_a_time(server: LspServer, tmp_path: Path,
                                                    name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    uri = (tmp_path / "typed.py").as_uri()
    rng = random.Random(8)
    server.open(uri, "")
    server.published(uri, 1)
    line, col = 0, 0
    lines = [""]
    for i, char in enumerate(text):
        version = i + 2
        server.change(uri, version, {"range": span(line, col, line, col), "text": char})
        if char == "\n":
            line, col = line + 1, 0
            lines.append("")
        else:
            col += utf16(char)
            lines[-1] += char
        diagnostics = server.published(uri, version)  # every prefix is analysed
        if i % REQUESTS_EVERY == 0 or i == len(text) - 1:
            ask_everything(server, uri, lines, (line, col), diagnostics, rng)
    assert got(diagnostics) == expected(text)
    assert [d["code"] for d in diagnostics] == [TYPED[name]]
    actions = server.code_actions(uri, diagnostics[0]["range"], diagnostics)
    assert f"Ignore {TYPED[name]} on this line" in [a["title"] for a in actions]
    server.close(uri)
    assert server.problems() == []


def test_random_prefixes_of_every_fixture(server: LspServer, tmp_path: Path) -> None:
    """Three random prefixes of each of the 177 fixtures, sent as full-text changes."""
    rng = random.Random(1)
    uri = (tmp_path / "prefix.py").as_uri()
    server.open(uri, "")
    server.published(uri, 1)
    version = 1
    fixtures = sorted(FIXTURES.rglob("*.py"))
    for path in fixtures:
        text = path.read_text(encoding="utf-8")
        for end in sorted(rng.sample(range(len(text) + 1), 3)):
            version += 1
            prefix = text[:end]
            server.change(uri, version, {"text": prefix})
            diagnostics = server.published(uri, version)
            lines = prefix.split("\n")
            cursor = (len(lines) - 1, utf16(lines[-1]))
            server.hover(uri, *cursor)
            server.inlay_hints(uri, span(0, 0, len(lines), 0))
            server.code_actions(uri, span(cursor[0], 0, *cursor), diagnostics)
    server.change(uri, version + 1, {"text": fixtures[0].read_text(encoding="utf-8")})
    assert got(server.published(uri, version + 1)) == expected(fixtures[0].read_text())
    server.close(uri)
    assert server.problems() == []
