// @ts-check
/*
 * The chapter's exercises (filled in by the exercises work).
 * Not for: plain cells (cells/).
 */

/** @param {import("../book.js").Book} book @param {import("../cells/page.js").CellsPage} cells */
export function startExercises(book, cells) {
  return [];
}
