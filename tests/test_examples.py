"""Every live cell of every page, in every language, prints what its page shows."""
from __future__ import annotations

import pytest

from tests.examples import DOCS, check_page

PAGES = sorted(DOCS.glob("*/*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_cells_print_what_the_page_shows(page):
    mismatches = check_page(page)
    assert not mismatches, "\n\n".join(map(str, mismatches))


def test_a_changed_output_is_reported_with_file_and_line(tmp_path, monkeypatch):
    from tests import examples

    docs = tmp_path / "docs" / "en"
    docs.mkdir(parents=True)
    page = docs / "page.md"
    page.write_text('Intro\n\n```python cell id="two"\nprint(1 + 1)\n```\n\n```output\n3\n```\n')
    monkeypatch.setattr(examples, "DOCS", tmp_path / "docs")
    [mismatch] = check_page(page)
    assert str(mismatch).startswith("docs/en/page.md:8: cell 'two'")
    assert "--- actual\n2" in str(mismatch)
