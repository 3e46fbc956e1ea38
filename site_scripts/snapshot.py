"""A memory snapshot of a started Python, for the visits after the first.

What it is for: ``write_snapshot(runtime_dir, cache)`` starts Pyodide in Node from the
runtime the build assembled (``site_scripts/web/snapshot.cjs``), imports what the kernel
needs from the standard library and the kernel itself, and writes ``snapshot.bin`` next to
the runtime. On a visit the service worker serves, the page's worker restores it
(about 0.3 s) instead of starting Python (about 1 s); numpy and nnbook load after the
restore, as binary packages cannot be in a snapshot.

A snapshot fits one build only: the same Pyodide core and the same ``python_stdlib.zip``
(imported modules keep offsets into it). So the file starts with a header of its own:
``NNBOOKSNAP2``, the sha256 of the standard library and of the lock it was made with (the
lock names the kernel wheel whose modules it holds). It is published
gzipped only (``snapshot.bin.gz``: 4 MB for 21), kept so by the service worker, and
inflated by the page's worker, which
compares the header with the library it fetched, and starts Python the normal way when
they differ, when the snapshot is missing, or when it does not restore.

What it is not: the restore (``site_scripts/web/worker/start.js``) or caching (the build's
runtime cache holds the snapshot under the hash of everything it was made from).
"""
from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.nnbook.snapshot")

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "web" / "snapshot.cjs"
FILE = "snapshot.bin"
MAGIC = b"NNBOOKSNAP2\0"
HEADER = len(MAGIC) + 64
# What the snapshot has imported: the standard library the kernel uses, and the kernel.
MODULES = ("ast", "asyncio", "json", "tokenize", "traceback", "linecache", "inspect", "dataclasses",
           "base64", "contextlib", "nnbook_kernel.runner")
PACKAGES = (ROOT / "site_scripts" / "kernel" / "nnbook_kernel",)
# Bump when what goes into the snapshot changes.
KEY = f"4:{','.join(MODULES)}:{hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:16]}"


class SnapshotError(RuntimeError):
    """The snapshot could not be made; the message says why."""


def header(stdlib: bytes, lock: bytes) -> bytes:
    """The snapshot's own header: what it was made with, for the worker to compare."""
    return MAGIC + hashlib.sha256(stdlib).digest() + hashlib.sha256(lock).digest()


def write_snapshot(runtime: Path, cache: Path) -> Path:
    """Write ``runtime/snapshot.bin``, made from the files in ``runtime`` (cached)."""
    stdlib = (runtime / "python_stdlib.zip").read_bytes()
    inputs = hashlib.sha256()
    for name in ("pyodide.asm.wasm", "pyodide.asm.js", "pyodide.js", "python_stdlib.zip", "pyodide-lock.json"):
        inputs.update(hashlib.sha256((runtime / name).read_bytes()).digest())
    for wheel in sorted(runtime.glob("nnbook_kernel-*.whl")):
        inputs.update(hashlib.sha256(wheel.read_bytes()).digest())
    inputs.update(KEY.encode())
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / f"{inputs.hexdigest()[:16]}.bin"
    if not cached.is_file():
        node = shutil.which("node")
        if node is None:
            raise SnapshotError("making the memory snapshot needs Node.js (`node`), which is not on PATH")
        log.info("Making the memory snapshot of a started Python")
        raw = cache / "raw.tmp"
        proc = subprocess.run([node, str(SCRIPT), str(runtime), str(raw), ",".join(MODULES), ",".join(map(str, PACKAGES))],
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0 or not raw.is_file():
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-10:])
            raise SnapshotError(f"Node could not make the memory snapshot:\n{tail}")
        for old in cache.glob("*.bin"):
            old.unlink()
        tmp = cache / "snapshot.tmp"
        tmp.write_bytes(header(stdlib, (runtime / "pyodide-lock.json").read_bytes()) + raw.read_bytes())
        raw.unlink()
        tmp.rename(cached)
    dest = runtime / FILE
    shutil.copyfile(cached, dest)
    return dest
