"""What the Keras fixers share: how the module spells ``keras``, the ``Sequential([...])``
list a model name was built from, and inserting an element into such a list.

The spelling is always borrowed from the code being fixed (``keras.layers.Dense`` gives
``keras.layers.Flatten``, ``tf.keras.layers.Dense`` gives ``tf.keras.Input``), so a fix never
adds an import; a module whose spelling cannot be told gets no fix.
"""

from __future__ import annotations

import libcst as cst

from ._cst import FixVisitor, callee, dotted


def imported_names(module: cst.Module) -> dict[str, str]:
    """Top-level import bindings: local name -> dotted module or object it names."""
    found: dict[str, str] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    full = dotted(alias.name) or ""
                    local = alias.asname.name if alias.asname else None
                    name = local.value if isinstance(local, cst.Name) else full.split(".")[0]
                    found[name] = full if local is not None else name
            elif isinstance(small, cst.ImportFrom) and small.module is not None and \
                    not isinstance(small.names, cst.ImportStar):
                base = dotted(small.module) or ""
                for alias in small.names:
                    full = f"{base}.{dotted(alias.name)}"
                    local = alias.asname.name if alias.asname else alias.name
                    if isinstance(local, cst.Name):
                        found[local.value] = full
    return found


def keras_module(module: cst.Module, layer_func: cst.BaseExpression) -> str | None:
    """How to spell the ``keras`` package here, judged first from a layer's callee
    (``keras.layers.Dense`` -> ``keras``), then from the module's imports."""
    name = dotted(layer_func) or ""
    if ".layers." in name:
        return name.rsplit(".layers.", 1)[0]
    imports = imported_names(module)
    for local, full in sorted(imports.items()):
        if full in ("keras", "tensorflow.keras"):
            return local
    for local, full in sorted(imports.items()):
        if full == "tensorflow":
            return f"{local}.keras"
    return None


def layers_prefix(module: cst.Module, layer_func: cst.BaseExpression) -> str | None:
    """The prefix of a layer's callee (``keras.layers`` of ``keras.layers.Dense``), or the
    ``layers`` spelling of ``keras_module`` for a bare name."""
    if isinstance(layer_func, cst.Attribute):
        return dotted(layer_func.value)
    keras = keras_module(module, layer_func)
    return None if keras is None else f"{keras}.layers"


class SequentialList(FixVisitor):
    """The list of the last ``<model> = <...>Sequential([...])`` before ``line``."""

    def __init__(self, model: str, line: int) -> None:
        super().__init__()
        self.model, self.limit = model, line
        self.found: cst.List | None = None
        self.found_line = 0

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if len(node.targets) != 1 or dotted(node.targets[0].target) != self.model or \
                not isinstance(value, cst.Call) or callee(value) != "Sequential" or \
                not value.args or not isinstance(value.args[0].value, cst.List) or \
                value.args[0].keyword is not None:
            return
        line = self.line(node)
        if self.found_line < line <= self.limit:
            self.found, self.found_line = value.args[0].value, line


def insert_element(node: cst.List, elements: list[cst.Element], index: int,
                   value: cst.BaseExpression) -> list[cst.Element]:
    """``elements`` of the list ``node`` with ``value`` inserted at ``index``, laid out like
    the list (one per line stays one per line): the new element's comma is followed by what
    follows the previous element's comma, or the opening bracket."""
    if index > 0 and isinstance(elements[index - 1].comma, cst.Comma):
        after = elements[index - 1].comma.whitespace_after  # type: ignore[union-attr]
    elif isinstance(node.lbracket.whitespace_after, cst.ParenthesizedWhitespace):
        after = node.lbracket.whitespace_after
    else:
        after = cst.SimpleWhitespace(" ")
    comma = cst.Comma(whitespace_after=after)
    return [*elements[:index], cst.Element(value=value, comma=comma), *elements[index:]]
