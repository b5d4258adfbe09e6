"""The VS Code extension's settings mirror the server's ``Settings`` one to one.

``client-vscode/package.json`` declares ``contributes.configuration``; every field of
``shapelens.lsp.config.Settings`` (nested dataclasses become dotted keys, names camelCase) must
appear there with the same default, and nothing else may, apart from the client's own settings.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints

from shapelens.lsp.config import LOG_LEVELS, SEVERITIES, Settings

PACKAGE = Path(__file__).resolve().parents[2] / "client-vscode" / "package.json"
CLIENT_ONLY = {"shapelens.interpreter", "shapelens.trace.server"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _server_settings(cls: type, prefix: str = "shapelens") -> dict[str, Any]:
    """``{"shapelens.inlayHints.enable": True, ...}`` from the dataclass defaults."""
    out: dict[str, Any] = {}
    hints = get_type_hints(cls)
    for f in fields(cls):
        key = f"{prefix}.{_camel(f.name)}"
        kind = hints[f.name]
        if is_dataclass(kind):
            out.update(_server_settings(kind, key))  # type: ignore[arg-type]
            continue
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        out[key] = default
    return out


def _contributed() -> dict[str, dict[str, Any]]:
    manifest = json.loads(PACKAGE.read_text(encoding="utf-8"))
    return manifest["contributes"]["configuration"]["properties"]


def test_every_server_setting_is_contributed_with_its_default() -> None:
    contributed = _contributed()
    server = _server_settings(Settings)
    assert set(contributed) - CLIENT_ONLY == set(server)
    for key, default in server.items():
        assert contributed[key]["default"] == default, key
        assert contributed[key].get("markdownDescription") or contributed[key].get("description")


def test_enumerations_match_the_server() -> None:
    contributed = _contributed()
    assert contributed["shapelens.logLevel"]["enum"] == list(LOG_LEVELS)
    assert contributed["shapelens.severity"]["additionalProperties"]["enum"] == list(SEVERITIES)


def test_interpreter_is_never_read_from_workspace_settings() -> None:
    manifest = json.loads(PACKAGE.read_text(encoding="utf-8"))
    assert _contributed()["shapelens.interpreter"]["scope"] == "machine"
    untrusted = manifest["capabilities"]["untrustedWorkspaces"]
    assert untrusted["supported"] == "limited"
    assert untrusted["restrictedConfigurations"] == ["shapelens.interpreter"]
    assert manifest["activationEvents"] == ["onLanguage:python", "onNotebook:jupyter-notebook"]
