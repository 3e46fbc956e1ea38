// @ts-check
/*
 * The book's config for this page, written by the build (site_scripts/plugin.py) into a
 * <script type="application/json" id="nnbook-config"> before the book's script: the page's
 * language and UI strings, where the runtime is, which packages start with Python, the
 * limits on output, and whether the page has cells or demos. One source of truth: nothing
 * here is repeated in the scripts.
 *
 * Not for: reading the page (cells/, demos/).
 */

/**
 * @typedef {{output: number, full_output: number, images: number, traceback: number,
 *   stall_seconds: number, replay_seconds: number}} Limits
 * @typedef {{lang: string, python: boolean, strings: Record<string, any>, limits: Limits,
 *   runtime: {index: string, worker: string, editor: string, mathjax: string, packages: string[],
 *   kernel: string, preload: {packages: string[], modules: string[]}, startBytes: number, snapshot: string|null, serviceWorker: string|null,
 *   scope: string}}} BookConfig
 */

function read() {
  const node = document.getElementById("nnbook-config");
  try {
    return JSON.parse(node?.textContent || "null");
  } catch {
    return null;
  }
}

/** @type {BookConfig|null} */
export const config = read();

/** An absolute URL for a path the config gives relative to the page. @param {string} path */
export function url(path) {
  return new URL(path, document.baseURI).href;
}
