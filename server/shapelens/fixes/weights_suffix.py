"""SL213 "save to a name Keras 3 accepts": ``model.save_weights("ckpt")`` ->
``model.save_weights("ckpt.weights.h5")``, ``save_weights("model.h5")`` ->
``save_weights("model.weights.h5")``, ``model.save("export")`` -> ``model.save("export.keras")``.

The engine gives the suffix to replace (``old_suffix``, maybe empty: append) and the one to
write (``new_suffix``); the finding's span is the path literal written in the call (a string
or an f-string whose end is literal text). The edit goes just before the literal's closing
quote, after checking the text there still ends with ``old_suffix``; nothing is offered when
the source no longer matches (edited since), or the literal ends in an escape.

The fix is **unsafe**: the files are written under another name, and whatever reads them
(``load_weights("ckpt")``, a later run, another script) must be changed to match.
"""

from __future__ import annotations

from ..core.results import Finding, Span
from .base import Edit, register
from .scope import ModuleIndex, split_lines

FIX_ID = "weights-suffix"
_QUOTES = ('"""', "'''", '"', "'")


class WeightsSuffix:
    """A text edit inside one literal: no parse, so the scoped form is the same."""

    fix_id = FIX_ID

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        return self.edits(index.source, finding)

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        if finding.fix is None:
            return []
        args = dict(finding.fix.args)
        old, new = args.get("old_suffix"), args.get("new_suffix")
        if not isinstance(old, str) or not isinstance(new, str) or not new:
            return []
        span = finding.span
        lines = split_lines(source)
        if not 0 < span.end_line <= len(lines):
            return []
        text = lines[span.end_line - 1][:span.end_col]
        quote = next((q for q in _QUOTES if text.endswith(q)), None)
        if quote is None:
            return []
        body = text[:len(text) - len(quote)]
        if not body.endswith(old) or body[:len(body) - len(old)].endswith("\\"):
            return []  # changed since the analysis, or an escape there
        end = len(body)
        return [Edit(Span(span.end_line, end - len(old), span.end_line, end), new)]


WEIGHTS_SUFFIX = register(WeightsSuffix())
