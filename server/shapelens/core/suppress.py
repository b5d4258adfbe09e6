"""``# shapelens: ignore`` and ``# shapelens: ignore[SL101, SL102]`` comments, per line."""

from __future__ import annotations

import io
import re
import tokenize

# A bare ``ignore`` must end there: ``ignore[SL101`` (unclosed) or ``ignored`` is not a
# suppression, rather than silently hiding every code on the line.
_PATTERN = re.compile(r"#\s*shapelens:\s*ignore(?:\[(?P<codes>[A-Z0-9,\s]*)\]|(?![\w\[-]))",
                      re.I)
ALL = frozenset({"*"})


def _comments(source: str) -> list[tuple[int, str]]:
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Mid-typing text: fall back to a line scan (may over-match inside strings).
        return [(i, line[line.index("#"):]) for i, line in
                enumerate(source.splitlines(), start=1) if "#" in line]


def suppressions(source: str) -> dict[int, frozenset[str]]:
    """Line (1-based) → codes suppressed there (``{"*"}`` for all)."""
    if "shapelens" not in source:
        return {}
    out: dict[int, frozenset[str]] = {}
    for line, comment in _comments(source):
        match = _PATTERN.search(comment)
        if not match:
            continue
        codes = match.group("codes")
        if codes is None:
            out[line] = ALL
        else:
            out[line] = frozenset(c.strip().upper() for c in codes.split(",") if c.strip())
    return out


def is_suppressed(table: dict[int, frozenset[str]], line: int, code: str) -> bool:
    codes = table.get(line)
    return codes is not None and (codes is ALL or "*" in codes or code in codes)
