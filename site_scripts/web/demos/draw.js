// @ts-check
/*
 * Draw a digit: the reader's drawing, classified as it is drawn.
 *
 * Drawing works before Python is ready; the answer follows once it is. Nothing moves under
 * the pen: the canvas and the two pictures sit in boxes of fixed size (an empty box says
 * what will appear in it), and the answer's line has room for its longest text. When the
 * network is unsure (its top probability under UNSURE) the answer says so, and names its
 * best guess.
 * Hooks: the canvas data-nnbook-canvas; Clear data-nnbook-action="clear";
 * data-nnbook-prediction once an answer is shown; data-nnbook-busy while the drawing has
 * changed since the answer shown.
 *
 * Not for: computing anything (nnbook_kernel.demos) or the shared frame (demos/frame.js).
 */
import { element } from "../dom.js";
import { t, numberFormat } from "../strings.js";
import { Demo, demoButton } from "./frame.js";
import { barsAlt } from "./mnist.js";
import { integer, number, showSvg } from "./format.js";

const CANVAS = 280; // CSS pixels of the drawing area (it shrinks on narrow screens)
const SCALE = 2; // its backing store is twice as fine, for sharp strokes
const SENT = 56; // the drawing goes to Python as SENT x SENT grey bytes (area averages)
const BRUSH = 22; // CSS pixels: about 2 px of MNIST's 20 px box for a full-height digit
const THROTTLE = 60; // ms between two classifications while drawing
const UNSURE = 0.7; // below this top probability, the network "is not sure"
const percent = numberFormat({ style: "percent", maximumFractionDigits: 0 });

export class Draw extends Demo {
  /** @param {HTMLElement} root @param {import("../book.js").Book} book */
  constructor(root, book) {
    super(root, t("demos.drawLabel"), book);
    this.canvas = /** @type {HTMLCanvasElement} */ (element("canvas", {
      width: String(CANVAS * SCALE), height: String(CANVAS * SCALE), tabindex: "0", role: "img",
      "aria-label": t("demos.canvasLabel"), "data-nnbook-canvas": "", class: "nnbook-demo-canvas",
    }));
    this.ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d", { willReadFrequently: true }));
    this.blank();
    const pad = element("div", { class: "nnbook-demo-pad" });
    this.buttons = { clear: demoButton("clear", t("demos.clear"), "⌫") };
    pad.append(this.canvas);
    const figure = (/** @type {string} */ cls, /** @type {string} */ caption, /** @type {string} */ empty) => {
      const f = element("figure", { class: `nnbook-demo-figure ${cls}` });
      const box = element("div", { class: "nnbook-demo-box" });
      const img = /** @type {HTMLImageElement} */ (element("img", { alt: "" }));
      box.append(img, element("p", { class: "nnbook-demo-empty-text", "aria-hidden": "true" }, empty));
      f.append(box, element("figcaption", {}, caption));
      return /** @type {[HTMLElement, HTMLImageElement]} */ ([f, img]);
    };
    const [inputFigure, input] = figure("nnbook-demo-digit", t("demos.inputCaption"), t("demos.inputEmpty"));
    const [barsFigure, bars] = figure("nnbook-demo-bars", t("demos.outputCaption"), t("demos.outputEmpty"));
    this.images = { input, bars };
    this.figures = [inputFigure, barsFigure];
    this.grid = element("div", { class: "nnbook-demo-grid nnbook-demo-grid-draw" });
    this.grid.append(pad, inputFigure, barsFigure);
    this.answer = element("p", { class: "nnbook-demo-result", "aria-hidden": "true" }, t("demos.drawPrompt"));
    this.stage.append(this.grid);
    this.controls.append(this.buttons.clear);
    pad.append(this.controls, this.answer); // Clear and the answer sit under the drawing
    this.buttons.clear.addEventListener("click", () => this.clear());
    this.canvas.addEventListener("keydown", (event) => {
      if (event.key === "Delete" || event.key === "Backspace") {
        event.preventDefault();
        this.clear();
      }
    });
    this.listen();
    this.inked = false;
    this.pending = false; // the drawing changed since it was last sent
    /** @type {Promise<any>|null} */
    this.sending = null;
    this.lastSent = 0;
    /** @type {number|null} */
    this.timer = null;
    this.showFigures(false);
    this.narration.textContent = t("demos.drawPrompt");
    book.onRestart(() => this.refresh());
    this.start();
  }

