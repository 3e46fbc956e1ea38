// @ts-check
/*
 * The MNIST classifier: the bundled held-out digits, classified by the bundled network.
 *
 * Hooks: buttons data-nnbook-action="prev|next|random"; data-nnbook-index,
 * data-nnbook-prediction and data-nnbook-label once a digit is shown. A number out of
 * range is brought back in range, and the demo says so.
 *
 * Not for: computing anything (nnbook_kernel.demos) or the shared frame (demos/frame.js).
 */
import { element } from "../dom.js";
import { t, numberFormat } from "../strings.js";
import { Demo, demoButton } from "./frame.js";
import { integer, number, showSvg } from "./format.js";

const percent = numberFormat({ style: "percent", maximumFractionDigits: 0 });

/** @param {number[]} probabilities */
export function barsAlt(probabilities) {
  const list = probabilities.map((p, digit) => `${digit}: ${percent.format(number(p))}`).join(", ");
  return t("demos.barsAlt", { list });
}

export class Mnist extends Demo {
  /** @param {HTMLElement} root @param {import("../book.js").Book} book */
  constructor(root, book) {
    super(root, t("demos.mnistLabel"), book);
    this.index = 0;
    this.count = 2000;
    this.seen = new Map(); // digit number -> predicted right?
    /** @type {number|null} the digit to show once the current one is shown */
    this.wanted = null;
    const figure = (/** @type {string} */ cls) => {
      const f = element("figure", { class: `nnbook-demo-figure ${cls}` });
      const img = /** @type {HTMLImageElement} */ (element("img", { alt: "" }));
      f.append(img);
      return /** @type {[HTMLElement, HTMLImageElement]} */ ([f, img]);
    };
    const [digitFigure, digit] = figure("nnbook-demo-digit");
    const [netFigure, net] = figure("nnbook-demo-sketch");
    const [barsFigure, bars] = figure("nnbook-demo-bars");
    this.images = { digit, net, bars };
    this.grid = element("div", { class: "nnbook-demo-grid nnbook-demo-grid-3" });
    this.grid.append(digitFigure, netFigure, barsFigure);
    this.grid.hidden = true;
    this.result = element("p", { class: "nnbook-demo-result", "aria-hidden": "true" });
    this.score = element("p", { class: "nnbook-demo-score", "aria-hidden": "true" });
    this.buttons = {
      prev: demoButton("prev", t("demos.previous"), "◀"),
      next: demoButton("next", t("demos.next"), "▶", { iconAfter: true }),
      random: demoButton("random", t("demos.random"), "⤨"),
    };
    const id = `nnbook-digit-${Math.random().toString(36).slice(2, 8)}`;
    this.field = /** @type {HTMLInputElement} */ (element("input", { type: "number", id, min: "0", max: String(this.count - 1), step: "1", value: "0", class: "nnbook-demo-number", inputmode: "numeric" }));
    const label = element("label", { for: id, class: "nnbook-demo-field" }, t("demos.digitNumber"));
    this.of = element("span", { class: "nnbook-demo-of" }, t("demos.ofCount", { count: this.count }));
    const field = element("span", { class: "nnbook-demo-fieldset" });
    field.append(label, this.field, this.of);
    this.fieldNote = element("p", { class: "nnbook-demo-field-note", role: "status" });
    this.controls.append(this.buttons.prev, this.buttons.next, this.buttons.random, field);
    this.stage.append(this.grid, this.controls, this.fieldNote, this.result, this.score);
    root.append(element("p", { class: "nnbook-demo-hint" }, t("demos.mnistKeys")));
    this.buttons.prev.addEventListener("click", () => this.show(this.index - 1));
    this.buttons.next.addEventListener("click", () => this.show(this.index + 1));
    this.buttons.random.addEventListener("click", () => this.show(Math.floor(Math.random() * this.count)));
    this.field.addEventListener("change", () => this.typed());
    root.addEventListener("keydown", (event) => {
      if (event.target === this.field || event.altKey || event.ctrlKey || event.metaKey) return;
      const move = /** @type {any} */ ({ ArrowLeft: -1, ArrowRight: 1 })[event.key];
      if (!move || this.root.dataset.state !== "ready") return;
      event.preventDefault();
      this.show(this.index + move);
    });
    this.setEnabled(false);
    book.onRestart(() => this.refresh());
    this.start();
  }

  /** @param {boolean} on */
  setEnabled(on) {
    for (const b of Object.values(this.buttons)) b.disabled = !on;
    this.field.disabled = !on;
  }

  async refresh() {
    try {
      const net = await this.call("mnist_network", { title: t("demos.mnistNetTitle") });
      showSvg(this.images.net, net.image);
      this.images.net.alt = t("demos.mnistNetTitle", { hidden: integer(net.sizes[1]) });
      await this.render(this.index);
      this.ready();
      this.setEnabled(true);
    } catch (error) {
      this.fail(error);
    }
  }

  // A number typed out of range is brought back in range, with a note.
  typed() {
    const i = Number.parseInt(this.field.value, 10);
    if (!Number.isFinite(i)) {
      this.field.value = String(this.index);
      return;
    }
    const clamped = Math.min(Math.max(i, 0), this.count - 1);
    this.fieldNote.textContent = clamped === i ? "" : t("demos.digitClamped", { last: this.count - 1, shown: clamped });
    this.show(clamped, { keepNote: true });
  }

  // Clicks while Python works are not queued one by one: the last one wins.
  /** @param {number} i */
  async show(i, { keepNote = false } = {}) {
    if (!keepNote) this.fieldNote.textContent = "";
    this.index = ((i % this.count) + this.count) % this.count;
    this.field.value = String(this.index);
    if (this.busy) {
      this.wanted = this.index;
      return;
    }
    this.busy = true;
    try {
      await this.render(this.index);
      while (this.wanted !== null) {
        const next = this.wanted;
        this.wanted = null;
        await this.render(next);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  /** @param {number} i */
  async render(i) {
    const titles = { digit: t("demos.digitTitle"), bars: t("demos.barsTitle"), network: t("demos.mnistNetTitle") };
    const d = await this.call("mnist_digit", { i, titles, shade: true });
    const [index, label, prediction, count] = [d.index, d.label, d.prediction, d.count].map(integer);
    d.probabilities.forEach(number);
    this.count = count;
    this.field.max = String(count - 1);
    this.of.textContent = t("demos.ofCount", { count });
    showSvg(this.images.digit, d.digit);
    this.images.digit.alt = t("demos.digitTitle", { index, label });
    showSvg(this.images.bars, d.bars);
    this.images.bars.alt = barsAlt(d.probabilities);
    if (d.network) showSvg(this.images.net, d.network);
    this.grid.hidden = false;
    const ok = prediction === label;
    this.seen.set(index, ok);
    const right = [...this.seen.values()].filter(Boolean).length;
    const verdict = t(ok ? "demos.right" : "demos.wrong");
    const result = `${t("demos.predicted", { p: prediction })} · ${t("demos.trueLabel", { l: label })} · ${verdict}`;
    this.result.replaceChildren(element("span", { class: ok ? "nnbook-demo-right" : "nnbook-demo-wrong" }, result));
    const score = t("demos.accuracy", { right, seen: this.seen.size });
    this.score.textContent = score;
    this.narration.textContent = [`${t("demos.digitNumber")} ${index}`, result, score].join(t("demos.join")) + t("demos.join").trim();
    this.root.dataset.nnbookIndex = String(index);
    this.root.dataset.nnbookPrediction = String(prediction);
    this.root.dataset.nnbookLabel = String(label);
  }
}
