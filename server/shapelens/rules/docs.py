"""Rule documentation pages (``docs/<CODE>.md`` shipped inside the package).

The pages feed ``shapelens rule CODE``, the hover on a diagnostic and the docs link.
"""

from __future__ import annotations

from .catalogue import BY_CODE

_PACKAGE = "shapelens.rules"


def page(code: str) -> str:
    """The Markdown page of ``code``; a short generated page if none is shipped."""
    from importlib import resources

    rule = BY_CODE[code]
    try:
        return resources.files(_PACKAGE).joinpath("docs").joinpath(f"{code}.md").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return f"# {rule.code} {rule.name}\n\n{rule.summary}\n"


def has_page(code: str) -> bool:
    from importlib import resources

    return resources.files(_PACKAGE).joinpath("docs").joinpath(f"{code}.md").is_file()
