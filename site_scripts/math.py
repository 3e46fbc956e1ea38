"""The chapter's equations, typeset at build time: no TeX engine runs on the page.

What it is for: ``pymdownx.arithmatex`` (generic mode) writes each equation as
``<span class="arithmatex">\\(...\\)</span>`` or ``<div class="arithmatex">\\[...\\]</div>``;
``MathRenderer.render_page(html)`` replaces each by MathJax's CommonHTML output (with
MathML for screen readers), typeset by Node (``site_scripts/web/tex.cjs``, MathJax 3 from
``mathjax-full``, pinned in package-lock.json). Results are cached under ``.cache/math`` by
their TeX, so a rebuild starts no Node at all. ``stylesheet()`` gives the CSS those
formulas need (their glyphs, from MathJax's fonts, which the build publishes).

What it is not: the demos' formulas, which change with the reader's numbers and are
typeset on the page, lazily (``site_scripts/web/demos/math.js``).
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "web" / "tex.cjs"
FONTS = "../vendor/mathjax/output/chtml/fonts/woff-v2"  # from assets/nnbook/math.css
MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])\s*</(?P=tag)>',
    re.S,
)


class MathError(RuntimeError):
    """An equation MathJax could not typeset; the message names it."""


class MathRenderer:
    def __init__(self, cache: Path):
        # Cached by TeX and by what typesets it (this script, MathJax's locked version, the
        # fonts' path): a change in any of them typesets everything again.
        version = json.loads((ROOT / "node_modules" / "mathjax-full" / "package.json").read_text()).get("version", "?") \
            if (ROOT / "node_modules" / "mathjax-full" / "package.json").is_file() else "?"
        self.key = hashlib.sha256(SCRIPT.read_bytes() + version.encode() + FONTS.encode()).hexdigest()[:12]
        self.cache = Path(cache) / "math" / self.key
        self.cache.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen | None = None
        self.seen: dict[tuple[str, bool], None] = {}

    def _node(self) -> subprocess.Popen:
        if self.process is None:
            node = shutil.which("node")
            if node is None:
                raise MathError("typesetting the equations needs Node.js (`node`), which is not on PATH")
            if not (ROOT / "node_modules" / "mathjax-full").is_dir():
                raise MathError("typesetting the equations needs mathjax-full: run `npm ci` at the repository root")
            self.process = subprocess.Popen(
                [node, str(SCRIPT), FONTS], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )
        return self.process

    def _ask(self, request: dict) -> dict:
        node = self._node()
        assert node.stdin and node.stdout
        node.stdin.write(json.dumps(request) + "\n")
        node.stdin.flush()
        line = node.stdout.readline()
        if not line:
            raise MathError("the MathJax process ended unexpectedly")
        return json.loads(line)

    def typeset(self, tex: str, display: bool) -> str:
        self.seen[(tex, display)] = None
        key = hashlib.sha256(json.dumps([tex, display]).encode()).hexdigest()
        cached = self.cache / f"{key}.html"
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
        reply = self._ask({"tex": tex, "display": display})
        if "error" in reply:
            raise MathError(f"MathJax cannot typeset {tex!r}: {reply['error']}")
        if "data-mjx-error" in reply["html"]:
            error = re.search(r'data-mjx-error="([^"]*)"', reply["html"])
            raise MathError(f"the equation {tex!r} has a TeX error: {html.unescape(error.group(1)) if error else '?'}")
        cached.write_text(reply["html"], encoding="utf-8")
        return reply["html"]

    def render_page(self, page_html: str, where: str = "") -> str:
        def replace(m: re.Match) -> str:
            display = m["display"] is not None
            tex = html.unescape(m["display"] if display else m["inline"]).strip()
            try:
                rendered = self.typeset(tex, display)
            except MathError as error:
                raise MathError(f"{where}: {error}") from None
            tag = "div" if display else "span"
            # The TeX stays with it, for copying and for the tests that compare equations.
            return f'<{tag} class="arithmatex nnbook-math" data-nnbook-tex="{html.escape(tex)}">{rendered}</{tag}>'

        return MATH.sub(replace, page_html)

    def stylesheet(self) -> str:
        """The CSS of every formula typeset by this renderer (cached by that set)."""
        items = [{"tex": tex, "display": display} for tex, display in sorted(self.seen)]
        key = hashlib.sha256(json.dumps(items).encode()).hexdigest()
        cached = self.cache / f"{key}.css"
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
        reply = self._ask({"css": items})
        if "error" in reply:
            raise MathError(f"MathJax could not write the equations' styles: {reply['error']}")
        cached.write_text(reply["css"], encoding="utf-8")
        return reply["css"]

    def close(self) -> None:
        if self.process is not None:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process = None
