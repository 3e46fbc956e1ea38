// @ts-check
/*
 * Formulas in the demos' narration: MathJax, loaded only when a demo first shows one, in
 * safe mode (its "safe" extension, and no \href, \style, \class or \cssId at all: the
 * TeX "html" package is left out). The TeX is built here from numbers checked by
 * format.js; nothing from Python becomes TeX. Until MathJax is there (or if it cannot
 * load), the plain-text form shows.
 *
 * The chapter's own equations are typeset at build time (site_scripts/math.py): no TeX
 * engine runs on the page while Python starts.
 *
 * Not for: the chapter's equations, or the text around a formula (demos/narration.js).
 */

/** @type {Promise<any>|null} */
let loading = null;

/** MathJax, loaded once, or null. @param {string} src */
export function loadMathJax(src) {
  loading ??= new Promise((resolve) => {
    /** @type {any} */ (window).MathJax = {
      loader: { load: ["ui/safe"] },
      tex: { packages: { "[-]": ["html", "noerrors", "noundefined"] }, inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]] },
      options: { enableMenu: false, ignoreHtmlClass: ".*|", processHtmlClass: "nnbook-demo-tex", safeOptions: { allow: { URLs: "none", classes: "none", cssIDs: "none", styles: "none" } } },
      startup: { typeset: false, ready() { /** @type {any} */ (window).MathJax.startup.defaultReady(); resolve(/** @type {any} */ (window).MathJax); } },
    };
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onerror = () => resolve(null);
    document.head.append(script);
  });
  return loading;
}
