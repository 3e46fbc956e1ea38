"""Give Pyodide's matplotlib a font list it accepts, so its first import does not rescan fonts.

What it is for: Pyodide patches matplotlib to read its font list from
``matplotlib/fontlist.json`` inside the package. The file in the Pyodide 0.27.7
wheel of matplotlib 3.8.4 was written by a newer matplotlib (``_version`` 390,
with the build machine's system fonts), so 3.8.4 (which wants 330) throws it
away and rebuilds the list on every page load, printing "Matplotlib is building
the font cache; this may take a moment." to stderr, i.e. into a cell's output.
The list depends only on the fonts inside the wheel, so the build computes it
once with the same matplotlib version on the host, from the wheel's own fonts,
and puts it in the wheel in place of the stale one. The same file is also
published next to the wheels as ``fontlist-v330.json`` for a front end that
installs it itself.

What it is not: a font installer. Paths of fonts shipped with matplotlib are
stored relative to ``mpl-data``, as matplotlib itself does; matplotlib rebuilds
the list if a font is missing.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import importlib.metadata
import json
import logging
import shutil
import tempfile
import zipfile
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.nnbook.fontcache")

FORMAT = 1
MEMBER = "matplotlib/fontlist.json"


def _host_matplotlib() -> str | None:
    try:
        return importlib.metadata.version("matplotlib")
    except importlib.metadata.PackageNotFoundError:
        return None


# Part of the runtime cache key (cheap: no matplotlib import).
KEY = f"{FORMAT}-{_host_matplotlib()}"


def fix_fontlist(wheel: Path) -> str | None:
    """Replace ``matplotlib/fontlist.json`` in the matplotlib ``wheel``; return its text.

    Leaves the wheel alone and returns None (saying so in the log) when the
    host's matplotlib is not the wheel's version: the browser then builds the
    list as before.
    """
    wheel_version = wheel.name.split("-")[1]
    if _host_matplotlib() != wheel_version:
        log.info(
            "Not fixing matplotlib's font list: the build needs matplotlib==%s (found %s); "
            "the browser will rebuild the list on first use",
            wheel_version, _host_matplotlib(),
        )
        return None
    text = build_fontlist(wheel)
    _replace_member(wheel, MEMBER, text.encode())
    return text


def build_fontlist(wheel: Path) -> str:
    """The font list matplotlib would build in Pyodide, as JSON text."""
    from matplotlib import font_manager

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as archive:
        prefix = "matplotlib/mpl-data/"
        archive.extractall(tmp, [n for n in archive.namelist() if n.startswith(prefix + "fonts/")])
        data_path = Path(tmp, prefix)
        fm = _font_manager(font_manager, data_path)
        return json.dumps(_encode(fm, data_path), indent=2, sort_keys=True)


def _font_manager(font_manager, data_path: Path):
    # FontManager.__init__'s steps over the wheel's fonts only: Pyodide has no
    # system fonts and no fontconfig.
    fm = font_manager.FontManager.__new__(font_manager.FontManager)
    fm._version = font_manager.FontManager.__version__
    fm._FontManager__default_weight = "normal"
    fm.default_size = None
    fm.defaultFamily = {"ttf": "DejaVu Sans", "afm": "Helvetica"}
    fm.afmlist, fm.ttflist = [], []
    paths = [str(data_path / "fonts" / sub) for sub in ("ttf", "afm", "pdfcorefonts")]
    for fontext in ("afm", "ttf"):
        for path in sorted(font_manager.findSystemFonts(paths, fontext=fontext)):
            fm.addfont(path)
    return fm


def _encode(fm, data_path: Path) -> dict:
    # matplotlib's own JSON layout (font_manager._JSONEncoder).
    def entry(e) -> dict:
        d = dict(dataclasses.asdict(e), __class__="FontEntry")
        d["fname"] = Path(d["fname"]).relative_to(data_path).as_posix()
        return d

    d = dict(fm.__dict__, __class__="FontManager")
    d["ttflist"] = [entry(e) for e in fm.ttflist]
    d["afmlist"] = [entry(e) for e in fm.afmlist]
    return d


def _replace_member(wheel: Path, member: str, data: bytes) -> None:
    """Rewrite ``wheel`` with ``member`` set to ``data``, its RECORD line updated."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record_line = f"{member},sha256={digest},{len(data)}"
    tmp = wheel.with_name(wheel.name + ".tmp")
    with zipfile.ZipFile(wheel) as zin, zipfile.ZipFile(tmp, "w") as zout:
        names = zin.namelist()
        for info in zin.infolist():
            if info.filename == member:
                continue
            content = zin.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = [ln for ln in content.decode().splitlines() if not ln.startswith(member + ",")]
                content = ("\n".join([*lines, record_line]) + "\n").encode()
            zout.writestr(info, content)
        new = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
        new.compress_type = zipfile.ZIP_DEFLATED
        new.external_attr = 0o644 << 16
        zout.writestr(new, data)
    if member not in names:
        log.info("%s had no %s; added it", wheel.name, member)
    shutil.move(tmp, wheel)
