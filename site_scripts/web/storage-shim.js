// @ts-check
/*
 * A page whose storage is turned off (a browser setting, some private modes) throws on
 * every read of window.localStorage: the theme's own inline scripts would fail, twice,
 * before the page is even drawn. This script runs first; in that case it puts a storage
 * that lives in the page's memory in its place, so nothing throws and the reader's edits
 * last until the page closes (a cell says so at the reader's first edit: storageIsMemory).
 * `pageStorage()` is how the book's scripts read storage, shim or not, without throwing.
 *
 * Not for: the cells' saved edits (cells/storage.js), which never assume storage works.
 */

let inMemory = false;

/** The page's localStorage, or null where reading it throws (storage turned off, no shim). */
export function pageStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** True when this page's storage is the one in memory (edits last until the page closes). */
export function storageIsMemory() {
  return inMemory;
}

export function shimStorageIfDisabled() {
  try {
    window.localStorage.getItem("nnbook");
    return false;
  } catch {
    const data = new Map();
    const memory = {
      get length() { return data.size; },
      key: (/** @type {number} */ i) => [...data.keys()][i] ?? null,
      getItem: (/** @type {string} */ k) => (data.has(String(k)) ? /** @type {string} */ (data.get(String(k))) : null),
      setItem: (/** @type {string} */ k, /** @type {any} */ v) => { data.set(String(k), String(v)); },
      removeItem: (/** @type {string} */ k) => { data.delete(String(k)); },
      clear: () => data.clear(),
    };
    try {
      Object.defineProperty(window, "localStorage", { value: memory, configurable: true });
      inMemory = true;
      return true;
    } catch {
      return false;
    }
  }
}
