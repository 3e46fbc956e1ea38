// @ts-check
/*
 * The chapter's exercises: each element with data-nnbook-exercise is a live cell (the
 * CellsPage made it one: editor, Run, Reset, saved edits) that gets Check, Hint and
 * Solution (exercise.js).
 *
 * Not for: plain cells (cells/) or the checks themselves (nnbook_kernel.exercises).
 */
import { Exercise } from "./exercise.js";

/** @param {import("../book.js").Book} book @param {import("../cells/page.js").CellsPage} cells */
export function startExercises(book, cells) {
  const exercises = [];
  for (const root of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-nnbook-exercise]"))) {
    const cell = cells.cells.find((c) => c.root === root);
    if (cell) exercises.push(new Exercise(root, cell, book));
  }
  return exercises;
}
