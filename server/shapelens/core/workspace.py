"""Finding the source of a workspace module the analysed file imports.

``disk_resolver(roots, overlay)`` returns a resolver for ``analyze``: it looks for
``pkg/mod.py`` or ``pkg/mod/__init__.py`` under the importing file's folder and the given roots
(relative imports from the importing file's package), and prefers ``overlay`` (path → text of
open editor buffers) over what is on disk. Only files under the roots are read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ..sources import UnreadableSource, decode_source

MAX_MODULE_BYTES = 2 * 1024 * 1024


def disk_resolver(roots: list[Path], overlay: Mapping[str, str] | None = None,
                  ) -> Callable[[str, str], tuple[str, str] | None]:
    overlay = overlay or {}
    resolved_roots: list[Path] = []  # filled on the first lookup: most files import none

    def inside(path: Path) -> bool:
        return any(path == r or r in path.parents for r in resolved_roots)

    def resolve(module: str, importer: str) -> tuple[str, str] | None:
        if roots and not resolved_roots:
            resolved_roots.extend(r.resolve() for r in roots)
        level = len(module) - len(module.lstrip("."))
        parts = [p for p in module.lstrip(".").split(".") if p]
        bases: list[Path] = []
        here = Path(importer).resolve().parent if importer and importer != "<string>" else None
        if level and here is not None:
            base = here
            for _ in range(level - 1):
                base = base.parent
            bases.append(base)
        elif not level:
            bases += ([here] if here is not None else []) + resolved_roots
        for base in bases:
            for candidate in (base.joinpath(*parts).with_suffix(".py") if parts else None,
                              base.joinpath(*parts, "__init__.py")):
                if candidate is None:
                    continue
                key = str(candidate)
                if key in overlay:
                    return key, overlay[key]
                if candidate.is_file() and inside(candidate.resolve()):
                    try:
                        if candidate.stat().st_size > MAX_MODULE_BYTES:
                            return None
                        return key, decode_source(candidate.read_bytes())
                    except (OSError, UnreadableSource):
                        return None
        return None

    return resolve
