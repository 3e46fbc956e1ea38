"""The site in a real Chromium: math, language menu, search, page-wide accessibility."""
from __future__ import annotations

import pytest

from tests.harness.browser import inject
from tests.harness.pages import open_page, run, cell_ids
from tests.harness.site import LANGUAGES, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHAPTER = "neural_networks/"
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_equation_is_typeset_at_build_time(new_page, site_url, lang):
    page = new_page(site_url + LANGUAGES[lang] + CHAPTER)
    counts = page.evaluate(
        """() => ({
          math: document.querySelectorAll('.arithmatex').length,
          typeset: document.querySelectorAll('.arithmatex mjx-container').length,
          errors: document.querySelectorAll('mjx-merror, .arithmatex mjx-container [data-mjx-error]').length,
          tag: [...document.querySelectorAll('mjx-mtd[id^="mjx-eqn"], mjx-labels, mjx-mlabeledtr')].length,
          text: [...document.querySelectorAll('.arithmatex')].map(e => e.textContent).join(' '),
          mathjax: typeof window.MathJax,
          scripts: [...document.scripts].map(s => s.src).filter(s => /mathjax/i.test(s)),
        })"""
    )
    assert counts["math"] >= 20, counts
    assert counts["typeset"] == counts["math"], "some equations were left as TeX"
    assert counts["errors"] == 0, "MathJax reported TeX errors"
    assert counts["tag"] >= 1, "equation (1) has no tag"
    assert "\\" not in counts["text"], "raw TeX is visible"
    # no TeX engine on the page: the equations came typeset from the build
    assert counts["mathjax"] == "undefined" and not counts["scripts"], counts


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
def test_search_finds_pages_only_in_the_page_language_with_readable_snippets(new_page, site_url, lang, word):
    page = new_page(site_url + LANGUAGES[lang] + CHAPTER)
    # (resource timing sees the page's fetches whether the network or the service worker answers)
    fetched = "performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('search_index'))"
    page.wait_for_timeout(1500)
    assert page.evaluate(fetched) == [], "the search index was fetched before the reader used search"
    query = page.locator("input[data-md-component='search-query']")
    query.click()
    # Material reads the query on keyup; fill() types no key, so one key press follows.
    query.fill(word)
    query.press("End")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=90_000)  # the index is built in a worker first
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    others = [prefix for other, prefix in LANGUAGES.items() if other != lang and prefix]
    mine = LANGUAGES[lang]
    for href in hrefs:
        path = href.split("://", 1)[-1].split("/", 1)[-1]
        assert not any(f"/{p}" in f"/{path}" for p in others), (lang, href)
        if mine:
            assert f"/{mine}" in f"/{path}", (lang, href)
    snippets = page.locator(".md-search-result__article").all_inner_texts()
    assert snippets and not any("\\(" in s or "\\begin" in s or "\\sum" in s for s in snippets), snippets
    assert page.evaluate(fetched) == [f"{site_url}search/search_index.{lang}.json"]


@pytest.mark.parametrize("lang, scheme", [(lang, "light") for lang in LANGUAGES] + [("en", "dark"), ("zh", "dark")])
def test_whole_page_has_no_serious_accessibility_violation(new_page, site_url, lang, scheme):
    page = open_page(new_page, site_url + LANGUAGES[lang] + CHAPTER, color_scheme=scheme)
    run(page, cell_ids(page)[0])
    inject(page, AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
