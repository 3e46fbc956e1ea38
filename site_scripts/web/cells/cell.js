// @ts-check
/*
 * One live cell: its editor, buttons, status line and output, and running it.
 *
 * The build writes each ```python cell id="ID"``` fence as
 *   <div class="nnbook-cell" data-nnbook-cell="ID" data-state="idle" data-nnbook-defines="a b">
 *     <div class="nnbook-cell-source">highlighted code (shown until the editor is there)</div>
 *     <textarea hidden data-nnbook-source>the source</textarea>
 *     <pre class="nnbook-output" data-nnbook-output data-nnbook-expected>expected output</pre>
 *   </div>
 * Hooks (stable, for tests and styles): data-state="idle|queued|running|done|error";
 * buttons data-nnbook-action="run|stop|restart|reset|copy|run-above|retry"; the output
 * data-nnbook-output; the "edited" mark data-nnbook-edited; notices data-nnbook-notice.
 *
 * A run always ends in "done" or "error", whatever the worker replies (client.js checks
 * every reply; a failure while showing one is caught here), so the queue never waits on
 * a cell for ever.
 *
 * Not for: the page's bar, Stop and replays (cells/page.js) or Python (client.js).
 */
import { element, button } from "../dom.js";
import { t } from "../strings.js";
import { OutputView } from "./output.js";
import { fingerprint } from "./storage.js";

export class Cell {
  /** @param {HTMLElement} root @param {number} index @param {import("./page.js").CellsPage} page */
  constructor(root, index, page) {
    this.root = root;
    this.page = page;
    this.id = root.dataset.nnbookCell || `cell-${index + 1}`;
    this.n = index + 1;
    this.defines = (root.dataset.nnbookDefines || "").split(/\s+/).filter(Boolean);
    const source = /** @type {HTMLTextAreaElement|null} */ (root.querySelector("[data-nnbook-source]"));
    this.original = source ? source.value : "";
    this.outputBox = /** @type {HTMLElement} */ (root.querySelector("[data-nnbook-output]"));
    /** @type {string|null} the code of its last run, if that run succeeded (for replays) */
    this.ranCode = null;
    this.state = "idle";
    this.build();
    this.restoreEdit();
  }

  get code() {
    return this.editor.getCode();
  }

  build() {
    const root = this.root;
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", t("cells.cellLabel", { n: this.n }));
    const source = /** @type {HTMLElement|null} */ (root.querySelector(".nnbook-cell-source"));
    const editorBox = element("div", { class: "nnbook-editor" });
    (source || root.firstElementChild || root).before(editorBox);
    if (source) editorBox.append(source); // same box: the editor takes the static code's place
    this.editor = this.page.editors.create(editorBox, source, this.original, {
      label: t("cells.editorLabel", { n: this.n }),
      describedBy: this.page.helpId,
      onRun: () => this.run(),
      onRunNext: () => this.runAndNext(),
      onChange: () => this.changed(),
    });
    this.keysHint = element("p", { class: "nnbook-keys-hint", "aria-hidden": "true" }, t("cells.keysHint"));
    editorBox.after(this.keysHint);

    this.notice = element("div", { class: "nnbook-notice", "data-nnbook-notice": "", hidden: "" });
    this.loadFailure = element("div", { class: "nnbook-load-failure", role: "alert", hidden: "" });
    this.buttons = {
      run: button("run", t("cells.run"), t("cells.runTitle")),
      stop: button("stop", t("cells.stop"), t("cells.stopTitle")),
      restart: button("restart", t("cells.restart"), t("cells.restartTitle")),
      reset: button("reset", t("cells.reset"), t("cells.resetTitle")),
      copy: button("copy", t("cells.copy"), t("cells.copyTitle")),
    };
    this.buttons.run.addEventListener("click", () => this.run());
    this.buttons.stop.addEventListener("click", () => this.page.stop());
    this.buttons.restart.addEventListener("click", () => this.page.restart());
    this.buttons.reset.addEventListener("click", () => this.reset());
    this.buttons.copy.addEventListener("click", () => this.copy());
    this.editedMark = element("span", { class: "nnbook-edited", "data-nnbook-edited": "", hidden: "" }, t("cells.edited"));
    this.status = element("span", { class: "nnbook-status", role: "status" });
    const toolbar = element("div", { class: "nnbook-toolbar" });
    toolbar.append(...Object.values(this.buttons), this.editedMark, this.status);
    this.keysHint.after(this.notice, this.loadFailure, toolbar);

    const expected = this.outputBox.hasAttribute("data-nnbook-expected");
    this.label = element("div", { class: "nnbook-output-label", "aria-hidden": "true" },
      t(expected ? "cells.expectedOutput" : "cells.output"));
    this.outputBox.before(this.label);
    this.outputBox.setAttribute("aria-label", this.label.textContent || "");
    this.output = null; // the OutputView, made at the first run (the expected output stays till then)
    this.setState("idle");
  }

