"""Search indexes per language, with readable text where the pages have equations.

What it is for: after the build, ``write_language_indexes(site, languages)`` splits the
search index (one for the whole site, as mkdocs-static-i18n merges it) into
``search/search_index.<lang>.json``, each holding only that language's pages, and turns
the TeX in their text (``\\(w_i\\)``, ``\\begin{aligned}``) into what a reader would type
or read (``w_i``, ``σ(z) = 1/(1 + e^{−z})``). The page's script gives Material the index
of the page's language (``site_scripts/web/search.js``), when the reader first searches.

What it is not: the search itself (Material's, in its own worker).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

SYMBOLS = {
    r"\sigma": "σ", r"\sum": "Σ", r"\cdot": "·", r"\leq": "≤", r"\geq": "≥", r"\gt": ">", r"\lt": "<",
    r"\prime": "′", r"\dots": "…", r"\ldots": "…", r"\infty": "∞", r"\times": "×", r"\quad": " ",
    r"\alpha": "α", r"\beta": "β", r"\max": "max", r"\left": "", r"\right": "",
}
TEX = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


def tex_to_text(tex: str) -> str:
    """A readable form of an equation's TeX, for search results.

    >>> tex_to_text(r"\\begin{aligned} z &= b + \\sum_i w_i x_i \\\\ \\sigma(z) &= \\frac{1}{1 + e^{-z}} \\end{aligned}")
    'z = b + Σ_i w_i x_i; σ(z) = (1)/(1 + e^{-z})'
    """
    text = re.sub(r"\\(?:begin|end)\{[^}]*\}(?:\{[^}]*\})?", " ", tex)
    text = re.sub(r"\\(?:mbox|text|textrm|mathrm)\{([^}]*)\}", r"\1", text)
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}", r"(\1)/(\2)", text)
    text = re.sub(r"\\tag\{([^}]*)\}", r"(\1)", text)
    text = text.replace("\\\\", ";").replace("&", "")
    for command, symbol in sorted(SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(re.escape(command) + r"(?![A-Za-z])", symbol, text)
    text = re.sub(r"\\([{}])", r"\1", text)
    text = re.sub(r"\\[A-Za-z]+", "", text)
    text = " ".join(text.split())
    return re.sub(r"\s*;\s*", "; ", text).strip(" ;")


def readable(text: str) -> str:
    return TEX.sub(lambda m: tex_to_text(m.group(1) or m.group(2)), text)


def language_of(location: str, languages: list[str], default: str) -> str:
    first = location.split("/", 1)[0]
    return first if first in languages and first != default else default


def write_language_indexes(site: Path, languages: list[str], default: str) -> list[Path]:
    index_path = Path(site) / "search" / "search_index.json"
    if not index_path.is_file():
        return []
    index = json.loads(index_path.read_text(encoding="utf-8"))
    written = []
    for lang in languages:
        docs = [dict(doc, text=readable(doc.get("text", "")), title=readable(doc.get("title", "")))
                for doc in index["docs"] if language_of(doc["location"], languages, default) == lang]
        config = dict(index.get("config", {}), lang=[lang])
        dest = index_path.with_name(f"search_index.{lang}.json")
        dest.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")
        written.append(dest)
    return written
