// @ts-check
/*
 * The words of the live cells, demos and exercises, in the page's language.
 *
 *   t("cells.stopped")                         -> "Stopped."
 *   t("cells.downloading", {mb: "3.2"})        -> "Downloading Python… 3.2 MB"
 *
 * The strings come from site_scripts/strings/<lang>.json, which the build puts in the
 * page's config (English under any key a language lacks; a test checks there is none).
 *
 * Not for: the chapter's text (docs/<lang>/).
 */
import { config } from "./config.js";

const STRINGS = config?.strings || {};
export const lang = config?.lang || document.documentElement.lang || "en";

/** @param {string} key @returns {string|undefined} */
export function raw(key) {
  let node = /** @type {any} */ (STRINGS);
  for (const part of key.split(".")) node = node?.[part];
  return typeof node === "string" ? node : undefined;
}

/** @param {string} key @param {Record<string, any>} [vars] */
export function t(key, vars = {}) {
  const text = raw(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}

/**
 * A template whose {names} are filled with parts that may be objects (e.g. math): an array
 * of strings and those parts, in order. @param {string} key @param {Record<string, any>} vars
 */
export function parts(key, vars) {
  const text = raw(key) ?? key;
  return text.split(/(\{\w+\})/).filter(Boolean).map((piece) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1];
    return name && name in vars ? vars[name] : piece;
  });
}

export const numberFormat = (/** @type {Intl.NumberFormatOptions} */ options) => new Intl.NumberFormat(lang, options);
