"""Realistic large TF/Keras files for the benchmark, built from the fixtures.

Each fixture becomes one section of a long module, the way a script grows or a notebook is
exported: its docstring becomes a comment header, its imports stay (an import that rebinds a
name to exactly what it is already bound to is dropped), and its
``if __name__ == "__main__":`` block becomes a function ``run_<stem>()`` that is called right
after it, so the program still runs top to bottom and every section's code runs with its own
globals (a later section redefining ``batch`` cannot change an earlier one). In a fixture with
a bug, the top-level statement that reaches it (the ``run_`` call, or the script statement
itself) is wrapped in ``try: ... except Exception`` as a script that runs several experiments
would do; otherwise everything after the first certain error would be unreachable and the
file would have a single diagnostic instead of one per buggy section. The fixtures are
shuffled with a fixed seed and cycled (a repeated section gets a ``_2``, ``_3`` suffix on its
``run_`` function) until the file has the requested number of lines; the last lines are
padded with comments to hit the size exactly.

``Edit`` picks where the benchmark types: one digit of a numeric literal inside a function
body, in the first or the last function of the file that has one. Typing there changes the
program's meaning (a size, a rate, an axis), so no cache keyed by text could skip the work.
"""

from __future__ import annotations

import ast
import hashlib
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


# Graph-mode TF1 programs (issue 19) are left out of the generated files: building a TF1
# graph is not replayable by the incremental engine yet (``core/overlays/graph_mode.py`` marks every
# statement after the first placeholder as opaque), so one such section would make every
# edit below it a from-scratch run and hide what the benchmark measures for TF2 code.
GRAPH_MODE = ("tf1",)


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))


def section_files() -> list[Path]:
    """The fixtures the generated files are built from (``GRAPH_MODE`` left out)."""
    return [p for p in fixture_files() if p.parent.name not in GRAPH_MODE]


def _import_bindings(node: ast.Import | ast.ImportFrom) -> dict[str, str]:
    """``{bound name: what it is bound to}`` for one import statement."""
    out = {}
    if isinstance(node, ast.Import):
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            out[name] = alias.name if alias.asname else alias.name.split(".")[0]
    else:
        for alias in node.names:
            out[alias.asname or alias.name] = f"{'.' * node.level}{node.module}:{alias.name}"
    return out


def section(path: Path, bound: dict[str, str], suffix: str = "") -> list[str]:
    """One fixture as a section of the big module (``bound``: imports in force, updated)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    stem = path.stem + suffix
    out = [f"# {'-' * 76}", f"# {path.parent.name}/{path.name}"]
    body = list(tree.body)
    bug_lines = [i for i, text in enumerate(lines, 1) if "# expect:" in text]
    tail = _guarded_tail(body, bug_lines)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        doc = body.pop(0).value.value  # type: ignore[attr-defined]
        out += [f"# {text}".rstrip() for text in doc.strip().splitlines()]
    out.append("")
    for i, node in enumerate(body):
        if i == tail:  # the script part that calls the buggy function: one guarded block
            out += _guarded(lines[node.lineno - 1:body[-1].end_lineno], stem)
            break
        first = node.lineno - 1
        if node.decorator_list if isinstance(node, ast.FunctionDef | ast.ClassDef) else False:
            first = min(d.lineno for d in node.decorator_list) - 1  # type: ignore[union-attr]
        chunk = lines[first:node.end_lineno]
        if isinstance(node, ast.Import | ast.ImportFrom):
            binds = _import_bindings(node)
            if all(bound.get(name) == target for name, target in binds.items()):
                continue
            bound.update(binds)
        elif _is_main_guard(node):
            out.append(f"def run_{stem}():")
            out += chunk[1:]
            out += ["", ""]
            out += _guarded([f"run_{stem}()"], stem) if bug_lines else [f"run_{stem}()"]
            continue
        elif any(node.lineno <= line <= (node.end_lineno or 0) for line in bug_lines) \
                and not isinstance(node, ast.FunctionDef | ast.ClassDef):
            out += _guarded(chunk, stem)
            continue
        else:
            # Any other binding of an imported name ends that import's dedupe.
            for target in ast.walk(node):
                if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                    bound.pop(target.id, None)
        if out and out[-1] != "" and isinstance(node, ast.FunctionDef | ast.ClassDef):
            out += ["", ""]
        out += chunk
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            out += ["", ""]
    while out and out[-1] == "":
        out.pop()
    return [*out, "", ""]


def _guarded_tail(body: list[ast.stmt], bug_lines: list[int]) -> int | None:
    """Index of the first script statement after a function or class holding the bug.

    A fixture without a ``__main__`` block whose bug is inside a function reaches it from its
    script part; that part is guarded as a whole. ``None`` when there is nothing to do.
    """
    if not bug_lines or any(_is_main_guard(node) for node in body):
        return None
    definers = [i for i, node in enumerate(body)
                if isinstance(node, ast.FunctionDef | ast.ClassDef)
                and any(node.lineno <= line <= (node.end_lineno or 0) for line in bug_lines)]
    if not definers:
        return None
    for i in range(definers[0] + 1, len(body)):
        if not isinstance(body[i], ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom):
            return i
    return None


def _guarded(chunk: list[str], stem: str) -> list[str]:
    return ["try:", *(f"    {text}" if text else "" for text in chunk),
            "except Exception as err:  # a failing experiment must not stop the others",
            f'    print("{stem} failed:", err)']


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or node.orelse:
        return False
    test = node.test
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def build(lines: int, seed: int = 0) -> str:
    """A module of exactly ``lines`` lines (the last ones may be comments)."""
    # A pseudo-random order that a new fixture does not reshuffle: each file's place comes
    # from a hash of its own name, so adding one fixture moves no other section and the
    # benchmark's edit points stay where they were (a shuffle of the whole list moved them
    # all, and with them the numbers, whenever a fixture was added).
    order = stable_order(section_files(), seed)
    header = [f'"""Generated by bench/corpus.py (seed {seed}, {lines} lines) from the ShapeLens',
              'fixtures: each section is one fixture program."""']
    out = list(header)
    bound: dict[str, str] = {}
    rounds = 0
    while True:
        rounds += 1
        suffix = "" if rounds == 1 else f"_{rounds}"
        added = False
        for path in order:
            chunk = section(path, dict(bound), suffix)
            if len(out) + len(chunk) > lines:
                continue
            section(path, bound, suffix)  # commit its imports
            out += chunk
            added = True
        if not added:
            break
    out += [f"# padding {i}" for i in range(lines - len(out))]
    text = "\n".join(out) + "\n"
    ast.parse(text)  # the result must be valid Python
    return text


