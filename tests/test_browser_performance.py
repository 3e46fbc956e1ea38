"""How the book starts, caches and works offline, in a real browser on a plain static server.

These tests check behaviour, not speed (the machine may be busy; the timings are
benchmarks/bench_browser.py's job): the runtime comes as gzip copies that inflate to the
pinned files, nothing is downloaded twice, the start-up leaves the page's main thread
alone, the service worker keeps the book for offline reading and takes a new build's
changed files (and only those).
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from site_scripts import offline, precompress, runtime
from tests.harness.browser import wait_for
from tests.harness.pages import wait_ready
from tests.harness.site import QuietHandler

CHAPTER = "neural_networks/"
LOAD_TIMEOUT = 120_000  # ms
ALL_SETTLED = """() => [...document.querySelectorAll('[data-nnbook-cell]')]
    .every((c) => ['done', 'error'].includes(c.dataset.state))"""
RUN_EVERY_CELL = """() => { for (const b of document.querySelectorAll('[data-nnbook-cell] [data-nnbook-action="run"]')) b.click(); }"""
CELL_STATES = "() => [...document.querySelectorAll('[data-nnbook-cell]')].map((c) => [c.dataset.nnbookCell, c.dataset.state])"
# Resolves once a service worker controls the page and has filled its cache.
SW_IN_CHARGE = """async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
    return (await caches.keys()).filter((k) => k.startsWith('nnbook-'));
}"""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_gzip_copies_inflate_to_the_pinned_core_files(site_dir):
    for name in precompress.COMPRESSED:
        plain = (site_dir / "pyodide" / name).read_bytes()
        packed = (site_dir / "pyodide" / f"{name}.gz").read_bytes()
        assert sha256(plain) == runtime.CORE_FILES[name]
        assert sha256(gzip.decompress(packed)) == runtime.CORE_FILES[name]
        assert len(packed) < len(plain) / 2, f"{name}.gz saves too little to be worth a request"


def test_gzip_copy_that_does_not_inflate_to_the_original_is_refused(tmp_path):
    (tmp_path / "a.js").write_bytes(b"console.log(1)")
    with pytest.raises(precompress.PrecompressError, match="a.js.gz inflates to"):
        precompress.check_copy(b"console.log(1)", gzip.compress(b"console.log(2)"), "a.js")
    (path,) = precompress.write_copies(tmp_path, tmp_path / "cache", ("a.js",))
    assert gzip.decompress(path.read_bytes()) == b"console.log(1)"


def test_manifest_lists_every_page_and_the_runtime_with_hashes(site_dir):
    text = (site_dir / offline.MANIFEST).read_text()
    files = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.is_file() and offline.kept(rel):
            files[rel] = sha256(path.read_bytes())
    for page in ("index.html", "neural_networks/index.html", "fr/neural_networks/index.html",
                 "zh/index.html", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip"):
        assert page in files
    wheels = [rel for rel in files if rel.endswith(".whl")]
    assert any("matplotlib" in w for w in wheels) and any("nnbook" in w for w in wheels)
    for rel, digest in files.items():
        assert f'"{rel}": "{digest}"' in text, rel
    assert "pyodide.asm.wasm.gz" not in text and '"sw.js"' not in text


browser = pytest.mark.browser


def ready(page) -> None:
    page.set_default_timeout(LOAD_TIMEOUT)
    wait_ready(page)


@browser
@pytest.mark.timeout(300)
def test_browser_inflates_the_gzip_copies_to_the_exact_bytes(new_page, site_url):
    page = new_page(site_url)
    for name in precompress.COMPRESSED:
        digest = page.evaluate("""async (url) => {
            const body = (await fetch(url)).body.pipeThrough(new DecompressionStream('gzip'));
            const data = await new Response(body).arrayBuffer();
            return [...new Uint8Array(await crypto.subtle.digest('SHA-256', data))]
                .map((b) => b.toString(16).padStart(2, '0')).join('');
        }""", f"{site_url}pyodide/{name}.gz")
        assert digest == runtime.CORE_FILES[name]


@browser
@pytest.mark.timeout(300)
def test_cold_start_fetches_the_small_copies_each_once(new_page, site_url):
    page = new_page()
    urls = []
    page.context.on("request", lambda r: urls.append(r.url))
    page.goto(site_url + CHAPTER)
    ready(page)
    page.locator("[data-nnbook-cell] [data-nnbook-action='run']").first.click()
    wait_for(page, "() => document.querySelector('[data-nnbook-cell]').dataset.state === 'done'")
    runtime_urls = [u for u in urls if "/pyodide/" in u]
    assert f"{site_url}pyodide/pyodide.asm.wasm.gz" in runtime_urls
    assert f"{site_url}pyodide/pyodide.asm.wasm" not in runtime_urls
    # a first visit has no use for the memory snapshot yet (see site_scripts/snapshot.py)
    assert not [u for u in runtime_urls if "snapshot" in u]
    twice = sorted({u for u in runtime_urls if runtime_urls.count(u) > 1})
    assert not twice, f"downloaded more than once: {twice}"
    assert any(u.endswith(".whl") and "/numpy-" in u for u in runtime_urls)
    # Python lives in the worker: the page itself never loads Pyodide.
    assert page.evaluate("typeof loadPyodide") == "undefined"


@browser
@pytest.mark.timeout(300)
def test_start_up_leaves_the_main_thread_to_the_page(new_page, site_url):
    """No main-thread task over 50 ms comes from the book's own scripts while Python starts.

    Long animation frames name the scripts that ran in them; the page's theme and MathJax
    are not the runtime's and are left out. Editors are made after the start, except the
    ones the reader is looking at.
    """
    page = new_page()
    page.add_init_script("""
        window.__frames = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__frames.push(
            e.scripts.map((s) => ({ url: s.sourceURL, fn: s.sourceFunctionName, invoker: s.invoker,
                                   duration: s.duration, start: s.startTime }))); })
            .observe({ type: 'long-animation-frame', buffered: true });
        window.__editorsBeforeReady = null;
        document.addEventListener('DOMContentLoaded', () => window.nnbook.ready.then(() => {
            window.__editorsBeforeReady = document.querySelectorAll('.cm-editor').length;
            window.__readyAt = performance.now();
        }));
    """)
    page.goto(site_url + CHAPTER)
    ready(page)
    wait_for(page, "() => window.__editorsBeforeReady !== null")
    near = page.evaluate("""() => [...document.querySelectorAll('[data-nnbook-cell]')].filter((c) =>
        c.getBoundingClientRect().top < innerHeight + 400).length""")
    assert page.evaluate("window.__editorsBeforeReady") <= near
    scripts = [s for frame in page.evaluate("window.__frames") for s in frame]
    ready_at = page.evaluate("window.__readyAt")
    ours = [s for s in scripts if "/assets/nnbook/" in s["url"] and "/vendor/" not in s["url"]
            and s["start"] <= ready_at]
    slow = [s for s in ours if s["duration"] > 50]
    assert not slow, f"book scripts ran over 50 ms in one task during start-up: {slow}"
    # Every editor still comes, as its cell comes into view.
    for cell_id in page.eval_on_selector_all("[data-nnbook-cell]", "cells => cells.map(c => c.dataset.nnbookCell)"):
        page.locator(f"[data-nnbook-cell='{cell_id}']").scroll_into_view_if_needed()
        wait_for(page, "id => document.querySelector(`[data-nnbook-cell='${id}'] .cm-editor`)", cell_id, timeout=30)


def run_every_cell(page) -> list:
    page.evaluate(RUN_EVERY_CELL)
    wait_for(page, ALL_SETTLED, timeout=LOAD_TIMEOUT * 2 / 1000)
    return [(cid, s) for cid, s in page.evaluate(CELL_STATES) if s != "done"]


@browser
@pytest.mark.timeout(600)
def test_the_book_works_offline_after_the_first_visit(new_page, site_url):
    page = new_page(site_url + CHAPTER)
    ready(page)
    assert page.evaluate(SW_IN_CHARGE)
    page.context.set_offline(True)
    try:
        assert run_every_cell(page) == []
        page.reload()
        ready(page)
        assert page.locator("[data-nnbook-cell]").count() > 10
        assert run_every_cell(page) == []
        other = page.context.new_page()
        other.goto(site_url + "fr/" + CHAPTER)
        assert other.locator("[data-nnbook-cell]").count() > 10
    finally:
        page.context.set_offline(False)


class LoggingHandler(QuietHandler):
    def do_GET(self):
        self.server.log.append(self.path)
        super().do_GET()


@browser
@pytest.mark.timeout(600)
def test_service_worker_takes_a_new_build_and_fetches_only_what_changed(new_page, site_dir, tmp_path):
    served = copy_site(site_dir, tmp_path / "site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(LoggingHandler, directory=str(served)))
    server.daemon_threads, server.log = True, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        page = new_page(url + CHAPTER)
        ready(page)
        (first,) = page.evaluate(SW_IN_CHARGE)
        css = "assets/nnbook/cells.css"
        assert "new build" not in page.evaluate(f"fetch('{url}{css}').then((r) => r.text())")

        # A new build: one changed file (replaced, not written through the hard link).
        changed = (served / css).read_text() + "\n/* new build */\n"
        (served / css).unlink()
        (served / css).write_text(changed)
        offline.write_manifest(served)
        server.log.clear()

        page.reload()
        # A navigation makes the browser look for a new service worker, in its own time;
        # asking for the check at once keeps the test short.
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r && r.update())")
        deadline = time.monotonic() + LOAD_TIMEOUT / 1000
        while True:  # wait_for_function would take the pending promise of caches.keys() as truthy
            keys = page.evaluate("caches.keys().then((ks) => ks.filter((k) => k.startsWith('nnbook-')))")
            if len(keys) == 1 and keys[0] != first:
                break
            assert time.monotonic() < deadline, f"the new build's cache never replaced {first}: {keys}"
            page.wait_for_timeout(500)
        page.reload()
        ready(page)
        assert "new build" in page.evaluate(f"fetch('{url}{css}').then((r) => r.text())")
        fetched = {p for p in server.log if "/pyodide/" in p or p.endswith(".js")}
        assert f"/{css}" in server.log
        assert not {p for p in fetched if p.startswith("/pyodide/") and "lock" not in p}, \
            f"unchanged runtime files fetched again: {sorted(fetched)}"
    finally:
        server.shutdown()


def second_visit_marks(new_page, url: str) -> tuple[dict, str, str]:
    """Two visits: the first fills the service worker's cache; the second is served by it.
    Returns the second visit's marks and two random numbers drawn on two later visits."""
    from tests.harness.browser import marks
    from tests.harness.pages import cell_ids, run, set_code

    page = new_page(url + CHAPTER)
    ready(page)
    assert page.evaluate(SW_IN_CHARGE)
    numbers = []
    for _ in range(2):
        page.reload()
        ready(page)
        first = cell_ids(page)[0]
        set_code(page, first, "import random\nprint(random.random())")
        numbers.append(run(page, first).strip())
        found = marks(page)
    return found, numbers[0], numbers[1]


