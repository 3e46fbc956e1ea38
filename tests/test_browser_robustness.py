"""Nothing a reader types can break the page; nothing an author does wrong ships silently.

Reader side: each case runs in a real browser against the built site and must end in a
clear message in the page's language (the page's own UI strings, read back from its
config), with the page, the reader's edits and, where possible, the Python namespace
intact. References are independent of the page: CPython for the column of a syntax
error, a plain loop for the full text of a long output, the chapter's own expected
outputs for the cells around a failure. The ``new_page`` fixture fails any test in which
a request leaves this machine, which is how "the book runs offline" is checked.

Author side (no browser): a core runtime file whose hash changed and a page missing in a
language stop the build or the tests, naming the file.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.harness.browser import t as text_of, wait_for
from tests.harness.pages import (
    LOAD_TIMEOUT, cell, cell_ids, normalize, open_page, output, run, set_code, settle, state, wait_ready,
)
from tests.harness.site import LANGUAGES, ROOT

CHAPTER = "neural_networks/"
in_browser = pytest.mark.browser
pytestmark = pytest.mark.timeout(300)


def t(page, key: str, **values) -> str:
    return text_of(page, key if "." in key and key.split(".")[0] in ("cells", "demos", "exercises") else f"cells.{key}", **values)


def status(page, cell_id: str) -> str:
    return cell(page, cell_id).locator(".nnbook-status").text_content()


def wait_state(page, cell_id: str, wanted: str, timeout: float = LOAD_TIMEOUT) -> None:
    wait_for(page, "([id, s]) => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state === s",
             [cell_id, wanted], timeout=timeout)


def watch_long_tasks(page) -> None:
    """Record the main thread's long tasks from now on, once the page's own start is over
    (the editors of the cells in view are made after the page has settled)."""
    wait_for(page, "document.querySelector('[data-nnbook-cell] .cm-editor')", timeout=60)
    page.evaluate("""async () => {
        let last = performance.now();
        const quiet = new PerformanceObserver(() => { last = performance.now(); });
        quiet.observe({type: "longtask"});
        for (const until = last + 15000; performance.now() < until && performance.now() - last < 1000;) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        quiet.disconnect();
        window.nnbookLongTasks = [];
        new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) window.nnbookLongTasks.push(entry.duration);
        }).observe({type: "longtask"});
    }""")


def long_tasks(page) -> list[float]:
    return page.evaluate("window.nnbookLongTasks")


# --- reader side: the queue and Stop ---------------------------------------------------


@in_browser
def test_run_all_stops_at_a_stop_or_an_error_and_marks_the_rest_not_run(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    ids = cell_ids(page)
    first, second, rest = ids[0], ids[1], ids[2:6]
    expected = {i: output(page, i) for i in rest}
    for failing, note in [("import time\ntime.sleep(60)", "notRunStopped"), ("1 / 0", "notRunFailed")]:
        set_code(page, second, failing)
        page.click("[data-nnbook-runbar] [data-nnbook-action='run-all']")
        if "sleep" in failing:
            wait_state(page, second, "running")
            assert state(page, rest[0]) == "queued"
            time.sleep(0.5)
            cell(page, second).locator("[data-nnbook-action='stop']").click()
        settle(page, first, second)
        wait_for(page, "ids => ids.every(id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state === 'idle')", rest)
        assert state(page, first) == "done"
        assert state(page, second) == "error"
        for i in rest:
            assert status(page, i) == t(page, note), i
            assert cell(page, i).locator(".nnbook-status").is_visible()
            assert output(page, i) == expected[i], f"cell {i} lost its output"
        time.sleep(1.0)  # nothing of the cancelled batch starts later
        assert all(state(page, i) == "idle" for i in rest)
    # The queue works again, with the names of the first cell (kept or replayed).
    set_code(page, second, "print(x, w, b)")
    assert run(page, second).strip() == "[1.0, 0.5, -1.0] [0.5, -0.6, 0.1] 0.1"
    assert not page.page_errors


# --- reader side: errors Python survives, and one it does not ---------------------------


@in_browser
def test_recursion_and_memory_errors_leave_python_running(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second, third = cell_ids(page)[:3]
    run(page, first)
    cases = [
        ("def f(n):\n    return f(n + 1)\n\nf(0)", "RecursionError", "hint.recursion"),
        ("bytearray(4 * 10**9)", "OverflowError", "hint.memory"),
        ("import numpy as np\na = np.zeros((100000, 100000))", "ValueError", "hint.memory"),
        ("chunks = [bytearray(10**9) for _ in range(8)]", "MemoryError", "hint.memory"),
    ]
    for code, name, hint in cases:
        set_code(page, second, code)
        text = run(page, second, expect="error")
        assert re.search(rf"^{name}\b", text, re.M), text
        assert t(page, hint) in text
        assert status(page, second) == t(page, "failed", name=name)
        set_code(page, third, "print(x, round(z, 4))")  # the namespace is still there
        assert run(page, third).strip() == "[1.0, 0.5, -1.0] 0.2"
    assert not page.page_errors


@in_browser
def test_a_javascript_stack_overflow_restarts_python_and_replays(new_page, site_url):
    # Recursion through repr() with the limit lifted overflows the JavaScript stack
    # before Python's: Pyodide then fails for good, so the page restarts it.
    page = open_page(new_page, site_url + CHAPTER)
    first, second, third = cell_ids(page)[:3]
    run(page, first)
    set_code(page, second, (
        "import sys\nsys.setrecursionlimit(10**6)\n\n"
        "class Loop:\n    def __repr__(self):\n        return repr(self)\n\nrepr(Loop())"
    ))
    text = run(page, second, expect="error")
    assert t(page, "crashed", message="").split("(")[0] in text, text
    assert "RangeError" in status(page, second) or "Error" in status(page, second)
    set_code(page, third, "print(x, round(z, 4))")
    assert run(page, third).strip() == "[1.0, 0.5, -1.0] 0.2"  # replayed in a new Python
    assert not page.page_errors


# --- reader side: output ----------------------------------------------------------------


@in_browser
def test_endless_printing_is_capped_downloadable_and_the_page_stays_responsive(new_page, site_url):
    # No service worker: its first-visit caching is not what is measured here.
    page = open_page(lambda url: new_page(url, service_workers="block"), site_url + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, "for i in range(10**6):\n    print(i)")
    watch_long_tasks(page)
    text = run(page, first)
    assert max(long_tasks(page), default=0) < 200, long_tasks(page)
    reference = "".join(f"{i}\n" for i in range(10**6))  # a plain loop, in CPython
    assert text.startswith(reference[:100_000])
    assert t(page, "truncated", count="100,000") in text
    assert len(text) < 100_000 + 500
    download = cell(page, first).locator("[data-nnbook-action='download-output']")
    assert download.text_content().strip() == t(page, "downloadOutput")
    with page.expect_download() as info:
        download.click()
    assert Path(info.value.path()).read_text() == reference
    assert not page.page_errors


HOSTILE = "<img src=x onerror=alert(1)>"


@in_browser
def test_markup_in_output_errors_and_figures_is_shown_as_text(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    first, second, third = cell_ids(page)[:3]
    set_code(page, first, f'print("{HOSTILE}")\nprint("<script>alert(2)</script>")')
    assert run(page, first) == f"{HOSTILE}\n<script>alert(2)</script>\n"
    set_code(page, second, f'raise ValueError("{HOSTILE}")')
    assert f"ValueError: {HOSTILE}" in run(page, second, expect="error")
    set_code(page, third, (
        "import matplotlib.pyplot as plt\n"
        'plt.plot([0, 1]); plt.title("<script>alert(3)</script>")\n'
        "class Svg:\n"
        "    def _repr_svg_(self):\n"
        "        return '<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(4)\"><script>alert(5)</script></svg>'\n"
        "display(Svg())\nplt.show()"
    ))
    run(page, third)
    images = cell(page, third).locator("[data-nnbook-output] img")
    assert images.count() == 2
    assert "<script>alert(3)</script>" in images.last.get_attribute("alt")
    page.wait_for_timeout(500)
    outputs = page.locator("[data-nnbook-output]")
    assert outputs.locator("img[src='x'], script, svg, b").count() == 0
    assert not dialogs
    assert not page.page_errors


@in_browser
def test_many_figures_are_capped_with_a_message(new_page, site_url):
    page = open_page(lambda url: new_page(url, service_workers="block"), site_url + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, (
        "import matplotlib.pyplot as plt\n"
        "for i in range(50):\n"
        "    plt.figure()\n"
        "    plt.plot([0, i])"
    ))
    watch_long_tasks(page)
    text = run(page, first)
    assert cell(page, first).locator("[data-nnbook-output] img").count() == 20
    assert t(page, "imagesHidden", count=30, limit=20) in text
    assert max(long_tasks(page), default=0) < 200, long_tasks(page)
    assert page.evaluate("1 + 1") == 2


# --- reader side: what a cell cannot do here --------------------------------------------


@in_browser
def test_input_says_it_is_not_supported_and_never_hangs(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, 'name = input("Your name? ")')
    started = time.monotonic()
    text = run(page, first, expect="error")
    assert time.monotonic() - started < 10
    assert t(page, "hint.input") in text
    assert "nnbook_kernel" not in text  # the traceback ends at the reader's line


NETWORK = [
    "import requests",
    'import urllib.request\nurllib.request.urlopen("https://example.com")',
    'import urllib.request\nurllib.request.urlopen("http://example.com")',
    'import pyodide.http\npyodide.http.pyfetch("https://example.com")',
    'from pyodide.http import open_url\nopen_url("https://example.com")',
    'import socket\nsocket.create_connection(("example.com", 80))',
]


@in_browser
def test_the_network_is_offline_and_says_so(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second = cell_ids(page)[:2]
    run(page, first)
    offline = t(page, "hint.offline")
    for code in NETWORK:
        set_code(page, second, code)
        assert offline in run(page, second, expect="error"), code
    set_code(page, second, "import torch")
    text = run(page, second, expect="error")
    assert "ModuleNotFoundError: No module named 'torch'" in text
    assert t(page, "hint.modules") in text and offline not in text
    set_code(page, second, "print(x)")  # Python is untouched
    assert run(page, second).strip() == "[1.0, 0.5, -1.0]"
    # JavaScript's own fetch is refused too (the fixture fails the test if it left).
    set_code(page, second, 'import js\njs.fetch("https://example.com/")\nprint("not sent")')
    assert "not sent" in run(page, second)
    page.wait_for_timeout(500)


@in_browser
def test_a_syntax_error_marks_its_line_and_column(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first = cell_ids(page)[0]
    code = "x = 1\ny = (x +\n     * 2)"
    with pytest.raises(SyntaxError) as reference:  # CPython 3.12, as in Pyodide
        compile(code, "<cell>", "exec")
    line, column = reference.value.lineno, reference.value.offset
    set_code(page, first, code)
    text = run(page, first, expect="error")
    assert f'File "<cell {first}>", line {line}' in text
    lines = text.split("\n")
    source = code.split("\n")[line - 1]
    at = lines.index("    " + source.strip())
    indent = len(source) - len(source.lstrip())
    assert lines[at + 1].index("^") == 4 + column - 1 - indent, text
    marked = cell(page, first).locator(".nnbook-error-line")
    assert marked.count() == 1 and marked.text_content() == source


@in_browser
def test_sys_exit_ends_the_cell_not_python(new_page, site_url):
    page = open_page(new_page, site_url + CHAPTER)
    first, second = cell_ids(page)[:2]
    for k, (call, shown) in enumerate([("sys.exit()", "sys.exit()"), ("exit()", "sys.exit()"),
                                       ("raise SystemExit(3)", "sys.exit(3)")]):
        set_code(page, first, f"import sys\ny = {k}\nprint('before')\n{call}\nprint('after')")
        text = run(page, first)
        assert text.startswith("before\n") and "after" not in text, call
        assert t(page, "exitCalled", call=shown) in text, call
        set_code(page, second, "print(y + 1)")
        assert run(page, second).strip() == str(k + 1), call


@in_browser
def test_two_tabs_of_the_same_page_both_work(new_page, site_url):
    one = open_page(new_page, site_url + CHAPTER)
    two = one.context.new_page()
    two.set_default_timeout(LOAD_TIMEOUT * 1000)
    two.goto(site_url + CHAPTER)
    wait_ready(two)
    first = cell_ids(one)[0]
    set_code(one, first, "tab = 'one'\nprint(tab)")
    set_code(two, first, "tab = 'two'\nprint(tab)")
    assert run(one, first) == "one\n"
    assert run(two, first) == "two\n"  # each tab has its own Python
    one.reload()  # the last edit saved wins; the page still works with it
    wait_ready(one)
    assert run(one, first) == "two\n"


def test_messages_are_in_the_page_language():
    # Every key the English strings have is in every language, with its own words.
    from site_scripts import strings

    english = strings.keys(json.loads(strings.path("en").read_text(encoding="utf-8")))
    for lang in LANGUAGES:
        own = strings.keys(json.loads(strings.path(lang).read_text(encoding="utf-8")))
        assert own == english, f"{lang}: missing {sorted(english - own)[:5]}, extra {sorted(own - english)[:5]}"
    loaded = {lang: strings.load(lang) for lang in LANGUAGES}
    for key in ["cells.notRunStopped", "cells.crashed", "cells.restart", "cells.hint.memory", "cells.hint.shell",
                "demos.stepOf", "exercises.check", "notebook.download", "theme.permalink"]:
        values = set()
        for lang in LANGUAGES:
            node = loaded[lang]
            for part in key.split("."):
                node = node[part]
            values.add(node)
        assert len(values) == len(LANGUAGES), key
        # placeholders are the same in every language
    for lang in LANGUAGES:
        for key in english:
            def value(tree, k=key):
                for part in k.split("."):
                    tree = tree[part]
                return tree
            en, other = value(loaded["en"]), value(loaded[lang])
            assert set(re.findall(r"\{\w+\}", en)) == set(re.findall(r"\{\w+\}", other)), (lang, key)


@in_browser
@pytest.mark.parametrize("lang", ["zh"])
def test_a_hint_follows_the_page_language(new_page, site_url, lang):
    page = open_page(new_page, site_url + LANGUAGES[lang] + CHAPTER)
    first = cell_ids(page)[0]
    set_code(page, first, "import torch")
    text = run(page, first, expect="error")
    assert t(page, "hint.modules") in text
    assert "numpy, matplotlib, nnbook" not in text.split("\n")[-2]  # not the English sentence


# --- reader side: the runtime cannot be loaded ------------------------------------------

GARBAGE = b"\x00garbage, not WebAssembly\x00" * 1000


def fulfill(kind):
    def handler(route):
        if kind == "404":
            route.fulfill(status=404, body="not found")
        elif kind == "garbage":
            route.fulfill(status=200, body=GARBAGE, content_type="application/octet-stream")
        # "hang": never answered
    return handler


FAILURES = {
    # the core: no gzip copy and no plain file
    "wasm-404": {"**/pyodide.asm.wasm*": "404"},
    # garbage that Pyodide fails to compile: it only logs that and never rejects
    "wasm-garbage": {"**/pyodide.asm.wasm.gz": "404", "**/pyodide.asm.wasm": "garbage"},
    "wheel-404": {"**/numpy-*.whl": "404"},
    "wheel-garbage": {"**/numpy-*.whl": "garbage"},
    # a download that never ends: the page's watchdog gives up
    "wasm-hang": {"**/pyodide.asm.wasm*": "hang"},
}


def shorter_stall(seconds: int):
    """Serve the chapter with a shorter no-progress limit in its config (nothing else changes)."""
    def handler(route):
        response = route.fetch()
        body = response.text().replace('"stall_seconds":60', f'"stall_seconds":{seconds}')
        route.fulfill(response=response, body=body)
    return handler


@in_browser
@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_broken_runtime_says_so_in_each_cell_and_retry_works(new_page, site_url, failure):
    page = new_page(service_workers="block")
    page.set_default_timeout(LOAD_TIMEOUT * 1000)
    if failure == "wasm-hang":
        page.context.route("**/neural_networks/", shorter_stall(4))
    for pattern, kind in FAILURES[failure].items():
        page.context.route(pattern, fulfill(kind))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + CHAPTER)
    ids = cell_ids(page)
    expected = {i: output(page, i) for i in ids}
    notices = page.locator("[data-nnbook-cell] [role='alert']")
    notices.first.wait_for(state="visible", timeout=60_000)
    assert notices.count() == len(ids)
    message = t(page, "loadFailedCell", message="@").split("@")[0]
    for i in ids:
        notice = cell(page, i).locator("[role='alert']")
        assert notice.text_content().startswith(message)
        assert notice.locator("[data-nnbook-action='retry']").text_content().strip() == t(page, "retry")
        assert output(page, i) == expected[i]  # the expected outputs stay
    if failure == "wasm-hang":
        assert t(page, "loadStalled", seconds=4) in notices.first.text_content()
    assert page.locator("[data-nnbook-runtime]").get_attribute("data-state") == "error"
    # The book itself is unaffected: text, equations and figures are there.
    assert page.locator("article h1").is_visible()
    figures = page.locator("article figure img")
    assert figures.count() >= 3
    assert page.evaluate("""() => Promise.all([...document.querySelectorAll('article figure img')].map(
        (img) => fetch(img.src).then((r) => r.ok))).then((ok) => ok.every(Boolean))""")
    # Running a cell now fails with the reason, not a spinner.
    first = ids[0]
    cell(page, first).locator("[data-nnbook-action='run']").click()
    wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}']`).dataset.state === 'error'", first, timeout=30)

    if failure in ("wasm-404", "wheel-garbage"):
        return  # Retry is checked on the other cases (each is a full load)
    page.context.unroute_all()
    cell(page, ids[1]).locator("[data-nnbook-action='retry']").click()
    assert notices.first.is_hidden()
    wait_ready(page)
    assert normalize(run(page, first)) == normalize(expected[first])
    assert not errors


# --- author side (no browser) ----------------------------------------------------------


def test_a_changed_core_runtime_file_stops_the_build(tmp_path, monkeypatch):
    from site_scripts import runtime

    npm = tmp_path / "node_modules" / "pyodide"
    shutil.copytree(ROOT / "node_modules" / "pyodide", npm)
    wasm = npm / "pyodide.asm.wasm"
    data = bytearray(wasm.read_bytes())
    data[len(data) // 2] ^= 0xFF
    wasm.write_bytes(data)
    monkeypatch.setattr(runtime, "_npm_package", lambda: npm)
    with pytest.raises(runtime.RuntimeVendorError) as error:
        runtime.ensure_runtime(tmp_path / "cache")
    assert "pyodide.asm.wasm" in str(error.value)
    assert runtime.CORE_FILES["pyodide.asm.wasm"] in str(error.value)
    assert not (tmp_path / "cache" / "runtime" / "pyodide").exists()


def test_a_page_missing_in_one_language_fails_the_parity_test_naming_it(tmp_path):
    # The real tests/test_parity.py, run on a book whose French chapter is missing.
    docs = tmp_path / "docs"
    for lang in LANGUAGES:
        (docs / lang).mkdir(parents=True)
        (docs / lang / "index.md").write_text("# Home\n\nText.\n")
        if lang != "fr":
            (docs / lang / "chapter.md").write_text("# Chapter\n\nText.\n")
    script = (
        "import sys, pathlib, pytest\n"
        "sys.path[:0] = ['tests', '.']\n"
        "import tests.examples as examples\n"
        f"examples.DOCS = pathlib.Path({str(docs)!r})\n"
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-o', 'addopts=', 'tests/test_parity.py', '-k', 'every_page']))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "missing translation(s): docs/fr/chapter.md" in result.stdout
    assert "2 passed" in result.stdout  # es and zh are complete

