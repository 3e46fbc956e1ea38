// @ts-check
/*
 * The frame every demo shares: a status line (loading, with Python's progress, or an
 * error), a stage, controls, and a live region that speaks each step as plain text.
 *
 * Stable hooks: the demo's data-nnbook-demo and data-state="loading|ready|error"; the
 * loading or error message in data-nnbook-status; the spoken text in data-nnbook-narration.
 * Loading text follows the book's "status" events (the page's progress line), not any
 * other element's text.
 *
 * Not for: a demo's own views (stepper.js, mnist.js, draw.js).
 */
import { element } from "../dom.js";
import { t } from "../strings.js";
import { decimalMark } from "./format.js";

/** A demo's button: icon and label, its data-nnbook-action hook. */
export function demoButton(/** @type {string} */ action, /** @type {string} */ label, /** @type {string} */ icon,
  { iconAfter = false, title = "" } = {}) {
  const node = element("button", { type: "button", class: "nnbook-demo-button", "data-nnbook-action": action });
  if (title) node.title = title;
  const mark = element("span", { "aria-hidden": "true" }, icon);
  const text = element("span", {}, label);
  node.append(...(iconAfter ? [text, mark] : [mark, text]));
  return node;
}

export class Demo {
  /** @param {HTMLElement} root @param {string} label @param {import("../book.js").Book} book */
  constructor(root, label, book) {
    this.root = root;
    this.book = book;
    root.replaceChildren();
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", label);
    this.status = element("p", { class: "nnbook-demo-status", "data-nnbook-status": "" });
    this.stage = element("div", { class: "nnbook-demo-stage" });
    this.controls = element("div", { class: "nnbook-demo-controls" });
    this.narration = element("p", { class: "nnbook-sr-only", "aria-live": "polite", "data-nnbook-narration": "" });
    root.append(this.status, this.stage, this.controls, this.narration);
    this.onStatus = (/** @type {any} */ e) => {
      if (this.root.dataset.state === "loading") this.status.textContent = this.loadingText(e.detail);
    };
    book.addEventListener("status", this.onStatus);
    this.showLoading();
  }

  /** @param {string} [progress] */
  loadingText(progress = "") {
    return progress ? t("demos.loadingProgress", { progress }) : t("demos.loading");
  }

  showLoading() {
    this.root.dataset.state = "loading";
    this.status.hidden = false;
    this.status.textContent = this.loadingText(this.book.statusText);
  }

  ready() {
    this.root.dataset.state = "ready";
    this.status.hidden = true;
    this.status.textContent = "";
  }

  /** @param {any} error @param {boolean} [starting] */
  fail(error, starting = false) {
    this.root.dataset.state = "error";
    this.status.setAttribute("role", "alert");
    this.status.hidden = false;
    const message = error?.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error?.message || String(error);
    this.status.textContent = t(starting ? "demos.failed" : "demos.demoError", { message: String(message).slice(0, 500) });
  }

  /**
   * Calls a demo function of the kernel (queued behind the cells), with the page's
   * decimal mark for its pictures. @param {string} name @param {object} kwargs
   */
  call(name, kwargs) {
    return this.book.call("nnbook_kernel.demos", name, { decimal: decimalMark, ...kwargs });
  }

  async start() {
    try {
      await this.book.python.start();
    } catch (error) {
      this.fail(error, true);
      return;
    }
    await this.refresh();
  }

  async refresh() {}
}