def stable_order(files: list[Path], seed: int) -> list[Path]:
    """``files`` in a seeded pseudo-random order in which each file's place depends on its
    own name only: a new fixture does not move the others (``build``)."""
    def place(path: Path) -> str:
        return hashlib.sha256(f"{seed}:{path.parent.name}/{path.name}".encode()).hexdigest()
    return sorted(files, key=place)


def fixture_program(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Edit:
    """Where to type: a digit at 0-based ``(line, col)``, toggled between two values."""

    line: int
    col: int
    old: str
    new: str

    def text(self, n: int) -> str:
        """The character the ``n``-th edit (1-based) writes: it alternates, never a no-op."""
        return self.new if n % 2 else self.old


def _body_numbers(source: str) -> list[list[tuple[int, int, str]]]:
    """Per function (in source order): digits ending numeric literals in its body."""
    tree = ast.parse(source)
    functions = sorted((n for n in ast.walk(tree)
                        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)),
                       key=lambda n: n.lineno)
    numbers = _all_numbers(source)
    out = []
    for fn in functions:
        first_body = fn.body[0].lineno
        if isinstance(fn.body[0], ast.Expr) and isinstance(fn.body[0].value, ast.Constant):
            first_body = fn.body[0].end_lineno + 1 if fn.body[0].end_lineno else first_body
        inner = [(line, col, digit) for line, col, digit in numbers
                 if first_body <= line + 1 <= (fn.end_lineno or line)]
        if inner:
            out.append(inner)
    return out


def _all_numbers(source: str) -> list[tuple[int, int, str]]:
    return [(tok.end[0] - 1, tok.end[1] - 1, tok.string[-1])
            for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.NUMBER and tok.string[-1].isdigit()
            and not tok.string.lower().startswith(("0x", "0o", "0b"))]


def edit_points(source: str, anywhere: bool = False) -> tuple[Edit, Edit] | None:
    """The edit near the top (first function with a number) and near the end (last one).

    ``anywhere``: for a script without functions, the first and last number in the file.
    """
    per_function = _body_numbers(source)
    if not per_function and anywhere:
        numbers = _all_numbers(source)
        per_function = [numbers] if numbers else []
    if not per_function:
        return None
    top, end = per_function[0][0], per_function[-1][-1]

    def edit(point: tuple[int, int, str]) -> Edit:
        line, col, digit = point
        return Edit(line, col, digit, "3" if digit == "2" else "2")

    return edit(top), edit(end)


if __name__ == "__main__":
    import sys

    sys.stdout.write(build(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
