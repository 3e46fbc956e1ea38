"""Shared fixtures: the built site, a plain static server for it, and a real Chromium.

The site is built once per test session with ``mkdocs build --strict`` (set
``NNBOOK_SITE_DIR`` to test an already built site instead). Everything here comes from
the one harness the benchmarks use too (tests/harness/).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.harness.browser import CHROMIUM, CHROMIUM_ARGS, is_local, launch  # noqa: F401
from tests.harness.site import LANGUAGES, ROOT, QuietHandler, build_site, serve  # noqa: F401


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    prebuilt = os.environ.get("NNBOOK_SITE_DIR")
    if prebuilt:
        return Path(prebuilt)
    dest = tmp_path_factory.mktemp("site")
    result = build_site(dest)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return dest


@pytest.fixture(scope="session")
def site_url(site_dir):
    server, url = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


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
