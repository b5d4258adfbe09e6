"""SL214 "use the Keras 3 name": one name written in the source replaced by another
(``metric.reset_states()`` -> ``reset_state()``, ``Adam(lr=...)`` -> ``Adam(learning_rate=
...)``, ``model.fit_generator`` -> ``fit``, ``tf.keras.optimizers.legacy.SGD`` ->
``tf.keras.optimizers.SGD``).

The engine gives where the old text starts (``line``, ``col``), the text (``old``) and its
replacement (``new``); the edit is made only when the source still has ``old`` there (else
the code changed since the analysis, and nothing is offered). Whether the fix is safe is
the engine's call (``core/keras/removed.py``).
"""

from __future__ import annotations

from ..core.results import Finding, Span
from .base import Edit, register
from .scope import ModuleIndex, split_lines

FIX_ID = "rename-api"


class RenameApi:
    """A text edit of one name: no parse, so the scoped form is the same."""

    fix_id = FIX_ID

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        return self.edits(index.source, finding)

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        if finding.fix is None:
            return []
        args = dict(finding.fix.args)
        line, col, old, new = (args.get(k) for k in ("line", "col", "old", "new"))
        if not (isinstance(line, int) and isinstance(col, int) and isinstance(old, str) and
                isinstance(new, str) and old):
            return []
        lines = split_lines(source)
        if not 0 < line <= len(lines) or lines[line - 1][col:col + len(old)] != old:
            return []
        return [Edit(Span(line, col, line, col + len(old)), new)]


RENAME_API = register(RenameApi())
