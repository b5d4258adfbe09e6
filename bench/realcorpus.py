"""Code shaped like what people really write, for the benchmark (issue 18).

``corpus.py`` builds scripts: top-level statements that call their functions. Most real code is
not like that. This module builds, from the same fixtures:

* ``library``: a module of function and class definitions that nothing at module level calls.
  Each fixture becomes a section: its imports and literal constants stay at module level, its
  functions and classes too (methods included), and its script part becomes the body of a
  function ``experiment_<stem>()`` that nobody calls. In every third section the fixture's
  functions move inside that function as nested helpers.
* ``script``: the same sections, with a ``main()`` that calls every ``experiment_`` function,
  behind ``if __name__ == "__main__":``.
* ``notebook``: one code cell per fixture program, as a notebook exported to a file is.

Repeated sections get a ``_2``, ``_3`` suffix on their top-level names (and the uses of them),
so a long module does not redefine its own functions. Third-party modules come from the
ecosystem check's pinned repositories (``ecosystem.toml``): they are read from its cache or
git mirrors at bench time and never committed; ``third_party`` says what to fetch when they
are missing.

``Points`` picks where the benchmark types: digits of numeric literals spread over every
function body (any depth, in a seeded shuffle), line ends inside function bodies for Enter and
Backspace, and the blank lines between top-level statements where a 30-line function is pasted.
"""

from __future__ import annotations

import ast
import io
import json
import random
import tokenize
from dataclasses import dataclass
from pathlib import Path

from corpus import section_files, stable_order

ECO_CACHE = Path("/work/eco-cache")
# (label, ecosystem repo, path inside it): library modules of the pinned Keras commit.
THIRD_PARTY = (
    ("keras tf backend nn.py", "keras-lib", "keras/src/backend/tensorflow/nn.py"),
    ("keras ops numpy_test.py", "keras-lib", "keras/src/ops/numpy_test.py"),
)


def _names_bound(body: list[ast.stmt]) -> set[str]:
    return {n.name for n in body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef
                                                | ast.ClassDef)}


def _rename(text: str, names: set[str], suffix: str) -> str:
    """``text`` with every use of ``names`` (not an attribute) suffixed."""
    if not suffix or not names:
        return text
    out = []
    prev = None
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    last = 0
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string in names and \
                not (prev is not None and prev.string == "."):
            start = offsets[tok.start[0] - 1] + tok.start[1]
            out.append(text[last:start] + tok.string + suffix)
            last = start + len(tok.string)
        if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT,
                            tokenize.INDENT, tokenize.DEDENT):
            prev = tok
    out.append(text[last:])
    return "".join(out)


def _is_constant(node: ast.stmt) -> bool:
    if not isinstance(node, ast.Assign) or len(node.targets) != 1 or \
            not isinstance(node.targets[0], ast.Name):
        return False
    try:
        ast.literal_eval(node.value)
    except (ValueError, SyntaxError, TypeError):
        return False
    return True


def _is_main_guard(node: ast.stmt) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and isinstance(test, ast.Compare) and \
        isinstance(test.left, ast.Name) and test.left.id == "__name__"


def _indent(lines: list[str]) -> list[str]:
    return [f"    {text}" if text.strip() else "" for text in lines]


