"""The server and the CLI never import, run or evaluate the code they analyse, never import
TensorFlow, and never use the network.

The workspace holds programs that, if any line of them ran, would write files, open a
socket to a port this test listens on, start processes, import a sibling module that writes
a file, and exit. The CLI and the server analyse them in subprocesses that carry an audit
hook (``sys.addaudithook``): it reports every import, every file opened for writing, every
socket, process and ``exec`` of a code object from the workspace on the process's stderr.
The test then checks that the analysis happened (the shape bug in the program is reported)
and that none of those events did, nor any of their effects.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import FIXTURES
from .wire import LspServer, span

pytestmark = pytest.mark.hardening

BANNED = {"tensorflow", "keras", "tf_keras", "numpy", "torch", "jax", "evil_helper",
          "hostile", "pyproject_plugin"}
AUDIT = r'''
import json, os, sys
_ROOT = os.environ["AUDIT_ROOT"]
_EVENTS = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
           "socket.getaddrinfo", "socket.gethostbyname", "subprocess.Popen", "os.system",
           "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.kill",
           "os.remove", "os.rename", "os.rmdir", "os.truncate", "shutil.rmtree",
           "ctypes.dlopen", "webbrowser.open", "urllib.Request", "builtins.input"}
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

def _emit(*record):
    os.write(2, ("AUDIT " + json.dumps([str(r) for r in record]) + "\n").encode())

def _hook(event, args):
    if event == "import":
        _emit("import", args[0])
    elif event == "open":
        path, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                (isinstance(flags, int) and flags & _WRITE):
            _emit("write", path)
    elif event == "exec":
        name = getattr(args[0], "co_filename", "")
        if isinstance(name, str) and name.startswith(_ROOT):
            _emit("exec", name)
    elif event == "os.mkdir" and str(args[0]).startswith(_ROOT):
        _emit(event, args[0])
    elif event in _EVENTS:
        _emit(event, repr(args)[:300])

sys.addaudithook(_hook)
sys.argv = ["shapelens", *sys.argv[1:]]
from shapelens.cli import main
sys.exit(main())
'''


def hostile_program(sentinels: Path, port: int) -> str:
    return textwrap.dedent(f'''\
        """If any line of this ran, something would show up in {sentinels}."""
        import os
        import socket
        import subprocess
        import sys

        import evil_helper
        import tensorflow as tf

        open(r"{sentinels}/opened.txt", "w").write("ran")
        with open(r"{sentinels}/appended.txt", "a") as log:
            log.write("ran")
        os.makedirs(r"{sentinels}/made")
        socket.create_connection(("127.0.0.1", {port})).sendall(b"ran")
        subprocess.run(["touch", r"{sentinels}/subprocess.txt"], check=False)
        os.system("touch {sentinels}/system.txt")
        exec("open(r'{sentinels}/exec.txt', 'w')")
        eval("__import__('pathlib').Path(r'{sentinels}/eval.txt').write_text('ran')")
        __import__("shutil").rmtree(r"{sentinels}")
        x = tf.zeros((2, 3))
        y = tf.reshape(x, [7])  # a shape bug: proves the file was analysed

        def on_import():
            open(r"{sentinels}/function.txt", "w").write("ran")

        on_import()
        if __name__ == "__main__":
            sys.exit(3)
        sys.exit(4)
        ''')


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[tuple[Path, Path, socket.socket]]:
    """``(workspace, sentinels, listener)``; the sentinel folder must stay as it is."""
    workspace, sentinels = tmp_path / "workspace", tmp_path / "sentinels"
    workspace.mkdir()
    sentinels.mkdir()
    (sentinels / "keep.txt").write_text("the program would delete this folder")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    program = hostile_program(sentinels, port)
    (workspace / "hostile.py").write_text(program)
    (workspace / "evil_helper.py").write_text(
        f'open(r"{sentinels}/imported.txt", "w").write("imported")\n')
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": program.splitlines(keepends=True)}]
    (workspace / "hostile.ipynb").write_text(json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (workspace / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["pyproject_plugin"]\n\n[tool.shapelens]\n'
        'ignore = ["SL2"]\n')
    yield workspace, sentinels, listener
    listener.close()


def run_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return {**env, "AUDIT_ROOT": str(root), "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1"}


def audit(stderr: str) -> list[list[str]]:
    return [json.loads(line[6:]) for line in stderr.splitlines() if line.startswith("AUDIT ")]


def assert_nothing_happened(events: list[list[str]], root: Path, sentinels: Path,
                            listener: socket.socket) -> None:
    imported = {e[1].split(".")[0] for e in events if e[0] == "import"}
    assert imported, "the audit hook saw no imports at all: it did not run"
    assert imported & BANNED == set()
    effects = [e for e in events if e[0] != "import"]
    assert effects == []
    assert sorted(p.name for p in sentinels.iterdir()) == ["keep.txt"]
    listener.setblocking(False)
    with pytest.raises(BlockingIOError):
        listener.accept()
    assert not any(str(root) in e[1] for e in events if e[0] == "write")


def test_cli_analyses_without_running_anything(hostile: tuple[Path, Path, socket.socket],
                                               tmp_path: Path) -> None:
    workspace, sentinels, listener = hostile
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    proc = subprocess.run([sys.executable, "-c", AUDIT, "check", "--format", "json",
                           str(workspace)], cwd=elsewhere, env=run_env(tmp_path),
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr  # problems found: not 3 or 4 from sys.exit
    found = {(Path(f["path"]).name, f["code"]) for f in json.loads(proc.stdout)}
    assert {("hostile.py", "SL101"), ("hostile.ipynb", "SL101")} <= found
    assert_nothing_happened(audit(proc.stderr), tmp_path, sentinels, listener)


def test_server_analyses_without_running_anything(hostile: tuple[Path, Path, socket.socket],
                                                  tmp_path: Path) -> None:
    workspace, sentinels, listener = hostile
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    argv = [sys.executable, "-c", AUDIT, "serve"]
    with LspServer(argv=argv, cwd=elsewhere, env=run_env(tmp_path)) as lsp:
        lsp.initialize(root=workspace)
        for name in ("hostile.py", "evil_helper.py"):
            uri = (workspace / name).as_uri()
            lsp.open(uri, (workspace / name).read_text())
            lsp.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        uri = (workspace / "hostile.py").as_uri()
        diagnostics = lsp.published(uri, 1)
        assert "SL101" in [d["code"] for d in diagnostics]
        lines = (workspace / "hostile.py").read_text().splitlines()
        assert lsp.hover(uri, lines.index("x = tf.zeros((2, 3))"), 0) is not None
        lsp.inlay_hints(uri, span(0, 0, len(lines), 0))
        lsp.code_actions(uri, diagnostics[0]["range"], diagnostics)
        lsp.call("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": span(0, 0, len(lines), 0),
            "context": {"diagnostics": diagnostics, "only": ["source.fixAll"]}})
        lsp.call("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        lsp.hover(uri, 0, 0)
        code, _ = lsp.shutdown_and_exit(timeout=5)
        assert code == 0
        stderr = lsp.stderr_text
    assert_nothing_happened(audit(stderr), tmp_path, sentinels, listener)


def test_importing_and_analysing_loads_no_tensorflow(hostile: tuple[Path, Path, socket.socket],
                                                     tmp_path: Path) -> None:
    """In one process: import the CLI and the server, analyse the hostile programs and every
    fixture; ``sys.modules`` must hold none of the libraries the analysed code imports."""
    workspace, sentinels, listener = hostile
    script = textwrap.dedent('''\
        import json, sys
        from pathlib import Path
        import shapelens.cli, shapelens.lsp.server
        from shapelens.cli import analyze_path
        from shapelens.core import Config
        paths = [Path(p) for p in sys.argv[1:]]
        for path in paths:
            analyze_path(path, Config())
        print(json.dumps(sorted(sys.modules)))
        ''')
    paths = [workspace / "hostile.py", workspace / "hostile.ipynb",
             *sorted(FIXTURES.rglob("*.py"))]
    proc = subprocess.run([sys.executable, "-c", script, *map(str, paths)], cwd=tmp_path,
                          env=run_env(tmp_path), capture_output=True, text=True, timeout=120,
                          check=True)
    loaded = {name.split(".")[0] for name in json.loads(proc.stdout)}
    assert loaded & BANNED == set()
    assert sorted(p.name for p in sentinels.iterdir()) == ["keep.txt"]
    listener.setblocking(False)
    with pytest.raises(BlockingIOError):
        listener.accept()


def test_server_started_like_the_vscode_client_imports_nothing_from_the_workspace(
        hostile: tuple[Path, Path, socket.socket], tmp_path: Path) -> None:
    workspace, sentinels, _ = hostile
    (workspace / "pygls.py").write_text(
        f'open(r"{sentinels}/pygls_shadowed.txt", "w").write("ran")\n'
        'raise ImportError("a workspace module was imported by the server")\n')
    client_ts = (Path(__file__).resolve().parents[2] / "client-vscode" / "src" /
                 "client.ts").read_text(encoding="utf-8")
    # client.ts starts the server outside the workspace, with PYTHONSAFEPATH set.
    assert "cwd: os.tmpdir()" in client_ts and "PYTHONSAFEPATH: '1'" in client_ts
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONSAFEPATH": "1"}
    with LspServer(cwd=elsewhere, env=env) as lsp:  # as client-vscode/src/client.ts does
        try:
            lsp.initialize(root=workspace)
            lsp.shutdown_and_exit(timeout=5)
        finally:
            lsp.kill()
    assert sorted(p.name for p in sentinels.iterdir()) == ["keep.txt"]
