"""Shared fixtures: the built site, a plain static server for it, and a real Chromium.

The site is built once per test session with ``mkdocs build --strict`` (set
``NNBOOK_SITE_DIR`` to test an already built site instead). It is served by a
plain static file server on 127.0.0.1 with no special headers, like the simplest
static host, so the browser tests see what a reader of such a host sees.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LANGUAGES = {"en": "", "fr": "fr/", "es": "es/", "zh": "zh/"}


def build_site(dest: Path, docs_dir: Path | None = None, config: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` into ``dest`` and return the finished process."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)]
    cmd += ["-f", str(config or ROOT / "mkdocs.yml")]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    prebuilt = os.environ.get("NNBOOK_SITE_DIR")
    if prebuilt:
        return Path(prebuilt)
    dest = tmp_path_factory.mktemp("site")
    result = build_site(dest)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return dest


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".whl": "application/zip",
    }

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that cancels a download (a test that ends, a page that navigates
        # away) resets the connection: expected, and no reason to print a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(site_dir):
    server, url = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts; fail the test if any request leaves this machine."""
    contexts, requests = [], []

    def open_page(url: str | None = None, **context_args):
        context = browser.new_context(**context_args)
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("worker", lambda w: requests.append(w.url))
        context.on("request", lambda r: requests.append(r.url))
        if url:
            page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()
    external = sorted({u for u in requests if not is_local(u)})
    assert not external, f"requests left the local origin: {external}"
