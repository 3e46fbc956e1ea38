"""Bundle the live cells' code editor (CodeMirror 6) into one browser script.

``bundle_editor(cache_root)`` runs esbuild on ``site_scripts/editor/editor.js`` and
returns the bundled file ``<cache_root>/editor/editor.js``; the build copies it to
``assets/nnbook/vendor/editor.js``. The bundle is rebuilt only when the entry file or
``package-lock.json`` (which pins CodeMirror and esbuild) changes.

Not for: the cells' behaviour (``docs/assets/nnbook/cells.js``) or other vendored files.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = Path(__file__).resolve().parent / "editor" / "editor.js"
LOCK = ROOT / "package-lock.json"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


def _inputs_hash() -> str:
    digest = hashlib.sha256()
    for path in (ENTRY, LOCK):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def bundle_editor(cache_root: Path) -> Path:
    """Return the bundled editor script, building it if its inputs changed."""
    out_dir = Path(cache_root) / "editor"
    bundle = out_dir / "editor.js"
    stamp = out_dir / "inputs.sha256"
    wanted = _inputs_hash()
    if bundle.is_file() and stamp.is_file() and stamp.read_text().strip() == wanted:
        return bundle
    if not ESBUILD.is_file():
        raise RuntimeError(
            f"the code editor needs esbuild and CodeMirror from node_modules, but {ESBUILD} "
            "is missing: run `npm ci` in the project root"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [str(ESBUILD), str(ENTRY), "--bundle", "--minify", "--format=iife",
         "--log-level=warning", f"--outfile={bundle}"],
        cwd=ROOT, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"esbuild could not bundle {ENTRY.name}:\n{result.stderr}")
    stamp.write_text(wanted + "\n")
    return bundle


if __name__ == "__main__":
    print(bundle_editor(ROOT / ".cache"))
