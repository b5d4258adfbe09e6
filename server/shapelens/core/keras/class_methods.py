"""Methods called on a class of the program: its ``@classmethod``s, and the ``from_config``
a Keras ``Layer``/``Model`` subclass inherits (``Linear.from_config(layer.get_config())``).

Python binds a classmethod to the class it is read from (``cls`` is that class, even through
a subclass); Keras 3's inherited ``from_config(config)`` is ``cls(**config)`` (``Operation.
from_config``; ``Model.from_config`` revives a functional model only from a config with its
``layers``/``input_layers``/``output_layers``, which a program's own ``get_config`` dict
rarely has: then unknown). The engine calls the class with the dict's items when the dict is
one it knows item by item (a literal ``{"units": self.units}`` of the class's ``get_config``)
and, as for a library config (``configs.py``), certainly unchanged since it was made: the
``get_config()`` call written in the argument itself.
"""

from __future__ import annotations

import ast

from ...domain.values import UNKNOWN, BoundMethod, ClassValue, Const, DictValue, Function, Value
from ..interpreter.scope import class_member
from .configs import config_untouched
from .summary import is_keras_subclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..interpreter.ports import CallsApi

_FUNCTIONAL_KEYS = frozenset({"layers", "input_layers", "output_layers"})


def is_classmethod(fn: Function) -> bool:
    """A method written with ``@classmethod``."""
    node = fn.node
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
        isinstance(d, ast.Name) and d.id == "classmethod" for d in node.decorator_list)


def class_bound(cls: ClassValue, attr: str, member: Value | None) -> bool:
    """``cls.attr`` is a method bound to the class: a classmethod of the program, or the
    ``from_config`` a Keras subclass inherits."""
    if isinstance(member, Function):
        return is_classmethod(member)
    return member is None and attr == "from_config" and is_keras_subclass(cls)


def class_method_call(calls: CallsApi, method: BoundMethod, args: list[Value],
                      kwargs: dict[str, Value], node: ast.AST) -> Value | None:
    """The call of a method bound to a class; None when ``method`` is not one."""
    cls = method.receiver
    if not isinstance(cls, ClassValue):
        return None
    member = class_member(cls, method.name)
    if isinstance(member, Function) and is_classmethod(member):
        return calls.call_function(member, [cls, *args], kwargs, node)
    if member is not None or method.name != "from_config" or not is_keras_subclass(cls):
        return None
    config = args[0] if len(args) == 1 and not kwargs else kwargs.get("config", UNKNOWN)
    items = _known_items(config)
    if items is None or not config_untouched(node) or \
            (_FUNCTIONAL_KEYS & set(items)):
        return UNKNOWN
    return calls.instantiate(cls, [], items, node)


def _known_items(config: Value) -> dict[str, Value] | None:
    """A dict's items when every key is a known str."""
    if not isinstance(config, DictValue):
        return None
    items: dict[str, Value] = {}
    for key, value in config.items:
        if not isinstance(key, Const) or not isinstance(key.value, str):
            return None
        items[key.value] = value
    return items
