"""Publish vendored front-end files (MathJax, the editor bundle, the runtime) into the site.

Everything here comes from pinned packages (``package.json`` / ``package-lock.json``,
whose integrity hashes ``npm ci`` checks) or from the runtime cache. Files are
hard-linked when possible, so a rebuild that finds them already in place costs
only a few ``stat`` calls.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"

# MathJax 3: the TeX-to-HTML component, its fonts, and the parts it loads on demand
# (TeX extensions, the accessibility menu and speech rule engine).
MATHJAX_PARTS = (
    "tex-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
    "sre",
)


def require_node_package(name: str) -> Path:
    """Path of an installed npm package, or an error that says how to install it."""
    path = NODE_MODULES / name
    if not (path / "package.json").is_file():
        raise FileNotFoundError(
            f"the npm package '{name}' is missing from node_modules; run `npm ci` in the "
            "repository root (or `make site`) to install the pinned front-end packages"
        )
    return path


def publish(src: Path, dest: Path) -> int:
    """Mirror file or folder ``src`` at ``dest``; return how many files were (re)written."""
    if src.is_dir():
        return sum(publish(child, dest / child.name) for child in sorted(src.iterdir()))
    st = src.stat()
    try:
        if dest.stat().st_size == st.st_size and dest.stat().st_mtime_ns == st.st_mtime_ns:
            return 0
        dest.unlink()
    except FileNotFoundError:
        dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:  # another filesystem: copy, keeping the mtime for the check above
        shutil.copy2(src, dest)
    return 1


def publish_mathjax(site_dir: Path) -> int:
    mathjax = require_node_package("mathjax") / "es5"
    dest = site_dir / "assets" / "vendor" / "mathjax"
    return sum(publish(mathjax / part, dest / part) for part in MATHJAX_PARTS)
