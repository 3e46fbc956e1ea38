"""One word per idea in every language: no variant a glossary forbids appears in the book.

Each ``tests/glossary/<lang>.toml`` lists terms (``[terms."activation function"]``) and
corrections that must not come back (``[slips."..."]``), each with the word to ``use`` and
the variants to ``avoid``. An ``avoid`` entry is plain text, matched as written except that
its first letter may be upper or lower case (it may start a sentence); with
``regex = true`` the entries are Python regular expressions, matched as written.

Every glossary present is checked, over what a reader of that language reads:
the pages ``docs/<lang>/**/*.md`` (the chapter and the landing page), the figure labels of
that language (``site_scripts/figure_labels.py``), and the UI strings: every
``site_scripts/strings/<lang>.json``, and the ``<lang>: {...}`` blocks of the ``*.js``
under ``docs/assets/nnbook/`` and ``site_scripts/web/``. A failure names the file, the
line, the variant found and the word to use.
"""
from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import LANGUAGES, ROOT

GLOSSARY_DIR = Path(__file__).parent / "glossary"
GLOSSARIES = sorted(p.stem for p in GLOSSARY_DIR.glob("*.toml"))
FIGURE_LABELS = ROOT / "site_scripts" / "figure_labels.py"
UI_SCRIPT_DIRS = [ROOT / "docs" / "assets" / "nnbook", ROOT / "site_scripts" / "web"]
UI_STRING_DIR = ROOT / "site_scripts" / "strings"

# The core vocabulary every glossary defines, under its English name (alternatives allowed).
CORE_TERMS = [
    ("activation function",), ("hidden layer",), ("bias",), ("weight",), ("neuron",),
    ("layer",), ("forward pass",), ("accuracy",), ("cell (code cell)", "cell", "code cell"),
    ("neural network",), ("machine learning",), ("demo",), ("trace",),
]
SECTIONS = ("terms", "slips")
ENTRY_KEYS = {"use", "avoid", "regex"}


@dataclass(frozen=True)
class Rule:
    section: str
    term: str
    use: str
    avoid: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Line:
    path: str  # relative to the repository
    number: int
    text: str


def compile_avoid(entry: str, regex: bool) -> re.Pattern:
    if regex:
        return re.compile(entry)
    first, rest = entry[:1], re.escape(entry[1:])
    if first.isalpha() and first.lower() != first.upper():
        return re.compile(f"[{re.escape(first.upper())}{re.escape(first.lower())}]{rest}")
    return re.compile(re.escape(first) + rest)


