// @ts-check
/*
 * The cells of a page together: the run bar (Run all, Python's progress, Restart
 * Python), Stop, replays after a restart, and help for a name an earlier cell defines.
 *
 * Stop interrupts Python where the page can (SharedArrayBuffer, i.e. a cross-origin
 * isolated page); otherwise it ends the worker and replays: a new Python re-runs the code
 * of the cells that had run, in the order they ran, skipping (and saying so) any that
 * took longer than `limits.replay_seconds`; Stop during a replay ends the replay.
 * "Restart Python" starts a clean Python with nothing re-run. A crash of Pyodide itself
 * restarts and replays as Stop does.
 *
 * Not for: one cell (cells/cell.js) or the worker's messages (client.js).
 */
import { element, button, idle } from "../dom.js";
import { t, numberFormat } from "../strings.js";
import { Cell } from "./cell.js";
import { EditorMaker } from "./editor.js";
import { SavedEdits } from "./storage.js";
import { RuntimeStatus } from "./status.js";

const PLOTS = /\bmatplotlib\b/;
const HISTORY = 200; // runs kept for a replay
const CRASH_AGAIN_MS = 3000; // a crash this soon after a replay is not replayed again

export class CellsPage {
  /** @param {import("../book.js").Book} book */
  constructor(book) {
    this.book = book;
    this.python = book.python;
    this.queue = book.queue;
    this.limits = book.config.limits;
    this.editors = new EditorMaker(book.asset(book.config.runtime.editor));
    this.edits = new SavedEdits(`edit:${location.pathname}`);
    this.helpId = "nnbook-editor-help";
    /** @type {{cell: Cell, code: string, seconds: number}[]} successful runs, in order */
    this.history = [];
    this.plots = { fetched: false, warmed: false };
    const roots = /** @type {HTMLElement[]} */ ([...document.querySelectorAll("[data-nnbook-cell]")]);
    this.cells = roots.map((root, i) => new Cell(root, i, this));
    const first = this.cells[0]?.root || document.querySelector("[data-nnbook-demo]");
    this.status = new RuntimeStatus(book);
    if (first) this.buildBar(/** @type {HTMLElement} */ (first));
    this.python.addEventListener("failed", (/** @type {any} */ e) => {
      for (const cell of this.cells) cell.showLoadFailure(e.detail.error);
    });
    this.python.addEventListener("crashed", (/** @type {any} */ e) => this.crashed(e.detail.deferred));
    this.replaying = false;
    this.lastReplay = -Infinity;
    this.queue.idleListeners.add(() => this.warmPlots());
  }

  /** @param {HTMLElement} before */
  buildBar(before) {
    const bar = element("div", { class: "nnbook-runbar", "data-nnbook-runbar": "" });
    const actions = element("div", { class: "nnbook-runbar-actions" });
    if (this.cells.length) {
      const runAll = button("run-all", t("cells.runAll"), t("cells.runAllTitle"));
      runAll.addEventListener("click", () => this.runAll());
      actions.append(runAll);
    }
    const restart = button("restart", t("cells.restart"), t("cells.restartTitle"));
    restart.addEventListener("click", () => this.restart());
    actions.append(restart);
    const help = element("span", { id: this.helpId, class: "nnbook-sr-only" }, t("cells.editorHelp"));
    bar.append(this.status.element, actions, help);
    before.before(bar);
  }

  /**
   * The page has settled (loaded, Python started): editors may be made, once the cells
   * the reader asked for have run and the browser is idle (loading the editor costs the
   * main thread over 100 ms, which the first output should not wait for).
   */
  settled() {
    const allow = () => idle(() => {
      if (this.queue.busy) return;
      this.queue.idleListeners.delete(allow);
      this.editors.allow();
    }, 3000);
    this.queue.idleListeners.add(allow);
    allow();
  }

  scheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  /** @param {any} error */
  loadMessage(error) {
    const stalled = /^stalled:(\d+)$/.exec(error?.message || "");
    return stalled ? t("cells.loadStalled", { seconds: stalled[1] }) : String(error?.message || error);
  }

  retry() {
    for (const cell of this.cells) cell.loadFailure.hidden = true;
    this.status.loading();
    this.python.start().catch(() => {}); // a new failure is shown again
  }

  runAll() {
    const batch = {};
    for (const cell of this.cells) cell.run(batch);
  }

  /** @param {Cell} cell */
  focusAfter(cell) {
    this.cells[this.cells.indexOf(cell) + 1]?.editor.focus();
  }

  /** @param {Cell} cell */
  beforeRun(cell) {
    if (PLOTS.test(cell.code)) this.prefetchPlots();
  }

  /**
   * A successful run, for replays: the runs in the order they happened (a cell run twice in
   * a row counts once; a cell run again after others counts again, as its names changed in
   * between), at most HISTORY of them.
   */
  ran(/** @type {Cell} */ cell, /** @type {string} */ code, /** @type {number} */ seconds) {
    const last = this.history[this.history.length - 1];
    if (last && last.cell === cell) this.history.pop();
    this.history.push({ cell, code, seconds, at: performance.now() });
    if (this.history.length > HISTORY) this.history.shift();
    this.book.noteRun(cell.id, code);
  }

  /** Forget what ran: a new Python has none of it. */
  forgetRuns() {
    this.history = [];
    this.book.forgetRuns();
    for (const cell of this.cells) cell.ranCode = null;
  }

  // --- NameError: a name an earlier cell defines

  /** @param {Cell} cell @param {string} name */
  explainMissing(cell, name) {
    const index = this.cells.indexOf(cell);
    const definer = this.cells.slice(0, index).reverse().find((c) => c.defines.includes(name));
    if (!definer) return;
    const runAbove = button("run-above", t("cells.runAbove"), t("cells.runAboveTitle"));
    runAbove.addEventListener("click", () => {
      cell.showNotice();
      const batch = {};
      for (const c of this.cells.slice(0, index)) if (c.ranCode === null) c.run(batch);
      cell.run(batch);
    });
    cell.showNotice(element("span", {}, t("cells.definedAbove", { name, n: definer.n })), runAbove);
  }

  // --- Stop, restart, replay

  async stop() {
    this.queue.cancelWaiting(() => true, "notRunStopped");
    const job = /** @type {any} */ (this.queue.active);
    if (!job) return;
    if (job.replay) {
      job.stopReplay("stopped");
      return;
    }
    if (!job.executing) {
      job.cancel("notRunStopped");
      job.cancelled = true;
      return;
    }
    const interrupt = this.book.interruptBuffer;
    if (interrupt && this.python.isReady) {
      interrupt[0] = 2; // SIGINT: Python raises KeyboardInterrupt
      const ended = await Promise.race([job.done.then(() => true), new Promise((r) => setTimeout(() => r(false), 500))]);
      if (ended) return;
    }
    job.restarted = true;
    this.python.terminate("stopped");
    this.replay("stopped");
  }

  /** A clean Python: nothing re-run; every cell says so. */
  restart() {
    this.queue.cancelWaiting(() => true, "notRunStopped");
    const job = /** @type {any} */ (this.queue.active);
    if (job?.replay) job.stopReplay("restarted");
    else if (job) job.restarted = true;
    this.python.terminate("restarted");
    this.forgetRuns();
    for (const cell of this.cells) {
      if (cell.state !== "idle") cell.setState("idle", t("cells.restartedNote"));
    }
    this.status.set(t("cells.restarting"));
    this.queue.schedule({
      start: () => this.python.start().then(() => this.book.restarted(), () => {}),
      cancel() {},
    }, { first: true });
  }

