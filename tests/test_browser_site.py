"""The site in a real Chromium: math, language menu, Chinese search, page-wide accessibility."""
from __future__ import annotations

import pytest

from conftest import LANGUAGES, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHAPTER = "neural_networks/"
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_equation_is_typeset(new_page, site_url, lang):
    page = new_page(site_url + LANGUAGES[lang] + CHAPTER)
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    counts = page.evaluate(
        """() => ({
          math: document.querySelectorAll('.arithmatex').length,
          typeset: document.querySelectorAll('.arithmatex mjx-container').length,
          errors: document.querySelectorAll('mjx-merror, .arithmatex mjx-container [data-mjx-error]').length,
          tag: [...document.querySelectorAll('mjx-mtd[id^="mjx-eqn"], mjx-labels, mjx-mlabeledtr')].length,
          text: [...document.querySelectorAll('.arithmatex')].map(e => e.textContent).join(' '),
        })"""
    )
    assert counts["math"] >= 20, counts
    assert counts["typeset"] == counts["math"], "some equations were left as TeX"
    assert counts["errors"] == 0, "MathJax reported TeX errors"
    assert counts["tag"] >= 1, "equation (1) has no tag"
    assert "\\" not in counts["text"], "raw TeX is visible"


def test_language_menu_leads_to_the_same_page(new_page, site_url):
    page = new_page(site_url + "fr/" + CHAPTER)
    page.locator(".md-select").first.hover()
    page.locator("a[hreflang='es']").first.click()
    page.wait_for_url(site_url + "es/" + CHAPTER)
    assert page.evaluate("document.documentElement.lang") == "es"
    page.locator(".md-select").first.hover()
    page.locator("a[hreflang='zh']").first.click()
    page.wait_for_url(site_url + "zh/" + CHAPTER)
    assert page.locator("h1").first.text_content().strip().rstrip("¶") == "神经网络"


@pytest.mark.parametrize("lang, word", [("zh", "神经元"), ("fr", "neurone"), ("es", "neurona"), ("en", "sigmoid")])
def test_search_finds_pages_in_the_page_language(new_page, site_url, lang, word):
    page = new_page(site_url + LANGUAGES[lang] + CHAPTER)
    query = page.locator("input[data-md-component='search-query']")
    query.click()
    # Material reads the query on keyup; fill() types no key, so one key press follows.
    query.fill(word)
    query.press("End")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=90_000)  # the index is built in a worker first
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    prefix = LANGUAGES[lang]
    assert any(prefix in h if prefix else not any(p and p in h for p in LANGUAGES.values()) for h in hrefs), hrefs


@pytest.mark.parametrize("lang, scheme", [(lang, "light") for lang in LANGUAGES] + [("en", "dark"), ("zh", "dark")])
def test_whole_page_has_no_serious_accessibility_violation(new_page, site_url, lang, scheme):
    page = new_page(site_url + LANGUAGES[lang] + CHAPTER, color_scheme=scheme)
    page.set_default_timeout(120_000)
    page.evaluate("nnbook.ready")
    first = page.locator("[data-nnbook-cell]").first
    first.locator("[data-nnbook-action='run']").click()
    page.wait_for_function("el => el.dataset.state === 'done'", arg=first.element_handle())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
