"""Parse the annotations in fixture programs (``# expect:`` and ``# shape:`` comments).

Fixtures under ``fixtures/`` are ordinary TensorFlow programs whose comments state what
ShapeLens and TensorFlow must agree on, so both the fast engine tests and the TensorFlow
oracle read them through this one module:

* ``# expect: SL101`` (or ``SL101, SL103``) on the line where TensorFlow raises;
* ``# shape: (8, 16)`` on a ``name = expr`` line: the value's shape, in Python tuple syntax,
  ``None`` where TF's static shape has None (the engine must have proven it: ``DYNAMIC`` or
  Keras' batch axis) and a quoted string (``'batch'``) for a named symbolic dim.

Comments are found with ``tokenize`` so a ``#`` inside a string literal is never mistaken for
an annotation.

Notebooks (``fixtures/notebooks/*.ipynb``, listed by ``notebook_files``) carry the same comments
inside their cells. They are read as the program the CLI and the language server analyse
(``shapelens.notebook.read_notebook``: code cells in order, magics and shell lines blanked in
place), so every line number here is a *program* line, exactly as for a ``.py`` fixture, and
TF and the engine can be compared on it unchanged; ``FixtureExpectations.program`` maps a
program line back to ``(cell, line in cell)``, where a notebook's annotation is written.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES_DIR = REPO_ROOT / "fixtures"

Dim = int | str | None
Shape = tuple[Dim, ...] | None

_EXPECT_RE = re.compile(r"#\s*expect\s*:\s*([A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)")
_SHAPE_RE = re.compile(r"#\s*shape\s*:\s*")


class AnnotationError(ValueError):
    """A fixture annotation that cannot be understood (reported, never silently ignored)."""


@dataclass(frozen=True)
class ShapeExpectation:
    """A ``# shape:`` annotation tied to the assignment statement it sits on."""

    line: int  # first line of the assignment statement (what the engine and TF report)
    comment_line: int  # line the comment is written on
    name: str
    shape: Shape


@dataclass
class FixtureExpectations:
    """Everything a fixture's comments promise."""

    path: Path
    source: str
    codes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    shapes: list[ShapeExpectation] = field(default_factory=list)
    program: Any = None  # a notebook's ``NotebookProgram`` (program line -> cell, line)

    @property
    def is_buggy(self) -> bool:
        return bool(self.codes)

    def expected_pairs(self) -> set[tuple[int, str]]:
        """(line, code) for every expected finding."""
        return {(line, code) for line, codes in self.codes.items() for code in codes}

    def cell_of(self, line: int) -> tuple[int, int]:
        """A notebook's program ``line`` as ``(cell, line in cell)``; ``(0, line)`` for a file."""
        if self.program is None:
            return 0, line
        where = self.program.locate(line)
        return where.cell, where.line

    def expected_in_cells(self) -> set[tuple[int, int, str]]:
        """(cell, line in cell, code) for every expected finding of a notebook."""
        return {(*self.cell_of(line), code) for line, code in self.expected_pairs()}

    def where(self, line: int) -> str:
        """A program line as a reader finds it: ``cell 7 line 2`` in a notebook."""
        cell, in_cell = self.cell_of(line)
        return f"cell {cell} line {in_cell}" if self.program is not None else f"line {line}"


def fixture_files(root: Path = FIXTURES_DIR) -> list[Path]:
    """Every fixture program below ``root`` (``fixtures/**/*.py``), sorted for stable ids."""
    return sorted(p for p in root.glob("**/*.py") if p.is_file() and "__pycache__" not in p.parts)


def notebook_files(root: Path = FIXTURES_DIR) -> list[Path]:
    """Every fixture notebook below ``root`` (``fixtures/**/*.ipynb``), sorted."""
    return sorted(p for p in root.glob("**/*.ipynb") if p.is_file()
                  and ".ipynb_checkpoints" not in p.parts)


