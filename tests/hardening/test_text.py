"""Text the way editors really send it: CRLF, lone CR, mixed endings, form feeds and Unicode
line separators, tabs, a BOM, text Python cannot read, and positions after emoji and CJK in
each position encoding LSP offers (UTF-16 by default; UTF-8 and UTF-32 when the client asks).

Each document is edited incrementally after it is opened: an edit that lands on the wrong
line or column shows up as a wrong diagnostic, which is how a server that has lost the
user's text is caught.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from shapelens.cli import main

from .wire import LspServer, position, span

pytestmark = pytest.mark.hardening

LINES = ["import tensorflow as tf", "", "x = tf.zeros((2, 3))", "y = tf.reshape(x, [7])",
         "z = tf.ones((4, 2))"]
BUG_LINE = 3


def units(text: str, encoding: str = "utf-16") -> int:
    """Length of ``text`` in LSP position units of ``encoding``."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def codes(diagnostics: list[dict]) -> list[tuple[str, int]]:
    return [(d["code"], d["range"]["start"]["line"]) for d in diagnostics]


def hint_labels(lsp: LspServer, uri: str, last_line: int) -> dict[tuple[int, int], str]:
    hints = lsp.inlay_hints(uri, span(0, 0, last_line + 1, 0)) or []
    return {(h["position"]["line"], h["position"]["character"]): h["label"] for h in hints}


def retype_digit(lsp: LspServer, uri: str, version: int, line: int, col: int, digit: str,
                 encoding: str = "utf-16") -> list[dict]:
    """Replace the one-unit digit at ``(line, col)`` (client units) and return the new
    version's diagnostics."""
    lsp.change(uri, version, {"range": span(line, col, line, col + 1), "text": digit})
    return lsp.published(uri, version)


@pytest.mark.parametrize("ending", ["\r\n", "\r", "mixed"])
def test_line_endings(server: LspServer, tmp_path: Path, ending: str) -> None:
    breaks = ["\r\n", "\n", "\r", "\r\n"] if ending == "mixed" else [ending] * 4
    text = "".join(line + brk for line, brk in zip(LINES, [*breaks, "\n"]))
    uri = (tmp_path / "endings.py").as_uri()
    server.open(uri, text)
    diagnostics = server.published(uri, 1)
    assert codes(diagnostics) == [("SL101", BUG_LINE)]
    assert diagnostics[0]["range"]["start"] == position(BUG_LINE, 4)
    assert hint_labels(server, uri, len(LINES)) == {(2, 1): ": (2, 3)", (4, 1): ": (4, 2)"}
    hover = server.hover(uri, 4, 0)
    assert "(4, 2)" in hover["contents"]["value"]
    seven = LINES[BUG_LINE].index("7")
    assert retype_digit(server, uri, 2, BUG_LINE, seven, "6") == []
    diagnostics = retype_digit(server, uri, 3, BUG_LINE, seven, "5")
    assert "[5]" in diagnostics[0]["message"]
    # A new line typed at the top, with the document's own line break, moves everything.
    server.change(uri, 4, {"range": span(1, 0, 1, 0), "text": "w = tf.ones((3,))" + breaks[0]})
    assert codes(server.published(uri, 4)) == [("SL101", BUG_LINE + 1)]
    server.close(uri)


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"],
                         ids=["form-feed", "vtab", "file-sep", "nel", "line-sep", "para-sep"])
def test_characters_python_splitlines_breaks_at(server: LspServer, tmp_path: Path,
                                                separator: str) -> None:
    """LSP lines end only at ``\\n``, ``\\r\\n`` and ``\\r``; ``str.splitlines`` also breaks
    at these, which used to put every edit below them on the wrong line."""
    lines = [*LINES]
    lines[1] = f"# section{separator}two"
    text = "\n".join(lines) + "\n"
    uri = (tmp_path / "separators.py").as_uri()
    server.open(uri, text)
    assert codes(server.published(uri, 1)) == [("SL101", BUG_LINE)]
    seven = LINES[BUG_LINE].index("7")
    assert retype_digit(server, uri, 2, BUG_LINE, seven, "6") == []
    diagnostics = retype_digit(server, uri, 3, BUG_LINE, seven, "8")
    assert codes(diagnostics) == [("SL101", BUG_LINE)] and "[8]" in diagnostics[0]["message"]
    assert hint_labels(server, uri, len(lines)) == {(2, 1): ": (2, 3)", (4, 1): ": (4, 2)"}
    server.close(uri)


