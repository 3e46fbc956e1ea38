// @ts-check
/*
 * The chapter's demos: each <div data-nnbook-demo="stepper|mnist|draw"> gets its demo.
 * Not for: the demos themselves (one module each).
 */
import { Draw } from "./draw.js";
import { Mnist } from "./mnist.js";
import { Stepper } from "./stepper.js";

const KINDS = { stepper: Stepper, mnist: Mnist, draw: Draw };

/** @param {import("../book.js").Book} book */
export function startDemos(book) {
  const demos = [];
  for (const root of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-nnbook-demo]"))) {
    const Kind = /** @type {any} */ (KINDS)[root.dataset.nnbookDemo || ""];
    if (Kind) demos.push(new Kind(root, book));
  }
  return demos;
}
