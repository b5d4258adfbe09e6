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
# Not for a plain ``check PATH...``: ``typing`` (annotations are strings), ``logging`` (the
# engine logs only a failing shape function), ``argparse`` (``_plain_check``), ``tomllib``
# (no ``[tool.shapelens]`` anywhere up the tree), the incremental engine (the server's),
# ``dataclasses`` and the ``inspect`` it imports (records are ``shapelens.structs`` classes).
NOT_FOR_A_PLAIN_CHECK = {"typing", "logging", "argparse", "tomllib", "tomli",
                         "shapelens.core.incremental.session", "shapelens.core.incremental.records",
                         "dataclasses", "inspect"}

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


def test_a_plain_check_imports_only_what_it_needs(bug: Path) -> None:
    proc = _run(["-m", "shapelens", "check", str(bug)], bug.parent)
    assert proc.returncode == 1
    assert "SL101" in proc.stdout and "SL301" in proc.stdout
    assert _loaded(_imported(proc.stderr), NOT_FOR_A_PLAIN_CHECK) == []


def test_a_pyproject_of_another_tool_is_not_parsed(bug: Path) -> None:
    """The project's own ``pyproject.toml`` names ``shapelens`` but has no table of ours."""
    project = Path(__file__).resolve().parents[2] / "pyproject.toml"
    (bug.parent / "pyproject.toml").write_text(project.read_text(encoding="utf-8"),
                                               encoding="utf-8")
    proc = _run(["-m", "shapelens", "check", str(bug)], bug.parent)
    assert proc.returncode == 1
    assert "SL101" in proc.stdout and "SL301" in proc.stdout
    assert _loaded(_imported(proc.stderr), {"tomllib", "tomli"}) == []


@pytest.mark.parametrize("table", ["[tool.shapelens]\nignore = ['SL301']\n",
                                   "[tool]\nshapelens = { ignore = ['SL301'] }\n",
                                   "tool.'shapelens'.ignore = ['SL301']\n"])
def test_a_shapelens_table_is_read(bug: Path, table: str) -> None:
    (bug.parent / "pyproject.toml").write_text(table + "[project]\nname = 'x'\n",
                                               encoding="utf-8")
    proc = _run(["-m", "shapelens", "check", str(bug)], bug.parent)
    assert proc.returncode == 1
    assert "SL101" in proc.stdout and "SL301" not in proc.stdout  # the table applies
    assert "tomllib" in _imported(proc.stderr) or "tomli" in _imported(proc.stderr)