  /** @param {string} state @param {string} [statusText] */
  setState(state, statusText = "") {
    this.state = state;
    this.root.dataset.state = state;
    const busy = state === "queued" || state === "running";
    this.buttons.stop.disabled = !busy;
    this.buttons.restart.hidden = !(busy || state === "error");
    this.root.setAttribute("aria-busy", String(state === "running"));
    this.setStatus(statusText);
  }

  /** @param {string} text */
  setStatus(text) {
    this.status.textContent = text;
  }

  /** @param {Node[]} nodes */
  showNotice(...nodes) {
    this.notice.replaceChildren(...nodes);
    this.notice.hidden = nodes.length === 0;
  }

  /** @param {Error} error */
  showLoadFailure(error) {
    const again = button("retry", t("cells.retry"), t("cells.retryTitle"));
    again.addEventListener("click", () => this.page.retry());
    this.loadFailure.replaceChildren(element("span", {}, t("cells.loadFailedCell", { message: this.page.loadMessage(error) })), again);
    this.loadFailure.hidden = false;
  }

  // --- editing

  changed() {
    const code = this.code;
    const edited = code !== this.original;
    this.editedMark.hidden = !edited;
    this.buttons.reset.disabled = !edited;
    if (!edited) {
      this.page.edits.remove(this.id);
      return;
    }
    this.page.edits.save(this.id, () => this.code, this.original, {
      onSaved: () => {
        if (this.saveFailed) this.showNotice();
        this.saveFailed = false;
      },
      onFailure: () => {
        this.saveFailed = true;
        this.showNotice(element("span", {}, t("cells.saveFailed")));
      },
    });
  }

  restoreEdit() {
    const saved = this.page.edits.load(this.id);
    this.editedMark.hidden = true;
    this.buttons.reset.disabled = true;
    if (!saved) return;
    if (saved.original === fingerprint(this.original)) {
      this.editor.setCode(saved.code);
      this.editedMark.hidden = saved.code === this.original;
      this.buttons.reset.disabled = saved.code === this.original;
      return;
    }
    // The book changed since the reader edited this cell: let them choose.
    const useNew = element("button", { type: "button", class: "nnbook-button", "data-nnbook-action": "use-new" }, t("cells.useNew"));
    const keep = element("button", { type: "button", class: "nnbook-button", "data-nnbook-action": "keep-mine" }, t("cells.keepMine"));
    this.showNotice(element("span", {}, t("cells.changedNotice")), useNew, keep);
    useNew.addEventListener("click", () => {
      this.page.edits.remove(this.id);
      this.showNotice();
    });
    keep.addEventListener("click", () => {
      this.showNotice();
      this.editor.setCode(saved.code);
      this.changed();
    });
  }

  reset() {
    this.showNotice();
    this.editor.setCode(this.original);
    this.page.edits.remove(this.id);
    this.editedMark.hidden = true;
    this.buttons.reset.disabled = true;
    this.editor.focus();
  }

  async copy() {
    const code = this.code;
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      const area = /** @type {HTMLTextAreaElement} */ (element("textarea", { class: "nnbook-sr-only" }));
      area.value = code;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    this.setStatus(t("cells.copied"));
  }

  // --- running

  /** Queues this cell. @param {object|null} [batch] @param {{first?: boolean}} [options] */
  run(batch = null, options = {}) {
    if (this.page.queue.has((job) => job.owner === this && !job.executing)) return;
    this.page.beforeRun(this);
    const cell = this;
    const before = { state: this.state, status: this.status.textContent || "" };
    this.setState("queued", t("cells.queued"));
    this.page.queue.schedule({
      owner: cell,
      batch: batch || undefined,
      start() {
        return cell.execute(this);
      },
      cancel(reason) {
        this.cancelled = true;
        // The cell keeps its output; its note says why it did not run.
        if (reason) cell.setState("idle", t(`cells.${reason}`));
        else cell.setState(before.state, before.status);
      },
    }, options);
  }

