"""Partial re-parsing (``incremental/reparse.py``): whenever it answers, its statements are exactly
what parsing the whole new text gives (same nodes, same positions); when it cannot be sure,
it answers ``None`` and the caller parses everything."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shapelens.core.incremental.reparse import Moved, reparse, split_lines

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "fixtures").rglob("*.py"))
# Line edits that may end, join or split statements (more edits below add or remove lines).
REPLACEMENTS = ["x = 1", "    x = 1", "x = 1; y = 2", "    y = (", "    )", "else:",
                "    else:", "    return x", "\"\"\"", "    '''", "x = [1,", "]", "\\",
                "    pass  # comment", "", "    ", "@decorator", "def g():", "class C:",
                "    if x:", "        pass", "try:", "except Exception:", "    x \\"]


def dump(body: list[ast.stmt]) -> list[str]:
    return [ast.dump(node, include_attributes=True) for node in body]


def check(old_text: str, new_text: str) -> bool:
    """Asserts the invariant; returns whether the partial path answered."""
    old = split_lines(old_text)
    body = ast.parse(old_text).body
    new = split_lines(new_text)
    found = reparse(old, body, new, "t.py")
    if found is None:
        return False
    moved = found[2]
    if moved is not None:  # what the session does: renumber the statements after the edit
        assert len(new) != len(old)
        for node in (*found[0][moved.index:], *moved.inner):
            ast.increment_lineno(node, moved.delta)
        if moved.split is not None:  # kept, with its lines from the threshold on moved
            for found_node in ast.walk(moved.split):
                node: Any = found_node
                if getattr(node, "lineno", None) is not None and node.lineno >= moved.threshold:
                    node.lineno += moved.delta
                if getattr(node, "end_lineno", None) is not None and \
                        node.end_lineno >= moved.threshold:
                    node.end_lineno += moved.delta
    try:
        want = ast.parse(new_text).body
    except SyntaxError:
        pytest.fail("reparse answered for a text that does not parse")
    assert dump(found[0]) == dump(want)
    return True


def parsable(path: Path) -> str | None:
    text = path.read_text(encoding="utf-8")
    try:
        ast.parse(text)
    except SyntaxError:
        return None
    return text


SOURCES = [text for text in map(parsable, FIXTURES) if text and text.count("\n") > 3]


# The fixtures indented into a class: their functions become methods, nested definitions
# that an edit may fall strictly inside (only that method is parsed again).
CLASS_SOURCES = ["class Holder:\n" + "".join(f"    {line}" if line.strip() else line
                                             for line in text.splitlines(keepends=True))
                 for text in SOURCES if "def " in text]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SOURCES) - 1), st.data())
def test_partial_reparse_equals_a_full_parse(which: int, data: st.DataObject) -> None:
    edit_and_check(SOURCES[which], data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(CLASS_SOURCES) - 1), st.data())
def test_partial_reparse_inside_a_class_equals_a_full_parse(which: int,
                                                             data: st.DataObject) -> None:
    edit_and_check(CLASS_SOURCES[which], data)


def edit_and_check(text: str, data: st.DataObject) -> None:
    """Up to three random line edits, each checked against a full parse."""
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["replace", "digit", "indent", "append", "insert",
                                          "delete", "split"]))
        line = lines[i].rstrip("\n")
        if kind == "replace":
            line = data.draw(st.sampled_from(REPLACEMENTS))
        elif kind == "digit":
            line = "".join("7" if c.isdigit() else c for c in line)
        elif kind == "indent":
            line = line.lstrip() if line.startswith(" ") else "    " + line
        elif kind == "append":
            line += data.draw(st.sampled_from([" + 1", ")", ":", "  # x", ", y", " \\"]))
        elif kind == "insert":  # Enter: a new line, blank or typed
            line += "\n" + data.draw(st.sampled_from(REPLACEMENTS))
        elif kind == "split":  # Enter in the middle of a line
            cut = data.draw(st.integers(0, len(line)))
            line = line[:cut] + "\n" + line[cut:]
        new = "".join([*lines[:i], line + "\n", *lines[i + 1:]]) if kind != "delete" else \
            "".join([*lines[:i], *lines[i + 1:]])
        check(text, new)
        lines = new.splitlines(keepends=True)
        try:
            ast.parse(new)
        except SyntaxError:
            return  # the session falls back to the full parse from here
        text = new


def partial(old: str, new: str) -> tuple[list[ast.stmt], list[ast.stmt], int, Moved | None]:
    """The old statements, then what ``reparse`` answers (it must answer)."""
    before = ast.parse(old).body
    found = reparse(split_lines(old), before, split_lines(new), "t.py")
    assert found is not None
    return before, *found


def test_an_edit_inside_a_function_reparses_only_that_function() -> None:
    old = "import os\n\n\ndef f():\n    a = 1\n    return a\n\n\nx = f()\n"
    new = old.replace("a = 1", "a = 2")
    before, body, parsed, moved = partial(old, new)
    assert parsed == 3 and moved is None  # lines 4-6: the def alone, not its neighbours
    assert dump(body) == dump(ast.parse(new).body)
    assert body[0] is before[0] and body[2] is before[2]  # the neighbours keep their trees
    assert body[1] is not before[1]


def test_statements_sharing_a_line_are_parsed_together() -> None:
    old = "a = 1; b = [\n    2,\n    3]\nc = 4\n"
    new = old.replace("    2,", "    5,")
    assert check(old, new)
    old = "def f():\n    x = 1\n    return x\ny = 2; z = 3\n"
    assert check(old, old.replace("x = 1", "x = 2"))


def test_enter_in_a_function_moves_the_statements_below() -> None:
    old = "import os\n\n\ndef f():\n    a = 1\n    return a\n\n\nx = f()\ny = 2\n"
    new = old.replace("    a = 1\n", "    a = 1\n    b = 2\n")  # Enter, then a statement
    before, body, parsed, moved = partial(old, new)
    assert parsed == 4 and moved == Moved(2, 7, 1)  # x = f() and y = 2: old lines 7 on move
    assert body[2] is before[2] and body[3] is before[3]
    assert check(old, new)


def test_an_edit_that_ends_a_block_early_falls_back() -> None:
    old = "def f():\n    a = 1\n    b = 2\n    return a\nx = 1\n"
    assert not check(old, old.replace("    b = 2", "b = 2"))


CLASS = ("import os\n\n\nclass Model:\n    size = 3\n\n    def first(self):\n"
         "        a = 1\n        return a\n\n    def second(self, x):\n        b = 2\n"
         "        return b\n\n    def third(self):\n        return self.second(1)\n\n\n"
         "y = Model()\n")


def test_an_edit_inside_a_method_reparses_only_that_method() -> None:
    new = CLASS.replace("b = 2", "b = 5")
    before, body, parsed, moved = partial(CLASS, new)
    assert parsed == 3 and moved is None  # the method's three lines, not the class
    assert dump(body) == dump(ast.parse(new).body)
    old_class, new_class = before[1], body[1]
    assert isinstance(old_class, ast.ClassDef) and isinstance(new_class, ast.ClassDef)
    assert new_class is not old_class  # the class statement is new: it runs again
    kept = [a is b for a, b in zip(old_class.body, new_class.body)]
    assert kept == [True, True, False, True]  # but its other members keep their nodes
    assert body[0] is before[0] and body[2] is before[2]


def test_an_edit_on_the_last_line_of_a_method_reparses_only_that_method() -> None:
    new = CLASS.replace("return b", "return b + 1")
    _, body, parsed, moved = partial(CLASS, new)
    assert parsed == 3 and moved is None
    assert dump(body) == dump(ast.parse(new).body)


def test_enter_inside_a_method_moves_the_members_and_statements_below() -> None:
    new = CLASS.replace("        b = 2\n", "        b = 2\n        c = 3\n")
    before, _, parsed, moved = partial(CLASS, new)
    old_class = before[1]
    assert isinstance(old_class, ast.ClassDef)
    assert parsed == 4 and moved is not None
    assert (moved.index, moved.threshold, moved.delta) == (2, 14, 1)
    assert moved.inner == (old_class.body[3],)  # the method below, in the same class
    assert check(CLASS, new)


def test_a_method_line_dedented_to_the_class_level_is_not_taken_for_the_method() -> None:
    new = CLASS.replace("        b = 2", "    b = 2")  # ends the method: no longer Python
    assert not check(CLASS, new)
    new = CLASS.replace("        return b\n", "    b = 2\n")  # ends it: a class attribute
    assert check(CLASS, new)


def test_an_edit_at_the_end_of_a_nested_class_moves_its_end_column() -> None:
    """Deleting a method's last line ends the method, and the class around it, at the line
    before: the class's end column is its new last member's (found by hypothesis)."""
    old = ("class Holder:\n    class T:\n        def f(self):\n            a = 1\n"
           "            return a\n\n\n    x = 1\n")
    assert check(old, old.replace("            return a\n", ""))


def test_a_blank_line_typed_inside_a_method_parses_nothing() -> None:
    """Enter at the end of a method's last line (or anywhere in it), and Backspace: only
    lines move. Every node is kept; the class is renumbered from the new line on."""
    for at in ("        b = 2\n", "        return b\n"):
        new = CLASS.replace(at, at + "    \n")  # the indentation an editor types
        before, body, parsed, moved = partial(CLASS, new)
        assert parsed == 0 and all(a is b for a, b in zip(before, body, strict=True))
        line = CLASS[:CLASS.index(at)].count("\n") + 2  # old number of the line after it
        assert moved == Moved(2, line, 1, split=before[1])
        assert check(CLASS, new) and check(new, CLASS)
    new = CLASS.replace("    def third", "    # the third one\n    def third")
    assert partial(CLASS, new)[2] == 0 and check(CLASS, new)  # a comment line too


def test_a_blank_line_between_statements_moves_only_those_below() -> None:
    old = "import os\n\n\ndef f():\n    return 1\n\n\nx = f()\ny = 2\n"
    _, _, parsed, moved = partial(old, old.replace("x = f()\n", "x = f()\n\n"))
    assert parsed == 0 and moved == Moved(3, 9, 1)  # only y = 2 moves
    _, _, parsed, moved = partial(old, old.replace("\n\n\ndef", "\ndef"))  # Backspace x 2
    assert parsed == 0 and moved == Moved(1, 4, -2)
    _, _, parsed, moved = partial(old, old.replace("y = 2\n", "y = 2\n\n\n"))
    assert parsed == 0 and moved is None  # at the end: nothing moves


def test_a_blank_line_inside_a_string_or_after_a_continuation_is_parsed() -> None:
    old = 'def f():\n    s = """a\nb"""\n    t = 1 + \\\n        2\n    return s\n'
    assert partial(old, old.replace("a\nb", "a\n\nb"))[2] > 0  # the string changed
    assert check(old, old.replace("a\nb", "a\n\nb"))
    assert not check(old, old.replace("\\\n", "\\\n\n"))  # no longer Python: fall back
    f_string = 'x = f"""{1}\n{2}"""\ny = 1\n'
    assert partial(f_string, f_string.replace("}\n{", "}\n\n{"))[2] > 0


def test_whole_statements_pasted_or_retyped_between_others_parse_alone() -> None:
    """Text that parses alone as statements at column 0, replacing whole statements (or
    none): the statements around it keep their nodes, however long they are."""
    pasted = "def pasted(n):\n    return [n,\n            n]\n\n\n"
    new = CLASS.replace("class Model:", pasted + "class Model:")
    before, body, parsed, moved = partial(CLASS, new)
    assert parsed == 5 and body[0] is before[0] and body[2] is before[1]
    assert moved == Moved(2, 4, 5)  # the class and what follows it move down
    assert check(CLASS, new) and check(new, CLASS)  # and deleted again
    retyped = CLASS.replace("y = Model()", "y = Model(3)")
    before, body, parsed, moved = partial(CLASS, retyped)
    assert parsed == 1 and body[1] is before[1] and moved is None
    for typed in ("    z = 1\n", "else:\n    pass\n", "z = [1,\n"):  # joins, continues, open
        new = CLASS.replace("\n\ny = Model()", "\n" + typed + "y = Model()")
        found = reparse(split_lines(CLASS), ast.parse(CLASS).body, split_lines(new), "t.py")
        assert found is None or found[1] > len(typed.splitlines())


def test_whole_methods_pasted_or_deleted_inside_a_class_parse_alone() -> None:
    """A method pasted between two others (or deleted): the class gets a new node that keeps
    its other members' nodes; an indented continuation or a dedent is parsed with more."""
    pasted = "    def pasted(self):\n        return [1,\n                2]\n\n"
    new = CLASS.replace("    def second", pasted + "    def second")
    before, body, parsed, moved = partial(CLASS, new)
    old_class, new_class = before[1], body[1]
    assert isinstance(old_class, ast.ClassDef) and isinstance(new_class, ast.ClassDef)
    assert parsed == 4 and new_class is not old_class
    kept = [m for m in new_class.body if any(m is o for o in old_class.body)]
    assert len(kept) == 4 and len(new_class.body) == 5
    assert moved is not None and moved.inner == tuple(old_class.body[2:])
    assert check(CLASS, new) and check(new, CLASS)  # and deleted again
    for typed in ("        extra = 1\n", "    else:\n        pass\n", "x = 1\n"):
        new = CLASS.replace("    def second", typed + "    def second")
        found = reparse(split_lines(CLASS), ast.parse(CLASS).body, split_lines(new), "t.py")
        assert found is None or found[1] > len(typed.splitlines())