def copy_site(site_dir: Path, dest: Path) -> Path:
    """A copy of the site made of hard links, but for its manifest, which tests rewrite."""
    shutil.copytree(site_dir, dest, copy_function=os.link)
    manifest = dest / offline.MANIFEST
    manifest.unlink()
    shutil.copyfile(site_dir / offline.MANIFEST, manifest)
    return dest


@browser
@pytest.mark.timeout(600)
def test_a_later_visit_restores_the_memory_snapshot_with_new_random_numbers(new_page, site_url):
    found, one, two = second_visit_marks(new_page, site_url)
    assert "snapshot-restored" in found and "python-started" not in found, found
    assert one != two, "random gives the same numbers after every restore: it was not reseeded"


@browser
@pytest.mark.timeout(600)
@pytest.mark.parametrize("problem", ["missing", "stale", "broken"])
def test_a_snapshot_that_does_not_fit_falls_back_to_a_normal_start(new_page, site_dir, tmp_path, problem):
    from site_scripts import snapshot

    served = copy_site(site_dir, tmp_path / "site")
    path = served / "pyodide" / f"{snapshot.FILE}.gz"
    data = gzip.decompress(path.read_bytes())
    path.unlink()  # (a hard link: replaced, not written through)
    if problem == "stale":  # made with another standard library: the header says so
        lock = (served / "pyodide" / "pyodide-lock.json").read_bytes()
        path.write_bytes(gzip.compress(snapshot.header(b"another build's python_stdlib.zip", lock) + data[snapshot.HEADER:]))
    elif problem == "broken":  # the right header, then bytes Pyodide cannot restore
        path.write_bytes(gzip.compress(data[: snapshot.HEADER] + b"\x00" * 4096))
    offline.write_manifest(served, gzipped=[f"pyodide/{n}" for n in precompress.COMPRESSED])
    from tests.harness.site import serve

    server, url = serve(served)
    try:
        found, one, two = second_visit_marks(new_page, url)
    finally:
        server.shutdown()
    assert "python-started" in found and "snapshot-restored" not in found, found
    assert one != two