  /**
   * Pyodide itself failed: a new Python re-runs what had run, unless that just crashed too.
   * @param {boolean} deferred it failed after a reply (the last run that succeeded did it)
   */
  crashed(deferred) {
    const now = performance.now();
    if (this.replaying || now - this.lastReplay < CRASH_AGAIN_MS) {
      const job = /** @type {any} */ (this.queue.active);
      if (job?.replay) job.stopReplay("crashed");
      this.forgetRuns();
      this.status.set(t("cells.crashedAgain"), "error");
      return;
    }
    // A crash outside any request, right after a cell's reply, is that cell's doing (a task
    // or callback it left): it is not re-run.
    const last = this.history[this.history.length - 1];
    if (deferred && last && now - last.at < CRASH_AGAIN_MS) this.history.pop();
    this.replay("crashed");
  }

  /**
   * A new Python re-runs the runs kept, in their order, each shown as running (its Stop ends
   * the replay). What is re-run goes back into the record only once it succeeded; a run that
   * fails, or took longer than limits.replay_seconds, is not re-run, and its cell says so.
   * @param {string} why "stopped" | "crashed"
   */
  replay(why) {
    const runs = [...this.history];
    this.forgetRuns();
    const page = this;
    let stopped = null;
    this.queue.schedule({
      replay: true,
      stopReplay(reason = "stopped") {
        stopped = reason;
        page.python.terminate("stopped");
      },
      async start() {
        page.replaying = true;
        try {
          await this.replayAll();
        } finally {
          page.replaying = false;
          page.lastReplay = performance.now();
        }
      },
      async replayAll() {
        page.status.set(t(why === "crashed" ? "cells.restartingCrashed" : "cells.restarting"));
        try {
          await page.python.start();
        } catch {
          return; // the load failure is shown
        }
        const seconds = numberFormat({ maximumFractionDigits: 1 });
        for (const [i, entry] of runs.entries()) {
          if (stopped) break;
          const { cell } = entry;
          if (entry.seconds > page.limits.replay_seconds) {
            cell.setState("idle", t("cells.notReplayedSlow", { seconds: seconds.format(entry.seconds) }));
            continue;
          }
          page.status.set(t("cells.replaying", { n: i + 1, total: runs.length }));
          const before = { state: cell.state, status: cell.status.textContent || "" };
          cell.setState("running", t("cells.replayingCell"));
          try {
            await page.python.request("run", { code: entry.code, cell: cell.id, scheme: page.scheme() });
            cell.setState(before.state, before.status);
            page.ran(cell, entry.code, entry.seconds);
            cell.ranCode = entry.code;
          } catch (error) {
            if (stopped) {
              cell.setState(before.state, before.status);
              break;
            }
            cell.setState("idle", t("cells.notReplayedFailed", { name: String(/** @type {any} */ (error)?.name || "Error") }));
          }
        }
        if (stopped) {
          for (const entry of runs) if (entry.cell.ranCode === null && entry.cell.state === "done") entry.cell.setState("idle", t("cells.replayStopped"));
          if (stopped === "stopped") page.status.set(t("cells.replayStopped"));
          return;
        }
        page.status.ready();
        page.book.restarted();
      },
      cancel() {},
    }, { first: true });
  }

  // --- plots: matplotlib is big (12 MB of wheels, a second or more to import)

  prefetchPlots() {
    if (this.plots.fetched || !this.python.worker) return;
    this.plots.fetched = true;
    this.python.request("prefetch", { packages: this.book.config.runtime.preload.packages }).catch(() => {});
  }

  warmPlots() {
    const preload = this.book.config.runtime.preload;
    if (this.plots.warmed || !preload.packages.length || !this.cells.some((cell) => PLOTS.test(cell.original))) return;
    idle(() => {
      if (this.plots.warmed || this.queue.busy || !this.python.isReady) return;
      this.plots.warmed = true;
      this.prefetchPlots();
      this.python.request("warm", preload)
        .then(() => performance.mark("nnbook:matplotlib-ready"), () => {});
    }, 3000);
  }
}
