"""Protocol faults: broken frames and JSON, unknown methods, unopened documents, positions
outside the text, versions out of order, edits after close, shutdown mid-analysis, exit.

The answer is always a correct JSON-RPC error or silence (never a request left waiting,
never an error pop-up), and afterwards the server still answers correctly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .wire import LspServer, RpcError, position, span

pytestmark = pytest.mark.hardening

TEXT = "import tensorflow as tf\n\nx = tf.zeros((2, 3))\ny = tf.reshape(x, [7])\n"
SEVEN = (3, TEXT.splitlines()[3].index("7"))
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602


@pytest.fixture(scope="module")
def lsp() -> Iterator[LspServer]:
    """A module server that is attacked: pygls logs the bad messages, so no log check."""
    with LspServer() as server:
        server.initialize()
        yield server


@pytest.fixture
def doc(lsp: LspServer, tmp_path: Path) -> Iterator[str]:
    uri = (tmp_path / "doc.py").as_uri()
    lsp.open(uri, TEXT)
    assert [d["code"] for d in lsp.published(uri, 1)] == ["SL101"]
    yield uri
    lsp.close(uri)


def frame(body: bytes, length: int | None = None) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % (len(body) if length is None else length) + body


def healthy(lsp: LspServer, uri: str) -> None:
    """The server answers a real request about ``uri`` correctly."""
    assert "(2, 3)" in lsp.hover(uri, 2, 0)["contents"]["value"]


def no_popups(lsp: LspServer) -> None:
    """Protocol garbage is logged, never shown to the user as an error message."""
    shown = [m for m in lsp.messages if m.get("method") == "window/showMessage"
             and m["params"]["type"] == 1]
    assert shown == []


def test_bodies_that_are_not_json_rpc(lsp: LspServer, doc: str) -> None:
    cases = [(b"{not json", None, PARSE_ERROR), (b"", None, PARSE_ERROR),
             (b"[]", None, INVALID_REQUEST), (b"null", None, INVALID_REQUEST),
             (b"42", None, INVALID_REQUEST), (b'"hover"', None, INVALID_REQUEST),
             (b'{"jsonrpc": "2.0"}', None, INVALID_REQUEST),
             (b'{"jsonrpc": "1.0", "id": "old", "method": "shutdown"}', "old",
              INVALID_REQUEST),
             (b'{"id": "no-version", "method": "shutdown"}', "no-version", INVALID_REQUEST),
             (b'[{"jsonrpc": "2.0", "id": "batch", "method": "shutdown"}]', None,
              INVALID_REQUEST),
             (b'{"jsonrpc": "2.0", "id": {"an": "object"}, "method": "shutdown"}', None,
              INVALID_REQUEST)]
    for body, msg_id, code in cases:
        before = len(lsp.messages)
        lsp.send_raw(frame(body) if body else b"Content-Length: 0\r\n\r\n")
        healthy(lsp, doc)  # answered in order: any error for ``body`` came before this
        errors = [m for m in lsp.messages[before:] if "error" in m and "method" not in m
                  and m.get("id") == msg_id]
        if code is None:
            assert errors == [], body
        else:
            assert [e["error"]["code"] for e in errors] == [code], body
    no_popups(lsp)


def test_requests_with_invalid_params_are_answered(lsp: LspServer, doc: str) -> None:
    bad = [{"textDocument": {"uri": doc}, "position": {"line": -1, "character": 0}},
           {"textDocument": {"uri": doc}, "position": {"line": 0, "character": "x"}},
           {"textDocument": {"uri": doc}, "position": {"line": 2**31, "character": 0}},
           {"textDocument": {"uri": doc}}, {"position": position(0, 0)}, None, [], "x"]
    for params in bad:
        with pytest.raises(RpcError) as err:
            lsp.call("textDocument/hover", params, timeout=5)
        assert err.value.code == INVALID_PARAMS, params
    # Notifications with invalid params cannot be answered: they are dropped.
    lsp.notify("textDocument/didChange", {"textDocument": {"uri": doc}})
    lsp.notify("textDocument/didOpen", {"textDocument": {"uri": 7}})
    healthy(lsp, doc)
    no_popups(lsp)


@pytest.mark.parametrize("error", [-5, +7, "utf-16"], ids=["too-short", "too-long", "chars"])
def test_a_wrong_content_length_loses_at_most_its_neighbour(lsp: LspServer, doc: str,
                                                            error: int | str) -> None:
    """A client that miscounts ``Content-Length`` (e.g. characters instead of UTF-8 bytes):
    the server finds the next header again instead of dropping every later message."""
    body = (b'{"jsonrpc": "2.0", "id": "bad-frame", "method": "textDocument/hover", '
            b'"params": {"textDocument": {"uri": "file:///caf\xc3\xa9/\xe6\x95\xb0\xe6\x8d'
            b'\xae.py"}, "position": {"line": 0, "character": 0}}}')
    length = len(body.decode("utf-8")) if error == "utf-16" else len(body) + int(error)
    lsp.send_raw(frame(body, length))
    lsp.send_request("textDocument/hover", {"textDocument": {"uri": doc},
                                            "position": position(2, 0)})  # may be lost
    for _ in range(3):
        healthy(lsp, doc)
    no_popups(lsp)


def test_headers_and_garbage_between_messages(lsp: LspServer, doc: str) -> None:
    body = (b'{"jsonrpc": "2.0", "id": "typed", "method": "textDocument/hover", "params": '
            b'{"textDocument": {"uri": "%s"}, "position": {"line": 2, "character": 0}}}'
            % doc.encode())
    lsp.send_raw(b"content-length: %d\r\nContent-Type: application/vscode-jsonrpc; "
                 b"charset=utf-8\r\n\r\n" % len(body) + body)
    assert "(2, 3)" in lsp.response("typed")["result"]["contents"]["value"]
    lsp.send_raw(b"\r\n\r\nnot a header\r\n")
    healthy(lsp, doc)


def test_unknown_methods(lsp: LspServer, doc: str) -> None:
    for method in ("shapelens/doesNotExist", "$/doesNotExist", "textDocument/unknown"):
        with pytest.raises(RpcError) as err:
            lsp.call(method, {})
        assert err.value.code == METHOD_NOT_FOUND
    before = len(lsp.messages)
    for method in ("shapelens/doesNotExist", "$/doesNotExist", "$/setTrace"):
        lsp.notify(method, {"value": "off"})
    lsp.notify("$/cancelRequest", {"id": 123456})  # a request that never existed
    healthy(lsp, doc)
    assert [m for m in lsp.messages[before:] if "error" in m] == []
    no_popups(lsp)


def test_requests_for_documents_never_opened(lsp: LspServer, tmp_path: Path) -> None:
    uri = (tmp_path / "never_opened.py").as_uri()
    (tmp_path / "never_opened.py").write_text(TEXT)  # on disk, but not open: still nothing
    assert lsp.hover(uri, 0, 0) is None
    assert not lsp.inlay_hints(uri, span(0, 0, 10, 0))
    assert not lsp.code_actions(uri, span(0, 0, 10, 0))
    report = lsp.call("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    assert report["items"] == []
    hint = {"position": position(2, 1), "label": ": (2, 3)",
            "data": {"uri": uri, "version": 1, "line": 3, "col": 0}}
    assert lsp.call("inlayHint/resolve", hint)["label"] == ": (2, 3)"
    lsp.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    lsp.close(uri)
    published = lsp.publications(uri)
    assert all(p["diagnostics"] == [] for p in published)
    no_popups(lsp)


def test_positions_outside_the_document(lsp: LspServer, doc: str) -> None:
    far = 10**6
    assert lsp.hover(doc, far, 0) is None
    clamped = lsp.hover(doc, 2, far)  # a column past the end means the end of the line
    assert clamped is None or "contents" in clamped
    assert lsp.inlay_hints(doc, span(far, 0, far + 100, 0)) == []
    assert lsp.inlay_hints(doc, span(5, 0, 0, 0)) == []  # reversed
    whole = lsp.inlay_hints(doc, span(0, 0, far, far))
    assert [h["label"] for h in whole] == [": (2, 3)"]
    assert not lsp.code_actions(doc, span(far, 0, far, 5))
    stale = {"range": span(far, 0, far, 3), "message": "old", "source": "shapelens",
             "code": "SL101", "data": {"fix": {"fixId": "no-such-fix", "args": [[1, 2, 3]]}}}
    assert not lsp.code_actions(doc, span(far, 0, far, 5), [stale])
    report = lsp.call("textDocument/diagnostic", {"textDocument": {"uri": doc},
                                                  "previousResultId": "garbage"})
    assert [d["code"] for d in report["items"]] == ["SL101"]
    # Edits at and beyond the end are clamped to the end (LSP), text is not lost.
    lsp.change(doc, 2, {"range": span(far, 0, far, 0), "text": "z = y\n"})
    lsp.change(doc, 3, {"range": span(3, far, 3, far), "text": "  # tail"})
    lsp.published(doc, 3)
    assert "(2, 3)" in lsp.hover(doc, 2, 0)["contents"]["value"]
    healthy(lsp, doc)
    no_popups(lsp)


def _retype(lsp: LspServer, uri: str, version: int, digit: str) -> None:
    lsp.change(uri, version, {"range": span(SEVEN[0], SEVEN[1], SEVEN[0], SEVEN[1] + 1),
                              "text": digit})


def _pulled(lsp: LspServer, uri: str) -> list[str]:
    report = lsp.call("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    return [d["message"] for d in report["items"]]


def _published_since(lsp: LspServer, uri: str, since: int) -> list[dict]:
    message = lsp.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                           and m["params"]["uri"] == uri, since=since)
    return message["params"]["diagnostics"]


def test_versions_out_of_order(lsp: LspServer, tmp_path: Path) -> None:
    """Versions that go down or repeat: every answer is about the newest text."""
    uri = (tmp_path / "versions.py").as_uri()
    lsp.open(uri, TEXT, version=5)
    lsp.published(uri, 5)
    _retype(lsp, uri, 3, "6")  # older number, newer text: fixed
    assert lsp.published(uri, 3) == [] and _pulled(lsp, uri) == []
    since = len(lsp.messages)  # before the edit: its answer can arrive at once
    _retype(lsp, uri, 5, "8")  # a number seen before with other text: broken again
    assert any("[8]" in d["message"] for d in _published_since(lsp, uri, since))
    assert any("[8]" in m for m in _pulled(lsp, uri))
    since = len(lsp.messages)
    _retype(lsp, uri, 5, "6")  # the same number once more
    assert _published_since(lsp, uri, since) == []
    assert _pulled(lsp, uri) == []
    lsp.open(uri, TEXT, version=5)  # opened again without a close, same version
    assert any("[7]" in m for m in _pulled(lsp, uri))
    lsp.close(uri)
    no_popups(lsp)


def test_change_after_close_is_ignored(lsp: LspServer, tmp_path: Path) -> None:
    uri = (tmp_path / "closed.py").as_uri()
    log_start = len(lsp.stderr)
    lsp.open(uri, TEXT)
    lsp.published(uri, 1)
    lsp.close(uri)
    _retype(lsp, uri, 2, "6")
    lsp.change(uri, 3, {"text": "garbage((("})
    assert lsp.hover(uri, 2, 0) is None  # not open: nothing, and no error
    assert [p.get("version") for p in lsp.publications(uri)] == [1, None]  # close cleared
    lsp.open(uri, TEXT, version=1)  # reopened: the text of this didOpen, not the edits
    assert any("[7]" in m for m in _pulled(lsp, uri))
    lsp.close(uri)
    no_popups(lsp)
    assert not [line for line in lsp.stderr[log_start:] if "Traceback" in line]


def big_program(lines: int) -> str:
    """A long program whose analysis takes a noticeable time."""
    body = ["import tensorflow as tf", "", "x = tf.zeros((8, 16))"]
    for i in range(lines // 4):
        body += [f"def step_{i}(t):", f"    u = tf.reshape(t, (4, {32 + i % 5}))",
                 "    return tf.matmul(u, tf.ones((u.shape[1], 2)))", f"h{i} = step_{i}(x)"]
    return "\n".join(body) + "\n"


def test_shutdown_in_the_middle_of_an_analysis(tmp_path: Path) -> None:
    with LspServer() as lsp:
        lsp.initialize()
        uri = (tmp_path / "big.py").as_uri()
        lsp.open(uri, big_program(8000))
        hover = lsp.send_request("textDocument/hover", {"textDocument": {"uri": uri},
                                                        "position": position(2, 0)})
        time.sleep(0.05)  # the analysis has started
        start = time.perf_counter()
        assert lsp.call("shutdown", timeout=5) is None
        assert time.perf_counter() - start < 2.0
        answer = lsp.response(hover, timeout=10)  # answered or cancelled, not left waiting
        assert "result" in answer or "error" in answer
        with pytest.raises(RpcError) as err:  # LSP: requests after shutdown are errors
            lsp.call("textDocument/hover", {"textDocument": {"uri": uri},
                                            "position": position(2, 0)})
        assert err.value.code == INVALID_REQUEST
        lsp.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                              "contentChanges": [{"text": "x = 1\n"}]})
        start = time.perf_counter()
        lsp.notify("exit")
        assert lsp.proc.wait(5) == 0
        assert time.perf_counter() - start < 1.0
        assert "Traceback" not in lsp.stderr_text


@pytest.mark.parametrize("how", ["shutdown-then-exit", "exit-only", "end-of-input"])
def test_exit_ends_the_process_within_a_second(tmp_path: Path, how: str) -> None:
    with LspServer() as lsp:
        lsp.initialize()
        uri = (tmp_path / "exit.py").as_uri()
        lsp.open(uri, TEXT)
        lsp.published(uri, 1)
        if how == "shutdown-then-exit":
            code, seconds = lsp.shutdown_and_exit(timeout=5)
            assert code == 0  # LSP: 0 after shutdown
        else:
            start = time.perf_counter()
            if how == "exit-only":
                lsp.notify("exit")
            else:
                assert lsp.proc.stdin is not None
                lsp.proc.stdin.close()
            code = lsp.proc.wait(5)
            seconds = time.perf_counter() - start
            assert code == 1  # LSP: 1 when there was no shutdown
        assert seconds < 1.0, f"{how} took {seconds:.2f} s"
        assert "Traceback" not in lsp.stderr_text