def test_a_failing_shape_function_is_logged_as_before(tmp_path: Path) -> None:
    """The engine's logger imports ``logging`` when used; the record names the module, the
    function and the line that logged, as ``logging.getLogger(__name__)`` would."""
    script = """if True:
        import logging, sys
        from shapelens.core import analyze
        from shapelens import shapefns
        assert "logging" in sys.modules  # imported by this script, not by the engine
        def broken(call):
            raise RuntimeError("bug-on-purpose")
        shapefns.REGISTRY["tf.reshape"] = broken
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        logging.getLogger("shapelens").addHandler(handler)
        analyze("import tensorflow as tf\\ny = tf.reshape(tf.zeros((2, 3)), (3, 2))\\n")
        [r] = records
        print(r.name, r.levelname, r.module, r.funcName, r.exc_info[0].__name__)
    """
    proc = _run(["-c", script], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["shapelens.core.evaluate", "ERROR", "evaluate",
                                   "call_library", "RuntimeError"]


def test_the_session_is_imported_on_first_use(tmp_path: Path) -> None:
    proc = _run(["-c", "import sys, shapelens.core as core\n"
                 "assert 'shapelens.core.incremental.session' not in sys.modules\n"
                 "from shapelens.core import Session\n"
                 "from shapelens.core.incremental.session import Session as Real\n"
                 "assert Session is Real is core.Session\n"], tmp_path)
    assert proc.returncode == 0, proc.stderr


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
    drives those), nor ``argparse`` (``_plain_serve``); and the incremental engine only
    once the first analysis is done (its recording run is the first to need it)."""
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "shapelens", "serve",
                             "--log-level", "INFO"],
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
    log = b"".join(stderr).decode("utf-8", "replace")
    names = _imported(log)
    assert "shapelens.lsp.server" in names
    assert _loaded(names, NEVER | {"shapelens.lsp.code_actions", "argparse"}) == []
    # stderr in the order things happened: the import report, then the worker's log line
    # of the first analysis (the recording run logs at debug level).
    before, analysed, _ = log.partition(f"analysed {bug.name} v1 ")
    assert analysed, log
    assert _loaded(_imported(before), {"shapelens.core.incremental.session"}) == []


@pytest.mark.parametrize("argv", [["serve"], ["serve", "--log-level", "DEBUG"],
                                  ["serve", "--log-level=info"]])
def test_a_plain_serve_is_parsed_as_argparse_parses_it(argv: list[str]) -> None:
    fast = cli._plain_serve(argv)
    assert fast is not None
    assert vars(fast) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["serve", "--tcp", "127.0.0.1:2087"], ["serve", "--help"],
                                  ["serve", "--log-level"], ["serve", "--log-level="],
                                  ["serve", "--log-level", "INFO", "x"], ["serv"],
                                  ["serve", "--log", "INFO"], ["check", "a.py"]])
def test_any_other_serve_goes_to_argparse(argv: list[str]) -> None:
    assert cli._plain_serve(argv) is None


def test_the_serve_defaults_are_argparses() -> None:
    parsed = vars(cli.build_parser().parse_args(["serve"]))
    assert {k: parsed[k] for k in cli.SERVE_DEFAULTS} == cli.SERVE_DEFAULTS
    assert set(parsed) == {*cli.SERVE_DEFAULTS, "command", "func"}


# Spellings of a ``shapelens`` table and near misses; ``find_pyproject`` skips the parse
# only where parsing could not find one.
TOML = [
    "[tool.shapelens]", "[[tool.shapelens]]", "[ tool . shapelens ]", "[tool.'shapelens']",
    '["tool"."shapelens"]', "[tool.shapelens.per-file-ignores]", "tool.shapelens.select = []",
    "tool.shapelens = {}", "[tool]\nshapelens = {}", "[tool]\nshapelens.select = []",
    '[ "tool" ]\n"shapelens" = {}', "tool = { shapelens = {} }", "'tool'={'shapelens'={}}",
    '[tool."\\u0073hapelens"]', '["\\u0074ool".shapelens]', '[tool."\\U00000073hapelens"]',
    "[tool.ruff]\nline-length = 100", '[project]\nname = "shapelens"',
    '[project.scripts]\nshapelens = "shapelens.cli:main"', "[tools.shapelens]",
    '[tool.setuptools.package-data]\n"shapelens.rules" = ["docs/*.md"]', "[tool.black",
    "[tool.shapelens", "tool.shapelens = [", "",
]


@pytest.mark.parametrize("text", TOML)
def test_the_text_check_never_skips_a_table_parsing_would_find(text: str) -> None:
    import tomllib

    from shapelens.core.config import may_hold_table

    try:
        tool = tomllib.loads(text).get("tool", {})
        ours = isinstance(tool, dict) and "shapelens" in tool
    except tomllib.TOMLDecodeError:
        ours = "tool.shapelens" in text  # reported as ours but broken
    assert may_hold_table(text) or not ours
    if "shapelens" not in text and "tool" not in text:
        assert not may_hold_table(text)


def test_the_projects_own_pyproject_is_skipped_unparsed() -> None:
    from shapelens.core.config import may_hold_table

    project = Path(__file__).resolve().parents[2] / "pyproject.toml"
    assert not may_hold_table(project.read_text(encoding="utf-8"))
