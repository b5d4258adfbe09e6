"""Start-up stays lean: what ``shapelens check`` and the language server import.

Start-up is most of the time a small ``shapelens check`` takes and most of the language
server's cold start (issue 7), so these tests pin down what is *not* imported on those paths
— never how long anything takes. The real entry points run in subprocesses under
``python -X importtime``, whose report names every module the process imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from shapelens import cli

# Never wanted at start-up: the frameworks the analysed code imports (ShapeLens never loads
# them), LibCST and the fixers (only a fix needs them), distribution metadata look-ups.
NEVER = {"libcst", "shapelens.fixes", "tensorflow", "keras", "numpy", "torch", "jax",
         "importlib.metadata", "pkg_resources"}
# Not for the command line: the protocol stack, process pools (only ``-j``).
SERVER_ONLY = {"shapelens.lsp", "lsprotocol", "pygls", "cattrs", "attrs", "asyncio",
               "multiprocessing", "concurrent.futures.process"}

BUG = '''\
import tensorflow as tf

images = tf.random.normal((2, 16))
with tf.GradientTape() as tape:
    score = tf.reduce_sum(images * 2.0)
saliency = tape.gradient(score, images)

x = tf.zeros((32, 16))
y = tf.reshape(x, (32, 4, 8))
'''
# SL301 carries a fix (tape.watch), SL101 does not.
CODES = ["SL301", "SL101"]


def _imported(stderr: str) -> set[str]:
    """The modules named by ``-X importtime`` (``import time: self | cumulative | name``)."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header line
                names.add(name)
    return names


def _loaded(names: set[str], unwanted: set[str]) -> list[str]:
    """The modules in ``names`` that are one of ``unwanted`` or inside one of them."""
    return sorted(n for n in names if any(n == u or n.startswith(u + ".") for u in unwanted))


def _run(args: list[str], cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-X", "importtime", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False, **kwargs)


@pytest.fixture
def bug(tmp_path: Path) -> Path:
    path = tmp_path / "bug.py"
    path.write_text(BUG, encoding="utf-8")
    return path


def test_the_importtime_report_is_understood(tmp_path: Path) -> None:
    proc = _run(["-c", "import json.decoder"], tmp_path)
    assert {"json", "json.decoder"} <= _imported(proc.stderr)
    assert _loaded({"libcst", "libcstx", "libcst._nodes", "json"}, {"libcst"}) == \
        ["libcst", "libcst._nodes"]


def test_importing_the_cli_imports_no_engine(tmp_path: Path) -> None:
    """Each command imports what it needs when it runs."""
    proc = _run(["-c", "import shapelens.cli"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = _imported(proc.stderr)
    assert "shapelens.cli" in names
    assert _loaded(names, NEVER | SERVER_ONLY | {"shapelens.core", "shapelens.report"}) == []


@pytest.mark.parametrize("entry", [["-m", "shapelens"], ["-c", "import sys; from shapelens."
                                                          "cli import main; sys.exit(main())"]])
def test_check_imports_neither_fixers_nor_the_protocol(entry: list[str], bug: Path) -> None:
    proc = _run([*entry, "check", str(bug)], bug.parent)
    assert proc.returncode == 1
    assert "SL101" in proc.stdout and "SL301" in proc.stdout
    names = _imported(proc.stderr)
    assert "shapelens.core" in names
    assert _loaded(names, NEVER | SERVER_ONLY) == []


def test_check_with_options_imports_no_fixers(bug: Path) -> None:
    proc = _run(["-m", "shapelens", "check", "--format", "json", "--select", "SL1", str(bug)],
                bug.parent)
    assert proc.returncode == 1
    assert [f["code"] for f in json.loads(proc.stdout)] == ["SL101"]  # SL3 not selected
    assert _loaded(_imported(proc.stderr), NEVER | SERVER_ONLY) == []


def test_rule_imports_no_engine(tmp_path: Path) -> None:
    proc = _run(["-m", "shapelens", "rule", "SL101"], tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith("# SL101")
    assert _loaded(_imported(proc.stderr), NEVER | SERVER_ONLY | {"shapelens.core"}) == []


@pytest.mark.parametrize("argv", [["check"], ["check", "a.py"], ["check", "a", "b/", "check"],
                                  ["check", ""]])
def test_a_plain_check_is_parsed_as_argparse_parses_it(argv: list[str]) -> None:
    fast = cli._plain_check(argv)
    assert fast is not None
    assert vars(fast) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [[], ["shapes", "a.py"], ["check", "-j", "2", "a.py"],
                                  ["check", "a.py", "--fix"], ["check", "-"], ["--version"],
                                  ["check", "--", "a.py"], ["chec", "a.py"]])
def test_anything_else_goes_to_argparse(argv: list[str]) -> None:
    assert cli._plain_check(argv) is None


def test_the_check_defaults_are_argparses() -> None:
    parsed = vars(cli.build_parser().parse_args(["check"]))
    assert {k: parsed[k] for k in cli.CHECK_DEFAULTS} == cli.CHECK_DEFAULTS
    assert set(parsed) == {*cli.CHECK_DEFAULTS, "command", "paths", "func"}


def test_the_servers_code_action_options_are_the_features() -> None:
    from shapelens.lsp import code_actions, server

    assert server.CODE_ACTION_OPTIONS == code_actions.OPTIONS


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _messages(stream: Any) -> Any:
    while True:
        length = 0
        while (line := stream.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if not line:
            return
        yield json.loads(stream.read(length))


def test_serving_a_document_imports_no_fixers(bug: Path) -> None:
    """The real server (``python -m shapelens serve``) starts, analyses a document and
    publishes a diagnostic that carries a fix, without importing the code actions, the
    fixers or LibCST (the first code action imports them; tests/lsp/test_code_actions.py
    drives those)."""
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "shapelens", "serve"],
                            cwd=bug.parent, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    stderr: list[bytes] = []
    drain = threading.Thread(target=lambda: stderr.extend(proc.stderr or []), daemon=True)
    drain.start()

    def send(message: dict[str, Any]) -> None:
        assert proc.stdin is not None
        proc.stdin.write(_frame({"jsonrpc": "2.0", **message}))
        proc.stdin.flush()

    def until(done: Any) -> dict[str, Any]:
        for message in _messages(proc.stdout):
            if "id" in message and "method" in message:  # a request from the server
                send({"id": message["id"], "result": None})
            elif done(message):
                return message
        raise AssertionError("the server closed its output")

    try:
        send({"id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": bug.parent.as_uri(), "capabilities": {}}})
        until(lambda m: m.get("id") == 1)
        send({"method": "initialized", "params": {}})
        send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": bug.as_uri(), "languageId": "python", "version": 1, "text": BUG}}})
        published = until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
        send({"id": 2, "method": "shutdown"})
        until(lambda m: m.get("id") == 2)
        send({"method": "exit"})
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    drain.join(timeout=10)
    diagnostics = published["params"]["diagnostics"]
    assert [d["code"] for d in diagnostics] == CODES
    assert diagnostics[0]["data"]["fix"]  # the fix travels with the diagnostic
    names = _imported(b"".join(stderr).decode("utf-8", "replace"))
    assert "shapelens.lsp.server" in names
    assert _loaded(names, NEVER | {"shapelens.lsp.code_actions"}) == []