def test_tabs(server: LspServer, tmp_path: Path) -> None:
    text = ("import tensorflow as tf\n\n\ndef f():\n\tx = tf.zeros((2, 3))\n"
            "\treturn tf.reshape(x, [7])\n\n\nf()\n")
    uri = (tmp_path / "tabs.py").as_uri()
    server.open(uri, text)
    diagnostics = server.published(uri, 1)
    assert codes(diagnostics) == [("SL101", 5)]
    assert diagnostics[0]["range"]["start"] == position(5, 8)  # a tab is one unit
    assert hint_labels(server, uri, 9)[(4, 2)] == ": (2, 3)"
    assert "(2, 3)" in server.hover(uri, 4, 1)["contents"]["value"]
    assert retype_digit(server, uri, 2, 5, len("\treturn tf.reshape(x, ["), "6") == []
    server.close(uri)


def test_bom_in_the_text(server: LspServer, tmp_path: Path) -> None:
    """Python skips a BOM at the start of a file; it must not hide the whole file."""
    text = "\ufeff" + "\n".join(LINES) + "\n"
    uri = (tmp_path / "bom.py").as_uri()
    server.open(uri, text)
    assert codes(server.published(uri, 1)) == [("SL101", BUG_LINE)]
    assert "(2, 3)" in server.hover(uri, 2, 0)["contents"]["value"]
    server.close(uri)


@pytest.mark.parametrize(("bad", "says"), [("\x00", "NUL character (U+0000)"),
                                           ("\udce9", "lone surrogate U+DCE9")],
                         ids=["nul", "lone-surrogate"])
def test_text_python_cannot_read_gets_a_message_not_a_crash(server: LspServer, tmp_path: Path,
                                                            bad: str, says: str) -> None:
    """A NUL or an undecodable byte (a lone surrogate, as surrogateescape produces) in the
    text: Python cannot compile it; the server says so at that character, keeps analysing
    the other statements and keeps answering."""
    lines = [*LINES]
    lines[1] = f'label = "caf{bad}"'
    uri = (tmp_path / "unreadable.py").as_uri()
    body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "python", "version": 1,
                         "text": "\n".join(lines) + "\n"}}}).encode("ascii")
    server.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    diagnostics = server.published(uri, 1)
    assert codes(diagnostics) == [("SL901", 1), ("SL101", BUG_LINE)]
    assert diagnostics[0]["range"]["start"] == position(1, len('label = "caf'))
    assert says in diagnostics[0]["message"]
    assert "(2, 3)" in server.hover(uri, 2, 0)["contents"]["value"]
    server.inlay_hints(uri, span(0, 0, 5, 0))
    server.code_actions(uri, span(0, 0, 5, 0), diagnostics)
    server.change(uri, 2, {"range": span(1, 0, 1, len(lines[1]) + 1), "text": ""})
    assert codes(server.published(uri, 2)) == [("SL101", BUG_LINE - 1)]  # repaired
    server.close(uri)


def test_body_that_is_not_utf8_gets_a_parse_error(server: LspServer, tmp_path: Path) -> None:
    """A client that sends Latin-1 instead of UTF-8: JSON-RPC parse error, nothing else."""
    uri = (tmp_path / "latin1.py").as_uri()
    text = "# café\n" + "\n".join(LINES) + "\n"
    body = json.dumps({"jsonrpc": "2.0", "id": "latin-1", "method": "textDocument/hover",
                       "params": {"textDocument": {"uri": uri}, "position": position(0, 0)},
                       "text": text}, ensure_ascii=False).encode("latin-1")
    server.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    error = server.wait_for(lambda m: "error" in m and m.get("id") is None)["error"]
    assert error["code"] == -32700
    server.open(uri, text)
    assert codes(server.published(uri, 1)) == [("SL101", BUG_LINE + 1)]
    server.close(uri)


