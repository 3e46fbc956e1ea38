// @ts-check
/*
 * A reader's progress on each exercise, kept in localStorage per page and exercise:
 * {status: "solved"|"tried"|null, hints: how many hints were shown, solution: was it shown}.
 * "solved" stays once reached (a later failed check leaves it). Reading never throws: with
 * storage disabled, progress lives until the page closes.
 *
 * Not for: the reader's code (cells/storage.js keeps it).
 */

import { pageStorage as store } from "../storage-shim.js";

/** @typedef {{status: "solved"|"tried"|null, hints: number, solution: boolean}} Progress */

/** @param {string} id */
function key(id) {
  return `nnbook:exercise:${location.pathname}#${id}`;
}

/** @param {string} id @returns {Progress} */
export function loadProgress(id) {
  /** @type {Progress} */
  const empty = { status: null, hints: 0, solution: false };
  try {
    const saved = JSON.parse(store()?.getItem(key(id)) || "null");
    if (!saved || typeof saved !== "object") return empty;
    return {
      status: saved.status === "solved" || saved.status === "tried" ? saved.status : null,
      hints: Number.isInteger(saved.hints) && saved.hints > 0 ? saved.hints : 0,
      solution: saved.solution === true,
    };
  } catch {
    return empty;
  }
}

/** @param {string} id @param {Progress} progress */
export function saveProgress(id, progress) {
  try {
    store()?.setItem(key(id), JSON.stringify(progress));
  } catch {
    // storage full or disabled: the progress lives until the page closes
  }
}
