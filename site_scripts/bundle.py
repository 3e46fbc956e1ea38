"""The book's browser code, bundled by esbuild from the ES modules in ``site_scripts/web/``.

What it is for: ``bundle_web(cache_root)`` returns a folder holding what the site publishes
under ``assets/nnbook/``:

- ``nnbook.js``: the page's script (``web/main.js``: cells, demos, exercises, search, the
  client of the page's Python), one classic script, first in every page's ``<head>``;
- ``worker.js``: the Python worker (``web/worker/main.js``);
- ``editor.js``: the code editor (CodeMirror 6, ``web/editor/codemirror.js``), an ES module
  the page imports with its first editor;
- ``sw.js``: the service worker (``web/sw.js``), published at the site root;
- the stylesheets of ``web/styles/``.

Bundles are rebuilt only when a file of ``web/`` or ``package-lock.json`` (which pins
CodeMirror and esbuild) changes.

Not for: what the code does (``site_scripts/web/``) or other vendored files (vendor.py).
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = Path(__file__).resolve().parent / "web"
LOCK = ROOT / "package-lock.json"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
# (entry, output name, format)
BUNDLES = (
    ("main.js", "nnbook.js", "iife"),
    ("worker/main.js", "worker.js", "iife"),
    ("editor/codemirror.js", "editor.js", "esm"),
)
COPIED = ("sw.js",)
STYLES = WEB / "styles"


class BundleError(RuntimeError):
    """esbuild could not bundle the browser code; the message says why."""


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(WEB.rglob("*")) + [LOCK]:
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def bundle_web(cache_root: Path) -> Path:
    """The folder of bundled scripts and styles, built if its inputs changed."""
    out = Path(cache_root) / "web"
    stamp = out / ".inputs.sha256"
    wanted = inputs_hash()
    if stamp.is_file() and stamp.read_text().strip() == wanted:
        return out
    if not ESBUILD.is_file():
        raise BundleError(f"the book's scripts need esbuild from node_modules, but {ESBUILD} is missing: "
                          "run `npm ci` in the project root")
    stage = out.with_name("web.tmp")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    for entry, name, fmt in BUNDLES:
        result = subprocess.run(
            [str(ESBUILD), str(WEB / entry), "--bundle", "--minify", f"--format={fmt}", "--target=es2022",
             "--log-level=warning", "--legal-comments=none", f"--outfile={stage / name}"],
            cwd=ROOT, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BundleError(f"esbuild could not bundle site_scripts/web/{entry}:\n{result.stderr}")
    for name in COPIED:
        shutil.copyfile(WEB / name, stage / name)
    for css in sorted(STYLES.glob("*.css")):
        shutil.copyfile(css, stage / css.name)
    (stage / ".inputs.sha256").write_text(wanted + "\n")
    shutil.rmtree(out, ignore_errors=True)
    stage.rename(out)
    return out


if __name__ == "__main__":
    print(bundle_web(ROOT / ".cache"))
