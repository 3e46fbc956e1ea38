"""The book's UI strings: one JSON file per language in ``site_scripts/strings/``.

``load(lang)`` gives the strings of a language with English under any key it lacks (a
test checks that no language lacks any). They go into each page's config for the page's
script (cells, demos, exercises), and the build's own notices (``build``) come from here.

Not for: the chapter's text (``docs/<lang>/``) or the figures' labels (figure_labels.py).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "strings"
DEFAULT = "en"


def path(lang: str) -> Path:
    return FOLDER / f"{lang}.json"


def exists(lang: str) -> bool:
    return path(lang).is_file()


@lru_cache(maxsize=None)
def _read(lang: str) -> dict:
    return json.loads(path(lang).read_text(encoding="utf-8"))


def merged(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = merged(base.get(key, {}), value) if isinstance(value, dict) else value
    return out


def load(lang: str) -> dict:
    return merged(_read(DEFAULT), _read(lang)) if lang != DEFAULT else _read(DEFAULT)


def keys(tree: dict, prefix: str = "") -> set[str]:
    """Every key of a strings file, dotted: {"cells.run", "cells.hint.memory", ...}."""
    found = set()
    for key, value in tree.items():
        name = f"{prefix}{key}"
        found |= keys(value, name + ".") if isinstance(value, dict) else {name}
    return found