def section(path: Path, index: int, suffix: str) -> tuple[list[str], list[str], str]:
    """One fixture as (imports, module code, the name of its ``experiment_`` function)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body.pop(0)
    names = _names_bound(body)
    has_class = any(isinstance(n, ast.ClassDef) for n in body)
    nest = index % 3 == 0 and not has_class  # its functions become nested helpers
    imports: list[str] = []
    top: list[str] = [f"# {'-' * 76}", f"# {path.parent.name}/{path.name}", ""]
    inner: list[str] = []
    for node in body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        chunk = lines[first - 1:node.end_lineno]
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports += chunk
        elif _is_constant(node):
            top += chunk
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if nest:
                inner += [*chunk, ""]
            else:
                top += ["", "", *chunk]
        elif _is_main_guard(node):
            inner += [text[4:] if text.startswith("    ") else text for text in chunk[1:]]
        else:
            inner += chunk
    stem = path.stem.replace("-", "_")
    name = f"experiment_{stem}{suffix}"
    code = [*top, "", "", f"def {name}():", f'    """Runs the {stem} experiment."""',
            *_indent(inner or ["pass"]), "", ""]
    text = _rename("\n".join(code) + "\n", names, suffix)
    return imports, text.splitlines(), name


def _assemble(lines: int, seed: int, main: bool) -> str:
    order = stable_order(section_files(), seed)  # new fixtures move no other section
    header = [f'"""Generated by bench/realcorpus.py ({"script" if main else "library"}, '
              f'seed {seed}, {lines} lines) from the fixtures."""']
    imports: list[str] = []
    seen_imports: set[str] = set()
    sections: list[str] = []
    names: list[str] = []
    budget = lines - len(header) - (8 if main else 0)
    rounds = 0
    while True:
        rounds += 1
        added = False
        for i, path in enumerate(order):
            new_imports, code, name = section(path, i, "" if rounds == 1 else f"_{rounds}")
            fresh = [t for t in new_imports if t not in seen_imports]
            cost = len(fresh) + len(code) + (1 if main else 0)
            if len(header) + len(imports) + len(sections) + len(names) + cost > budget:
                continue
            for text in fresh:
                seen_imports.add(text)
            imports += fresh
            sections += code
            names.append(name)
            added = True
        if not added or rounds > 50:
            break
    out = [*header, *imports, "", "", *sections]
    if main:
        out += ["def main():", '    """Every experiment, in turn."""',
                *(f"    {name}()" for name in names), "", "",
                'if __name__ == "__main__":', "    main()"]
    out += [f"# padding {i}" for i in range(lines - len(out))]
    text = "\n".join(out[:lines]) + "\n"
    ast.parse(text)
    return text


def library(lines: int, seed: int = 0) -> str:
    """A module of exactly ``lines`` lines that calls nothing at module level."""
    return _assemble(lines, seed, main=False)


def script(lines: int, seed: int = 0) -> str:
    """The library with a ``main()`` calling every experiment behind the ``__main__`` guard."""
    return _assemble(lines, seed, main=True)


def notebook(lines: int, seed: int = 0) -> str:
    """An ``.ipynb`` (JSON) of about ``lines`` lines of code: one cell per fixture program."""
    order = stable_order([p for p in section_files() if p.suffix == ".py"], seed)
    cells = []
    total = 0
    for path in order:
        text = path.read_text(encoding="utf-8")
        n = text.count("\n") + 1
        if total + n > lines:
            continue
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {},
                      "outputs": [], "source": text.splitlines(keepends=True)})
        total += n
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}, indent=1)


def third_party(cache: Path = ECO_CACHE) -> list[tuple[str, Path]]:
    """The third-party modules of ``THIRD_PARTY`` (``(label, path)``), materialised from the
    ecosystem check's mirrors when the cache lacks them; a RuntimeError says what to fetch."""
    import ecosystem

    repos = {r.name: r for r in ecosystem.load_lock(ecosystem.LOCK)}
    out = []
    for label, name, inside in THIRD_PARTY:
        repo = repos[name]
        folder, why = ecosystem.materialise(repo, cache, Path(ecosystem.DEFAULT_MIRRORS))
        if folder is None or not (folder / inside).is_file():
            raise RuntimeError(
                f"{label}: {inside} of {repo.github}@{repo.commit[:10]} is missing ({why}); "
                f"fetch the mirror first (the search tool's fetch github:{repo.github}), then "
                "rerun")
        out.append((label, folder / inside))
    return out


def ecosystem_files(cache: Path = ECO_CACHE) -> list[Path]:
    """Every ``.py`` of every pinned repository (materialised as ``third_party`` does)."""
    import ecosystem

    files: list[Path] = []
    for repo in ecosystem.load_lock(ecosystem.LOCK):
        folder, why = ecosystem.materialise(repo, cache, Path(ecosystem.DEFAULT_MIRRORS))
        if folder is None:
            raise RuntimeError(f"{repo.name}: {why}; fetch github:{repo.github} first")
        files += sorted(p for p in folder.rglob("*.py") if p.is_file())
    return files


# -- where to type ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Digit:
    """A digit at 0-based ``(line, col)``, toggled between ``old`` and ``new``."""

    line: int
    col: int
    old: str
    new: str


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return sorted((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef
                                                           | ast.AsyncFunctionDef)),
                  key=lambda n: n.lineno)


