"""The interpreter room: abstract execution of a module by composed parts.

``machine.Interpreter`` wires the parts (see its docstring for who owns what, and
``docs/architecture.md`` for the picture); ``ports.py`` holds the interfaces the parts see of
each other. This ``__init__`` imports nothing, so that importing one part (or the run state)
does not import them all.
"""
