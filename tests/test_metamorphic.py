"""Ignorance never adds a finding.

A finding is a proof: it may rest only on what the engine knows. So replacing any one value of
a program by a call the engine cannot know (``__unknown__(value)``, defined nowhere) may remove
findings, never add one. For every fixture, correct and buggy, scripts and notebooks, each of
a bounded, seeded sample of sites (a call result assigned to a name, a call argument, a
parameter default, an int/float/tuple literal; ``tests/metamorphic.py``) is replaced in turn,
keeping every line where it was, and the variant's ``(line, code)`` findings must be a subset
of the original's (the None-gradient codes SL301-SL308 count as one claim: see ``claim``).

A failure lists, per variant, the site and the findings it added; ``python
tests/test_metamorphic.py FIXTURE`` prints each violation of that fixture minimised.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pytest

from metamorphic import Site, find_sites, minimise, replace_site, sample_sites
from shapelens.core import Config, analyze
from shapelens.core.execute import Interpreter
from shapelens.notebook import read_notebook

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*")
                  if p.suffix in (".py", ".ipynb") and p.is_file())
MAX_SITES = 100  # per file (a few have more): ~1 ms per analysis, ~8,500 variants in all
GENERATED_SEEDS = range(0, 160)  # the random-program oracle's SAMPLE_SEEDS
MAX_GENERATED_SITES = 40  # per generated program (~12 lines, ~30 sites each)


def program(path: Path) -> str:
    """The text the engine analyses: the file, or a notebook's code cells as one module
    (``read_notebook``; lines are the program's, which is all a comparison needs)."""
    text = path.read_text(encoding="utf-8")
    return read_notebook(text).source if path.suffix == ".ipynb" else text


# SL301-SL308 make one claim, "this gradient is None", and differ only in the reason they
# give; a variant may prove the same None for another reason (a copy through assign() whose
# argument is now unknown is still not differentiable), so they compare as one claim.
_NONE_GRADIENT = {f"SL30{n}" for n in range(1, 9)}


def claim(code: str) -> str:
    return "SL301-SL308" if code in _NONE_GRADIENT else code


@lru_cache(maxsize=4096)
def findings(source: str) -> frozenset[tuple[int, str]]:
    return frozenset((f.span.line, claim(f.code)) for f in analyze(
        source, "variant.py", Config(), time_budget=0).findings)


_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match)


@contextmanager
def _recording_reachability(live: set[int], dead: set[int]) -> Iterator[None]:
    """The engine as it is, noting the lines of each statement it analyses as reachable
    (``live``) or as following a statement that certainly raises (``dead``: it reports
    nothing there, since that code never runs)."""
    exec_stmt = Interpreter.exec_stmt

    def recording(self: Interpreter, stmt: ast.stmt) -> bool:
        last = stmt.lineno if isinstance(stmt, _COMPOUND) else stmt.end_lineno or stmt.lineno
        (dead if self.dead else live).update(range(stmt.lineno, last + 1))
        return exec_stmt(self, stmt)

    Interpreter.exec_stmt = recording  # type: ignore[method-assign]
    try:
        yield
    finally:
        Interpreter.exec_stmt = exec_stmt  # type: ignore[method-assign]


@lru_cache(maxsize=512)
def unreachable_lines(source: str) -> frozenset[int]:
    """Lines the engine analyses only as unreachable, after a statement that certainly raises
    (in every buggy fixture). The original says nothing there, so a variant that makes the
    raising statement unknown, and that code reachable, may find what is there: the error
    moves on to where it next certainly happens. A finding there is no guess, and only there
    is a new finding allowed."""
    live: set[int] = set()
    dead: set[int] = set()
    with _recording_reachability(live, dead):
        analyze(source, "variant.py", Config(), time_budget=0)
    return frozenset(dead - live)


def violations(source: str, sites: list[Site]) -> list[tuple[Site, set[tuple[int, str]]]]:
    base = findings(source)
    out = []
    for site in sites:
        extra = set(findings(replace_site(source, site))) - base
        if extra:
            unreachable = unreachable_lines(source)
            extra = {(line, code) for line, code in extra if line not in unreachable}
        if extra:
            out.append((site, extra))
    return out


def _describe(source: str, site: Site, extra: set[tuple[int, str]]) -> str:
    variant = replace_site(source, site).split("\n")
    messages = {(f.span.line, claim(f.code)): f.message
                for f in analyze("\n".join(variant), "variant.py", Config()).findings}
    lines = [f"  {site.kind} at {site.line}:{site.col + 1} `{site.text[:60]}` -> "
             f"`{variant[site.line - 1].strip()[:80]}` added:"]
    lines += [f"    {line}: {code} {messages.get((line, code), '')[:140]}"
              for line, code in sorted(extra)]
    return "\n".join(lines)


