"""The book as a reader gets it: built with ``mkdocs build --strict``, served by a plain
static server on 127.0.0.1 (no special headers, like the simplest static host).

``LANGUAGES`` (language -> URL prefix) comes from mkdocs.yml, the only place the book's
languages are written.
"""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]


def book_languages(config: Path = ROOT / "mkdocs.yml") -> dict[str, str]:
    """{language: URL prefix}, the default language first (prefix ""), from mkdocs.yml."""
    from site_scripts.plugin import languages_in

    return languages_in(config)


LANGUAGES = book_languages()


def build_site(dest: Path, config: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` into ``dest`` and return the finished process."""
    config = config or ROOT / "mkdocs.yml"
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest), "-f", str(config)]
    return subprocess.run(cmd, cwd=config.parent, capture_output=True, text=True, timeout=900)


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
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that cancels a download (a test that ends, a page that navigates
        # away) resets the connection: expected, and no reason to print a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def serve(directory: Path, handler=QuietHandler) -> tuple[QuietServer, str]:
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
