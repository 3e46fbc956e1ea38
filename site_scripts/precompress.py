"""Gzip copies of the big runtime files, for static hosts that send files uncompressed.

What it is for: the Pyodide core is mostly ``pyodide.asm.wasm`` (10 MB, 3 MB gzipped)
and ``pyodide.asm.js`` (1.3 MB, 0.2 MB gzipped). A plain static host sends them as
they are, so the build publishes ``<name>.gz`` next to each; the page's worker
(``docs/assets/nnbook/worker.js``) fetches the ``.gz`` and inflates it with the
browser's ``DecompressionStream``, and falls back to the plain file when it cannot.
Each copy is checked: inflated, it must give back the original bytes exactly.

What it is not: a general compressor. Wheels and ``python_stdlib.zip`` are zip
files already (gzip saves under 2 %), so they are published as they are.
"""
from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

# The files worker.js asks for as ``.gz`` (keep the two lists the same).
COMPRESSED = ("pyodide.asm.wasm",)
SUFFIX = ".gz"


class PrecompressError(RuntimeError):
    """A gzip copy does not inflate to the original bytes."""


def gzip_bytes(data: bytes) -> bytes:
    # mtime=0 and no file name: the same input always gives the same bytes.
    return gzip.compress(data, compresslevel=9, mtime=0)


def check_copy(original: bytes, compressed: bytes, name: str) -> None:
    want = hashlib.sha256(original).hexdigest()
    got = hashlib.sha256(gzip.decompress(compressed)).hexdigest()
    if got != want:
        raise PrecompressError(
            f"{name}{SUFFIX} inflates to sha256 {got}, not {want} (the bytes of {name}): "
            f"delete the cached copy under .cache/runtime/gz/ and rebuild"
        )


def write_copies(directory: Path, cache: Path, names: tuple[str, ...] = COMPRESSED) -> list[Path]:
    """Write ``<name>.gz`` next to each of ``names`` in ``directory``; return the new paths.

    Compressing 10 MB at level 9 takes seconds, so copies are kept in ``cache`` under
    the sha256 of their original and reused; every copy is checked before it is used.
    """
    cache.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        original = (directory / name).read_bytes()
        cached = cache / f"{hashlib.sha256(original).hexdigest()}{SUFFIX}"
        if not cached.is_file():
            tmp = cached.with_suffix(".tmp")
            tmp.write_bytes(gzip_bytes(original))
            tmp.rename(cached)
        compressed = cached.read_bytes()
        check_copy(original, compressed, name)
        dest = directory / f"{name}{SUFFIX}"
        shutil.copyfile(cached, dest)
        written.append(dest)
    return written