  runAndNext() {
    this.run();
    this.page.focusAfter(this);
  }

  clearOutput() {
    if (!this.output) {
      this.outputBox.removeAttribute("data-nnbook-expected");
      this.output = new OutputView(this.outputBox, this.page.limits, this.id);
    }
    this.output.clear();
    this.label.textContent = t("cells.output");
    this.outputBox.setAttribute("aria-label", t("cells.output"));
    this.editor.markLine(null);
  }

  /** What each event of a run does: one small function per type. */
  get show() {
    return {
      stdout: (/** @type {any} */ m) => this.output?.print(m.text, "nnbook-stdout"),
      stderr: (/** @type {any} */ m) => this.output?.print(m.text, "nnbook-stderr"),
      image: (/** @type {any} */ m) => this.output?.image(m),
      progress: (/** @type {any} */ m) => m.packages && this.setStatus(t("cells.loadingModules", { packages: m.packages.join(", ") })),
    };
  }

  /** @param {any} job */
  async execute(job) {
    const python = this.page.python;
    if (!python.isReady) this.setState("queued", t("cells.waiting"));
    try {
      await python.start();
    } catch (error) {
      if (!job.cancelled) this.setState("error", t("cells.failed", { name: this.page.loadMessage(error) }));
      return;
    }
    if (job.cancelled) return;
    job.executing = true;
    this.setState("running", t("cells.running"));
    this.showNotice();
    this.clearOutput();
    const started = performance.now();
    const code = this.code;
    try {
      const result = await python.request("run", { code, cell: this.id, scheme: this.page.scheme() },
        (/** @type {any} */ message) => /** @type {any} */ (this.show)[message.type]?.(message));
      const seconds = (performance.now() - started) / 1000;
      this.finished(result, code, seconds);
      this.page.ran(this, code, seconds);
    } catch (error) {
      this.ranCode = null;
      try {
        this.failed(error, job);
      } catch (shown) {
        console.error("nnbook: could not show an error", shown);
        this.setState("error", t("cells.failed", { name: String(error?.name || "Error") }));
      }
      if (job.batch) this.page.queue.cancelWaiting((other) => other.batch === job.batch, "notRunFailed");
    }
  }

  /** @param {any} result @param {string} code @param {number} seconds */
  finished(result, code, seconds) {
    const out = /** @type {OutputView} */ (this.output);
    if (typeof result.value === "string") out.print(`${result.value}\n`, "nnbook-value");
    if (result.hiddenImages > 0) {
      out.block(t("cells.imagesHidden", { count: result.hiddenImages, limit: this.page.limits.images }), "nnbook-notice-text");
    }
    if ("exit" in result) {
      out.block(t("cells.exitCalled", { call: `sys.exit(${result.exit ?? ""})` }), "nnbook-notice-text");
    }
    this.ranCode = code;
    if (!performance.getEntriesByName("nnbook:first-output").length) performance.mark("nnbook:first-output");
    if (out.box.querySelector("img[src^='data:image/png']") && !performance.getEntriesByName("nnbook:first-figure").length) {
      performance.mark("nnbook:first-figure");
    }
    this.setState("done", `${t("cells.done")} (${seconds.toFixed(1)} s)`);
  }

  /** @param {any} error @param {any} job */
  failed(error, job) {
    const out = this.output;
    if (error.name === "Stopped" || error.name === "KeyboardInterrupt") {
      out?.block(job.restarted ? t("cells.stoppedRestarted") : t("cells.stopped"), "nnbook-notice-text");
      this.setState("error", t("cells.stopped"));
      return;
    }
    if (error.fatal) {
      out?.block(t("cells.crashed", { message: String(error.message).slice(0, 500) }), "nnbook-notice-text");
      this.setState("error", t("cells.failed", { name: error.name }));
      return;
    }
    out?.block(error.traceback || `${error.name}: ${error.message}`, "nnbook-traceback");
    for (const hint of error.hints || []) {
      const text = t(`cells.hint.${hint}`);
      if (text !== `cells.hint.${hint}`) out?.block(text, "nnbook-notice-text");
    }
    if (error.name === "NameError" && error.missing) this.page.explainMissing(this, error.missing);
    this.editor.markLine(error.line);
    this.setState("error", t("cells.failed", { name: error.name }));
  }
}
