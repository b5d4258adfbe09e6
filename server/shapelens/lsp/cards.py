"""The Markdown of hover cards (and inlay-hint tooltips), built from the engine's facts.

Pure text: no positions, no protocol types, so each card is easy to read and to test. Shapes
are written the way the user reads them in the editor (``shape_text``: ``?`` for an unknown
dimension, symbols by name).
"""

from __future__ import annotations

import re

from ..core.results import Finding, GradientFact, ModelFact, TapeFact
from ..domain.shapes import Shape
from ..rules.catalogue import BY_CODE
from .convert import shape_text

KIND = {"tensor": "Tensor", "variable": "Variable", "ndarray": "ndarray",
        "keras": "KerasTensor", "ragged": "RaggedTensor", "sparse": "SparseTensor"}
MODEL_KINDS = {"sequential": "Sequential", "functional": "Functional", "subclass": "Subclassed"}


def card(label: str, shape: Shape, dtype: str | None, kind: str, origin: str | None) -> str:
    """A tensor: its kind and dtype, then ``shape  ← where it came from``."""
    head = f"**`{label}`** · {KIND.get(kind, kind)} · `{dtype or '?'}`"
    line = shape_text(shape) + (f"  ← {origin}" if origin else "")
    return f"{head}\n```text\n{line}\n```"


# Non-tensor values of a known kind (shapefns/api_objects.py): Python values the engine knows
# the type of, not the value; any other kind is a library object's.
_PY_KINDS = {"py:str": "`str`", "py:bool": "`bool`", "py:number": "Python number",
             "py:bytes": "`bytes`", "py:dict": "`dict`", "py:str or None": "`str` or `None`"}


def object_card(label: str, kind: str) -> str:
    """A known non-tensor value: a library object of a named kind (a callback, a checkpoint,
    a context manager...) or a Python value whose type, not value, is known."""
    if kind in _PY_KINDS:
        return f"**`{label}`** · {_PY_KINDS[kind]}"
    if kind.startswith("loss:"):
        return f"**`{label}`** · Keras loss `{kind[5:].split('/')[0]}`"
    return f"**`{label}`** · `{kind}` object"


def model_card(model: ModelFact) -> str:
    """A Keras model: ``model.summary()`` as a Markdown table."""
    total = model.total_params
    head = f"**`{model.name}`** · {MODEL_KINDS.get(model.kind, model.kind)} model"
    if total is not None:
        head += f" · {total:,} params"
    rows = [f"| {row.layer} | `{shape_text(row.output_shape)}` | "
            f"{'?' if row.params is None else f'{row.params:,}'} |" for row in model.layers]
    return "\n".join([head, "", "| layer | output shape | params |", "|:--|:--|--:|", *rows])


def tape_card(tape: TapeFact, where: str | None = None) -> str:
    """A GradientTape: what it records, which decides which gradients exist.

    ``where`` names the tape's line for the reader (``cell 3, line 2`` in a notebook).
    """
    head = f"**`{tape.name}`** · GradientTape" + (" · persistent" if tape.persistent else "")
    watched = [w for w in dict.fromkeys(tape.watched) if w != "?"]
    unnamed = len([w for w in tape.watched if w == "?"])
    if unnamed:
        watched.append(f"{unnamed} unnamed value{'s' if unnamed > 1 else ''}")
    body = ("watches " + ", ".join(f"`{w}`" if " " not in w else w for w in watched)
            if watched else "watches nothing: no variable is read and nothing is "
            "passed to `watch` inside the block")
    return f"{head}\n\n{body} ({where or f'line {tape.line}'})"


def gradient_card(label: str, gradient: GradientFact) -> str:
    """``tape.gradient``: one line per source, its gradient's shape or why it is None."""
    rows = []
    for source, shape, why in gradient.sources:
        if why is None:
            rows.append(f"- `{source}` → `{shape_text(shape)}`")
        else:
            reason = re.sub(rf"^the gradient w\.r\.t\. {re.escape(source)} is None: ", "", why)
            rows.append(f"- `{source}` → **None**: {reason}")
    count = len(gradient.sources)
    return f"**`{label}`** · {count} gradient{'s' if count != 1 else ''}\n\n" + "\n".join(rows)


def rule_card(finding: Finding) -> str:
    """The rule behind a diagnostic: code, name, summary and its documentation page."""
    rule = BY_CODE.get(finding.code)
    if rule is None:
        return f"**{finding.code}** {finding.message}"
    return f"**{rule.code}** `{rule.name}`: {rule.summary} [docs]({rule.url})"


def plain(markdown: str) -> str:
    """For clients that only render plain text."""
    text = re.sub(r"```\w*\n?", "", markdown)
    return text.replace("**", "").replace("`", "")