def fixture_source(path: Path) -> str:
    """The program of a fixture: the file, or a notebook's code cells as one program."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    from shapelens.notebook import read_notebook  # the engine's own reader: the same line map

    return read_notebook(text).source


def fixture_id(path: Path) -> str:
    """A short, stable test id: the path relative to ``fixtures/``."""
    try:
        return path.resolve().relative_to(FIXTURES_DIR).as_posix()
    except ValueError:
        return path.as_posix()


def _comments(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every comment token in ``source``."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            yield tok.start[0], tok.string


def _balanced_prefix(text: str) -> str:
    """The leading bracketed literal of ``text`` (``(..)``/``[..]``), or its first word."""
    text = text.strip()
    if not text or text[0] not in "([":
        return text.split()[0] if text.split() else ""
    depth = 0
    quote: str | None = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0:
                return text[: i + 1]
    return text


def parse_shape_literal(text: str) -> Shape:
    """Turn the text after ``# shape:`` into a shape tuple (``None`` = unknown rank)."""
    literal = _balanced_prefix(text)
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError) as exc:
        raise AnnotationError(f"cannot parse shape annotation {text!r}") from exc
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise AnnotationError(f"shape annotation {text!r} is not a tuple")
    dims: list[Dim] = []
    for dim in value:
        if (
            dim is None
            or isinstance(dim, str)
            or (isinstance(dim, int) and not isinstance(dim, bool))
        ):
            dims.append(dim)
        else:
            raise AnnotationError(f"bad dim {dim!r} in shape annotation {text!r}")
    return tuple(dims)


def _assignment_at(tree: ast.Module, line: int) -> tuple[int, str] | None:
    """(start line, target name) of the innermost ``name = expr`` statement covering ``line``."""
    best: tuple[int, str] | None = None
    best_span = 1 << 30
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target = node.target
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        end = node.end_lineno or node.lineno
        if node.lineno <= line <= end and end - node.lineno < best_span:
            best = (node.lineno, target.id)
            best_span = end - node.lineno
    return best


def parse_source(source: str, path: Path | str = "<string>") -> FixtureExpectations:
    """Collect the annotations of one fixture's source text."""
    path = Path(path)
    result = FixtureExpectations(path=path, source=source)
    tree: ast.Module | None = None
    for line, comment in _comments(source):
        expect = _EXPECT_RE.search(comment)
        if expect:
            codes = tuple(c.strip().upper() for c in expect.group(1).split(","))
            previous = result.codes.get(line, ())
            result.codes[line] = previous + tuple(c for c in codes if c not in previous)
        shape = _SHAPE_RE.search(comment)
        if shape:
            # Only the leading literal counts: another annotation may follow on the same
            # comment ("# shape: (2,)  # expect: SL101").
            rest = comment[shape.end() :]
            if tree is None:
                tree = ast.parse(source, filename=str(path))
            target = _assignment_at(tree, line)
            if target is None:
                raise AnnotationError(f"{path}:{line}: '# shape:' is not on a `name = expr` line")
            result.shapes.append(
                ShapeExpectation(
                    line=target[0],
                    comment_line=line,
                    name=target[1],
                    shape=parse_shape_literal(rest),
                )
            )
    return result


def parse_fixture(path: Path) -> FixtureExpectations:
    """Read and parse one fixture file (a notebook: its program, with the cell map)."""
    result = parse_source(fixture_source(path), path)
    if path.suffix == ".ipynb":
        from shapelens.notebook import read_notebook

        result.program = read_notebook(path.read_text(encoding="utf-8"))
    return result


def shape_repr(shape: Shape | list[Dim]) -> str:
    """A shape as the annotations write it (``(8, 16)``, ``(3,)``, ``None``)."""
    if shape is None:
        return "None"
    return repr(tuple(shape))


def engine_matches_annotation(expected: Shape, got: Shape | tuple[object, ...]) -> bool:
    """The engine's shape equals an annotation. An annotated ``None`` is TensorFlow's static
    ``None``: the engine must have proven it (``DYNAMIC``, or Keras' batch axis, which the
    engine names ``'batch'``); a dim the engine does not know (``None``) matches nothing."""
    from shapelens.domain.shapes import DYNAMIC

    if expected is None or got is None:
        return expected is got
    if len(expected) != len(got):
        return False
    return all((e is None and (g is DYNAMIC or g == "batch")) or (e is not None and e == g)
               for e, g in zip(expected, got))
