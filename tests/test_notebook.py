"""The chapter as a notebook: linked from its page, valid, and running as the page runs.

The notebooks are those of the built site (``site_dir``: built once per session, or
``NNBOOK_SITE_DIR``). The reference for their outputs is independent of the notebook: the
page's own ```output blocks (which tests/test_examples.py checks). The notebooks run top
to bottom in CPython through the book's kernel, as a reader's Jupyter would run them, but
for the first cell: it installs nnbook, which is installed here.
"""
from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from site_scripts import notebook, strings
from site_scripts.cells import parse_cells
from site_scripts.exercises import parse_exercises
from tests.examples import DOCS, normalize
from tests.harness.kernel import KernelSession
from tests.harness.site import LANGUAGES

CHAPTER = "neural_networks.md"
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-nnbook-notebook" in attrs:
            self._open = {**attrs, "text": ""}
            self.found.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def page_html(site_dir: Path, lang: str, page: str = "neural_networks/") -> tuple[Path, str]:
    path = site_dir / LANGUAGES[lang] / page / "index.html"
    return path, path.read_text(encoding="utf-8")


def notebook_of(site_dir: Path, lang: str):
    path, html = page_html(site_dir, lang)
    parser = Links()
    parser.feed(html)
    assert len(parser.found) == 1, f"{path}: expected one a[data-nnbook-notebook], found {len(parser.found)}"
    target = (path.parent / parser.found[0]["href"]).resolve()
    assert target.is_file(), f"{path}: the notebook link leads to {target}, which is not there"
    return parser.found[0], nbformat.read(target, as_version=4)


def source(lang: str) -> str:
    return (DOCS / lang / CHAPTER).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_chapter_links_its_notebook_in_its_language(site_dir, lang):
    link, nb = notebook_of(site_dir, lang)
    words = strings.load(lang)["notebook"]
    assert link["text"].strip() == words["download"] and link["title"] == words["title"]
    assert "download" in link and link["href"].endswith(f"-{lang}.ipynb")
    assert nb.metadata.nnbook.lang == lang
    _, home = page_html(site_dir, lang, "")
    assert "data-nnbook-notebook" not in home  # the home page is no chapter


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_notebook_is_valid_and_keeps_the_pages_text_and_math(site_dir, lang):
    _, nb = notebook_of(site_dir, lang)
    nbformat.validate(nb)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for equation in DISPLAY_MATH.findall(source(lang)):
        assert f"$${equation}$$" in markdown, f"equation missing from the notebook: {equation[:60]}"
    for cell in nb.cells:
        for name in re.findall(r"\(attachment:([^)]+)\)", cell.source):
            assert name in cell.get("attachments", {}), f"figure {name} is not attached"
    assert "data-nnbook-demo" not in markdown and 'markdown="span"' not in markdown
    assert strings.load(lang)["notebook"]["intro"].split("{")[0] in nb.cells[1].source


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_first_cell_installs_nnbook_from_the_books_own_wheel(site_dir, lang):
    _, nb = notebook_of(site_dir, lang)
    install = nb.cells[0]
    assert install.cell_type == "code" and install.metadata.nnbook.role == "install"
    m = re.search(r"^%pip install -q matplotlib (\S+)$", install.source, re.M)
    assert m, install.source
    # The book sets no site_url: the cell has an example address for the reader to replace.
    wheel = site_dir / m.group(1).replace(notebook.EXAMPLE_ADDRESS, "")
    assert notebook.EXAMPLE_ADDRESS in install.source.split("\n")[1]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "nnbook/__init__.py" in names and "nnbook/data/mnist_weights.npz" in names
    assert re.search(r"^Name: nnbook$", meta, re.M)


def test_the_install_cell_uses_the_books_address_when_it_has_one():
    words = strings.load("en")["notebook"]
    with_url = notebook.install_source(words, "https://example.org/book", "nnbook-0.1.0-py3-none-any.whl")
    assert with_url.endswith("%pip install -q matplotlib https://example.org/book/wheels/nnbook-0.1.0-py3-none-any.whl")
    without = notebook.install_source(words, "", "nnbook-0.1.0-py3-none-any.whl")
    assert words["setAddress"].replace("{example}", "https://example.org/nnbook/") in without
    assert without.endswith("%pip install -q matplotlib https://example.org/nnbook/wheels/nnbook-0.1.0-py3-none-any.whl")


def run_notebook(nb, replace: dict | None = None) -> dict[str, str]:
    """Run every code cell but the install cell; the text each cell showed, by cell id."""
    shown = {}
    with KernelSession() as kernel:
        for cell in nb.cells:
            if cell.cell_type != "code" or cell.metadata.get("nnbook", {}).get("role") == "install":
                continue
            result = kernel.run((replace or {}).get(cell.id, cell.source), cell.id)
            assert "error" not in result.reply, f"notebook cell '{cell.id}' raised:\n{result.reply['error']['traceback']}"
            shown[cell.id] = result.output
    return shown


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_notebook_runs_top_to_bottom_with_the_pages_outputs(site_dir, lang):
    _, nb = notebook_of(site_dir, lang)
    shown = run_notebook(nb)
    cells = parse_cells(source(lang))
    by_id = {c.id: c for c in nb.cells}
    for cell in cells:
        expected = normalize(cell.expected or "")
        assert normalize(shown[cell.id]) == expected, f"cell '{cell.id}' printed otherwise in the notebook"
        assert normalize(notebook.text_of(by_id[cell.id].outputs)) == expected, f"cell '{cell.id}': its stored outputs"
        kinds = {m for out in by_id[cell.id].outputs for m in out.get("data", {})}
        if "plt.show()" in cell.source:
            assert "image/png" in kinds, f"cell '{cell.id}' draws a figure; the notebook has none"
        if re.search(r"^\w+_svg\(.*\)\s*$", cell.source.strip().split("\n")[-1]):
            assert "image/svg+xml" in kinds, f"cell '{cell.id}' shows a drawing; the notebook has none"
    words = strings.load(lang)["exercises"]
    not_yet = words["failed"].split("{")[0]
    for exercise in parse_exercises(source(lang)):
        assert shown[f"{exercise.id}-checks"].startswith(not_yet), shown[f"{exercise.id}-checks"]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_notebooks_exercises_pass_with_their_solutions(site_dir, lang):
    _, nb = notebook_of(site_dir, lang)
    exercises = parse_exercises(source(lang))
    for exercise in exercises:
        help_cell = next(c for c in nb.cells if c.id == f"{exercise.id}-help")
        assert exercise.solution.strip() in help_cell.source and "<details>" in help_cell.source
    shown = run_notebook(nb, {e.id: e.solution for e in exercises})
    passed = strings.load(lang)["exercises"]["passed"]
    for exercise in exercises:
        assert shown[f"{exercise.id}-checks"].strip() == passed, shown[f"{exercise.id}-checks"]
