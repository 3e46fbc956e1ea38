// @ts-check
/*
 * The forward-pass stepper: the `network` cell's net, x and target, one step at a time.
 *
 * Steps: the data point, each layer's weights, the inputs, each neuron (its weighted sum
 * and activation, the picture filling in one neuron after the other), the output, and the
 * error if there is a target. The numbers come from the kernel (nnbook_kernel.demos) as
 * numbers; every word and formula is made here.
 *
 * Where the numbers come from (data-nnbook-origin): "book", the cell's code as the book
 * wrote it; "cell", the cell as the reader last ran it (the book's "ran" event says when);
 * "example", random example k.
 * Nothing moves from step to step: every step's text is written at once, in layers stacked
 * in one grid cell (the box is as tall as the tallest step), and the pictures, all of one
 * size, sit in a box of that size; the controls are between the picture and the text.
 * Hooks: buttons data-nnbook-action="prev|next|new"; data-step (0-based), data-steps;
 * data-nnbook-typeset once every step's formulas are typeset.
 *
 * Not for: computing anything (the kernel does) or the shared frame (demos/frame.js).
 */
import { element } from "../dom.js";
import { t, parts } from "../strings.js";
import { Demo, demoButton } from "./frame.js";
import { plain, tex, texFactor, plainFactor, sub, integer, svgImage, svgSize, listSeparator } from "./format.js";
import { math, writeNarration, typeset } from "./narration.js";

const NETWORK_CELL = "network"; // the cell that defines the stepper's net, x and target
const comma = listSeparator === "; " ? ";\\ " : ",\\ "; // the list separator, in formulas
const NARROW = 520; // px: a narration box narrower than this writes two terms of a sum per line

/** @param {number[]} values */
function vector(values) {
  return math(`(${values.map(tex).join(comma)})`, `(${values.map(plain).join(listSeparator)})`);
}

export class Stepper extends Demo {
  /** @param {HTMLElement} root @param {import("../book.js").Book} book */
  constructor(root, book) {
    super(root, t("demos.stepperLabel"), book);
    root.tabIndex = 0;
    this.step = 0;
    /** @type {any} */
    this.data = null;
    this.origin = null;
    this.example = 0;
    this.figure = element("figure", { class: "nnbook-demo-figure nnbook-demo-network-figure" });
    this.image = /** @type {HTMLImageElement} */ (element("img", { class: "nnbook-demo-network", alt: "" }));
    this.figure.append(this.image);
    this.figure.hidden = true;
    this.text = element("div", { class: "nnbook-demo-narration", "aria-hidden": "true", hidden: "" });
    /** @type {HTMLElement[]} one layer of text per step */
    this.layers = [];
    /** @type {string[]} each step's text, as the live region speaks it */
    this.spoken = [];
    this.narrow = false;
    this.note = element("p", { class: "nnbook-demo-note" });
    this.buttons = {
      prev: demoButton("prev", t("demos.previous"), "◀"),
      next: demoButton("next", t("demos.next"), "▶", { iconAfter: true }),
      new: demoButton("new", t("demos.newExample"), "⟳", { title: t("demos.newExampleTitle") }),
    };
    this.counter = element("span", { class: "nnbook-demo-counter" });
    this.controls.append(this.buttons.prev, this.counter, this.buttons.next, this.buttons.new);
    // The picture and its controls stay together (on a phone too); the narration follows.
    this.stage.append(this.figure, this.controls, this.text);
    this.keys = element("p", { class: "nnbook-demo-hint" }, t("demos.stepperKeys"));
    root.append(this.note, this.keys);
    this.buttons.prev.addEventListener("click", () => this.go(this.step - 1));
    this.buttons.next.addEventListener("click", () => this.go(this.step + 1));
    this.buttons.new.addEventListener("click", () => this.newExample());
    root.addEventListener("keydown", (event) => this.key(event));
    // A phone turned sideways (or a window resized) across NARROW: the sums are laid out again.
    if (window.ResizeObserver) {
      new ResizeObserver(() => {
        if (this.data && !this.text.hidden && this.isNarrow() !== this.narrow) {
          this.writeSteps();
          this.render();
        }
      }).observe(this.text);
    }
    this.setEnabled(false);
    book.addEventListener("ran", (/** @type {any} */ e) => {
      if (e.detail.cell === NETWORK_CELL) this.load("cell");
    });
    book.onRestart(() => this.refresh());
    this.start();
  }

  /** @param {boolean} on */
  setEnabled(on) {
    for (const b of Object.values(this.buttons)) b.disabled = !on;
    if (on) this.updateButtons();
  }

