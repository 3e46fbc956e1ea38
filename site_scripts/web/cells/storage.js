// @ts-check
/*
 * The reader's edits, kept in localStorage per page and cell, with a fingerprint of the
 * book's code they were made on (a new build that changes a cell is noticed).
 *
 * Saving is debounced (a keystroke in a 5 MB cell does not re-save 5 MB) and flushed when
 * the page is hidden. A save that fails (storage full or disabled) says so through
 * `onFailure` and removes the older copy, so a reload never shows an older edit than the
 * one the reader saw without having been told. Reading never throws: with storage
 * disabled, edits simply live until the page closes.
 *
 * Not for: the editor (cells/editor.js) or the cell's buttons (cells/cell.js).
 */

import { pageStorage as store, storageIsMemory } from "../storage-shim.js";

const DEBOUNCE_MS = 400;

/** cyrb53: a short, stable fingerprint (crypto.subtle needs a secure context). @param {string} text */
export function fingerprint(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

export class SavedEdits {
  /** @param {string} scope e.g. "edit:/neural_networks/" */
  constructor(scope) {
    this.scope = `nnbook:${scope}`;
    /** @type {Map<string, {timer: number, write: () => void}>} */
    this.waiting = new Map();
    const flush = () => this.flush();
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush();
    });
  }

  /** @param {string} id */
  key(id) {
    return `${this.scope}#${id}`;
  }

  /** @param {string} id @returns {{code: string, original: string}|null} */
  load(id) {
    try {
      const saved = JSON.parse(store()?.getItem(this.key(id)) || "null");
      return saved && typeof saved.code === "string" && typeof saved.original === "string" ? saved : null;
    } catch {
      return null;
    }
  }

  /**
   * Saves soon; `read()` gives the text at that moment. `onFailure(error)` is told when it
   * could not be saved; `onSaved()` when it was.
   * @param {string} id @param {() => string} read @param {string} original
   * @param {{onFailure: (e: any) => void, onSaved: () => void}} handlers
   */
  save(id, read, original, handlers) {
    this.cancel(id);
    const write = () => {
      this.waiting.delete(id);
      const code = read();
      try {
        const storage = store();
        if (!storage) throw new Error("localStorage is disabled");
        storage.setItem(this.key(id), JSON.stringify({ code, original: fingerprint(original) }));
        if (storageIsMemory()) throw new Error("storage is turned off: kept in memory only");
        handlers.onSaved();
      } catch (error) {
        if (!storageIsMemory()) this.remove(id); // never leave an older copy behind
        handlers.onFailure(error);
      }
    };
    this.waiting.set(id, { timer: window.setTimeout(write, DEBOUNCE_MS), write });
  }

  /** @param {string} id */
  cancel(id) {
    const waiting = this.waiting.get(id);
    if (waiting) clearTimeout(waiting.timer);
    this.waiting.delete(id);
  }

  /** @param {string} id */
  remove(id) {
    this.cancel(id);
    try {
      store()?.removeItem(this.key(id));
    } catch {
      // nothing saved
    }
  }

  flush() {
    for (const { timer, write } of [...this.waiting.values()]) {
      clearTimeout(timer);
      write();
    }
  }
}
