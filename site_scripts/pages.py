"""What the build changes in every page's HTML: the head of the book, and the links.

What it is for (each a small function of a page's HTML):

- ``content_security_policy(html)``: the page's Content-Security-Policy, as a ``<meta>``
  (it works on any static host). Scripts only from the book (and the theme's inline
  scripts of this very page, by hash), WebAssembly allowed, no eval; requests, images,
  fonts, workers only from the book's origin (images also ``data:`` and ``blob:``, which
  the cells' figures use); no frames, no plugins, no forms elsewhere. A worker made from a
  ``blob:`` URL inherits this policy: the reader's Python runs under it.
- ``book_head(html, config_json, script_url)``: the policy, the book's config for the page,
  and the book's script, first in ``<head>``, before any stylesheet or script can delay it.
- ``drop_alternate_links`` and ``relative_language_links``: no ``<link rel="alternate">``
  (Material would fetch a ``sitemap.xml`` next to every translated page) and language menu
  links relative to the page, so the book works under any path.

What it is not: the page's content (the plugin's Markdown steps) or its equations (math.py).
"""
from __future__ import annotations

import base64
import hashlib
import posixpath
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S)
ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
ABSOLUTE_LANGUAGE_LINK = re.compile(r'<a href="/([^"]*)" hreflang="')
HEAD_START = re.compile(r'<head>\s*(<meta charset="[^"]*">)?', re.I)

POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "manifest-src": "'self'",
    "media-src": "'self'",
    "frame-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def inline_script_hashes(page_html: str) -> list[str]:
    """The CSP hashes of the page's inline scripts that run (not JSON data blocks)."""
    hashes = []
    for m in INLINE_SCRIPT.finditer(page_html):
        attrs = m["attrs"] or ""
        if "src=" in attrs or re.search(r'type="(?!text/javascript|module)[^"]*"', attrs):
            continue
        digest = hashlib.sha256(m["body"].encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(set(hashes))


def content_security_policy(page_html: str) -> str:
    policy = dict(POLICY)
    hashes = inline_script_hashes(page_html)
    if hashes:
        policy["script-src"] += " " + " ".join(hashes)
    content = "; ".join(f"{name} {value}" for name, value in policy.items())
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def root_of(url: str) -> str:
    """The relative path from a page's URL to the site root ("", "../", "../../")."""
    depth = url.count("/")
    return posixpath.join(*([".."] * depth)) + "/" if depth else "./"


def book_head(page_html: str, config_json: str | None, script_url: str | None) -> str:
    """Policy, config and script first in <head>. The policy covers the page as it ends up."""
    extra = []
    if config_json is not None:
        safe = config_json.replace("<", "\\u003c")  # a string can never close the <script>
        extra.append(f'<script type="application/json" id="nnbook-config">{safe}</script>')
    if script_url is not None:
        extra.append(f'<script src="{script_url}"></script>')
    policy = content_security_policy(page_html)
    block = "\n".join([policy, *extra])

    def insert(m: re.Match) -> str:
        charset = m.group(1) or '<meta charset="utf-8">'
        return f"<head>\n{charset}\n{block}\n"

    result, count = HEAD_START.subn(insert, page_html, count=1)
    if not count:
        raise ValueError("the page has no <head> to put the book's script in")
    return result


def drop_alternate_links(page_html: str) -> str:
    return ALTERNATE_LINK.sub("", page_html)


def relative_language_links(page_html: str, root: str, site_path: str = "") -> str:
    """The language menu's links (``/fr/page/``, or ``/book/fr/page/`` with a site_url path)
    made relative to the page."""
    prefix = site_path.strip("/") + "/" if site_path.strip("/") else ""

    def relative(m: re.Match) -> str:
        path = m.group(1)
        if prefix and path.startswith(prefix):
            path = path[len(prefix):]
        return f'<a href="{root}{path}" hreflang="'

    return ABSOLUTE_LANGUAGE_LINK.sub(relative, page_html)


ROOT_SCRIPT = (
    "(function(){{var known={known};var parts=location.pathname.split('/').filter(Boolean);"
    "var root='/';if(parts.length>1&&known.indexOf(parts[0])<0)root='/'+parts[0]+'/';"
    "var base=document.createElement('base');base.href=root;document.head.prepend(base);"
    # the theme's own config holds root-absolute URLs too: set them to the root found
    "new MutationObserver(function(list,watch){{var c=document.getElementById('__config');"
    "if(!c||c.textContent.indexOf('\"version\"')<0)return;"
    "c.textContent=c.textContent.replace('\"base\": \"/\"','\"base\": \"'+root+'\"')"
    ".replace('\"search\": \"/','\"search\": \"'+root);watch.disconnect();}})"
    ".observe(document.documentElement,{{childList:true,subtree:true}});}})();"
)
ABSOLUTE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')
H1 = re.compile(r"<h1[^>]*>.*?</h1>", re.S)


def not_found_page(page_html: str, words: dict, top_level: list[str], home: str, site_path: str = "") -> str:
    """A 404 page in the build's language that works wherever the host serves it.

    A host serves 404.html for any missing address, at any depth. With a site_url that has
    a path, the theme's links already carry it. Without one, the book may still live under a
    path (a project's GitHub Pages): the page's links are made relative to a ``<base>`` that
    a small script sets from the address: the site's root, or the address's first folder
    when that is not one of the book's own (``top_level``) and more follows it.
    """
    message = (f'<h1>{words["notFoundTitle"]}</h1>\n<p>{words["notFound"]} '
               f'<a href="{site_path or ""}{home}">{words["notFoundLink"]}</a></p>')
    html_ = H1.sub(lambda m: message, page_html, count=1)
    html_ = re.sub(r"<title>[^<]*</title>", f"<title>{words['notFoundTitle']}</title>", html_, count=1)
    if site_path:
        return book_head(drop_alternate_links(html_), None, None)
    script = ROOT_SCRIPT.format(known=sorted(top_level))
    html_ = ABSOLUTE_URL.sub(r"\1", html_)
    html_ = html_.replace("<head>", f"<head>\n<script>{script}</script>", 1)
    return book_head(drop_alternate_links(html_), None, None)
