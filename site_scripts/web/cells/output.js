// @ts-check
/*
 * A cell's output, shown like a terminal where it matters and never as markup.
 *
 * Printed text goes in with textContent only. A "\r" rewrites the current line (progress
 * bars end as their last state), ANSI colour codes are shown as colours (other escape
 * sequences are dropped). Printed text beyond `limits.output` characters is not shown:
 * a notice and "Download full output" (up to `limits.full_output`) take its place, and a
 * cut never splits a character. Long text goes in blocks of whole lines, so the browser
 * lays out only the new block. Images are <img> of PNG or SVG data only.
 *
 * Not for: running anything (cells/cell.js) or what the kernel sends (it caps it too).
 */
import { element, button } from "../dom.js";
import { t, numberFormat } from "../strings.js";
import { SPECS } from "../protocol.js";

const CHUNK = 2_000; // characters of output per block
const ESCAPE = /\x1b\[([0-9;]*)([A-Za-z])|\x1b[^[]/g; // eslint-disable-line no-control-regex
const COLOURS = { 30: "black", 31: "red", 32: "green", 33: "yellow", 34: "blue", 35: "magenta", 36: "cyan", 37: "white" };
const IMAGE_TYPES = new Set(SPECS.images); // the only images a cell shows (protocol.json)

/** `text` cut to at most `n` UTF-16 units without splitting a surrogate pair. */
export function cutText(/** @type {string} */ text, /** @type {number} */ n) {
  if (text.length <= n) return text;
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/**
 * Splits text with ANSI SGR codes into [text, style] runs; style is {colour, bold}.
 * @param {string} text @param {{colour: string|null, bold: boolean}} style
 */
export function ansiRuns(text, style) {
  const runs = [];
  let at = 0;
  let current = { ...style };
  for (const m of text.matchAll(ESCAPE)) {
    if ((m.index ?? 0) > at) runs.push([text.slice(at, m.index), { ...current }]);
    at = (m.index ?? 0) + m[0].length;
    if (m[2] !== "m") continue; // not a colour: dropped
    for (const code of (m[1] || "0").split(";").map(Number)) {
      if (code === 0) current = { colour: null, bold: false };
      else if (code === 1) current.bold = true;
      else if (code === 22) current.bold = false;
      else if (code === 39) current.colour = null;
      else if (COLOURS[code % 60] && (code < 38 || (code >= 90 && code <= 97))) {
        current.colour = (code >= 90 ? "bright-" : "") + COLOURS[code >= 90 ? code - 60 : code];
      }
    }
  }
  if (at < text.length) runs.push([text.slice(at), { ...current }]);
  return { runs, style: current };
}

export class OutputView {
  /** @param {HTMLElement} box @param {{output: number, full_output: number}} limits @param {string} name */
  constructor(box, limits, name) {
    this.box = box;
    this.limits = limits;
    this.name = name; // for the downloaded file's name
    this.clear();
  }

  clear() {
    this.box.replaceChildren();
    this.room = this.limits.output;
    this.printed = []; // all printed text, up to limits.full_output, for the download
    this.printedSize = 0;
    this.style = { colour: null, bold: false };
    /** @type {Text|null} the text node of the line being written (for "\r") */
    this.openLine = null;
    this.truncated = false;
  }

  get text() {
    return this.box.textContent || "";
  }

  /** Printed text (stdout, stderr or a value), limited. @param {string} text @param {string} kind */
  print(text, kind) {
    if (!text) return;
    this.keep(text);
    if (this.truncated) return;
    if (text.length > this.room) {
      this.write(cutText(text, Math.max(this.room, 0)), kind);
      this.room = -1;
      this.truncated = true;
      this.showTruncated();
      return;
    }
    this.room -= text.length;
    this.write(text, kind);
  }

  /** A notice or a traceback: on a line of its own, never limited. @param {string} text @param {string} kind */
  block(text, kind) {
    const before = this.text;
    if (before && !before.endsWith("\n")) this.write("\n", "nnbook-stdout");
    this.openLine = null;
    this.write(text.endsWith("\n") ? text : `${text}\n`, kind);
  }

  /** @param {string} text */
  keep(text) {
    const part = text.slice(0, this.limits.full_output - this.printedSize);
    if (part) this.printed.push(part);
    this.printedSize += part.length;
  }

  /** @param {string} text @param {string} kind */
  write(text, kind) {
    const { runs, style } = ansiRuns(text, this.style);
    this.style = style;
    for (const [piece, runStyle] of runs) this.writeRun(piece, kind, runStyle);
  }

  /** @param {string} text @param {string} kind @param {{colour: string|null, bold: boolean}} style */
  writeRun(text, kind, style) {
    // "\r" (not "\r\n") returns to the start of the line: what follows replaces it.
    const parts = text.replace(/\r\n/g, "\n").split("\r");
    parts.forEach((part, i) => {
      if (i > 0 && this.openLine) {
        this.openLine.data = "";
      }
      this.append(part, kind, style);
    });
  }

  /** @param {string} text @param {string} kind @param {{colour: string|null, bold: boolean}} style */
  append(text, kind, style) {
    while (text) {
      let end = text.length;
      if (end > CHUNK) {
        const newline = text.indexOf("\n", CHUNK);
        if (newline >= 0) end = newline + 1;
      }
      this.appendPiece(text.slice(0, end), kind, style);
      text = text.slice(end);
    }
  }

  /** @param {string} text @param {string} kind @param {{colour: string|null, bold: boolean}} style */
  appendPiece(text, kind, style) {
    const cls = [kind, style.colour && `nnbook-ansi-${style.colour}`, style.bold && "nnbook-ansi-bold"].filter(Boolean).join(" ");
    let span = /** @type {HTMLElement|null} */ (this.box.lastElementChild);
    if (!span || span.tagName !== "SPAN" || span.className !== cls || span.dataset.full === "") {
      span = element("span", { class: cls });
      this.box.append(span);
    }
    const newline = text.lastIndexOf("\n");
    if (newline < 0) {
      this.extendOpenLine(span, text);
      return;
    }
    const done = text.slice(0, newline + 1);
    if (this.openLine && this.openLine.parentNode === span) this.openLine.data += done;
    else span.append(done);
    this.openLine = null;
    const rest = text.slice(newline + 1);
    if (rest) this.extendOpenLine(span, rest);
    const size = (span.textContent || "").length;
    if (size >= CHUNK && !rest) span.dataset.full = "";
  }

  /** @param {HTMLElement} span @param {string} text */
  extendOpenLine(span, text) {
    if (this.openLine && this.openLine.parentNode === span) {
      this.openLine.data += text;
    } else {
      this.openLine = document.createTextNode(text);
      span.append(this.openLine);
    }
  }

  showTruncated() {
    this.block(t("cells.truncated", { count: numberFormat({}).format(this.limits.output) }), "nnbook-notice-text");
    const download = button("download-output", t("cells.downloadOutput"), t("cells.downloadOutputTitle", { mb: this.limits.full_output / 1e6 }));
    download.addEventListener("click", () => this.download());
    this.box.append(download);
  }

  // The whole printed text as a file, made in the page: nothing is sent anywhere.
  download() {
    const file = new Blob(this.printed, { type: "text/plain;charset=utf-8" });
    const link = element("a", { href: URL.createObjectURL(file), download: `${this.name}-output.txt` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.getAttribute("href") || ""), 60_000);
  }

  /** @param {{mime: string, data: string, alt: string}} image */
  image({ mime, data, alt }) {
    if (!IMAGE_TYPES.has(mime) || !/^[A-Za-z0-9+/=]*$/.test(data)) return;
    this.openLine = null;
    // Decoded off the main thread: a cell showing many figures does not freeze the page.
    const img = element("img", { class: "nnbook-image", decoding: "async", src: `data:${mime};base64,${data}` });
    img.alt = alt ? t("cells.figureAltTitled", { title: alt }) : t(mime === "image/svg+xml" ? "cells.drawingAlt" : "cells.figureAlt");
    this.box.append(img);
  }
}