  /** @param {KeyboardEvent} event */
  key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !this.data) return;
    const move = /** @type {any} */ ({ ArrowLeft: -1, ArrowRight: 1 })[event.key];
    if (!move) return;
    event.preventDefault();
    this.go(this.step + move);
  }

  titles() {
    return { net: t("demos.netTitle"), values: t("demos.valuesTitle"), neuron: t("demos.neuronTitle") };
  }

  /** The code of the network cell: as the reader last ran it, or as the book wrote it. */
  cellCode(/** @type {string} */ origin) {
    if (origin === "cell") return this.book.ranCode(NETWORK_CELL);
    const node = /** @type {HTMLTextAreaElement|null} */ (document.querySelector(`[data-nnbook-cell="${NETWORK_CELL}"] [data-nnbook-source]`));
    return node ? node.value : null;
  }

  async refresh() {
    if (this.origin === "example") return this.load("example");
    if (this.book.ranCode(NETWORK_CELL) !== null) return this.load("cell");
    return this.load(this.cellCode("book") !== null ? "book" : "example");
  }

  newExample() {
    this.example += 1;
    this.step = 0;
    return this.load("example");
  }

  /** @param {string} origin */
  async load(origin) {
    const titles = this.titles();
    if (origin === "example" && this.example === 0) this.example = 1;
    const calls = {
      book: () => this.call("stepper_from_source", { source: this.cellCode("book"), titles }),
      // The cell's own code, run apart: a later cell that redefines `net` does not count.
      cell: () => this.call("stepper_from_source", { source: this.cellCode("cell"), titles })
        .catch(() => this.call("stepper_cell", { titles })),
      example: () => this.call("stepper_example", { k: this.example, titles }),
    };
    this.loading = (this.loading || Promise.resolve()).then(async () => {
      try {
        const data = await /** @type {any} */ (calls)[origin]();
        this.check(data);
        if (origin !== this.origin || origin === "example") this.step = 0;
        this.data = data;
        this.origin = origin;
        this.root.dataset.nnbookOrigin = origin;
        this.note.textContent = origin === "example" ? t("demos.originExample", { k: this.example })
          : t(origin === "cell" ? "demos.originCell" : "demos.originBook");
        this.ready();
        this.setEnabled(true);
        this.writeSteps();
        this.render();
      } catch (error) {
        if (origin === "cell" && this.data) {
          this.note.textContent = t("demos.cellRejected", { message: `${error.name}: ${String(error.message).slice(0, 200)}` });
        } else if (origin === "cell") {
          this.load("book");
        } else {
          this.fail(error);
        }
      }
    });
    return this.loading;
  }

  /** The numbers are numbers, the drawings drawings: anything else is refused. @param {any} d */
  check(d) {
    d.sizes.forEach(integer);
    d.x.forEach(plain);
    for (const layer of d.layers) {
      layer.w.flat().forEach(plain);
      layer.b.forEach(plain);
    }
    for (const s of d.trace) {
      integer(s.layer); integer(s.index);
      [...s.inputs, ...s.w, s.b, s.z, s.y].forEach(plain);
    }
    d.y.forEach(plain);
    if (d.target) [...d.target, ...d.error, d.squared].forEach(plain);
    this.images = Object.fromEntries(Object.entries(d.images).map(([k, svg]) => [k, svgImage(svg)]));
    // Every picture has the size of the first: the <img> gets it, so its box never changes.
    const size = svgSize(d.images.start);
    if (size) [this.image.width, this.image.height] = size;
  }

  get steps() {
    const d = this.data;
    return [
      { kind: "data" },
      ...d.layers.map((/** @type {any} */ _, /** @type {number} */ i) => ({ kind: "params", layer: i + 1 })),
      { kind: "inputs" },
      ...d.trace.map((/** @type {any} */ s) => ({ kind: "neuron", s })),
      { kind: "output" },
      ...(d.target ? [{ kind: "error" }] : []),
    ];
  }

  /** @param {number} step */
  go(step) {
    if (!this.data) return;
    const steps = this.steps;
    const focused = document.activeElement;
    this.step = Math.min(Math.max(step, 0), steps.length - 1);
    this.render();
    // A button that just became disabled would drop the focus to the page: keep it here.
    if (focused instanceof HTMLButtonElement && focused.disabled) {
      (focused === this.buttons.next ? this.buttons.prev : this.buttons.next).focus();
    }
  }

  updateButtons() {
    const total = this.data ? this.steps.length : 0;
    this.buttons.prev.disabled = this.step <= 0;
    this.buttons.next.disabled = this.step >= total - 1;
  }

  /** @param {number} l */
  layerName(l) {
    const layers = this.data.layers.length;
    if (l === layers) return t("demos.outputLayer");
    return layers === 2 ? t("demos.hiddenLayer") : t("demos.hiddenLayerN", { l });
  }

  /** @param {any} s */
  neuronName(s) {
    const layers = this.data.layers.length;
    const n = s.index + 1;
    if (s.layer === layers) return this.data.sizes[layers] === 1 ? t("demos.outputNeuron") : t("demos.outputNeuronN", { n });
    return layers === 2 ? t("demos.hiddenNeuron", { n }) : t("demos.hiddenNeuronL", { n, l: s.layer });
  }

  // z = w1·x1 + … + b = numbers = z, and y = σ(z) = …, with the actual numbers.
  /** @param {any} s */
  neuronMath(s) {
    const symbol = s.layer === 1 ? "x" : "h";
    const many = s.w.length > 6; // a wide layer: the first terms, …, the last one
    const shown = many ? [0, 1, 2, s.w.length - 1] : s.w.map((/** @type {any} */ _, /** @type {number} */ i) => i);
    const gap = (/** @type {number} */ k) => many && k === 3;
    const texSymbols = shown.map((i, k) => (gap(k) ? "\\dots + " : "") + `w_{${i + 1}} ${symbol}_{${i + 1}}`).join(" + ");
    const perLine = this.narrow ? 2 : Infinity;
    const texTerms = shown.map((i, k) => (gap(k) ? "\\dots + " : "") + `${texFactor(s.w[i])} \\cdot ${texFactor(s.inputs[i])}`);
    const texValues = texTerms.map((term, k) => (k === 0 ? "" : k % perLine === 0 ? " \\\\ &\\quad {}+ " : " + ") + term).join("");
    const plainSymbols = shown.map((i, k) => (gap(k) ? "… + " : "") + `w${sub(i + 1)}·${symbol}${sub(i + 1)}`).join(" + ");
    const plainValues = shown.map((i, k) => (gap(k) ? "… + " : "") + `${plainFactor(s.w[i])}·${plainFactor(s.inputs[i])}`).join(" + ");
    const negative = s.b < 0;
    const b = negative ? ` - ${tex(-s.b)}` : ` + ${tex(s.b)}`;
    const plainB = negative ? ` − ${plain(-s.b)}` : ` + ${plain(s.b)}`;
    const z = math(
      `\\begin{aligned} z &= ${texSymbols} + b \\\\ &= ${texValues}${b} \\\\ &= ${tex(s.z)} \\end{aligned}`,
      `z = ${plainSymbols} + b = ${plainValues}${plainB} = ${plain(s.z)}`, true);
    const forms = {
      sigmoid: [`y = \\sigma(z) = \\sigma(${tex(s.z)}) = ${tex(s.y)}`, `y = σ(z) = σ(${plain(s.z)}) = ${plain(s.y)}`],
      relu: [`y = \\max(0, z) = \\max(0, ${tex(s.z)}) = ${tex(s.y)}`, `y = max(0, z) = max(0, ${plain(s.z)}) = ${plain(s.y)}`],
      linear: [`y = z = ${tex(s.y)}`, `y = z = ${plain(s.y)}`],
      softmax: [`y = \\mathrm{softmax}(z)_{${s.index + 1}} = ${tex(s.y)}`, `y = softmax(z)${sub(s.index + 1)} = ${plain(s.y)}`],
    };
    const activation = /** @type {any} */ (forms)[s.activation] || [`y = ${tex(s.y)}`, `y = ${plain(s.y)}`];
    return [z, math(activation[0], activation[1], true)];
  }

  /** @param {any} step */
  blocks(step) {
    const d = this.data;
    const single = d.y.length === 1;
    const yMath = single ? math(`y = ${tex(d.y[0])}`, `y = ${plain(d.y[0])}`) : math(`y = ${vector(d.y).tex}`, `y = ${vector(d.y).plain}`);
    const tMath = d.target && (single ? math(`t = ${tex(d.target[0])}`, `t = ${plain(d.target[0])}`)
      : math(`t = ${vector(d.target).tex}`, `t = ${vector(d.target).plain}`));
    switch (step.kind) {
      case "data": {
        const x = math(`x = ${vector(d.x).tex}`, `x = ${vector(d.x).plain}`);
        return [d.target ? parts("demos.stepData", { x, t: tMath }) : parts("demos.stepDataNoTarget", { x })];
      }
      case "params": {
        const layer = d.layers[step.layer - 1];
        const rows = layer.w.map((/** @type {number[]} */ row) => row.map(tex).join(" & ")).join(" \\\\ ");
        const plainRows = layer.w.map((/** @type {number[]} */ row) => row.map(plain).join(listSeparator)).join(" | ");
        const w = math(
          `w = \\begin{pmatrix} ${rows} \\end{pmatrix}, \\quad b = \\begin{pmatrix} ${layer.b.map(tex).join(" \\\\ ")} \\end{pmatrix}`,
          `w = [${plainRows}], b = [${layer.b.map(plain).join(listSeparator)}]`, true);
        return [parts("demos.stepParams", { layer: this.layerName(step.layer) }), [w]];
      }
      case "inputs": {
        const texValues = d.x.map((/** @type {number} */ v, /** @type {number} */ i) => `x_{${i + 1}} = ${tex(v)}`).join(comma);
        const plainValues = d.x.map((/** @type {number} */ v, /** @type {number} */ i) => `x${sub(i + 1)} = ${plain(v)}`).join(listSeparator);
        return [parts("demos.stepInputs", { values: math(texValues, plainValues) })];
      }
      case "neuron": {
        const [z, y] = this.neuronMath(step.s);
        return [parts("demos.stepNeuron", { neuron: this.neuronName(step.s) }), [z], [t("demos.stepActivation")], [y]];
      }
      case "output":
        return [parts("demos.stepOutput", { y: yMath })];
      case "error": {
        const e = single ? math(`y - t = ${tex(d.y[0])} - ${texFactor(d.target[0])} = ${tex(d.error[0])}`,
          `y − t = ${plain(d.y[0])} − ${plainFactor(d.target[0])} = ${plain(d.error[0])}`)
          : math(`y - t = ${vector(d.error).tex}`, `y − t = ${vector(d.error).plain}`);
        const s = single ? math(`(y - t)^2 = ${tex(d.squared)}`, `(y − t)² = ${plain(d.squared)}`)
          : math(`\\sum_k (y_k - t_k)^2 = ${tex(d.squared)}`, `Σ (yₖ − tₖ)² = ${plain(d.squared)}`);
        return [parts("demos.stepError", { t: tMath, e, s })];
      }
    }
    return [];
  }

  /** @param {any} step */
  picture(step) {
    const sizes = this.data.sizes.join("-");
    if (step.kind === "neuron") {
      const { layer, index } = step.s;
      return [this.images[`${layer}-${index}`], t("demos.neuronTitle", { sizes, layer, index: index + 1 })];
    }
    if (step.kind === "output" || step.kind === "error") return [this.images.values, t("demos.valuesTitle", { sizes })];
    return [this.images.start, t("demos.netTitle", { sizes })];
  }

  isNarrow() {
    return this.text.clientWidth > 0 && this.text.clientWidth < NARROW;
  }

  /** Writes the text of every step, each in its layer; the step shown is typeset first. */
  writeSteps() {
    const steps = this.steps;
    this.step = Math.min(this.step, steps.length - 1);
    this.figure.hidden = false;
    this.text.hidden = false;
    this.narrow = this.isNarrow();
    const layers = steps.map(() => element("div", { class: "nnbook-demo-narration-step" }));
    this.layers = layers;
    this.text.replaceChildren(...layers);
    this.spoken = [];
    const mathjax = this.book.asset(this.book.config.runtime.mathjax);
    const order = [this.step, ...steps.keys()].filter((k, i, all) => all.indexOf(k) === i);
    for (const k of order) this.spoken[k] = writeNarration(layers[k], this.blocks(steps[k]), mathjax);
    delete this.root.dataset.nnbookTypeset;
    typeset().then(() => {
      if (this.layers === layers) this.root.dataset.nnbookTypeset = "";
    });
  }

  render() {
    const steps = this.steps;
    this.step = Math.min(this.step, steps.length - 1);
    const step = steps[this.step];
    const [src, alt] = this.picture(step);
    this.image.src = src;
    this.image.alt = alt;
    this.figure.hidden = false;
    this.text.hidden = false;
    const counter = t("demos.stepOf", { n: this.step + 1, total: steps.length });
    this.counter.textContent = counter;
    this.layers.forEach((layer, k) => layer.classList.toggle("nnbook-demo-current", k === this.step));
    this.narration.textContent = `${counter}${t("demos.join")}${this.spoken[this.step] || ""}`;
    this.root.dataset.step = String(this.step);
    this.root.dataset.steps = String(steps.length);
    if (step.kind === "neuron") {
      this.root.dataset.nnbookLayer = String(step.s.layer);
      this.root.dataset.nnbookIndex = String(step.s.index);
    } else {
      delete this.root.dataset.nnbookLayer;
      delete this.root.dataset.nnbookIndex;
    }
    this.updateButtons();
  }
}
