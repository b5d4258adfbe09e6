"""``fixes.scope``: cutting a module into top-level statements, and the corners where a slice
could differ from the whole module (comments after a block, decorators, line breaks, names
used far away, text that does not parse)."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from shapelens.core import analyze
from shapelens.fixes import FIXERS, apply_edits, apply_fix, scope
from shapelens.fixes.base import Edit
from shapelens.fixes.suppress import suppress_edits
from shapelens.structs import replace

from .helpers import dedent, findings

FILLER = "".join(f"def helper_{i}(a):\n    # step {i}\n    return a + {i}\n\n\n"
                 for i in range(40))


def same(source: str, fix_id: str) -> list[list[Edit]]:
    """For every ``fix_id`` fix the engine offers on ``source``: the scoped edits equal the
    whole-module ones; returns them."""
    out = []
    found = findings(source, fix_id)
    assert found, f"no {fix_id} finding"
    for item in found:
        whole = sorted(FIXERS[fix_id].edits(source, item))
        scoped = apply_fix(source, item, tree=ast.parse(source))
        assert scoped == whole
        out.append(scoped)
    return out


def test_groups_of_a_module() -> None:
    source = dedent("""
        # header
        import tensorflow as tf

        @decorator
        @other(
            1)
        def f():
            return 1
            # trailing comment of f

        a = 1; b = 2
        if a:
            pass
        """)
    index = scope.index_for(source)
    assert index is not None
    assert [(g.first, g.last) for g in index.groups] == [(2, 2), (4, 8), (11, 11), (12, 13)]
    assert index.group_at(1) is None and index.group_at(9) is None
    assert index.group_at(6) == 1 and index.span(2, 12) == [0, 1, 2, 3]
    assert index.word_groups("a") == [2, 3]


def test_a_tree_recovered_from_a_syntax_error_is_not_used() -> None:
    source = "x = 1\ny = (\nz = 3\n"
    tree = analyze(source, "t.py").tree
    assert tree is not None
    assert scope.ModuleIndex.build(source, tree) is None
    assert scope.index_for(source, tree) is None  # and ast cannot parse it either


def test_a_tree_of_other_text_is_replaced_by_a_parse() -> None:
    source = "x = 1\n\ny = 2\n"
    index = scope.index_for(source, ast.parse("x = 1\ny = 2\n"))
    assert index is not None and [(g.first, g.last) for g in index.groups] == [(1, 1), (3, 3)]


def test_text_that_does_not_parse_gets_no_libcst_fix_but_can_be_suppressed() -> None:
    source = dedent("""
        import tensorflow as tf
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        g = tape.gradient(y, x)
        """)
    (item,) = findings(source, "add-watch")
    broken = source + "def broken(:\n"
    assert apply_fix(source, item) != []
    assert apply_fix(broken, item) == []
    assert suppress_edits(broken, item.span.line, item.code) != []


def test_the_slice_is_the_statements_the_fix_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a long module the fixer parses a few lines, not the module."""
    source = FILLER + dedent("""
        import tensorflow as tf
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        g = tape.gradient(y, x)
        """) + FILLER
    fixer = FIXERS["add-watch"]
    seen: list[str] = []
    real = type(fixer).edits

    def spy(self: object, text: str, finding: object) -> list[Edit]:
        seen.append(text)
        return real(self, text, finding)  # type: ignore[arg-type]

    (item,) = findings(source, "add-watch")
    monkeypatch.setattr(type(fixer), "edits", spy)
    edits = apply_fix(source, item)
    assert len(seen) == 1 and seen[0].count("\n") < 10
    assert "tape.watch(x)" in apply_edits(source, edits)


def test_a_statement_moved_after_a_module_level_block_with_trailing_comments() -> None:
    """LibCST gives indented comments after a block to the block: the moved statement goes
    after them, in the slice as in the whole module."""
    for after in ("print(g)\n", "@decorator\ndef later():\n    pass\n", ""):
        source = dedent("""
            import tensorflow as tf
            w = tf.Variable(1.0)
            with tf.GradientTape() as tape:
                y = w * w
                g = tape.gradient(y, w)
                z = y + 1
                # the end of the block

                  # deeper
            # at the top level

            """) + after
        (edits,) = same(source, "gradient-out-of-with")
        assert edits