  async refresh() {
    this.ready();
    if (this.inked) this.classify();
  }

  blank() {
    this.ctx.fillStyle = "#000";
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** @param {boolean} on */
  showFigures(on) {
    for (const f of this.figures) f.classList.toggle("nnbook-demo-empty", !on);
  }

  /** @param {PointerEvent} event */
  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * (this.canvas.width / box.width),
      (event.clientY - box.top) * (this.canvas.height / box.height)];
  }

  listen() {
    /** @type {number[]|null} */
    let last = null;
    const c = this.canvas;
    const stroke = (/** @type {number[]} */ from, /** @type {number[]} */ to) => {
      const ctx = this.ctx;
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = BRUSH * SCALE;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.beginPath();
      ctx.moveTo(from[0], from[1]);
      ctx.lineTo(to[0], to[1]);
      ctx.stroke();
    };
    c.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      c.setPointerCapture(event.pointerId);
      c.focus({ preventScroll: true });
      last = this.point(event);
      stroke(last, last);
      this.changed();
    });
    c.addEventListener("pointermove", (event) => {
      if (!last) return;
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      for (const e of events.length ? events : [event]) {
        const p = this.point(e);
        stroke(/** @type {number[]} */ (last), p);
        last = p;
      }
      this.changed();
    });
    const end = () => {
      if (!last) return;
      last = null;
      this.changed(true);
    };
    c.addEventListener("pointerup", end);
    c.addEventListener("pointercancel", end);
  }

  changed(now = false) {
    this.inked = true;
    this.pending = true;
    this.root.dataset.nnbookBusy = "";
    if (this.root.dataset.state !== "ready") return;
    if (now || performance.now() - this.lastSent >= THROTTLE) this.classify();
    else if (!this.timer) {
      this.timer = window.setTimeout(() => {
        this.timer = null;
        this.classify();
      }, THROTTLE);
    }
  }

  // The canvas as SENT x SENT grey bytes: the average of each block of pixels.
  pixels() {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const block = width / SENT;
    const sums = new Float64Array(SENT * SENT);
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y / block) * SENT;
      for (let x = 0; x < width; x++) sums[row + Math.floor(x / block)] += rgba[(y * width + x) * 4];
    }
    const bytes = new Uint8Array(SENT * SENT);
    const area = block * block;
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(sums[i] / area);
    let text = "";
    for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
    return btoa(text);
  }

  // One request at a time; strokes drawn meanwhile are sent when it returns.
  async classify() {
    if (this.sending || !this.pending) return;
    this.pending = false;
    this.lastSent = performance.now();
    const titles = { digit: t("demos.drawInputTitle"), bars: t("demos.drawBarsTitle") };
    this.sending = this.call("classify_drawing", { pixels: this.pixels(), side: SENT, titles });
    try {
      this.show(await this.sending);
    } catch (error) {
      this.fail(error);
    } finally {
      this.sending = null;
    }
    if (this.pending) this.changed(true);
    else delete this.root.dataset.nnbookBusy;
  }

  /** @param {any} r */
  show(r) {
    if (!this.inked || r.blank) {
      this.reset();
      return;
    }
    const prediction = integer(r.prediction);
    const p = number(r.probabilities[prediction]);
    showSvg(this.images.input, r.digit);
    this.images.input.alt = t("demos.drawInputTitle");
    showSvg(this.images.bars, r.bars);
    this.images.bars.alt = barsAlt(r.probabilities);
    this.showFigures(true);
    const text = p < UNSURE ? t("demos.drawUnsure", { p: prediction, pct: percent.format(p) })
      : t("demos.drawAnswer", { p: prediction, pct: percent.format(p) });
    this.answer.textContent = text;
    this.answer.dataset.sure = String(p >= UNSURE);
    this.narration.textContent = text;
    this.root.dataset.nnbookPrediction = String(prediction);
    this.root.dataset.nnbookMs = String(number(r.ms));
  }

  reset() {
    this.images.input.removeAttribute("src");
    this.images.bars.removeAttribute("src");
    this.showFigures(false);
    this.answer.textContent = t("demos.drawPrompt");
    delete this.answer.dataset.sure;
    this.narration.textContent = t("demos.drawBlank");
    delete this.root.dataset.nnbookPrediction;
  }

  clear() {
    this.blank();
    this.inked = false;
    this.pending = false;
    delete this.root.dataset.nnbookBusy;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.reset();
    this.canvas.focus({ preventScroll: true });
  }
}
