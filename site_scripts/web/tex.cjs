/*
 * The chapter's equations typeset at build time: TeX in, MathJax's CommonHTML out.
 *
 * site_scripts/math.py runs this with Node and talks to it one JSON line at a time:
 *   {"tex": "...", "display": true}  ->  {"html": "<mjx-container ...>"} | {"error": "..."}
 *   {"css": ["tex", ...]}            ->  {"css": "..."}   (the styles those formulas need)
 * Numbers come only from an explicit \tag (no automatic numbering). The output carries
 * MathML for screen readers and needs no script on the page. The TeX "html" package
 * (\href, \style, \class) is left out.
 *
 * Not for: the demos' formulas, typeset on the page when a demo first shows one.
 */
"use strict";
const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const fontURL = process.argv[2] || "fonts";
const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const packages = AllPackages.filter((name) => !["html", "noerrors", "noundefined"].includes(name));

function documentFor() {
  const tex = new TeX({ packages, tags: "none" });
  const chtml = new CHTML({ fontURL, adaptiveCSS: true });
  return { html: mathjax.document("", { InputJax: tex, OutputJax: chtml }), chtml };
}

let current = documentFor();
const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  let reply;
  try {
    const request = JSON.parse(line);
    if (request.css) {
      const fresh = documentFor();
      for (const item of request.css) fresh.html.convert(item.tex, { display: item.display });
      reply = { css: adaptor.textContent(fresh.chtml.styleSheet(fresh.html)) };
    } else {
      const node = current.html.convert(request.tex, { display: Boolean(request.display) });
      reply = { html: adaptor.outerHTML(node) };
    }
  } catch (error) {
    reply = { error: String(error && error.message || error) };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
});
