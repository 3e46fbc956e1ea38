"""Every language has every page, with the same outline as the English one."""
from __future__ import annotations

import pytest

import parity
from tests.examples import DOCS

REFERENCE = "en"
TRANSLATIONS = ["fr", "es", "zh"]
PAGES = sorted(parity.page_paths(DOCS, REFERENCE))


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_page_is_translated(language):
    have = parity.page_paths(DOCS, language)
    missing = [f"docs/{language}/{name}" for name in PAGES if name not in have]
    assert not missing, f"missing translation(s): {', '.join(missing)}"
    extra = [f"docs/{language}/{name}" for name in have if name not in PAGES]
    assert not extra, f"page(s) with no English original: {', '.join(extra)}"


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("page", PAGES)
def test_same_outline_as_english(language, page):
    ref_path, path = DOCS / REFERENCE / page, DOCS / language / page
    if not path.exists():
        pytest.fail(f"docs/{language}/{page} is missing (see test_every_page_is_translated)")
    ref_text, text = ref_path.read_text(encoding="utf-8"), path.read_text(encoding="utf-8")
    difference = parity.compare(parity.outline(ref_text), parity.outline(text))
    assert difference is None, f"docs/{language}/{page} differs from docs/{REFERENCE}/{page}: {difference}"
    missing_links = parity.links(ref_text) - parity.links(text)
    assert not missing_links, f"docs/{language}/{page} lacks the link(s) {sorted(missing_links)}"


def test_outline_sees_cells_math_figures_and_demos():
    page = (
        "# Title\n\nSome $x_i$ text.\n\n```python cell id=\"c1\"\n# a comment\nprint('hi')\n```\n\n"
        "```output\nhi\n```\n\n$$\n\\mbox{class} = 1\n$$\n\n![alt](figures/sigmoid.svg)\n\n"
        '<div class="nnbook-demo" data-nnbook-demo="stepper"></div>\n'
    )
    assert parity.outline(page) == [
        ("heading", 1),
        ("math", "x_i"),
        ("cell", "c1", "print ( STR )"),
        ("math", "\\mbox{} = 1"),
        ("figure", "figures/sigmoid.svg"),
        ("demo", "stepper"),
    ]


def test_a_translation_missing_a_cell_is_named():
    ref = parity.outline('```python cell id="a"\nx = 1\n```\n\n```python cell id="b"\ny = 2\n```\n')
    other = parity.outline('```python cell id="a"\nx = 1  # un commentaire\n```\n')
    assert parity.compare(ref, other) == "missing after item 1: cell 'b' (code: y = 2) (and 0 more)"


def test_changed_code_is_caught_but_translated_strings_are_not():
    ref = parity.outline('```python cell id="a"\nprint("weight", w)\n```\n')
    same = parity.outline('```python cell id="a"\nprint("poids", w)  # poids\n```\n')
    changed = parity.outline('```python cell id="a"\nprint("poids", w2)\n```\n')
    assert parity.compare(ref, same) is None
    assert "expected cell 'a'" in parity.compare(ref, changed)


def test_a_decimal_comma_in_math_is_the_same_number_but_another_number_is_not():
    assert parity.outline("$\\sigma(z) > 0{,}5$") == parity.outline("$\\sigma(z) > 0.5$")
    assert parity.outline("$\\sigma(z) > 0{,}6$") != parity.outline("$\\sigma(z) > 0.5$")
