"""The built site: every language, its switcher, links, math and nothing from outside."""
from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import LANGUAGES, ROOT, build_site

PAGES = ["", "neural_networks/"]
LOADING_TAGS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "link": "href", "audio": "src", "video": "src"}


class Elements(HTMLParser):
    """Collect (tag, attrs) of every element, and every id."""

    def __init__(self):
        super().__init__()
        self.elements, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.glob("**/*.html"))


def target_file(site: Path, page: Path, href: str) -> Path:
    url = urlparse(href)
    rel = page.relative_to(site).as_posix()
    path = unquote(urljoin("/" + rel, url.path))
    target = site / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_exists_in_every_language_with_its_lang(site_dir, language):
    for page in PAGES:
        path = site_dir / LANGUAGES[language] / page / "index.html"
        assert path.is_file(), f"{path.relative_to(site_dir)} was not built"
        assert re.search(rf'<html lang="{language}"', path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switcher_leads_to_the_same_page(site_dir, language):
    for page in PAGES:
        path = site_dir / LANGUAGES[language] / page / "index.html"
        switcher = {a["hreflang"]: a["href"] for tag, a in parse(path).elements if tag == "a" and "hreflang" in a}
        assert set(switcher) == set(LANGUAGES), f"{path}: switcher offers {sorted(switcher)}"
        for other, href in switcher.items():
            target = target_file(site_dir, path, href)
            assert target == site_dir / LANGUAGES[other] / page / "index.html", f"{path}: {other} -> {href}"


def test_nothing_is_loaded_from_another_origin(site_dir):
    offenders = []
    for page in html_pages(site_dir):
        for tag, attrs in parse(page).elements:
            url = attrs.get(LOADING_TAGS.get(tag, ""), "") or ""
            if tag == "link" and attrs.get("rel") not in ("stylesheet", "preload", "modulepreload", "icon", "manifest", "prefetch"):
                continue
            if url.startswith(("http:", "https:", "//")):
                offenders.append(f"{page.relative_to(site_dir)}: <{tag}> {url}")
    for css in site_dir.glob("**/*.css"):
        for m in re.finditer(r"(?:url\(|@import\s*)['\"]?((?:https?:)?//[^'\")\s]+)", css.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{css.relative_to(site_dir)}: {m.group(1)}")
    assert not offenders, "\n".join(offenders)


def test_every_internal_link_and_anchor_resolves(site_dir):
    broken, ids = [], {}
    # (404 pages resolve their links against a <base> set when they are served, at any
    # depth: tests/test_browser_recovery.py loads one under a sub-path)
    for page in [p for p in html_pages(site_dir) if p.name != "404.html"]:
        for tag, attrs in parse(page).elements:
            href = attrs.get("href") if tag in ("a", "link") else attrs.get("src") if tag in ("img", "script") else None
            if not href or href.startswith(("http:", "https:", "mailto:", "data:", "javascript:", "//")):
                continue
            target = target_file(site_dir, page, href)
            if not target.exists():
                broken.append(f"{page.relative_to(site_dir)}: {href}")
                continue
            fragment = urlparse(href).fragment
            if fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse(target).ids
                if unquote(fragment) not in ids[target]:
                    broken.append(f"{page.relative_to(site_dir)}: {href} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:50])


SEED_EQUATIONS = Path(__file__).parent / "fixtures" / "seed_equations.json"


def seed_equations() -> list[str]:
    """Every $$...$$ of ml4a's chapter, the seed of this book, kept in the repository."""
    return json.loads(SEED_EQUATIONS.read_text(encoding="utf-8"))["equations"]


def comparable(tex: str) -> str:
    """An equation with what the book may render differently from the seed taken out.

    The book typesets the seed's math with no automatic equation numbers, so:
    - single-line ``\\begin{eqnarray} ... \\end{eqnarray}`` blocks lose the environment;
    - blocks of two formulas separated by ``\\\\`` become ``\\begin{aligned} ... \\end{aligned}``,
      aligned on ``&=`` (the seed's classification block had ``& = &``);
    - the one explicit ``\\tag{1}`` stays at the end of the formula it numbers (once the
      environment is gone, that is where the seed has it too);
    - words in ``\\mbox{...}`` are translated.
    So: drop the two environments and every ``&`` (alignment marks; the ``&`` of an
    ``array`` goes on both sides too), empty every ``\\mbox``, and ignore whitespace.
    Line breaks ``\\\\`` and the tag are kept: a formula that loses one fails.
    """
    tex = re.sub(r"\\(begin|end)\{(eqnarray|aligned)\}", "", tex)
    tex = tex.replace("&", "")
    tex = re.sub(r"\\mbox\{[^}]*\}", r"\\mbox{}", tex)
    return re.sub(r"\s+", "", tex)


def test_comparable_allows_the_documented_changes_and_nothing_else():
    seed = r"\begin{eqnarray} z = b + \sum_i w_i x_i \\ \sigma(z) = \frac{1}{1 + e^{-z}} \end{eqnarray}"
    book = "\\begin{aligned}\nz &= b + \\sum_i w_i x_i \\\\\n\\sigma(z) &= \\frac{1}{1 + e^{-z}}\n\\end{aligned}"
    assert comparable(seed) == comparable(book)
    classification = seed_equations()[4]
    translated = (r"\mbox{classement} = \left\{ \begin{array}{ll} 1 & \mbox{si } f(X) \gt 0 \\ "
                  r"0 & \mbox{si } f(X) \leq 0 \end{array} \right. \tag{1}")
    assert comparable(classification) == comparable(translated)
    # what the rendering may not change
    assert comparable(seed) != comparable(book.replace("\\\\", ""))   # a lost line break
    assert comparable(seed) != comparable(book.replace("w_i x_i", "w_i x_j"))
    assert comparable(classification) != comparable(translated.replace(r"\gt", r"\geq"))
    assert comparable(classification) != comparable(translated.replace(r"\tag{1}", ""))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_equation_of_the_seed_is_on_the_page(site_dir, language):
    page = (site_dir / LANGUAGES[language] / "neural_networks" / "index.html").read_text(encoding="utf-8")
    # the equations are typeset at build time; each keeps its TeX in data-nnbook-tex
    found = re.findall(r'class="arithmatex nnbook-math" data-nnbook-tex="([^"]*)"', page)
    found = [html.unescape(tex) for tex in found]
    assert found, "no typeset equation on the page"
    # one equation per line, so that no seed equation matches across two of them
    tex = "\n".join(comparable(t) for t in found)
    missing = [eq for eq in seed_equations() if comparable(eq) not in tex]
    assert not missing, f"{language}: equations of the seed missing from the page: {missing}"


def test_search_index_covers_every_language_and_segments_chinese(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    for language, prefix in LANGUAGES.items():
        if prefix:
            assert any(loc.startswith(prefix) for loc in locations), f"no {language} pages in the search index"
    zh_text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("zh/"))
    assert re.search(r"[\u4e00-\u9fff]", zh_text), "no Chinese text indexed"
    # jieba splits Chinese sentences into words, separated by zero-width spaces
    assert "\u200b" in zh_text, "Chinese text is not segmented into words (is jieba installed?)"
    assert "zh" in index["config"]["lang"]
    # and one index per language, with readable text where the pages have TeX
    for language, prefix in LANGUAGES.items():
        own = json.loads((site_dir / "search" / f"search_index.{language}.json").read_text(encoding="utf-8"))
        locations = [doc["location"] for doc in own["docs"]]
        assert locations and all(loc.startswith(prefix) if prefix else not any(
            loc.startswith(p) for p in LANGUAGES.values() if p) for loc in locations), (language, locations[:5])
        text = " ".join(doc["text"] for doc in own["docs"])
        assert "\\(" not in text and "\\begin" not in text and "eqnarray" not in text, language


def mini_site(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A throwaway copy of the book's configuration over a few small pages."""
    docs = tmp_path / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}")
    path = tmp_path / "mkdocs.yml"
    path.write_text(config, encoding="utf-8")
    return path


MINI = {
    "en/index.md": "# Home\n\nSee [the chapter](chapter.md).\n",
    "en/chapter.md": "# Chapter\n\nText.\n",
    "fr/index.md": "# Accueil\n\nVoir [le chapitre](chapter.md).\n",
    "es/index.md": "# Inicio\n\nVer [el capítulo](chapter.md).\n",
    "es/chapter.md": "# Capítulo\n\nTexto.\n",
    "zh/index.md": "# 首页\n\n见[本章](chapter.md)。\n",
    "zh/chapter.md": "# 章节\n\n正文。\n",
}


def test_a_missing_translation_falls_back_to_english_with_a_notice(tmp_path):
    result = build_site(tmp_path / "site", config=mini_site(tmp_path, MINI))
    assert result.returncode == 0, result.stderr
    fr = (tmp_path / "site" / "fr" / "chapter" / "index.html").read_text(encoding="utf-8")
    assert 'data-nnbook-fallback="fr"' in fr and "pas encore traduite" in fr
    assert "Text." in fr  # the English text stands in
    es = (tmp_path / "site" / "es" / "chapter" / "index.html").read_text(encoding="utf-8")
    assert "data-nnbook-fallback" not in es


def test_a_broken_internal_link_fails_the_strict_build(tmp_path):
    pages = dict(MINI, **{"en/chapter.md": "# Chapter\n\nSee [nowhere](missing.md).\n"})
    result = build_site(tmp_path / "site", config=mini_site(tmp_path, pages))
    assert result.returncode != 0
    assert "missing.md" in result.stderr + result.stdout