def test_module_level_tape_used_elsewhere() -> None:
    """``del tape`` depends on every mention of the name in the module."""
    body = dedent("""
        with tf.GradientTape() as tape:
            a = tf.reduce_sum(w * w)
            b = tf.reduce_sum(w)
        ga = tape.gradient(a, w)
        gb = tape.gradient(b, w)
        """)
    head = "import tensorflow as tf\nw = tf.Variable([1.0, 2.0])\n"
    variants = {
        "alone": head + body,
        "a comment before": head + "# the tape below\n" + body,
        "used before": head + "tape = None\nprint(tape)\n" + body,
        "a nested use after": head + body + "def f():\n    return tape\n",
        "an attribute after": head + body + "print(w.tape)\n",
        "a later block": head + body + "\nprint(1)\n" + body.replace("ga", "ha"),
        "far away": head + body + FILLER + "print(tape)\n",
    }
    results = {name: same(source, "persistent-tape") for name, source in variants.items()}
    assert "del tape" in results["alone"][0][-1].new_text
    assert all("del" not in e.new_text for e in results["used before"][0])


def test_module_level_constant_bound_once_or_twice() -> None:
    head = "import tensorflow as tf\n"
    body = dedent("""
        with tf.GradientTape() as tape:
            y = x * x
        g = tape.gradient(y, x)
        """)
    once = head + "x = tf.constant(3.0)\n" + FILLER + body + "print(x)\n"
    twice = head + "x = tf.constant(3.0)\n" + FILLER + body + "x = 2\n"
    comprehension = head + "x = tf.constant(3.0)\n" + body + "print([x for x in range(3)])\n"
    in_function = head + "x = 1\ndef f():\n    x = tf.constant(3.0)\n" + \
        "".join("    " + line + "\n" for line in body.splitlines()) + "x = 2\n"
    assert same(once, "constant-to-variable") != [[]]
    assert same(twice, "constant-to-variable") == [[]]
    assert same(comprehension, "constant-to-variable") == [[]]
    assert same(in_function, "constant-to-variable") != [[]]


def test_float_variable_far_from_its_finding() -> None:
    source = dedent("""
        import tensorflow as tf
        scale = tf.Variable(2)
        """) + FILLER + dedent("""
        with tf.GradientTape() as tape:
            y = tf.cast(scale, tf.float32) * 3.0
        g = tape.gradient(y, scale)
        """)
    (edits,) = same(source, "float-variable")
    assert [e.span.line for e in edits] == [2]


def test_move_into_tape_after_a_block_with_comments() -> None:
    source = dedent("""
        import tensorflow as tf
        w = tf.Variable(2.0)

        def before():
            return 1
            # trailing comment of before

        # about the forward pass
        h = w * 3.0
        loss = h * h
        with tf.GradientTape() as tape:
            pass
        g = tape.gradient(loss, w)
        """)
    (edits,) = same(source, "move-into-tape")
    assert edits


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_breaks(newline: str) -> None:
    source = dedent("""
        import tensorflow as tf
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        g = tape.gradient(y, x)
        """).replace("\n", newline)
    (edits,) = same(source, "add-watch")
    assert f"tape.watch(x){newline}" in apply_edits(source, edits)


def test_mixed_line_breaks_use_the_whole_module() -> None:
    source = "import tensorflow as tf\r\nx = tf.constant(3.0)\n" + dedent("""
        with tf.GradientTape() as tape:
            y = x * x
        g = tape.gradient(y, x)
        """)
    assert same(source, "add-watch") != [[]]


def test_form_feed_and_separators_do_not_shift_lines() -> None:
    """``str.splitlines`` breaks at a form feed; ``ast``, LibCST and LSP do not."""
    source = dedent("""
        import tensorflow as tf
        # a form feed \f and a separator \u2028 in a comment
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        g = tape.gradient(y, x)
        """)
    (edits,) = same(source, "add-watch")
    fixed = apply_edits(source, edits)
    assert "with tf.GradientTape() as tape:\n    tape.watch(x)\n    y = x * x\n" in fixed


def test_a_finding_whose_lines_are_not_code_uses_the_whole_module() -> None:
    source = "import tensorflow as tf\n# comment\nx = 1\n"
    item = replace(findings(dedent("""
        import tensorflow as tf
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        g = tape.gradient(y, x)
        """), "add-watch")[0])
    moved = replace(item, span=replace(item.span, line=2, end_line=2))
    assert apply_fix(source, moved) == sorted(FIXERS["add-watch"].edits(source, moved)) == []


def test_importing_the_fixes_does_not_import_libcst() -> None:
    code = ("import sys, shapelens.fixes, shapelens.fixes.apply, shapelens.lsp.code_actions\n"
            "assert 'libcst' not in sys.modules, 'libcst imported'\n"
            "from shapelens.fixes import FIXERS, LazyFixer\n"
            "assert all(isinstance(f, LazyFixer) for k, f in FIXERS.items() if k != 'suppress')\n"
            "import shapelens.fixes as fixes\n"
            "assert fixes.add_watch.FIX_ID == 'add-watch' and 'libcst' in sys.modules\n"
            "assert not any(isinstance(f, LazyFixer) for f in FIXERS.values())\n")
    subprocess.run([sys.executable, "-c", code], check=True)
