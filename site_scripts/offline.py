"""The list of files the service worker (``site_scripts/web/sw.js``) keeps for offline reading.

What it is for: after the build, ``write_manifest(site)`` writes ``sw-manifest.js`` at
the site root: every file a reader may need offline (pages of every language, assets,
figures, the search index, MathJax, the Python runtime and all its wheels) with its
sha256. A new build with any changed file writes a different manifest, which makes
browsers install the service worker again; it then fetches only the changed files.

What it is not: the caching itself (``site_scripts/web/sw.js``). It is a ``.js`` file, not JSON,
because browsers look for updates of a service worker in the scripts it imports.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import precompress
from .runtime import sha256_file

MANIFEST = "sw-manifest.js"
# Not kept: the service worker itself, compressed copies (the worker stores the inflated
# file), the sitemaps, Pyodide's ES-module loader (the book uses pyodide.js) and MathJax's
# speech rules (3.9 MB, loaded only by its accessibility menu).
SKIPPED_NAMES = {"sw.js", MANIFEST, "sitemap.xml", "pyodide.mjs"}
SKIPPED_SUFFIXES = (".gz", ".map")
SKIPPED_DIRS = ("assets/vendor/mathjax/sre/",)


KEPT_GZIPPED = ("pyodide/snapshot.bin.gz",)  # kept as it is: the worker inflates it


def kept(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    if rel in KEPT_GZIPPED:
        return True
    return not (name in SKIPPED_NAMES or name.endswith(SKIPPED_SUFFIXES) or rel.startswith(SKIPPED_DIRS))


def write_manifest(site: Path, gzipped: list[str] | None = None, build: str = "") -> Path:
    """Write sw-manifest.js; ``gzipped``: files the service worker fetches as their .gz copy;
    ``build``: the version the book's own asset URLs carry (?v=)."""
    files = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and kept(rel):
            files[rel] = sha256_file(path)
    wanted = gzipped if gzipped is not None else [f"pyodide/{name}" for name in precompress.COMPRESSED]
    gzipped = [name for name in wanted if name in files and (site / f"{name}{precompress.SUFFIX}").is_file()]
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    data = {"version": version, "build": build, "files": files, "gzipped": gzipped}
    text = f"self.NNBOOK_MANIFEST = {json.dumps(data, indent=0, sort_keys=True)};\n"
    dest = site / MANIFEST
    if not dest.is_file() or dest.read_text() != text:
        dest.write_text(text)
    return dest