def _body_lines(tree: ast.AST) -> set[int]:
    """1-based lines inside some function body (after its docstring)."""
    inside: set[int] = set()
    for fn in _functions(tree):
        first = fn.body[0]
        start = first.lineno
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                len(fn.body) > 1:
            start = fn.body[1].lineno
        inside.update(range(start, (fn.end_lineno or start) + 1))
    return inside


def digits(source: str, count: int, seed: int = 0) -> list[Digit]:
    """``count`` digit edits spread over the function bodies: one per function (a seeded
    shuffle of the functions, each at a random number of its body), cycling if needed."""
    tree = ast.parse(source)
    per_function: list[list[tuple[int, int, str]]] = []
    numbers = [(tok.end[0], tok.end[1] - 1, tok.string[-1])
               for tok in tokenize.generate_tokens(io.StringIO(source).readline)
               if tok.type == tokenize.NUMBER and tok.string[-1].isdigit()
               and not tok.string.lower().startswith(("0x", "0o", "0b"))]
    for fn in _functions(tree):
        body = _body_lines(_only(fn))
        inner = [n for n in numbers if n[0] in body]
        if inner:
            per_function.append(inner)
    if not per_function:
        return []
    rng = random.Random(seed)
    rng.shuffle(per_function)
    out = []
    for i in range(count):
        line, col, digit = rng.choice(per_function[i % len(per_function)])
        out.append(Digit(line - 1, col, digit, "3" if digit == "2" else "2"))
    return out


def _only(fn: ast.AST) -> ast.Module:
    """``fn`` alone (its nested functions' bodies count as its own lines too)."""
    return ast.Module(body=[fn], type_ignores=[])  # type: ignore[list-item]


def enter_lines(source: str, count: int, seed: int = 0) -> list[int]:
    """0-based lines inside function bodies where pressing Enter at the end leaves valid
    Python (not a continuation line), in a seeded random order."""
    tree = ast.parse(source)
    texts = source.splitlines()
    body = sorted(line - 1 for line in _body_lines(tree)
                  if not texts[line - 1].rstrip().endswith("\\"))
    rng = random.Random(seed)
    return [rng.choice(body) for _ in range(count)]


def paste_lines(source: str, count: int, seed: int = 0) -> list[int]:
    """0-based lines before top-level definitions (preceded by a blank line): where a
    30-line function is pasted."""
    tree = ast.parse(source)
    texts = source.splitlines()
    spots = []
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and first >= 2 and \
                not texts[first - 2].strip():
            spots.append(first - 1)
    rng = random.Random(seed)
    return [rng.choice(spots) for _ in range(count)]


PASTED = '''def pasted_training_step(batch_size=32, features=20, units=64):
    """A pasted helper: one step of a small dense model, written against TF's API."""
    import tensorflow as tf

    inputs = tf.random.normal((batch_size, features))
    kernel = tf.Variable(tf.random.normal((features, units), stddev=0.1))
    bias = tf.Variable(tf.zeros((units,)))
    head = tf.Variable(tf.random.normal((units, 1), stddev=0.1))
    targets = tf.random.normal((batch_size, 1))
    with tf.GradientTape() as tape:
        hidden = tf.nn.relu(inputs @ kernel + bias)
        hidden = tf.nn.dropout(hidden, rate=0.1)
        prediction = hidden @ head
        loss = tf.reduce_mean(tf.square(prediction - targets))
    grads = tape.gradient(loss, [kernel, bias, head])
    for grad, var in zip(grads, [kernel, bias, head]):
        var.assign_sub(0.01 * grad)
    scores = tf.reshape(prediction, (batch_size,))
    ranked = tf.argsort(scores, direction="DESCENDING")
    top = tf.gather(inputs, ranked[:8])
    summary = {
        "loss": float(loss),
        "top": top.shape,
        "mean": tf.reduce_mean(hidden, axis=0).shape,
    }
    norms = tf.norm(kernel, axis=0)
    clipped = tf.clip_by_norm(kernel, 1.0, axes=[0])
    assert clipped.shape == kernel.shape
    print(summary, norms.shape)
    return loss


'''
assert PASTED.count("\n") == 32  # 30 lines of function, two blank lines after it
