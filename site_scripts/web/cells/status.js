// @ts-check
/*
 * Python's state for the whole page, at the top of its first cell: a progress bar with
 * the stage and the megabytes downloaded of the total, then "ready", or what failed.
 * It listens to the client's events; it is an aria-live region, so a screen reader hears
 * each stage once.
 *
 * Not for: a cell's own status line (cells/cell.js).
 */
import { element } from "../dom.js";
import { t, numberFormat } from "../strings.js";
import { SPECS } from "../protocol.js";

const STAGES = SPECS.stages; // the start-up stages, in order (protocol.json)

export class RuntimeStatus {
  /** @param {import("../book.js").Book} book */
  constructor(book) {
    this.book = book;
    this.element = element("div", { class: "nnbook-runtime", "data-nnbook-runtime": "", "data-state": "idle" });
    this.text = element("span", { class: "nnbook-runtime-text", role: "status", "aria-live": "polite" });
    this.bar = /** @type {HTMLProgressElement} */ (element("progress", { class: "nnbook-progress", max: "100", value: "0", "aria-hidden": "true" }));
    this.element.append(this.bar, this.text);
    this.megabytes = numberFormat({ minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const python = book.python;
    python.addEventListener("progress", (/** @type {any} */ e) => this.progress(e.detail));
    python.addEventListener("ready", () => this.ready());
    python.addEventListener("failed", (/** @type {any} */ e) => this.failed(e.detail.error));
    if (python.isReady) this.ready();
    else if (python.loaded) this.set(t("cells.downloading", { mb: this.mb(0), total: this.mb(this.total) }));
  }

  get total() {
    return this.book.config.runtime.startBytes || 0;
  }

  /** @param {number} bytes */
  mb(bytes) {
    return this.megabytes.format((bytes || 0) / 1e6);
  }

  /** @param {string} text @param {string} [state] */
  set(text, state = "loading") {
    this.text.textContent = text;
    this.element.dataset.state = state;
    this.bar.hidden = state !== "loading";
  }

  /** Python starts (again): from zero. */
  loading() {
    this.bar.value = 0;
    this.set(t("cells.downloading", { mb: this.mb(0), total: this.mb(this.total) }));
  }

  /** @param {{stage: string, bytes: number}} m */
  progress(m) {
    const stage = STAGES.indexOf(m.stage);
    if (stage < 0) return;
    this.element.dataset.stage = m.stage;
    // Downloading is most of the wait on a network; each later stage a quarter of the rest.
    const downloaded = this.total ? Math.min(m.bytes / this.total, 1) : 0;
    const percent = stage === 0 ? 60 * downloaded : 60 + 10 * stage;
    this.bar.value = Math.max(this.bar.value, percent);
    const texts = {
      download: () => t("cells.downloading", { mb: this.mb(m.bytes), total: this.mb(this.total) }),
      start: () => t("cells.starting"),
      packages: () => t("cells.loadingPackages"),
      kernel: () => t("cells.preparing"),
    };
    this.set(/** @type {any} */ (texts)[m.stage]());
    this.book.emitStatus(this.text.textContent || "");
  }

  ready() {
    this.bar.value = 100;
    this.set(t("cells.ready"), "ready");
    this.book.emitStatus("");
  }

  /** @param {any} error */
  failed(error) {
    if (error?.name === "Stopped") return;
    const stalled = /^stalled:(\d+)$/.exec(error?.message || "");
    const message = stalled ? t("cells.loadStalled", { seconds: stalled[1] }) : String(error?.message || error);
    this.set(t("cells.loadFailed", { message }), "error");
  }
}
