"""Debian's Chromium through Playwright, as the tests and benchmarks drive it.

The book's pages carry a Content-Security-Policy without 'unsafe-eval', so Playwright's
``wait_for_function`` and ``add_script_tag`` (which evaluate code inside the page) are
refused there. ``wait_for`` polls ``page.evaluate`` (DevTools' own evaluation) instead,
and ``inject`` runs a script file the same way.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlparse

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


def launch(playwright, **kwargs):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **kwargs)


def launch_persistent(playwright, profile: Path, **kwargs):
    return playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM,
                                                         args=CHROMIUM_ARGS, **kwargs)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


def wait_for(page, expression: str, arg=None, timeout: float = 90.0, interval: float = 0.05):
    """Poll ``expression`` (JavaScript; a function if ``arg`` is given) until it is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg) if arg is not None else page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for: {expression[:200]}")
        time.sleep(interval)


def inject(page, path: Path) -> None:
    """Run a script file in the page (axe-core, for instance), CSP or not."""
    page.evaluate(path.read_text(encoding="utf-8") + "\n;undefined")


def strings(page) -> dict:
    """The page's UI strings, as the build put them in its config."""
    return page.evaluate("JSON.parse(document.getElementById('nnbook-config').textContent).strings")


def t(page, key: str, **values) -> str:
    """One UI string of the page, e.g. t(page, "cells.stopped"), filled in."""
    node = strings(page)
    for part in key.split("."):
        node = node[part]
    for name, value in values.items():
        node = node.replace("{" + name + "}", str(value))
    return node


def marks(page) -> dict[str, float]:
    """The book's performance marks (ms since navigation): worker-created, ready, ..."""
    entries = page.evaluate("performance.getEntriesByType('mark').filter(m => m.name.startsWith('nnbook:'))"
                            ".map(m => [m.name.slice(7), m.startTime])")
    found: dict[str, float] = {}
    for name, start in entries:
        found.setdefault(name, start)
    return found


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
