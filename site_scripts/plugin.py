"""The ``nnbook`` MkDocs plugin: live Python cells, demos and exercises in a MkDocs book.

Add it to a book's ``mkdocs.yml`` (with ``pymdownx.superfences`` and, for equations,
``pymdownx.arithmatex`` in generic mode)::

    plugins:
      - search
      - nnbook:
          packages: [numpy, nnbook]      # loaded when Python starts
          preload: [matplotlib]          # loaded once Python is idle, if a cell uses it
      - i18n: ...                        # mkdocs-static-i18n: the book's languages

Every option, with its default, is in ``NnbookConfig``; a wrong value stops the build with a
message that shows a right one. One job per event:

- ``on_config``: check the config and the Markdown extensions; read the book's languages
  from the i18n plugin (the only place they are written);
- ``on_files``: add the figures drawn for this language (generated into the cache, never
  into ``docs/``);
- ``on_page_markdown``: turn ``python cell`` and ``python exercise`` fences into their HTML;
  mark a page shown in English because its translation is missing;
- ``on_page_content``: put the "Download notebook" link under a chapter's title;
- ``on_post_page``: typeset the page's equations (math.py), then put the page's config,
  Content-Security-Policy and script first in its head (pages.py);
- ``on_post_build``: publish the bundles, MathJax (for the demos), the runtime, the
  equations' styles, per-language search indexes and 404 pages, nnbook's wheel and the
  chapters' notebooks (notebook.py), then the list of files
  the service worker keeps (offline.py) — last, as it lists all of them.

mkdocs-static-i18n runs a whole build per language, so every event here is idempotent
and cheap to repeat; publishing happens once, after the last language.

Not for: what runs in the browser (``site_scripts/web/``, the kernel) or how a file is made
(one module each: cells, exercises, notebook, pages, math, search, runtime, bundle, offline).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import bundle, cells, exercises, notebook, offline, pages, runtime, search, strings, vendor

log = logging.getLogger("mkdocs.plugins.nnbook")

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
REQUIRED_EXTENSIONS = {
    "pymdownx.superfences": "the live cells and code blocks",
    "attr_list": "the book's figures and cards",
    "md_in_html": "the book's figures and cards",
}
ASSETS = "assets/nnbook/"
DEMO = re.compile(r'(<div class="nnbook-demo" data-nnbook-demo="[a-z]+">)\s*</div>')
NO_SCRIPT_FIGURE = cells.NO_SCRIPT_FIGURE
STYLES = [f"{ASSETS}{css.name}" for css in sorted(bundle.STYLES.glob("*.css"))]
PYTHON_PAGE = re.compile(r'data-nnbook-(?:cell|demo|exercise)="')
CODE_PAGE = re.compile(r'data-nnbook-(?:cell|exercise)="')  # a chapter with code: it has a notebook


class Limits(base.Config):
    output = c.Type(int, default=100_000)  # characters of printed text a cell shows
    full_output = c.Type(int, default=50_000_000)  # characters kept for "Download full output"
    images = c.Type(int, default=20)  # images a cell shows
    traceback = c.Type(int, default=20_000)  # characters of a traceback
    stall_seconds = c.Type(int, default=60)  # loading without progress for this long has failed
    replay_seconds = c.Type(float, default=3.0)  # after a restart, cells slower than this are not re-run


class NnbookConfig(base.Config):
    packages = c.ListOfItems(c.Type(str), default=["numpy", "nnbook"])  # loaded when Python starts
    preload = c.ListOfItems(c.Type(str), default=["matplotlib"])  # loaded once Python is idle
    preload_modules = c.ListOfItems(c.Type(str), default=["matplotlib.pyplot"])  # imported then
    figures = c.Optional(c.Type(str))  # "module:function(dest_dir, languages)" drawing the figures
    snapshot = c.Type(bool, default=True)  # a memory snapshot for the visits after the first
    offline = c.Type(bool, default=True)  # a service worker keeps the book for offline reading
    math = c.Type(bool, default=True)  # typeset the equations at build time
    limits = c.SubConfig(Limits)


class NnbookPlugin(BasePlugin[NnbookConfig]):
    def __init__(self):
        super().__init__()
        self.languages: list[str] = []
        self.default_language = "en"
        self.renderer = None
        self._figures_key: str | None = None
        self._startup_bytes = 0
        self.site_root: Path | None = None
        self.not_found: dict[str, str] = {}
        self.site_url = ""
        self.books: dict[str, str] = {}

    # ------------------------------------------------------------------ on_config
    def on_config(self, config):
        extensions = config["markdown_extensions"]
        for name, purpose in REQUIRED_EXTENSIONS.items():
            if name not in extensions:
                raise PluginError(f"nnbook: {purpose} need the Markdown extension '{name}': "
                                  f"add `- {name}` under `markdown_extensions` in mkdocs.yml")
        if self.config.math and "pymdownx.arithmatex" in extensions:
            generic = (config["mdx_configs"].get("pymdownx.arithmatex") or {}).get("generic")
            if not generic:
                raise PluginError("nnbook: the equations are typeset at build time from pymdownx.arithmatex's "
                                  "generic output: set it in mkdocs.yml as\n  - pymdownx.arithmatex:\n"
                                  "      generic: true")
        limits = self.config.limits
        for name, _ in Limits._schema:  # every limit is a positive number
            if limits[name] <= 0:
                raise PluginError(f"nnbook: limits.{name} must be a positive number, e.g. "
                                  f"`limits: {{{name}: {getattr(Limits, name).default}}}`; got {limits[name]}")
        if limits.output > limits.full_output:
            raise PluginError("nnbook: limits.output (characters shown) must not exceed limits.full_output "
                              f"(characters kept for the download): got {limits.output} > {limits.full_output}")
        self.languages, self.default_language = book_languages(config)
        if self.site_root is None or self.current_language(config) == self.default_language:
            self.site_root = Path(config["site_dir"])
            self.site_url = config["site_url"] or ""
            self.books = book_names(config)
        missing = [lang for lang in self.languages if not strings.exists(lang)]
        if missing:
            raise PluginError(f"nnbook: no UI strings for {', '.join(missing)}: add site_scripts/strings/"
                              f"{missing[0]}.json with the keys of site_scripts/strings/en.json, translated")
        # The book's own files carry their build's version in their URL, so the service
        # worker of an older build never serves them to a newer page (see web/sw.js).
        self.version = bundle.inputs_hash()[:10]
        config["extra_css"] = [css for css in config["extra_css"] if not css.startswith(ASSETS)]
        config["extra_css"] += [f"{css}?v={self.version}" for css in STYLES]
        self.translate_theme(config)
        if self.config.figures and ":" not in self.config.figures:
            raise PluginError(f"nnbook: figures must name a function as 'module:function', e.g. "
                              f"'site_scripts.figures:write_figures'; got {self.config.figures!r}")
        return config

    def translate_theme(self, config) -> None:
        """The theme's own words (dark/light toggle, permanent link) in this build's language.
        (The book's own words, such as its footer, stay in its mkdocs.yml.)"""
        i18n = config["plugins"].get("i18n")
        lang = (getattr(i18n, "current_language", None) if i18n else None) or self.default_language
        words = strings.load(lang)["theme"]
        for palette in config["theme"].get("palette") or []:
            toggle = palette.get("toggle")
            if toggle:
                toggle["name"] = words["toggleLight" if palette.get("scheme") == "slate" else "toggleDark"]
        toc = config["mdx_configs"].setdefault("toc", {})
        if toc.get("permalink"):
            toc["permalink_title"] = words["permalink"]

    def current_language(self, config) -> str:
        return config["theme"].get("language") or self.default_language

    # ------------------------------------------------------------------ on_files
    def on_files(self, files: Files, config):
        if not self.config.figures:
            return files
        folder = self._draw_figures()
        lang = self.current_language(config)
        # This language's figures, and the default language's, which a page shown in the
        # default language (a missing translation) links to.
        for source_lang in dict.fromkeys([lang, self.default_language]):
            for path in sorted((folder / source_lang / "figures").glob("*")):
                src_uri = f"{source_lang}/figures/{path.name}"
                if files.get_file_from_path(src_uri):
                    continue
                dest = f"figures/{path.name}" if source_lang == self.default_language else src_uri
                file = File(src_uri, str(folder), config["site_dir"], config["use_directory_urls"], dest_uri=dest)
                files.append(file)
        return files

    def _draw_figures(self) -> Path:
        module_name, function_name = self.config.figures.split(":", 1)
        import importlib

        module = importlib.import_module(module_name)
        folder = CACHE / "figures"
        key = _figure_inputs_key(module) + ",".join(self.languages)
        if key != self._figures_key:
            try:
                getattr(module, function_name)(folder, tuple(self.languages))
            except Exception as error:  # the author's drawing code: say where it failed
                raise PluginError(f"nnbook: drawing the figures with {self.config.figures} failed: {error!r}") from error
            self._figures_key = key
        return folder

    # ------------------------------------------------------------------ pages
    def on_page_markdown(self, markdown, page, config, files, **kwargs):
        try:
            words = strings.load(self.current_language(config))["exercises"]
            markdown = exercises.render_exercises(markdown, words, name=page.file.src_uri)
            markdown = cells.render_cells(markdown, name=page.file.src_uri)
        except cells.CellSyntaxError as error:
            raise PluginError(f"nnbook: {error}") from None
        lang = self.current_language(config)
        words = strings.load(lang)["build"]
        # Without JavaScript a demo says what it needs (the page's script replaces this).
        markdown = DEMO.sub(lambda m: f'{m.group(1)}<p class="nnbook-demo-nojs">{words["demoNoScript"]}</p></div>', markdown)
        markdown = markdown.replace(NO_SCRIPT_FIGURE, f'<noscript><p class="nnbook-nojs">{words["figureNoScript"]}</p></noscript>')
        page_lang = page.file.src_uri.split("/", 1)[0]
        if lang != self.default_language and page_lang != lang:
            notice = words["fallback"]
            markdown = (
                f'<div class="admonition warning nnbook-fallback" data-nnbook-fallback="{lang}" lang="{lang}">'
                f'<p class="admonition-title">{notice}</p></div>\n\n' + markdown
            )
        return markdown

    def on_page_content(self, html, page, config, files, **kwargs):
        page_lang, _, rel = page.file.src_uri.partition("/")
        if rel == "index.md" or not CODE_PAGE.search(html):
            return html
        path = notebook.notebook_path(rel, page_lang, self.default_language, config["use_directory_urls"])
        words = strings.load(self.current_language(config))["notebook"]
        return notebook.add_link(html, pages.root_of(page.url) + path, words)

    def on_post_page(self, output, page, config, **kwargs):
        root = pages.root_of(page.url)
        if self.config.math and "arithmatex" in output:
            from .math import MathError, MathRenderer

            self.renderer = self.renderer or MathRenderer(CACHE)
            try:
                output = self.renderer.render_page(output, page.file.src_uri)
            except MathError as error:
                raise PluginError(f"nnbook: {error}") from None
            output = output.replace("</head>", f'<link rel="stylesheet" href="{root}{ASSETS}math.css">\n</head>', 1)
        lang = self.current_language(config)
        book_config = self.page_config(root, lang, python=bool(PYTHON_PAGE.search(output)))
        output = pages.drop_alternate_links(output)
        output = pages.relative_language_links(output, root, self.site_path())
        return pages.book_head(output, json.dumps(book_config, ensure_ascii=False, separators=(",", ":")),
                               f"{root}{ASSETS}nnbook.js?v={self.version}")

    def page_config(self, root: str, lang: str, python: bool) -> dict:
        """The book's config as the page's script reads it (site_scripts/web/config.js)."""
        index = f"{root}pyodide/"
        limits = dict(self.config.limits)
        return {
            "lang": lang,
            "python": python,
            "strings": strings.load(lang),
            "limits": limits,
            "runtime": {
                "index": index,
                "worker": f"{root}{ASSETS}worker.js?v={self.version}",
                "editor": f"{root}{ASSETS}editor.js?v={self.version}",
                "mathjax": f"{root}assets/vendor/mathjax/tex-chtml.js",
                "packages": list(self.config.packages),
                "kernel": runtime.KERNEL_LOCK_NAME,
                "preload": {"packages": list(self.config.preload), "modules": list(self.config.preload_modules)},
                "startBytes": self._startup_bytes,
                "snapshot": f"{index}snapshot.bin.gz" if self.config.snapshot else None,
                "serviceWorker": f"{root}sw.js" if self.config.offline else None,
                "scope": root,
            },
        }

    def on_post_template(self, output, template_name, config, **kwargs):
        # Each language's 404 page, written once every language is built (on_post_build).
        if template_name == "404.html":
            self.not_found[self.current_language(config)] = output
        return output

    def site_path(self) -> str:
        """The path of the site on its host, from site_url ("/book/"), or "" if unknown."""
        from urllib.parse import urlparse

        path = urlparse(self.site_url).path if self.site_url else ""
        return path if path not in ("", "/") else ""

    # ------------------------------------------------------------------ on_post_build
    def on_pre_build(self, config):
        # The runtime first, so pages know how much Python downloads at start.
        wanted = [name for name in [*self.config.packages, *self.config.preload] if name != "nnbook"]
        try:
            folder = runtime.ensure_runtime(CACHE, packages=wanted)
            self._startup_bytes = runtime.startup_bytes(folder, [*self.config.packages, runtime.KERNEL_LOCK_NAME])
        except runtime.RuntimeVendorError as error:
            raise PluginError(f"nnbook: {error}") from None
        self._runtime = folder

    @event_priority(-200)  # after the i18n plugin: all languages built, search index merged
    def on_post_build(self, config):
        from . import precompress

        i18n = config["plugins"].get("i18n")
        if i18n is not None and getattr(i18n, "building", False):
            return  # a language built inside the i18n plugin's loop: publish once, at the end
        site = Path(config["site_dir"])
        try:
            web = bundle.bundle_web(CACHE)
        except bundle.BundleError as error:
            raise PluginError(f"nnbook: {error}") from None
        for path in sorted(web.iterdir()):
            if path.name.startswith("."):
                continue
            dest = site / path.name if path.name == "sw.js" else site / ASSETS / path.name
            if path.name == "sw.js" and not self.config.offline:
                continue
            vendor.publish(path, dest)
        vendor.publish_mathjax(site)
        runtime_dir = self._runtime
        for path in sorted(runtime_dir.iterdir()):
            # the snapshot travels and is kept gzipped only (the worker inflates it)
            if path.name == "snapshot.bin" or (path.name.startswith("snapshot") and not self.config.snapshot):
                continue
            vendor.publish(path, site / "pyodide" / path.name)
        if self.renderer is not None:
            css = site / ASSETS / "math.css"
            css.parent.mkdir(parents=True, exist_ok=True)
            text = self.renderer.stylesheet()
            if not css.is_file() or css.read_text(encoding="utf-8") != text:
                css.write_text(text, encoding="utf-8")
        search.write_language_indexes(site, self.languages, self.default_language)
        root = self.site_root or site
        try:  # before the 404 pages: they list the top-level folders (wheels/ among them)
            notebook.write_notebooks(root, Path(config["docs_dir"]), self.languages, self.default_language,
                                     books=self.books, site_url=self.site_url, runtime=runtime_dir, cache=CACHE,
                                     directory_urls=config["use_directory_urls"])
        except notebook.NotebookError as error:
            raise PluginError(f"nnbook: {error}") from None
        top_level = sorted(p.name for p in root.iterdir())
        for lang, text in self.not_found.items():
            home = "" if lang == self.default_language else f"{lang}/"
            page = pages.not_found_page(text, strings.load(lang)["theme"], top_level, home, self.site_path())
            dest = root / "404.html" if lang == self.default_language else root / lang / "404.html"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(page, encoding="utf-8")
        if self.config.offline:
            offline.write_manifest(site, gzipped=[f"pyodide/{n}" for n in precompress.COMPRESSED], build=self.version)

    def on_shutdown(self):
        if self.renderer is not None:
            self.renderer.close()


def book_languages(config) -> tuple[list[str], str]:
    """The book's languages, from the i18n plugin's config; a book without it has one."""
    i18n = config["plugins"].get("i18n")
    if i18n is None:
        return [config["theme"].get("language") or "en"], config["theme"].get("language") or "en"
    languages = [lang for lang in i18n.config["languages"] if lang.get("build", True)]
    default = next((lang.locale for lang in languages if lang.default), languages[0].locale)
    return [lang.locale for lang in languages], default


def languages_in(mkdocs_yml: Path) -> dict[str, str]:
    """{language: URL prefix} of a book, read from its mkdocs.yml (the i18n plugin's list),
    the default language first with prefix "". For the command-line tools and the tests;
    the build itself reads the loaded config (``book_languages``)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    data = yaml.load(Path(mkdocs_yml).read_text(encoding="utf-8"), Loader=Loader)
    for plugin in data.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            languages = [lang for lang in plugin["i18n"]["languages"] if lang.get("build", True)]
            languages.sort(key=lambda lang: not lang.get("default"))
            return {lang["locale"]: "" if lang.get("default") else f"{lang['locale']}/" for lang in languages}
    return {(data.get("theme") or {}).get("language", "en"): ""}


def book_names(config) -> dict[str, str]:
    """The book's name in each language (the i18n plugin's ``site_name``, else the book's)."""
    i18n = config["plugins"].get("i18n")
    names = {lang: config["site_name"] for lang in book_languages(config)[0]}
    for lang in (i18n.config["languages"] if i18n else []):
        if getattr(lang, "site_name", None):
            names[lang.locale] = lang.site_name
    return names


def _figure_inputs_key(module) -> str:
    """A fingerprint of the drawing code and what it draws from (the nnbook package)."""
    digest = hashlib.sha256()
    sources = [Path(module.__file__)] + sorted(Path(module.__file__).parent.glob("figure*.py"))
    sources += sorted((ROOT / "nnbook").rglob("*.py")) + sorted((ROOT / "nnbook" / "data").glob("*"))
    for path in sources:
        if path.is_file():
            st = path.stat()
            digest.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()
