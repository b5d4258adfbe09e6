"""The rule catalogue and its documentation pages (``docs/rules/<CODE>.md``).

The catalogue is the one place a rule's meaning is written down, so these tests hold it to
its own promises: stable, well-formed codes grouped like ruff's, a documentation page with
fixed sections for every code (the page feeds ``shapelens rule``, the hover and the docs
URL), and an Example / Use instead pair that the engine really flags / accepts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from shapelens.cli import main
from shapelens.core import Config, analyze
from shapelens.rules import BY_CODE, DOCS_BASE_URL, RULES, FixAvailability, Severity, get
from shapelens.rules import docs as rule_docs

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DOCS = REPO_ROOT / "server" / "shapelens" / "rules" / "docs"
CODES = [rule.code for rule in RULES]

GROUPS = {"1": "tensor ops", "2": "Keras layers and models", "3": "GradientTape",
          "9": "analyzer limits"}
REQUIRED_SECTIONS = ["What it does", "Why is this bad?", "Example", "Use instead", "Fix"]
OPTIONAL_SECTIONS = ["Not flagged"]
FIX_SENTENCE = {
    FixAvailability.ALWAYS: "Fix is always available.",
    FixAvailability.SOMETIMES: "Fix is sometimes available.",
    FixAvailability.NEVER: "No fix is available",
}
# Pages whose Example is not a program the engine can flag on its own: they need a file that
# is too large, nested too deeply, or not decodable (covered in test_cli.py and below).
ANALYZER_LIMIT_PAGES = {"SL902", "SL903", "SL904"}


def _page(code: str) -> str:
    return rule_docs.page(code)


def _sections(text: str) -> dict[str, str]:
    """``## Heading`` -> body, in the page's order."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _code_blocks(body: str, lang: str = "python") -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", body, flags=re.M | re.S)


# ------------------------------------------------------------------ catalogue integrity


def test_codes_are_unique_and_well_formed() -> None:
    assert len(CODES) == len(set(CODES))
    for code in CODES:
        assert re.fullmatch(r"SL\d{3}", code), code


def test_names_are_unique_kebab_case() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name


def test_codes_are_grouped_and_in_order() -> None:
    assert sorted(CODES) == CODES
    for code in CODES:
        assert code[2] in GROUPS, f"{code} is outside the SL1/SL2/SL3/SL9 groups"
    assert {code[2] for code in CODES} == set(GROUPS)


def test_group_meaning() -> None:
    for rule in RULES:
        group = rule.code[2]
        if group == "9":  # analyzer limits: about the analysis, never about TensorFlow
            assert not rule.tf_errors and not rule.silent_outcome, rule.code
            assert rule.fix is FixAvailability.NEVER, rule.code
        if group == "1":  # tensor ops: every error makes TensorFlow raise; a warning is a
            # computation TF runs but whose result is proven constant (degenerate)
            assert rule.tf_errors or (rule.severity is Severity.WARNING and
                                      rule.silent_outcome == "constant-result"), rule.code
        if rule.silent_outcome in ("none-gradient", "wrong-gradient"):
            assert group == "3", rule.code  # silent gradients are a GradientTape matter
        if rule.silent_outcome == "constant-result":
            assert group == "1" and not rule.tf_errors, rule.code


def test_rule_fields() -> None:
    for rule in RULES:
        assert isinstance(rule.severity, Severity)
        assert isinstance(rule.fix, FixAvailability)
        assert rule.silent_outcome in ("", "none-gradient", "wrong-gradient",
                                       "constant-result"), rule.code
        assert rule.summary.strip() and rule.summary.endswith("."), rule.code


def test_tf_errors_compile_and_name_exception_classes() -> None:
    for rule in RULES:
        for classes, regex in rule.tf_errors:
            assert classes and all(c.isidentifier() for c in classes), rule.code
            re.compile(regex)
            assert not re.fullmatch(regex, ""), f"{rule.code}: {regex!r} matches anything"


def test_url_points_at_the_rule_page() -> None:
    for rule in RULES:
        assert rule.url == f"{DOCS_BASE_URL}{rule.code}.md"
        assert rule.url.startswith("https://")
        assert rule.url.endswith(f"/docs/rules/{rule.code}.md")


def test_lookup() -> None:
    assert BY_CODE.keys() == set(CODES)
    assert get("SL101") is BY_CODE["SL101"]
    with pytest.raises(KeyError):
        get("SL000")


# ------------------------------------------------------------------ documentation pages


def test_top_level_docs_folder_holds_the_pages() -> None:
    link = REPO_ROOT / "docs" / "rules"
    assert link.is_dir()
    assert (link / "SL101.md").resolve() == (PACKAGE_DOCS / "SL101.md").resolve()


