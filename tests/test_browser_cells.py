"""The live code cells in a real browser, against the built site on a plain static server.

The reference for every output is independent of the browser: the expected output that
the build writes under each cell (the chapter's ```output blocks, which
tests/test_examples.py checks in CPython). The server sends no COOP/COEP headers, so
Stop has to work by restarting the worker, as on the simplest static host.
"""
from __future__ import annotations

import json
import re
import time

import pytest

from tests.harness.browser import inject, t, wait_for
from tests.harness.pages import (
    cell, cell_ids, editor_code, normalize, open_page, original_source, output, run, set_code, settle, state,
    wait_ready,
)
from tests.harness.site import LANGUAGES, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [(lang, prefix + page) for lang, prefix in LANGUAGES.items() for page in ("", "neural_networks/")]
CHAPTER = "neural_networks/"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


@pytest.mark.parametrize("lang,path", PAGES)
def test_run_all_gives_the_expected_output(new_page, site_url, lang, path):
    page = open_page(new_page, site_url + path)
    assert page.evaluate("document.documentElement.lang").split("-")[0] == lang
    ids = cell_ids(page)
    assert ids, f"no live cells on {path or 'the home page'}"
    expected = {i: output(page, i) for i in ids}
    sources = {i: original_source(page, i) for i in ids}
    assert cell(page, ids[0]).locator("[data-nnbook-output]").get_attribute("data-nnbook-expected") is not None

    page.click("[data-nnbook-action='run-all']")
    wait_for(page, "ids => ids.every(id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state !== 'idle')", ids, timeout=10)
    settle(page, *ids)
    for i in ids:
        assert state(page, i) == "done", f"cell {i} ended {state(page, i)}:\n{output(page, i)}"
        assert normalize(output(page, i)) == normalize(expected[i]), f"cell {i}"
        images = cell(page, i).locator("[data-nnbook-output] img")
        if "plt.show()" in sources[i]:
            assert images.first.get_attribute("src").startswith("data:image/png;base64,"), f"cell {i}"
        if re.search(r"^\w+_svg\(.*\)\s*$", sources[i].strip().split("\n")[-1]):
            assert images.last.get_attribute("src").startswith("data:image/svg+xml;base64,"), f"cell {i}"
    loaded = page.evaluate("[...document.querySelectorAll('[data-nnbook-output] img')].every(i => i.complete && i.naturalWidth > 0)")
    assert loaded, "an output image did not decode"
    assert not page.page_errors


@pytest.mark.parametrize("code", ["while True:\n    pass", "import time\ntime.sleep(60)"])
def test_stop_within_a_second_and_keep_the_namespace(new_page, site_url, code):
    page = open_page(new_page, site_url + CHAPTER)
    first, second, third = cell_ids(page)[:3]
    expected = {i: output(page, i) for i in (second, third)}
    assert run(page, first).strip()  # defines x, w, b and z

    set_code(page, second, code)
    cell(page, second).locator("[data-nnbook-action='run']").click()
    wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state === 'running'", second)
    time.sleep(1.0)  # well inside the loop
    assert page.evaluate("1 + 1") == 2  # the page itself is not frozen
    assert state(page, second) == "running"

    started = time.monotonic()
    cell(page, second).locator("[data-nnbook-action='stop']").click()
    wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state !== 'running'", second, timeout=5, interval=0.01)
    assert time.monotonic() - started <= 1.0
    assert state(page, second) in ("error", "idle")
    stopped_text = t(page, "cells.stoppedRestarted")
    assert stopped_text in output(page, second)

    # Earlier names survive (the cells that had run were re-run) and the next cells run.
    set_code(page, second, "print(x, w, b, round(z, 4))")
    assert run(page, second).strip() == "[1.0, 0.5, -1.0] [0.5, -0.6, 0.1] 0.1 0.2"
    cell(page, second).locator("[data-nnbook-action='reset']").click()
    for i in (second, third):
        assert normalize(run(page, i)) == normalize(expected[i])


def test_error_shows_a_trimmed_traceback(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, "def f(v):\n    return 1 / v\n\nprint('before')\nf(0)")
    text = run(page, first, expect="error")
    assert text.startswith("before\nTraceback (most recent call last):")
    assert f'File "<cell {first}>", line 5, in <module>' in text
    assert f'File "<cell {first}>", line 2, in f' in text
    assert "    return 1 / v\n" in text
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")
    for internal in ("nnbook_kernel", "runner.py", "_pyodide", "pyodide.asm", "worker.js"):
        assert internal not in text
    marked = cell(page, first).locator(".nnbook-error-line")
    assert marked.count() == 1 and marked.text_content() == "    return 1 / v"

    set_code(page, first, "print(1 +)")  # a syntax error points at the cell's line too
    text = run(page, first, expect="error")
    assert f'File "<cell {first}>", line 1' in text and "SyntaxError" in text
    assert "Traceback" not in text

    cell(page, first).locator("[data-nnbook-action='reset']").click()
    expected = cell(page, first).locator("[data-nnbook-source]").input_value()
    assert editor_code(page, first) == expected
    assert run(page, first).strip()


