"""Python always recovers: no cell can lock it until a reload, and no edit is lost silently.

Each case of the issue "The reader's Python is contained, and the page always recovers"
(items 4 to 12) in a real Chromium: the cell that used to lock the page, then the proof
that the page still works (a plain cell runs and prints what CPython prints).
"""
from __future__ import annotations

import json
import time

import pytest

from tests.harness.browser import t, wait_for
from tests.harness.pages import (
    LOAD_TIMEOUT, cell, cell_ids, open_page, output, python, run, set_code, settle, state, wait_ready,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
CHAPTER = "neural_networks/"


def works(page, cell_id: str) -> None:
    set_code(page, cell_id, "print(sum(range(10)))")
    assert run(page, cell_id).strip() == "45"


def test_malformed_errors_and_replies_never_stall_the_queue(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second = cell_ids(page)[:2]
    set_code(page, first, 'raise SyntaxError("odd", ("<cell relu>", -1, 1, "x"))')
    text = run(page, first, expect="error")
    assert "SyntaxError: odd" in text
    works(page, second)
    works(page, first)
    assert not page.page_errors


def test_background_tasks_and_close_cannot_lock_python(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second = cell_ids(page)[:2]
    set_code(page, first, (
        "import asyncio\n"
        "async def spin():\n"
        "    while True:\n"
        "        pass\n"
        "asyncio.ensure_future(spin())\n"
        "print('scheduled')"
    ))
    assert run(page, first).strip() == "scheduled"
    time.sleep(1.5)  # the task would have started by now
    works(page, second)
    set_code(page, first, "import js\njs.close()")
    assert "AttributeError" in run(page, first, expect="error")
    works(page, second)
    # Prints of a task that outlives its cell do not leak into the next cell's output.
    set_code(page, first, (
        "import asyncio\n"
        "async def chatter():\n"
        "    while True:\n"
        "        print('leak')\n"
        "        await asyncio.sleep(0.05)\n"
        "asyncio.ensure_future(chatter())\n"
        "await asyncio.sleep(0.2)"
    ))
    run(page, first)
    set_code(page, second, "import time\ntime.sleep(0.5)\nprint('mine')")
    assert run(page, second).strip() == "mine"


def test_a_cell_that_breaks_pythons_machinery_does_not_break_the_next(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second = cell_ids(page)[:2]
    for breaking in ("import sys\nsys.modules.clear()",
                     "import sys, builtins\nsys.stdout = None\nsys.stderr = None\nbuiltins.print = None",
                     "import json\njson.dumps = None\njson.loads = None"):
        set_code(page, first, breaking)
        cell(page, first).locator("[data-nnbook-action='run']").click()
        settle(page, first)
        works(page, second)
    assert not page.page_errors


def test_huge_tracebacks_and_exit_messages_are_capped(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second = cell_ids(page)[:2]
    for code in ('raise ValueError("x" * 50_000_000)', 'import sys\nsys.exit("y" * 50_000_000)'):
        set_code(page, first, code)
        started = time.monotonic()
        cell(page, first).locator("[data-nnbook-action='run']").click()
        settle(page, first, timeout=60)
        assert time.monotonic() - started < 30
        assert len(output(page, first)) < 50_000
        assert "more characters" in output(page, first)
        assert page.evaluate("1 + 1") == 2
    works(page, second)


def test_restart_python_starts_clean_and_replays_nothing(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second = cell_ids(page)[:2]
    set_code(page, first, "import builtins\nsecret = 42\nbuiltins.len = lambda x: -1\nprint('patched')")
    run(page, first)
    page.locator("[data-nnbook-runbar] [data-nnbook-action='restart']").click()
    wait_for(page, "document.querySelector('[data-nnbook-runtime]').dataset.state === 'ready'", timeout=120)
    assert state(page, first) == "idle"
    assert t(page, "cells.restartedNote") in cell(page, first).locator(".nnbook-status").text_content()
    set_code(page, second, "print(len([1, 2, 3]), 'secret' in globals())")
    assert run(page, second).strip() == "3 False"


def test_replay_follows_the_order_cells_ran_skips_slow_ones_and_can_be_stopped(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    a, b, c, d = cell_ids(page)[:4]
    set_code(page, c, "base = 10")
    run(page, c)
    set_code(page, b, "total = base + 1")  # uses a name of a later cell, run before it
    run(page, b)
    set_code(page, a, "import time\ntime.sleep(4)\nslow = True")
    run(page, a)
    # Stop a running cell: Python restarts and re-runs what had run, in that order.
    set_code(page, d, "import time\ntime.sleep(60)")
    cell(page, d).locator("[data-nnbook-action='run']").click()
    wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state === 'running'", d)
    time.sleep(0.5)
    cell(page, d).locator("[data-nnbook-action='stop']").click()
    wait_for(page, "document.querySelector('[data-nnbook-runtime]').dataset.state === 'ready'", timeout=120)
    settle(page, a, b, c, d)
    set_code(page, d, "print(total, 'slow' in globals())")
    assert run(page, d).strip() == "11 False"
    # the slow cell was not re-run, and says so
    assert t(page, "cells.notReplayedSlow", seconds="").split("(")[0] in cell(page, a).locator(".nnbook-status").text_content()


def test_an_edit_that_cannot_be_saved_says_so_and_stays(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    # Fill the page's storage to the brim.
    page.evaluate("""() => { let i = 0; for (const size of [500000, 50000, 5000, 500, 50, 5, 1]) {
        try { for (;; i++) localStorage.setItem('filler' + i, 'x'.repeat(size)); } catch { i++; } } }""")
    edited = "print('kept on screen')"
    set_code(page, first, edited)
    wait_for(page, "id => !document.querySelector(`[data-nnbook-cell='${id}'] [data-nnbook-notice]`).hidden", first, timeout=10)
    assert t(page, "cells.saveFailed") in cell(page, first).locator("[data-nnbook-notice]").text_content()
    assert run(page, first).strip() == "kept on screen"
    # A reload never shows an older copy of the edit: the book's code, the reader told.
    page.evaluate("() => { for (const k of Object.keys(localStorage)) if (k.startsWith('filler')) localStorage.removeItem(k); }")
    page.reload()
    wait_ready(page)
    assert cell(page, first).locator("[data-nnbook-source]").input_value() != edited
    assert cell(page, first).locator("[data-nnbook-edited]").is_hidden()


def test_output_like_a_terminal(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, "for i in range(101):\n    print(f'\\r{i}%', end='')\nprint()\nprint('\\x1b[31mred\\x1b[0m plain')")
    text = run(page, first)
    assert text.split("\n")[0] == "100%"
    assert "\x1b" not in text and "[31m" not in text
    assert cell(page, first).locator(".nnbook-ansi-red").text_content() == "red"
    # Truncation never splits a character (an emoji is two UTF-16 units).
    set_code(page, first, "print('a' + '😀' * 60_000)")
    text = run(page, first)
    assert "\ud83d" not in text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    shown = page.evaluate("id => document.querySelector(`[data-nnbook-cell='${id}'] .nnbook-stdout`).textContent", first)
    assert not (0xD800 <= ord(shown[-1]) <= 0xDBFF)


@pytest.mark.parametrize("code, hint", [
    ("%matplotlib inline\nprint(1)", "cells.hint.matplotlib"),
    ("!pip install torch", "cells.hint.shell"),
    ("%timeit sum(range(10))", "cells.hint.magic"),
])
def test_notebook_habits_get_a_sentence(new_page, site_url, code, hint):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, code)
    assert t(page, hint) in run(page, first, expect="error")


def test_top_level_await_simply_works(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, "import asyncio\nawait asyncio.sleep(0.1)\nprint('awaited')\n6 * 7")
    assert run(page, first) == "awaited\n42\n"


def test_storage_turned_off_raises_nothing_and_cells_still_run(browser, site_url):
    context = browser.new_context()
    context.add_init_script("""Object.defineProperty(window, 'localStorage', { configurable: true,
        get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });""")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(site_url + CHAPTER)
        wait_ready(page)
        first = cell_ids(page)[0]
        set_code(page, first, "print('no storage')")
        assert run(page, first).strip() == "no storage"
        assert errors == []
    finally:
        context.close()


def test_without_javascript_demos_and_figures_say_what_they_need(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + "fr/" + CHAPTER)
        for kind in ("stepper", "mnist", "draw"):
            text = page.locator(f"[data-nnbook-demo='{kind}']").inner_text()
            assert "JavaScript" in text and len(text) > 40, kind
        assert page.locator("[data-nnbook-cell='sigmoid-plot'] noscript").count() == 1
        # the equations are there, typeset
        assert page.locator(".arithmatex mjx-container").count() >= 20
    finally:
        context.close()


def test_404_under_a_sub_path_loads_styled(tmp_path, site_dir, browser):
    """A host serving the book under /book/ sends its 404.html for any missing address."""
    from tests.harness.site import QuietHandler, serve

    root = tmp_path / "host"
    (root / "book").mkdir(parents=True)
    for item in site_dir.iterdir():
        (root / "book" / item.name).symlink_to(item)

    class SubPath(QuietHandler):
        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site_dir / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

    server, url = serve(root, SubPath)
    context = browser.new_context()
    try:
        page = context.new_page()
        failed = []
        page.on("response", lambda r: r.status >= 400 and "missing" not in r.url and failed.append(r.url))
        page.goto(url + "book/missing/page/")
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
        assert failed == [], failed
    finally:
        context.close()
        server.shutdown()