def load(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def rules(glossary: dict) -> list[Rule]:
    found = []
    for section in SECTIONS:
        for term, entry in glossary.get(section, {}).items():
            for avoid in entry.get("avoid", []):
                pattern = compile_avoid(avoid, entry.get("regex", False))
                found.append(Rule(section, term, entry["use"], avoid, pattern))
    return found


# ------------------------------------------------------------ what a reader reads


def relative(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def page_lines(lang: str, docs: Path = ROOT / "docs") -> list[Line]:
    lines = []
    for path in sorted((docs / lang).glob("**/*.md")):
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            lines.append(Line(relative(path), n, text))
    return lines


def figure_label_lines(lang: str, path: Path = FIGURE_LABELS) -> list[Line]:
    """Every string written as ``"<lang>": "..."`` in the labels module, at its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if (isinstance(key, ast.Constant) and key.value == lang
                        and isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    lines.append(Line(relative(path), value.lineno, value.value))
    return sorted(lines, key=lambda line: line.number)


LANGUAGE_BLOCK = re.compile(r"""^(\s*)["']?([a-z]{2}(?:-[A-Za-z]+)?)["']?\s*:\s*\{\s*$""")


def script_lines(lang: str, path: Path) -> list[Line]:
    """The lines of ``path`` inside its ``<lang>: {`` ... ``}`` blocks (UI strings per language)."""
    lines, inside = [], None
    for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if inside is None:
            m = LANGUAGE_BLOCK.match(text)
            if m and m.group(2).split("-")[0] == lang:
                inside = m.group(1)
        elif re.match(rf"^{inside}\}}", text):
            inside = None
        else:
            lines.append(Line(relative(path), n, text))
    return lines


def ui_lines(lang: str) -> list[Line]:
    lines = []
    strings = UI_STRING_DIR / f"{lang}.json"
    if strings.exists():
        for n, text in enumerate(strings.read_text(encoding="utf-8").splitlines(), start=1):
            lines.append(Line(relative(strings), n, text))
    for folder in UI_SCRIPT_DIRS:
        for path in sorted(folder.glob("**/*.js")) if folder.is_dir() else []:
            lines += script_lines(lang, path)
    return lines


def reader_lines(lang: str) -> list[Line]:
    return page_lines(lang) + figure_label_lines(lang) + ui_lines(lang)


def variants(lines: list[Line], found_rules: list[Rule]) -> list[str]:
    """One message per variant found: file, line, the variant and the word to use."""
    messages = []
    for line in lines:
        for rule in found_rules:
            for m in rule.pattern.finditer(line.text):
                messages.append(
                    f"{line.path}:{line.number}: {m.group(0)!r} is a variant to avoid "
                    f"({rule.section[:-1]} {rule.term!r}): use {rule.use!r}"
                )
    return messages


# ------------------------------------------------------------ the tests


def test_every_language_of_the_book_has_a_glossary():
    missing = [f"tests/glossary/{lang}.toml" for lang in LANGUAGES if lang not in GLOSSARIES]
    assert not missing, f"no glossary for: {', '.join(missing)}"


@pytest.mark.parametrize("lang", GLOSSARIES)
def test_glossary_is_well_formed(lang):
    path = f"tests/glossary/{lang}.toml"
    glossary = load(GLOSSARY_DIR / f"{lang}.toml")
    unknown = set(glossary) - set(SECTIONS)
    assert not unknown, f"{path}: unknown table(s) {sorted(unknown)}; use [terms.\"...\"] or [slips.\"...\"]"
    for section in SECTIONS:
        for term, entry in glossary.get(section, {}).items():
            where = f"{path}: [{section}.\"{term}\"]"
            assert isinstance(entry, dict), f"{where} is not a table"
            assert set(entry) <= ENTRY_KEYS, f"{where}: unknown key(s) {sorted(set(entry) - ENTRY_KEYS)}"
            assert isinstance(entry.get("use"), str) and entry["use"], f"{where} needs use = \"...\""
            avoid = entry.get("avoid", [])
            assert isinstance(avoid, list) and all(isinstance(a, str) and a for a in avoid), (
                f"{where}: avoid must be a list of non-empty strings"
            )
            assert isinstance(entry.get("regex", False), bool), f"{where}: regex = true or false"
            for a in avoid:
                try:
                    pattern = compile_avoid(a, entry.get("regex", False))
                except re.error as e:
                    pytest.fail(f"{where}: avoid {a!r} is not a valid regular expression ({e})")
                assert not pattern.search(entry["use"]), (
                    f"{where}: avoid {a!r} matches the word to use, {entry['use']!r}: make it more precise"
                )
    terms = glossary.get("terms", {})
    missing = [names[0] for names in CORE_TERMS if not any(n in terms for n in names)]
    assert not missing, f"{path}: the core vocabulary lacks [terms.\"...\"] for {missing}"


@pytest.mark.parametrize("lang", GLOSSARIES)
def test_no_variant_to_avoid_in_what_a_reader_reads(lang):
    found_rules = rules(load(GLOSSARY_DIR / f"{lang}.toml"))
    lines = reader_lines(lang)
    assert any(line.path.startswith(f"docs/{lang}/") for line in lines), f"no pages in docs/{lang}/"
    messages = variants(lines, found_rules)
    assert not messages, f"{len(messages)} variant(s) in {lang}:\n" + "\n".join(messages)


# ------------------------------------------------------------ the checker itself


def test_plain_entries_match_at_a_sentence_start_and_regexes_as_written():
    plain = compile_avoid("réseaux neuronaux", regex=False)
    assert plain.search("Les réseaux neuronaux") and plain.search("Réseaux neuronaux, ...")
    assert not plain.search("RÉSEAUX NEURONAUX") and not plain.search("réseaux de neurones")
    assert compile_avoid("3x2x1 (net)", regex=False).search("the 3x2x1 (net)")
    assert compile_avoid(r"\bneuron 0\b", regex=True).search("layer 1, neuron 0: z = 0.2")
    assert not compile_avoid(r"\bneuron 0\b", regex=True).search("neuron 01")


def test_a_variant_is_named_with_file_line_and_word_to_use(tmp_path):
    docs = tmp_path / "docs"
    (docs / "en").mkdir(parents=True)
    (docs / "en" / "page.md").write_text("# Title\n\nEach of them are connected.\n", encoding="utf-8")
    glossary = tomllib.loads('[slips."each of them is"]\nuse = "each of them is"\navoid = ["each of them are"]\n')
    [message] = variants(page_lines("en", docs), rules(glossary))
    assert message.endswith(
        "/docs/en/page.md:3: 'Each of them are' is a variant to avoid (slip 'each of them is'): use 'each of them is'"
    )


def test_figure_labels_and_ui_blocks_are_read_per_language(tmp_path):
    labels = tmp_path / "labels.py"
    labels.write_text('L = {"a": {\n    "en": "Weights",\n    "fr": "Poids",\n}}\n', encoding="utf-8")
    assert [(line.number, line.text) for line in figure_label_lines("fr", labels)] == [(3, "Poids")]
    script = tmp_path / "ui.js"
    script.write_text('const S = {\n  en: {\n    reset: "Reset",\n  },\n  fr: {\n    reset: "Rétablir",\n  },\n};\n',
                      encoding="utf-8")
    assert [(line.number, line.text.strip()) for line in script_lines("fr", script)] == [(6, 'reset: "Rétablir",')]
    assert [line.number for line in script_lines("en", script)] == [3]
