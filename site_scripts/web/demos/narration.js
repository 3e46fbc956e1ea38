// @ts-check
/*
 * A demo's narration: sentences with formulas, and the same as plain text for screen
 * readers. A block is a list of parts: strings (text) and math parts {tex, plain, display}.
 *
 * Not for: loading MathJax (demos/math.js) or formatting numbers (demos/format.js).
 */
import { element } from "../dom.js";
import { loadMathJax } from "./math.js";

/** @param {string} tex @param {string} plain @param {boolean} [display] */
export const math = (tex, plain, display = false) => ({ tex, plain, display });

let typesetting = Promise.resolve();

/**
 * Writes `blocks` into `box`; returns their plain text.
 * @param {HTMLElement} box @param {any[][]} blocks @param {string} mathjaxURL
 */
export function writeNarration(box, blocks, mathjaxURL) {
  const formulas = [];
  box.replaceChildren(...blocks.map((block) => {
    const p = element("p");
    for (const part of block) {
      if (typeof part === "string") {
        p.append(part);
        continue;
      }
      // The plain form shows until MathJax has typeset the TeX one.
      const holder = element(part.display ? "div" : "span", { class: "nnbook-demo-math" }, part.plain);
      formulas.push([holder, part]);
      p.append(holder);
    }
    return p;
  }));
  if (formulas.length) {
    typesetting = typesetting.then(async () => {
      const MathJax = await loadMathJax(mathjaxURL);
      // One box per task: a demo that writes many at once never holds the page for long.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (!MathJax || !box.isConnected) return;
      for (const [holder, part] of formulas) {
        if (!holder.isConnected) continue;
        try {
          const node = MathJax.tex2chtml(part.tex, { display: part.display });
          node.setAttribute("aria-hidden", "true");
          holder.replaceChildren(node);
          holder.classList.add("nnbook-demo-typeset");
        } catch {
          // the plain form stays
        }
      }
      MathJax.startup.document.clear();
      MathJax.startup.document.updateDocument();
    }).catch(() => {});
  }
  return blocks.map((block) => block.map((part) => (typeof part === "string" ? part : part.plain)).join("")).join(" ");
}

/** Resolves once the formulas written so far are typeset (for tests and benchmarks). */
export const typeset = () => typesetting;
