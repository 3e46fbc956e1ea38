// @ts-check
/*
 * Numbers from Python, formatted here: the demos receive numbers, never text to show.
 *
 * `plain(v)` is for text (a true minus sign, the page's decimal mark), `tex(v)` for
 * formulas; both refuse anything that is not a finite number, so nothing but digits, a
 * sign and a decimal mark ever reaches the page or a formula.
 *
 * Not for: laying out a demo (demos/*.js).
 */
import { lang } from "../strings.js";

const decimals = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });
const comma = decimals.format(0.5).includes(",");
/** The page's decimal mark, which the pictures drawn in Python use too. */
export const decimalMark = comma ? "," : ".";
/** Between the numbers of a list: ", ", or "; " where the decimal mark is a comma. */
export const listSeparator = comma ? "; " : ", ";

/** @param {any} value */
export function number(value) {
  // The value itself is not repeated in the message: it came from Python.
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError("a demo value is not a finite number");
  return Object.is(value, -0) ? 0 : value;
}

/** Two decimals, a true minus sign ("−0.60" or "−0,60"). @param {any} value */
export function plain(value) {
  return decimals.format(number(value)).replace("-", "−");
}

/**
 * Two decimals for TeX ("{-0.60}", or "{-0{,}60}" where the page writes a decimal comma). A
 * negative number is a group, so that its minus is a sign, not a subtraction spaced as one
 * (after a list's ";\ " TeX would write "; − 1,00"). @param {any} value
 */
export function tex(value) {
  const n = number(value);
  const text = n.toFixed(2);
  const mark = comma ? text.replace(".", "{,}") : text;
  return n < 0 ? `{${mark}}` : mark;
}

/** A factor in a product: negative numbers in parentheses. */
export const texFactor = (/** @type {any} */ v) => (number(v) < 0 ? `(${tex(v)})` : tex(v));
export const plainFactor = (/** @type {any} */ v) => (number(v) < 0 ? `(${plain(v)})` : plain(v));

const SUB = "₀₁₂₃₄₅₆₇₈₉";
/** Subscript digits for plain text. @param {number} n */
export const sub = (n) => String(n).replace(/\d/g, (d) => SUB[Number(d)]);

/** A whole number from Python (an index, a digit), checked. @param {any} value */
export function integer(value) {
  if (!Number.isInteger(value)) throw new TypeError("a demo value is not a whole number");
  return value;
}

/** An <img> source for SVG text from Python: a data: URL made here, never a URL from Python. @param {any} svg */
export function svgImage(svg) {
  if (typeof svg !== "string" || !svg.startsWith("<svg")) throw new TypeError("not an SVG drawing");
  const bytes = new TextEncoder().encode(svg);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** The width and height (whole CSS pixels) an SVG from Python says it has, or null. @param {any} svg */
export function svgSize(svg) {
  const m = typeof svg === "string" ? /^<svg[^>]*?\swidth="(\d+(?:\.\d+)?)"[^>]*?\sheight="(\d+(?:\.\d+)?)"/.exec(svg) : null;
  return m ? [Math.round(Number(m[1])), Math.round(Number(m[2]))] : null;
}

/** Shows an SVG from Python in `img`, at the size it says it has (so its box is known at once). */
export function showSvg(/** @type {HTMLImageElement} */ img, /** @type {any} */ svg) {
  const src = svgImage(svg);
  const size = svgSize(svg);
  if (size && (img.width !== size[0] || img.height !== size[1])) {
    img.width = size[0];
    img.height = size[1];
  }
  img.src = src;
}
