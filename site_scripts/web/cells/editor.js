// @ts-check
/*
 * A cell's editor, made when needed: the build's highlighted code shows until then.
 *
 * Editors are not all made at page load (each measures the page; 16 of them hold the main
 * thread for over 100 ms while Python starts): once the page has settled, a cell's editor
 * is made when the cell comes near the viewport, one per task, or at once when the reader
 * clicks or focuses its code. (Not in idle time for cells far away: an editor made out of
 * view guesses the height of its wrapped lines and corrects it when seen, which would move
 * the page under the reader.) The editor itself (CodeMirror, site_scripts/web/editor/) is a
 * module of its own, loaded with the first editor; a plain textarea stands in if it cannot.
 *
 * Not for: running code or saving edits (cells/cell.js, cells/storage.js).
 */
import { element } from "../dom.js";

/**
 * @typedef {{getCode: () => string, setCode: (code: string) => void, focus: () => void,
 *   markLine: (n: number|null) => void}} Editor
 * @typedef {{label: string, describedBy: string, onRun: () => void, onRunNext: () => void,
 *   onChange: () => void, onEscape?: () => void}} EditorOptions
 */

/** @type {Promise<any>|null} */
let module = null;

/** The CodeMirror module, loaded once; null if it cannot be. @param {string} url */
function loadModule(url) {
  module ??= import(/* @vite-ignore */ url).catch((error) => {
    console.warn("nnbook: the code editor could not be loaded; a plain text area stands in", error);
    return null;
  });
  return module;
}

/** A plain textarea with the editor's methods. @param {HTMLElement} parent @param {string} doc @param {EditorOptions} options */
function plainEditor(parent, doc, options) {
  const area = /** @type {HTMLTextAreaElement} */ (element("textarea", {
    class: "nnbook-plain-editor", "aria-label": options.label, spellcheck: "false", rows: String(doc.split("\n").length),
  }));
  if (options.describedBy) area.setAttribute("aria-describedby", options.describedBy);
  area.value = doc;
  area.addEventListener("input", () => options.onChange());
  area.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    if (event.shiftKey) options.onRunNext();
    else if (event.ctrlKey || event.metaKey) options.onRun();
    else return;
    event.preventDefault();
  });
  parent.append(area);
  return {
    getCode: () => area.value,
    setCode(/** @type {string} */ code) { area.value = code; options.onChange(); },
    focus: () => area.focus(),
    markLine() {},
  };
}

/** Makes the editors of a page, lazily, in page order. */
export class EditorMaker {
  /** @param {string} moduleURL */
  constructor(moduleURL) {
    this.moduleURL = moduleURL;
    /** @type {Set<LazyEditor>} */
    this.unmade = new Set();
    this.making = false;
    this.allowed = false; // once the page has settled
    this.nearView = window.IntersectionObserver ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        this.nearView?.unobserve(entry.target);
        const editor = [...this.unmade].find((e) => e.box === entry.target);
        if (editor) setTimeout(() => editor.make(), 0);
      }
    }, { rootMargin: "300px 0px" }) : null;
  }

  /** From now on, editors near the view are made, and the others in idle time. */
  allow() {
    if (this.allowed) return;
    this.allowed = true;
    for (const editor of this.unmade) this.nearView?.observe(editor.box);
  }

  /** @param {HTMLElement} box @param {HTMLElement|null} source @param {string} doc @param {EditorOptions} options */
  create(box, source, doc, options) {
    const editor = new LazyEditor(this, box, source, doc, options);
    this.unmade.add(editor);
    if (this.allowed) this.nearView?.observe(box);
    return editor;
  }
}

export class LazyEditor {
  /** @param {EditorMaker} maker @param {HTMLElement} box @param {HTMLElement|null} source @param {string} doc @param {EditorOptions} options */
  constructor(maker, box, source, doc, options) {
    this.maker = maker;
    this.box = box;
    this.source = source;
    this.doc = doc;
    this.options = options;
    /** @type {Editor|null} */
    this.real = null;
    /** @type {Promise<Editor>|null} */
    this.making = null;
    /** @type {number|null} */
    this.line = null;
    // The static code takes the reader's first click into the editor at once; focus from the
    // keyboard moves into the editor only if the reader is still on the code when it is ready
    // (Tab may have gone on to Run meanwhile: never pull focus back).
    source?.addEventListener("pointerdown", () => this.make().then((e) => e.focus()), { once: true });
    source?.addEventListener("focusin", () => this.make(), { once: true });
  }

  /** @returns {Promise<Editor>} */
  make() {
    this.making ??= loadModule(this.maker.moduleURL).then((cm) => {
      this.maker.unmade.delete(this);
      const real = cm ? cm.create(this.box, this.doc, this.options) : plainEditor(this.box, this.doc, this.options);
      this.real = real;
      const stillHere = this.source?.contains(document.activeElement);
      if (this.source) this.source.hidden = true;
      if (stillHere) real.focus();
      if (this.line) real.markLine(this.line);
      return real;
    });
    return this.making;
  }

  getCode() {
    return this.real ? this.real.getCode() : this.doc;
  }

  /** @param {string} code */
  setCode(code) {
    if (this.real) this.real.setCode(code);
    else {
      this.doc = code;
      this.make();
    }
  }

  focus() {
    this.make().then((e) => e.focus());
  }

  /** @param {number|null} n */
  markLine(n) {
    if (this.real) this.real.markLine(n);
    else this.line = n;
  }
}