def check_program(source: str, seed: str, limit: int = MAX_SITES) -> None:
    """Every sampled variant of ``source`` is valid Python with the same lines and adds no
    finding."""
    sites = find_sites(source)
    assert sites, "every program has a literal or a call to replace"
    chosen = sample_sites(sites, limit, seed)
    for site in chosen:  # the rewriting itself: valid Python, same number of lines
        variant = replace_site(source, site)
        assert variant.count("\n") == source.count("\n")
        compile(variant, seed, "exec", dont_inherit=True)
    found = violations(source, chosen)
    assert not found, f"{len(found)} of {len(chosen)} variants added findings:\n" + \
        "\n".join(_describe(source, site, extra) for site, extra in found)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.relative_to(ROOT / "fixtures").as_posix()
                                                 for p in FIXTURES])
def test_ignorance_never_adds_a_finding(path: Path) -> None:
    check_program(program(path), path.relative_to(ROOT).as_posix())


def _generated(seed: int) -> str:
    """The random-program oracle's program of ``seed`` (``tests/oracle/genprog``: pure
    Python, TensorFlow is not imported to generate it)."""
    oracle = str(ROOT / "tests" / "oracle")
    if oracle not in sys.path:
        sys.path.insert(0, oracle)
    genprog = importlib.import_module("genprog")
    return genprog.generate(seed).source


@pytest.mark.parametrize("seed", GENERATED_SEEDS)
def test_ignorance_never_adds_a_finding_to_generated_programs(seed: int) -> None:
    """The same on the seeded sample of generated programs the random-program oracle runs
    (a share of them fail under TF, like the buggy fixtures)."""
    check_program(_generated(seed), f"gen_{seed}", MAX_GENERATED_SITES)


def test_the_rewriting_keeps_lines_and_replaces_exactly_the_site() -> None:
    source = "import tensorflow as tf\nx = tf.reshape(\n    tf.zeros((2, 3)),\n    (3, 2))\n" \
             "def f(n=4, *, m=(1, 2.5)):\n    return n\n"
    sites = find_sites(source)
    kinds = {(s.kind, s.text) for s in sites}
    assert ("call", "tf.reshape(\n    tf.zeros((2, 3)),\n    (3, 2))") in kinds
    assert {("argument", "tf.zeros((2, 3))"), ("argument", "(3, 2)"), ("default", "4"),
            ("default", "(1, 2.5)"), ("literal", "2.5"), ("literal", "(2, 3)")} <= kinds
    call = next(s for s in sites if s.kind == "call")
    assert replace_site(source, call).split("\n")[1:4] == [
        "x = __unknown__(tf.reshape(", "    tf.zeros((2, 3)),", "    (3, 2)))"]
    default = next(s for s in sites if s.text == "(1, 2.5)")
    assert "def f(n=4, *, m=__unknown__((1, 2.5))):" in replace_site(source, default)
    utf8 = "s = 'é'; y = f(3)\n"
    (three,) = [s for s in find_sites(utf8) if s.text == "3" and s.kind == "literal"]
    assert replace_site(utf8, three) == "s = 'é'; y = f(__unknown__(3))\n"


def test_sampling_is_seeded_and_covers_every_kind() -> None:
    sites = [Site(kind, line, 0, line, 1, "x") for line in range(1, 200)
             for kind in ("call", "literal")] + [Site("default", 300, 0, 300, 1, "d")]
    first = sample_sites(sites, 10, "a.py")
    assert first == sample_sites(sites, 10, "a.py") and len(first) == 10
    assert {s.kind for s in first} == {"call", "literal", "default"}


def main(argv: list[str]) -> None:
    """Print every violation of the given fixtures, each minimised to a few lines."""
    for name in argv:
        path = Path(name)
        source = program(path)
        chosen = sample_sites(find_sites(source), MAX_SITES,
                              path.resolve().relative_to(ROOT).as_posix())
        for site, extra in violations(source, chosen):
            small = minimise(source, site, lambda s: set(findings(s)))
            kept = [(i, t) for i, t in enumerate(small.split("\n"), 1)
                    if t.strip() and t.strip() != "pass"]
            print(f"== {name}: {site.kind} `{site.text}` at line {site.line} adds {sorted(extra)}")
            print("\n".join(f"{i:4}  {t}" for i, t in kept))


if __name__ == "__main__":
    main(sys.argv[1:])
