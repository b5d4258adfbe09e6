"""A real editor nobody on the team wrote: headless Neovim attached to ``shapelens serve``.

Neovim 0.7 (Debian's) has ``vim.lsp.start_client`` but not ``vim.lsp.start``; the Lua
driver (``nvim_check.lua``) handles both. It records what Neovim itself received and did:
the diagnostics it stored, a hover it requested, and the buffer line after it applied the
first code action it was offered. ``.ci/run`` installs Neovim when it is missing; here a
missing ``nvim`` is a failure, not a skip, so CI cannot silently pass without the editor.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.lsp, pytest.mark.editor]

HERE = Path(__file__).parent
FIXTURE = HERE.parent / "lsp" / "workspace" / "reshape_bug.py"


def test_neovim_diagnostics_hover_and_code_action(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.fail("nvim is not installed: run `apt-get install -y --no-install-recommends "
                    "neovim` (.ci/run does this) to run the real-editor test")
    work = tmp_path / "project"
    work.mkdir()
    source = work / "reshape_bug.py"
    shutil.copy(FIXTURE, source)
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "result.json"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home),
           "XDG_CACHE_HOME": str(home), "XDG_STATE_HOME": str(home),
           "XDG_DATA_HOME": str(home), "PY": sys.executable, "OUT": str(out),
           "HOVER_LINE": "2", "HOVER_COL": "0", "ACTION_LINE": "6"}
    proc = subprocess.run(
        [nvim, "--headless", "-n", "-i", "NONE", "-u", str(HERE / "nvim_check.lua"),
         str(source)], cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert out.is_file(), f"Neovim wrote no result (exit {proc.returncode}): {proc.stderr}"
    result = json.loads(out.read_text())
    assert result["ok"], "\n".join(result["log"])

    assert result["diagnostics"] == [{
        "lnum": 5, "col": 4, "end_lnum": 5, "end_col": 41, "severity": 1,
        "source": "shapelens", "code": "SL101",
        "message": "tf.reshape: input [1] has 1 element but shape [400] needs 400"}]
    assert result["hover"] == ("**`y`** · Tensor · `float32`\n```text\n"
                               "(4, 2)  ← tf.zeros((4, 2))\n```")
    assert result["actions"] == ["Ignore SL101 on this line"]
    assert result["line_after"] == ("x = tf.reshape(tf.constant([1.0]), [400])"
                                    "  # shapelens: ignore[SL101]")
    assert result["diagnostics_after"] == []
    assert source.read_text() == FIXTURE.read_text(), "the edit stays in the buffer"
