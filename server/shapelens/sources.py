"""Finding and reading the files to analyse: folders walked for ``*.py``, text decoded the
way Python itself decodes source (BOM, ``# -*- coding -*-`` cookie, UTF-8 default).

A leaf: the core's workspace reads imported modules with ``decode_source``, so this module
imports nothing of the core (a ``core.Config`` is accepted as any ``Excludes``)."""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterator
from pathlib import Path

TYPE_CHECKING = False  # ``typing`` stays unimported on the ``check`` path (start-up time)
if TYPE_CHECKING:
    from typing import Protocol

    class Excludes(Protocol):
        """What the walk needs of the configuration (``core.config.Config``)."""

        def excluded(self, path: Path) -> bool: ...


class UnreadableSource(Exception):
    """The bytes are not Python source text (bad encoding, binary data)."""


def decode_source(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableSource("binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as err:
        raise UnreadableSource(str(err)) from err
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise UnreadableSource(f"cannot decode as {encoding}: {err}") from err
    return text[1:] if text.startswith("\ufeff") else text


def read_source(path: Path) -> str:
    """Raises OSError for I/O problems and UnreadableSource for undecodable content."""
    return decode_source(path.read_bytes())


def iter_python_files(paths: list[Path], config: Excludes) -> Iterator[Path]:
    """Files given explicitly are always yielded; folders are walked for ``*.py``."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for child in sorted([*path.rglob("*.py"), *path.rglob("*.ipynb")]):
                if child.is_file() and not config.excluded(child) and child not in seen:
                    seen.add(child)
                    yield child
        elif path not in seen:
            seen.add(path)
            yield path
