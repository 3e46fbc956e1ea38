"""The sites the browser benchmarks measure: built, assembled and served.

- ``prepare(args, scratch)``: the sites a benchmark measures (``add_site_arguments``:
  ``--site``, ``--before REF``, ``--before-worktree``, ``--before-site``, ``--build-runs``);
- ``build_current(dest)`` / ``build_before(worktree, dest)``: ``mkdocs build --strict`` of
  this checkout (through the test harness) or of another revision in its own git worktree
  (``before_worktree``: made with ``git worktree add --detach`` if missing, with ``.venv``
  and ``node_modules`` linked from this checkout and a ``.cache`` of its own, built with the
  old code's own command), each timed with the Pyodide runtime cache warm;
- ``official_runtime(dest)``: Pyodide 0.27.7 as a CDN serves it: the core of the npm
  package untouched, the official ``pyodide-lock.json``, and the official wheels of numpy
  and matplotlib's closure (from ``NNBOOK_PYODIDE_WHEELS`` or the PyPI package the build
  takes them from, ``site_scripts/runtime.py``), each checked against the official sha256;
- ``install_naive(root, ...)``: a copy of the naive page (benchmarks/naive/) with its
  ``config.js``;
- ``serve_site(root, cdn=...)``: the harness's plain static server, with a switch that
  drops every connection ("offline"), and, under a ``cdn`` prefix only, what jsDelivr
  does: ``.js``, ``.wasm`` and ``.json`` sent with ``Content-Encoding: gzip`` (level 9, the
  book's own compressor), wheels and zips as they are, everything ``Cache-Control:
  public, max-age=31536000, immutable``.

Not for: measuring (bench_browser.py, bench_demos.py) or building the runtime itself.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from site_scripts import precompress, runtime
from tests.harness.site import ROOT, QuietHandler, build_site, serve

NAIVE_DIR = Path(__file__).resolve().parent / "naive"
BENCH_CACHE = ROOT / ".cache" / "bench"
OFFICIAL_CORE = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
CDN_GZIP = (".js", ".wasm", ".json")
CDN_CACHE_CONTROL = "public, max-age=31536000, immutable"


class Unmeasured(RuntimeError):
    """Something could not be built or measured; the message says what and why."""


# --- the sites of a benchmark run --------------------------------------------------------

CHAPTER = "neural_networks/index.html"


def add_site_arguments(parser) -> None:
    parser.add_argument("--site", type=Path, default=os.environ.get("NNBOOK_SITE_DIR") or None,
                        help="measure this built site instead of building one (default: $NNBOOK_SITE_DIR)")
    parser.add_argument("--before", metavar="REF", help="also measure the site of this git revision, side by side")
    parser.add_argument("--before-worktree", type=Path, default=ROOT.parent / "wt-before", metavar="PATH",
                        help="its worktree (made with `git worktree add --detach` if missing; default ../wt-before)")
    parser.add_argument("--before-site", type=Path, help="the built site of --before (instead of building it)")
    parser.add_argument("--build-runs", type=int, default=None,
                        help="timed builds per site, median reported (default 1; 0 with --site / --before-site)")


def check_site_arguments(parser, args) -> None:
    if args.before_site and not args.before:
        parser.error("--before-site needs --before REF (the revision it was built from)")
    if args.build_runs is not None and args.build_runs < 0:
        parser.error("--build-runs must be >= 0")


def prepare(args, scratch: Path) -> tuple[Path, list[float], Path | None, list[float], str]:
    """(site, its build times, the --before site or None, its build times, its column label).

    A site is built here unless given (--site, --before-site); ``--build-runs`` builds
    (and times) it that many times anyway."""
    build, before_build = [], []
    site = args.site
    if site is not None and not (site / CHAPTER).is_file():
        raise Unmeasured(f"{site} has no {CHAPTER}: build the site first")
    runs = args.build_runs if args.build_runs is not None else (0 if site else 1)
    if site is None or runs:
        warm_runtime()
        print(f"building this checkout {max(runs, 1)} time(s), runtime cache warm …", flush=True)
        build, built = timed_builds(build_current, max(runs, 1), scratch, "site-after")
        site = site or built
    before_site, label = args.before_site, ""
    if args.before:
        worktree, commit = before_worktree(args.before, args.before_worktree)
        label = f"before ({args.before})" if commit.startswith(args.before) else f"before ({args.before}, {commit[:7]})"
        runs = args.build_runs if args.build_runs is not None else (0 if before_site else 1)
        if before_site is None or runs:
            warm_runtime(worktree)
            print(f"building {args.before} in {worktree} {max(runs, 1)} time(s), runtime cache warm …", flush=True)
            before_build, built = timed_builds(lambda d: build_before(worktree, d), max(runs, 1), scratch,
                                               "site-before")
            before_site = before_site or built
    return site, build, before_site, before_build, label


# --- building -------------------------------------------------------------------------


def warm_runtime(checkout: Path = ROOT) -> None:
    """Vendor the Pyodide runtime of ``checkout`` into its cache, so a build only copies it."""
    proc = subprocess.run([sys.executable, "-m", "site_scripts.runtime"], cwd=checkout,
                          capture_output=True, text=True, timeout=1800, env=_env())
    if proc.returncode != 0:
        raise Unmeasured(f"the Pyodide runtime of {checkout} could not be prepared:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")


def build_current(dest: Path) -> float:
    """Build this checkout into ``dest``; the seconds it took."""
    start = time.perf_counter()
    result = build_site(dest)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise Unmeasured(f"mkdocs build --strict failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def build_before(worktree: Path, dest: Path) -> float:
    """Build the revision checked out in ``worktree`` with its own code; the seconds it took."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=worktree, capture_output=True, text=True, timeout=900, env=_env())
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise Unmeasured(f"mkdocs build --strict of {worktree} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def timed_builds(build, runs: int, scratch: Path, name: str) -> tuple[list[float], Path]:
    """``runs`` builds into fresh directories (at least one); their times and the last site."""
    times, site = [], None
    for i in range(max(runs, 1)):
        site = scratch / f"{name}-{i}"
        times.append(build(site))
        if i < runs - 1:
            shutil.rmtree(site)
    return times[:runs] if runs else [], site


def _env() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _git(*args: str, cwd: Path = ROOT) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise Unmeasured(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def before_worktree(ref: str, path: Path) -> tuple[Path, str]:
    """A worktree of ``ref`` at ``path`` (made if missing), ready to build; (path, commit)."""
    commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    path = path.resolve()
    if path.exists():
        try:
            head = _git("rev-parse", "HEAD", cwd=path)
        except Unmeasured:
            head = None
        if head != commit:
            raise Unmeasured(f"{path} exists but is not a worktree at {ref} ({commit[:7]}): remove it "
                             f"(`git worktree remove {path}`) or name another one with --before-worktree")
    else:
        print(f"making a worktree of {ref} ({commit[:7]}) at {path} …", flush=True)
        _git("worktree", "add", "--detach", str(path), commit)
    for name in (".venv", "node_modules"):
        link = path / name
        if not link.exists() and not link.is_symlink():
            link.symlink_to(ROOT / name)
    # The wheels' source (77 MB from PyPI) is the same for every revision: share it.
    source = ROOT / ".cache" / "runtime" / "downloads" / runtime.PYPI_SOURCE_FILE
    seeded = path / ".cache" / "runtime" / "downloads" / runtime.PYPI_SOURCE_FILE
    if source.is_file() and not seeded.exists():
        seeded.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, seeded)
        except OSError:
            shutil.copyfile(source, seeded)
    return path, commit


# --- the official runtime (naive page, CDN column) -------------------------------------


def official_runtime(dest: Path) -> Path:
    """Write Pyodide 0.27.7's official files for numpy and matplotlib into ``dest``."""
    npm = ROOT / "node_modules" / "pyodide"
    dest.mkdir(parents=True, exist_ok=True)
    for name in OFFICIAL_CORE:
        data = (npm / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != runtime.CORE_FILES[name]:
            raise Unmeasured(f"node_modules/pyodide/{name} is not the pinned Pyodide {runtime.PYODIDE_VERSION} file: run `npm ci`")
        (dest / name).write_bytes(data)
    lock = json.loads((npm / runtime.LOCK).read_text())
    names = runtime.dependency_closure(lock["packages"], runtime.PACKAGES)
    read = _wheel_source()
    for name in names:
        spec = lock["packages"][name]
        data = read(spec["file_name"])
        if data is None:
            raise Unmeasured(f"{spec['file_name']} is not in the wheel source: set {runtime.WHEEL_SOURCE_ENV} "
                             f"to a directory of the Pyodide {runtime.PYODIDE_VERSION} wheels")
        if hashlib.sha256(data).hexdigest() != spec["sha256"]:
            raise Unmeasured(f"{spec['file_name']}: sha256 differs from the official lock")
        (dest / spec["file_name"]).write_bytes(data)
    return dest


def _wheel_source():
    folder = os.environ.get(runtime.WHEEL_SOURCE_ENV)
    if folder:
        found = {p.name: p for p in Path(folder).rglob("*.whl")}
        return lambda name: found[name].read_bytes() if name in found else None
    try:
        archive = zipfile.ZipFile(runtime._fetch_pypi_source(ROOT / ".cache" / "runtime"))
    except runtime.RuntimeVendorError as error:
        raise Unmeasured(str(error)) from None
    members = set(archive.namelist())
    prefix = runtime.PYPI_SOURCE_WHEEL_DIR
    return lambda name: archive.read(prefix + name) if prefix + name in members else None


def gzip_copies(folder: Path) -> dict[str, bytes]:
    """{absolute path: gzip bytes} of the .js, .wasm and .json files under ``folder``,
    made once (level 9, cached in .cache/bench/gz by sha256) and checked to inflate back."""
    cache = BENCH_CACHE / "gz"
    cache.mkdir(parents=True, exist_ok=True)
    copies = {}
    for path in sorted(folder.rglob("*")):
        if not (path.is_file() and path.suffix in CDN_GZIP):
            continue
        data = path.read_bytes()
        cached = cache / f"{hashlib.sha256(data).hexdigest()}.gz"
        if not cached.is_file():
            cached.with_suffix(".tmp").write_bytes(precompress.gzip_bytes(data))
            cached.with_suffix(".tmp").rename(cached)
        packed = cached.read_bytes()
        precompress.check_copy(data, packed, path.name)
        copies[str(path.resolve())] = packed
    return copies


# --- the naive page ---------------------------------------------------------------------


def install_naive(dest: Path, index_url: str, packages: list[str], wheels: list[str]) -> None:
    """A copy of the naive page at ``dest`` that loads Pyodide from ``index_url``."""
    shutil.copytree(NAIVE_DIR, dest)
    config = {"indexURL": index_url, "packages": packages, "wheels": wheels}
    (dest / "config.js").write_text(f"window.NAIVE_CONFIG = {json.dumps(config)};\n")


def linked_root(site: Path, dest: Path) -> Path:
    """A directory that serves ``site`` (its entries linked, nothing written into it)."""
    dest.mkdir(parents=True)
    for entry in site.iterdir():
        (dest / entry.name).symlink_to(entry.resolve())
    return dest


# --- serving --------------------------------------------------------------------------


class BenchHandler(QuietHandler):
    """The plain static handler; an offline switch; CDN behaviour under ``server.cdn``."""

    def handle(self):
        if self.server.offline:
            self.server.refused += 1
            return
        super().handle()

    def send_head(self):
        self._cdn = bool(self.server.cdn_prefix) and self.path.split("?", 1)[0].startswith(self.server.cdn_prefix)
        if self._cdn:
            path = str(Path(self.translate_path(self.path)).resolve())
            packed = self.server.gzipped.get(path)
            if packed is not None and "gzip" in self.headers.get("Accept-Encoding", ""):
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(packed)))
                self.send_header("Vary", "Accept-Encoding")
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                return io.BytesIO(packed)
        return super().send_head()

    def end_headers(self):
        if getattr(self, "_cdn", False):
            self.send_header("Cache-Control", CDN_CACHE_CONTROL)
        super().end_headers()


def serve_site(root: Path, cdn_prefix: str = "", gzipped: dict[str, bytes] | None = None):
    """Serve ``root`` on 127.0.0.1; (server, base URL). ``server.offline = True`` cuts it off."""
    server, url = serve(root, BenchHandler)
    server.offline, server.refused = False, 0
    server.cdn_prefix, server.gzipped = cdn_prefix, gzipped or {}
    return server, url

