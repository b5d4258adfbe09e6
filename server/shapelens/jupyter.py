"""ShapeLens declared to jupyter-lsp, so JupyterLab finds it with no configuration.

jupyter-lsp (the server half of jupyterlab-lsp) looks up the entry point group
``jupyter_lsp_spec_v1`` when JupyterLab starts; ``pyproject.toml`` points it at :func:`spec`.
The spec runs ``python -m shapelens serve`` with the interpreter of the Jupyter server, which
is the environment ``pip install shapelens jupyterlab jupyterlab-lsp`` put all three in.

jupyterlab-lsp sends a notebook's code cells to the server as one virtual ``.py``-like
document (cells two blank lines apart, magics rewritten line for line) and maps positions
back to cells itself; the server reads the text from the messages, so nothing has to be
written to disk (``requires_documents_on_disk``).

This module imports nothing from Jupyter: it is loaded by jupyter-lsp, never by ShapeLens.
"""

from __future__ import annotations

import sys
from typing import Any

KEY = "shapelens"
SPEC_VERSION = 2  # jupyter-lsp's spec schema version ("current-version" in its schema)


def spec(manager: Any = None) -> dict[str, dict[str, Any]]:
    """The language server spec jupyter-lsp validates and offers to JupyterLab.

    ``manager`` is jupyter-lsp's LanguageServerManager; the spec does not depend on it.
    ``sys.executable`` is the Jupyter server's interpreter, where this package is installed
    (jupyter-lsp imported this module from it)."""
    del manager
    return {
        KEY: {
            "argv": [sys.executable, "-m", "shapelens", "serve"],
            "languages": ["python"],
            "mime_types": ["text/python", "text/x-ipython"],
            "display_name": "ShapeLens",
            "version": SPEC_VERSION,
            "requires_documents_on_disk": False,
            "env": {"PYTHONUNBUFFERED": "1"},
            "install": {"pip": "pip install shapelens"},
        }
    }
