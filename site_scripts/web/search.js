// @ts-check
/*
 * Search, as a reader expects it: in the page's language only, and built when the reader
 * first uses it, not while Python starts.
 *
 * Material's theme requests search/search_index.json at page load and builds the index in
 * a worker of its own, on the same two cores Python starts on. This script, which runs
 * before the theme's, sends that one request for the page language's index instead (the
 * build writes one per language, with readable text instead of TeX: site_scripts/search.py),
 * and only once the reader opens the search: a click or focus on the search field, or a key
 * that opens it outside an editor.
 *
 * Not for: searching (Material does), or the index's content (the build).
 */

/** @param {string} lang */
export function deferSearch(lang) {
  /** @type {() => void} */
  let release = () => {};
  const used = new Promise((resolve) => { release = () => resolve(undefined); });
  const wanted = () => {
    release();
    for (const [type, listener] of listeners) document.removeEventListener(type, listener, true);
  };
  /** @type {[string, any][]} */
  const listeners = [
    ["focusin", (/** @type {Event} */ e) => /** @type {Element} */ (e.target).matches?.(".md-search__input") && wanted()],
    ["click", (/** @type {Event} */ e) => /** @type {Element} */ (e.target).closest?.("label[for='__search'], .md-search") && wanted()],
    ["keydown", (/** @type {KeyboardEvent} */ e) => {
      const target = /** @type {HTMLElement} */ (e.target);
      const typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
      if (!typing && ["/", "s", "f", "S", "F"].includes(e.key)) wanted();
    }],
  ];
  for (const [type, listener] of listeners) document.addEventListener(type, listener, true);
  if (new URLSearchParams(location.search).has("q")) release();

  // Material asks with XMLHttpRequest (for progress events): that one request is sent
  // for this language's index, and only once the reader opens the search.
  const searchRequests = new WeakSet();
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = /** @type {any} */ (function (/** @type {string} */ method, /** @type {string|URL} */ url, /** @type {any[]} */ ...rest) {
    const target = new URL(String(url), location.href);
    if (target.origin === location.origin && target.pathname.endsWith("/search/search_index.json")) {
      searchRequests.add(this);
      url = new URL(`search_index.${lang}.json`, target).href;
    }
    return /** @type {any} */ (open).call(this, method, url, ...rest);
  });
  XMLHttpRequest.prototype.send = function (body) {
    if (!searchRequests.has(this)) return send.call(this, body);
    used.then(() => send.call(this, body));
  };
}