def test_figures_are_images_and_printed_html_is_text(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, (
        "import matplotlib.pyplot as plt\n"
        'print("<b>x</b>")\n'
        "plt.plot([0, 1], [1, 0])\n"
        "plt.show()\n"
        "plt.figure()\n"
        "plt.plot([0, 1], [0, 1])"  # left open: shown when the cell ends
    ))
    assert run(page, first).strip() == "<b>x</b>"
    out = cell(page, first).locator("[data-nnbook-output]")
    assert out.locator("b").count() == 0
    images = out.locator("img")
    assert images.count() == 2
    for k in range(2):
        assert images.nth(k).get_attribute("src").startswith("data:image/png;base64,")
        assert images.nth(k).get_attribute("alt")
    assert page.evaluate("[...document.querySelectorAll('[data-nnbook-output] img')].every(i => i.naturalWidth > 100)")

    set_code(page, first, "from nnbook import network_svg\nnetwork_svg([2, 1])")
    assert run(page, first) == ""
    assert out.locator("svg").count() == 0  # reader-made SVG never becomes markup
    assert out.locator("img").get_attribute("src").startswith("data:image/svg+xml;base64,")


def test_edits_survive_a_reload_and_reset_restores(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    original = original_source(page, first)
    edited = "print('my own version')"
    mark = cell(page, first).locator("[data-nnbook-edited]")
    assert mark.is_hidden()
    set_code(page, first, edited)
    assert mark.is_visible()

    page.reload()
    wait_ready(page)
    assert editor_code(page, first) == edited
    assert mark.is_visible()
    assert run(page, first) == "my own version\n"

    cell(page, first).locator("[data-nnbook-action='reset']").click()
    assert editor_code(page, first) == original
    assert mark.is_hidden()
    page.reload()
    assert editor_code(page, first) == original

    # An edit made on an older version of the book: the reader chooses.
    key = page.evaluate("id => `nnbook:edit:${location.pathname}#${id}`", first)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps({"code": edited, "original": "0"})])
    page.reload()
    notice = cell(page, first).locator("[data-nnbook-notice]")
    assert notice.is_visible()
    assert editor_code(page, first) == original
    notice.get_by_role("button", name=t(page, "cells.keepMine")).click()
    assert notice.is_hidden()
    assert editor_code(page, first) == edited


def test_keyboard_reaches_and_activates_run(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second = cell_ids(page)[:2]
    page.locator("[data-nnbook-runbar] [data-nnbook-action='run-all']").focus()
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        where = page.evaluate("[document.activeElement.closest('[data-nnbook-cell]')?.dataset.nnbookCell,"
                              " document.activeElement.dataset.nnbookAction || document.activeElement.className]")
        seen.append(where)
        if where == [first, "run"]:
            break
    # Tab went through the first cell's code without trapping the reader or changing it.
    assert [first, "run"] in seen, seen
    assert any(w[0] == first and "cm-content" in str(w[1]) or "nnbook-cell-source" in str(w[1]) for w in seen), seen
    assert editor_code(page, first) == original_source(page, first)
    assert cell(page, first).locator("[data-nnbook-edited]").is_hidden()
    # The editor made meanwhile (Tab passed over the code) leaves the focus where the reader is.
    assert page.evaluate("document.activeElement.dataset.nnbookAction") == "run"
    page.keyboard.press("Enter")
    wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state !== 'idle'", first, timeout=10)
    settle(page, first)
    assert state(page, first) == "done"

    # Shift+Enter runs the cell and moves to the next one.
    cell(page, first).locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    settle(page, first)
    wait_for(page, "() => document.activeElement.closest('[data-nnbook-cell]')?.dataset.nnbookCell === " + json.dumps(second), timeout=10)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_accessibility_of_cells(new_page, site_url, lang, scheme):
    # The audit covers what the cells add to the page (editor, buttons, progress, output);
    # the theme's own parts are the site's audit, not this one.
    page = open_page(new_page, site_url + LANGUAGES[lang] + CHAPTER, color_scheme=scheme)
    ids = cell_ids(page)
    run(page, ids[0])
    set_code(page, ids[1], "1 / 0")
    run(page, ids[1], expect="error")
    page.mouse.move(0, 0)
    assert page.locator("[data-nnbook-runtime] [role='status']").text_content()
    for action in ("run", "stop", "reset", "copy"):
        name = cell(page, ids[0]).locator(f"[data-nnbook-action='{action}']").text_content().strip()
        assert name, action
    inject(page, AXE)
    result = page.evaluate(
        "axe.run({include: [['.nnbook-runbar'], ['.nnbook-cell']]}, {resultTypes: ['violations']})"
    )
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    assert result["passes"], "axe checked nothing"
