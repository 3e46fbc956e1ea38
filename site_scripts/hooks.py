"""MkDocs hooks of the book: one job per event.

- ``on_config`` checks that the Markdown extensions the book relies on are enabled.
- ``on_pre_build`` (re)draws the figures into ``docs/<lang>/figures/``.
- ``on_page_markdown`` turns ```python cell``` fences into live cells and marks
  pages shown in English because their translation is missing.
- ``on_post_page`` tells the page's scripts where the site root is, loads boot.js
  early in the ``<head>`` (it starts the page's Python at once), and drops the
  ``<link rel="alternate">`` tags from which Material would fetch a ``sitemap.xml``
  next to every translated page (there is one sitemap, at the root; the language
  menu's own links already lead to the same page in each language), and makes the
  menu's root-absolute links (``/fr/``) relative, so the site works under any path.
- ``on_post_build`` publishes the vendored files: MathJax, the editor, the runtime;
  then the list of files the service worker keeps for offline reading.

mkdocs-static-i18n runs a whole build per language, so every hook here is
idempotent and cheap to repeat.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads this file by path, not as a package
    sys.path.append(str(ROOT))

from mkdocs.plugins import event_priority  # noqa: E402

from site_scripts import cells, offline, vendor  # noqa: E402

CACHE = ROOT / ".cache"
REQUIRED_EXTENSIONS = {
    "pymdownx.superfences": "live cells and code blocks",
    "pymdownx.arithmatex": "the chapter's equations (with `generic: true`)",
    "md_in_html": "figures with captions and reading cards",
    "attr_list": "reading cards",
}
FALLBACK_NOTICE = {
    "fr": "Cette page n’est pas encore traduite en français : vous lisez la version anglaise.",
    "es": "Esta página aún no está traducida al español: está leyendo la versión en inglés.",
    "zh": "本页尚未翻译成中文，您正在阅读英文版本。",
}
DEFAULT_LANGUAGE = "en"

_figures_key: str | None = None


def on_config(config, **kwargs):
    for name, purpose in REQUIRED_EXTENSIONS.items():
        if name not in config["markdown_extensions"]:
            raise ValueError(
                f"the book needs the Markdown extension '{name}' for {purpose}: "
                f"add `- {name}` under `markdown_extensions` in mkdocs.yml"
            )
    return config


def _figure_inputs_key() -> str:
    """A fingerprint of everything the figures are drawn from."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "site_scripts").glob("figure*.py")) + sorted((ROOT / "nnbook").rglob("*"))
    for path in sources:
        if path.is_file() and "__pycache__" not in path.parts:
            st = path.stat()
            digest.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def on_pre_build(config, **kwargs):
    global _figures_key
    key = _figure_inputs_key() + config["docs_dir"]
    if key == _figures_key:
        return
    from site_scripts import figures

    figures.write_figures(Path(config["docs_dir"]))
    _figures_key = key


def on_page_markdown(markdown, page, config, files, **kwargs):
    markdown = cells.render_cells(markdown, name=page.file.src_uri)
    language = config["theme"]["language"]
    page_language = page.file.src_uri.split("/", 1)[0]
    if language != DEFAULT_LANGUAGE and page_language != language:
        notice = FALLBACK_NOTICE.get(language, FALLBACK_NOTICE["fr"])
        markdown = (
            f'<div class="admonition warning nnbook-fallback" data-nnbook-fallback="{language}" lang="{language}">'
            f'<p class="admonition-title">{notice}</p></div>\n\n' + markdown
        )
    return markdown


ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
ABSOLUTE_LANGUAGE_LINK = re.compile(r'<a href="/([^"]*)" hreflang="')


PYTHON_PAGE = re.compile(r'data-nnbook-(?:cell|demo)="')


def on_post_page(output, page, config, **kwargs):
    depth = page.url.count("/")
    root = posixpath.join(*([".."] * depth)) + "/" if depth else "./"
    meta = f'<meta name="nnbook-root" content="{root}">'
    # boot.js starts the page's Python before the page's other scripts, and the offline
    # copy; not async: it must run before cells.js, which takes its worker over.
    python = " data-nnbook-python" if PYTHON_PAGE.search(output) else ""
    boot = f'<script src="{root}assets/nnbook/boot.js"{python}></script>'
    output = ALTERNATE_LINK.sub("", output)
    output = ABSOLUTE_LANGUAGE_LINK.sub(lambda m: f'<a href="{root}{m.group(1)}" hreflang="', output)
    return output.replace("</head>", f"{meta}\n{boot}\n</head>", 1)


@event_priority(-100)  # after the other plugins: the manifest lists what they wrote too
def on_post_build(config, **kwargs):
    site = Path(config["site_dir"])
    vendor.publish_mathjax(site)
    from site_scripts import editor_bundle, runtime

    vendor.publish(editor_bundle.bundle_editor(CACHE), site / "assets" / "nnbook" / "vendor" / "editor.js")
    vendor.publish(runtime.ensure_runtime(CACHE), site / "pyodide")
    offline.write_manifest(site)  # last: it lists every file above
