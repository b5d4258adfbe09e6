"""Errors a ``try`` handles: a program that catches the error TF raises runs cleanly.

The TF guides demonstrate errors inside ``try: ... except Exception as e: print(e)``; library
code probes with ``except ValueError``. Such a program has no bug at that line, so the engine
reports nothing there — but the statement still raises, so the rest of the ``try`` body is
unreachable and the handlers run, exactly as in Python. The interpreter keeps a stack of the
exception names each enclosing ``try`` body catches (dynamically: an error raised in a
function called from the body is caught too), and ``Interpreter.report`` asks ``handles``.
"""

from __future__ import annotations

import ast

from ...rules.catalogue import BY_CODE

CATCH_ALL = frozenset({"*"})

# The classes each exception TF/Keras/NumPy raises for a rule is an instance of (by name).
_SUPERS = {
    "InvalidArgumentError": ("InvalidArgumentError", "OpError"),
    "ValueError": ("ValueError",),
    "TypeError": ("TypeError",),
    "IndexError": ("IndexError", "LookupError"),
    "RuntimeError": ("RuntimeError",),
    "AxisError": ("AxisError", "ValueError", "IndexError", "LookupError"),
}
_EVERYTHING = ("Exception", "BaseException")


# Exception classes a handler may name that catch none of the errors above (by name).
_OTHER_EXCEPTIONS = frozenset({
    "KeyError", "AttributeError", "NameError", "ZeroDivisionError", "ArithmeticError",
    "OverflowError", "StopIteration", "OSError", "IOError", "FileNotFoundError",
    "NotImplementedError", "AssertionError", "ImportError", "ModuleNotFoundError",
    "KeyboardInterrupt", "SystemExit", "UnicodeError", "UnicodeDecodeError",
    "RecursionError", "MemoryError", "TimeoutError", "ConnectionError", "EOFError",
    "ResourceExhaustedError", "NotFoundError", "OutOfRangeError", "UnimplementedError",
    "InternalError", "FailedPreconditionError", "AbortedError", "CancelledError",
    "UnknownError", "DeadlineExceededError", "AlreadyExistsError", "PermissionDeniedError",
    "UnauthenticatedError", "DataLossError", "UnavailableError",
})
_KNOWN = frozenset({n for supers in _SUPERS.values() for n in supers}) | _OTHER_EXCEPTIONS


def caught_names(handlers: list[ast.ExceptHandler]) -> frozenset[str]:
    """The exception class names the handlers of one ``try`` catch (``*``: all of them).
    A name is read off the expression (``tf.errors.InvalidArgumentError`` →
    ``InvalidArgumentError``). A class the engine cannot identify (an alias, a call, a
    name of the program's own) may be any exception, so it may catch anything: the error is
    then not certain to escape."""
    names: set[str] = set()
    for handler in handlers:
        if handler.type is None:
            return CATCH_ALL
        exprs = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        for expr in exprs:
            name = expr.attr if isinstance(expr, ast.Attribute) else \
                expr.id if isinstance(expr, ast.Name) else None
            if name is None or name in _EVERYTHING or name not in _KNOWN:
                return CATCH_ALL
            names.add(name)
    return frozenset(names)


def handles(code: str, catching: list[frozenset[str]]) -> bool:
    """Does an enclosing ``try`` catch an exception TF may raise for rule ``code``? Rules
    that predict no exception (warnings about silent results) are never handled."""
    if not catching:
        return False
    rule = BY_CODE.get(code)
    raised = {cls for classes, _ in (rule.tf_errors if rule else ()) for cls in classes}
    if not raised:
        return False
    for names in catching:
        if names is CATCH_ALL or "*" in names:
            return True
        if any(name in names for cls in raised for name in _SUPERS.get(cls, (cls,))):
            return True
    return False


_CATCHING_CONTEXTS = ("raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp",
                      "suppress")


def with_catches(stmt: ast.With) -> frozenset[str] | None:
    """What a ``with pytest.raises(E)`` / ``self.assertRaises(E)`` / ``contextlib.suppress(E)``
    block catches (the error is expected, or swallowed); None for other context managers."""
    names: set[str] = set()
    for item in stmt.items:
        call = item.context_expr
        if not isinstance(call, ast.Call) or not call.args:
            continue
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else \
            func.id if isinstance(func, ast.Name) else None
        if name not in _CATCHING_CONTEXTS:
            continue
        kind = call.args[0]
        caught = caught_names([ast.ExceptHandler(type=kind, name=None, body=[])])
        if caught is CATCH_ALL:
            return CATCH_ALL
        names |= caught
    return frozenset(names) if names else None
