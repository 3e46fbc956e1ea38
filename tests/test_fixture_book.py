"""Another MkDocs book gets live cells by listing the plugin: a small fixture book.

tests/fixtures/book is not nnbook: two languages, two cells, no demos, no figures, its own
mkdocs.yml that only lists ``nnbook`` among its plugins. Built with the installed plugin,
it must give the files of its reference tree (tests/fixtures/book/expected-tree.txt; the
vendored theme, MathJax and runtime folders are left out), pages whose config speaks their
language, and cells that run in Chromium. A wrong plugin option stops the build with a
message that shows the fix.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.harness.pages import cell, cell_ids, normalize, open_page, output, run
from tests.harness.site import build_site, serve

BOOK = Path(__file__).parent / "fixtures" / "book"
VENDORED = ("pyodide/", "assets/javascripts", "assets/stylesheets", "assets/vendor", "assets/images")


@pytest.fixture(scope="module")
def book_site(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("fixture-book")
    result = build_site(dest, config=BOOK / "mkdocs.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


def test_the_fixture_book_builds_its_reference_tree(book_site):
    built = sorted(p.relative_to(book_site).as_posix() for p in book_site.rglob("*") if p.is_file())
    built = [p for p in built if not p.startswith(VENDORED)]
    expected = (BOOK / "expected-tree.txt").read_text(encoding="utf-8").split()
    assert built == expected


def test_each_page_has_its_languages_config(book_site):
    for path, lang in (("index.html", "en"), ("fr/index.html", "fr")):
        html = (book_site / path).read_text(encoding="utf-8")
        config = json.loads(re.search(r'<script type="application/json" id="nnbook-config">(.*?)</script>', html).group(1))
        assert config["lang"] == lang and config["python"] is True
        assert config["runtime"]["packages"] == ["numpy"] and config["runtime"]["preload"]["packages"] == []
        assert "Content-Security-Policy" in html.split("</head>")[0]
    fr = json.loads((book_site / "search" / "search_index.fr.json").read_text(encoding="utf-8"))
    assert {doc["location"].split("/")[0] for doc in fr["docs"]} == {"fr"}


@pytest.mark.browser
@pytest.mark.timeout(300)
@pytest.mark.parametrize("prefix", ["", "fr/"])
def test_the_fixture_books_cells_run(book_site, new_page, prefix):
    server, url = serve(book_site)
    try:
        page = open_page(new_page, url + prefix)
        for cell_id in cell_ids(page):
            expected = output(page, cell_id)
            assert normalize(run(page, cell_id)) == normalize(expected)
        assert cell(page, "total").get_attribute("data-state") == "done"
    finally:
        server.shutdown()


@pytest.mark.parametrize("change, message", [
    ("      preload_modules: []\n", "      preload_modules: []\n      limits: {output: -5}\n"),
    ("  - pymdownx.superfences\n", ""),
    ("      packages: [numpy]\n", "      packages: [numpy]\n      figures: not-a-function\n"),
])
def test_a_wrong_option_names_the_fix(tmp_path, change, message):
    shutil.copytree(BOOK, tmp_path / "book")
    config = tmp_path / "book" / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(change, message), encoding="utf-8")
    result = build_site(tmp_path / "site", config=config)
    assert result.returncode != 0
    text = result.stdout + result.stderr
    assert "nnbook:" in text
    assert any(hint in text for hint in ("limits: {output:", "add `- pymdownx.superfences`", "'module:function'")), text[-2000:]