def test_cli_reads_what_python_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CRLF, a BOM, a coding cookie and tabs are read; undecodable files get SL904 and the
    rest of the folder is still checked."""
    body = "\n".join(LINES) + "\n"
    (tmp_path / "crlf.py").write_bytes(body.replace("\n", "\r\n").encode())
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + body.encode())
    (tmp_path / "latin1_cookie.py").write_bytes(
        ("# -*- coding: latin-1 -*-\n# café\n" + body).encode("latin-1"))
    (tmp_path / "latin1_no_cookie.py").write_bytes(("# café\n" + body).encode("latin-1"))
    (tmp_path / "utf16.py").write_bytes(body.encode("utf-16"))
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    found = json.loads(capsys.readouterr().out)
    by_file = {}
    for f in found:
        by_file.setdefault(Path(f["path"]).name, []).append((f["code"], f["line"]))
    assert by_file == {
        "bom.py": [("SL101", 4)], "crlf.py": [("SL101", 4)],
        "latin1_cookie.py": [("SL101", 6)],
        "latin1_no_cookie.py": [("SL904", 1)], "utf16.py": [("SL904", 1)]}
    messages = [f["message"] for f in found if f["code"] == "SL904"]
    assert all(re.search(r"cannot read .* as Python source", m) for m in messages), messages


@pytest.fixture(params=["utf-16", "utf-8", "utf-32"], scope="module")
def encoded(request: pytest.FixtureRequest) -> Iterator[tuple[LspServer, str]]:
    with LspServer() as lsp:
        result = lsp.initialize({"general": {"positionEncodings": [request.param]},
                                 "textDocument": {"publishDiagnostics": {
                                     "versionSupport": True}}})
        assert result["capabilities"]["positionEncoding"] == request.param
        yield lsp, request.param
        assert lsp.problems() == []


def test_positions_after_emoji_and_cjk(encoded: tuple[LspServer, str], tmp_path: Path) -> None:
    lsp, encoding = encoded
    lead = 'note = "数据 😀🙂"; '
    lines = ["import tensorflow as tf", "x = tf.zeros((2, 3))",
             lead + "y = tf.reshape(x, [7])", lead + "w = tf.ones((4, 2))"]
    uri = (tmp_path / f"unicode_{encoding}.py").as_uri()
    lsp.open(uri, "\n".join(lines) + "\n")
    (diag,) = lsp.published(uri, 1)
    assert diag["code"] == "SL101"
    assert diag["range"] == span(2, units(lead + "y = ", encoding),
                                 2, units(lines[2], encoding))
    hints = hint_labels(lsp, uri, 4)
    assert hints[(3, units(lead + "w", encoding))] == ": (4, 2)"
    hover = lsp.hover(uri, 3, units(lead, encoding))
    assert "(4, 2)" in hover["contents"]["value"]
    seven = units(lines[2][:lines[2].index("7")], encoding)
    assert retype_digit(lsp, uri, 2, 2, seven, "6", encoding) == []
    diagnostics = retype_digit(lsp, uri, 3, 2, seven, "9", encoding)
    assert "[9]" in diagnostics[0]["message"]
    # Insert right after the emoji (a surrogate pair in UTF-16, 4 bytes in UTF-8).
    after_emoji = units(lead[:lead.index("🙂") + 1], encoding)
    lsp.change(uri, 4, {"range": span(3, after_emoji, 3, after_emoji), "text": "!"})
    lsp.published(uri, 4)
    hints = hint_labels(lsp, uri, 4)
    assert hints[(3, units(lead + "!w", encoding))] == ": (4, 2)"
    lsp.close(uri)