def test_no_page_without_a_rule() -> None:
    pages = {p.stem for p in PACKAGE_DOCS.glob("*.md")}
    assert pages == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_page_structure(code: str) -> None:
    rule = BY_CODE[code]
    assert rule_docs.has_page(code)
    text = _page(code)
    assert text.splitlines()[0] == f"# {code}: {rule.name}"
    assert 30 <= len(text.splitlines()) <= 60, "keep rule pages short"
    sections = list(_sections(text))
    assert sections[: len(REQUIRED_SECTIONS)] == REQUIRED_SECTIONS
    assert all(s in OPTIONAL_SECTIONS for s in sections[len(REQUIRED_SECTIONS):]), sections
    for heading, body in _sections(text).items():
        assert body.strip(), f"{code}: empty section {heading!r}"


@pytest.mark.parametrize("code", CODES)
def test_fix_section_matches_catalogue(code: str) -> None:
    body = _sections(_page(code))["Fix"].strip()
    assert body.startswith(FIX_SENTENCE[BY_CODE[code].fix]), body


@pytest.mark.parametrize("code", CODES)
def test_example_and_use_instead_are_python(code: str) -> None:
    sections = _sections(_page(code))
    examples = _code_blocks(sections["Example"])
    assert len(examples) == 1
    if code == "SL901":
        with pytest.raises(SyntaxError):
            ast.parse(examples[0])
    else:
        ast.parse(examples[0])
    fixes = _code_blocks(sections["Use instead"])
    if code == "SL902":  # the remedy is configuration
        assert _code_blocks(sections["Use instead"], "toml")
    else:
        assert len(fixes) == 1
        ast.parse(fixes[0])


@pytest.mark.parametrize("code", [r.code for r in RULES if r.tf_errors])
def test_why_quotes_a_message_the_rule_predicts(code: str) -> None:
    """The quoted TensorFlow/Keras message is one the catalogue says this rule prevents."""
    rule = BY_CODE[code]
    why = _sections(_page(code))["Why is this bad?"]
    quoted = _code_blocks(why, "text") + re.findall(r"`+([^`]+)`+", why)
    assert any(re.search(regex, q) for q in quoted for _, regex in rule.tf_errors), why


@pytest.mark.parametrize("code", [r.code for r in RULES if r.silent_outcome == "none-gradient"])
def test_silent_pages_say_none_not_zero(code: str) -> None:
    why = _sections(_page(code))["Why is this bad?"]
    assert "`None`" in why
    assert not re.search(r"gradient (is|will be|becomes) (zero|0)\b", why)
    example = _code_blocks(_sections(_page(code))["Example"])[0]
    assert "# None" in example


def test_no_page_presents_a_false_belief_as_a_problem() -> None:
    """tf-truth-table: reshaping inside a tape, Dense on 3-D input and non-scalar targets are
    fine; pages may mention them only as things that are not flagged."""
    for code in CODES:
        sections = _sections(_page(code))
        problem = sections["What it does"] + sections["Why is this bad?"]
        assert not re.search(r"Dense[^.]*(2-?D|two-dimensional) input", problem), code
        assert not re.search(r"non-scalar target[^.]*(error|raise|fail)", problem), code
        assert not re.search(r"gradient (of|will be|is) zero", problem), code


@pytest.mark.parametrize("code", sorted(set(CODES) - ANALYZER_LIMIT_PAGES))
def test_engine_flags_the_example_and_accepts_the_fix(code: str) -> None:
    sections = _sections(_page(code))
    example = _code_blocks(sections["Example"])[0]
    fixed = _code_blocks(sections["Use instead"])[0]
    assert code in {f.code for f in analyze(example).findings}
    assert code not in {f.code for f in analyze(fixed).findings}


def test_file_too_large_page_example() -> None:
    example = _code_blocks(_sections(_page("SL902"))["Example"])[0]
    findings = analyze(example, config=Config(max_file_size=16)).findings
    assert [f.code for f in findings] == ["SL902"]


# ------------------------------------------------------------------ shapelens rule


def test_rule_command_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "SL101"]) == 0
    out = capsys.readouterr().out
    assert out == _page("SL101") + "\n"
    assert out.startswith("# SL101: reshape-size-mismatch\n")
    assert "## Why is this bad?" in out


def test_rule_command_accepts_lower_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "sl301"]) == 0
    assert capsys.readouterr().out.startswith("# SL301: unwatched-source")


def test_rule_command_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "SL999"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown rule" in captured.err and "SL999" in captured.err


@pytest.mark.parametrize("argv", [["rule", "--all"], ["rule"]])
def test_rule_command_lists_every_rule(argv: list[str],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == CODES
    for line, rule in zip(lines, RULES):
        assert rule.name in line and rule.severity.value in line
