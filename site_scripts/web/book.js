// @ts-check
/*
 * The book on this page: its config, its one Python (client.js), its run queue, and what
 * cells, demos and exercises share: calls queued behind the cells, and the book's events.
 *
 * Events (CustomEvent): "status" {text} (Python's loading line, for the demos' frames),
 * "ran" {cell} (a cell ran without error), "restarted" (a new Python has the page's
 * names again: demos make theirs again).
 *
 * Not for: any element on the page (cells/, demos/, exercises/).
 */
import { PythonClient } from "./client.js";
import { RunQueue } from "./queue.js";
import { url } from "./config.js";

export class Book extends EventTarget {
  /** @param {import("./config.js").BookConfig} config */
  constructor(config) {
    super();
    this.config = config;
    this.statusText = "";
    /** @type {Map<string, string>} cell id -> the code of its last successful run */
    this.ranCodes = new Map();
    // Without cross-origin isolation there is no SharedArrayBuffer: Stop then restarts.
    this.interruptBuffer = self.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
    const runtime = config.runtime;
    const controlled = Boolean(navigator.serviceWorker?.controller);
    this.python = new PythonClient({
      workerURL: this.asset(runtime.worker),
      stallMs: config.limits.stall_seconds * 1000,
      init: {
        indexURL: this.asset(runtime.index),
        packages: runtime.packages,
        kernel: runtime.kernel,
        interruptBuffer: this.interruptBuffer,
        limits: config.limits,
        // A visit the service worker serves: the plain files from its cache (V8 may have
        // their compiled code), and the memory snapshot it keeps.
        gzip: !controlled,
        snapshot: controlled && runtime.snapshot ? this.asset(runtime.snapshot) : null,
      },
    });
    this.queue = new RunQueue();
    this.python.addEventListener("terminated", () => {
      if (this.interruptBuffer) this.interruptBuffer[0] = 0; // the next worker starts uninterrupted
    });
  }

  /** @param {string} path */
  asset(path) {
    return url(path);
  }

  /** @param {string} type @param {object} [detail] */
  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** @param {string} text */
  emitStatus(text) {
    this.statusText = text;
    this.emit("status", text);
  }

  /** @param {string} cell @param {string} code */
  noteRun(cell, code) {
    this.ranCodes.set(cell, code);
    this.emit("ran", { cell });
  }

  /** @param {string} cell */
  ranCode(cell) {
    return this.ranCodes.get(cell) ?? null;
  }

  forgetRuns() {
    this.ranCodes.clear();
  }

  /** @param {() => void} listener */
  onRestart(listener) {
    this.addEventListener("restarted", listener);
  }

  restarted() {
    this.emit("restarted");
  }

  /**
   * A request that waits its turn behind the cells; Stop also ends or cancels it (it
   * rejects with an Error named "Stopped").
   * @param {string} type @param {object} fields @param {Function} [onEvent]
   */
  queued(type, fields, onEvent) {
    return new Promise((resolve, reject) => {
      const python = this.python;
      this.queue.schedule({
        start() {
          return python.start().then(() => {
            if (this.cancelled) return undefined;
            this.executing = true;
            return python.request(type, fields, onEvent);
          }).then(resolve, reject);
        },
        cancel() {
          this.cancelled = true;
          const error = new Error("Stopped");
          error.name = "Stopped";
          reject(error);
        },
      });
    });
  }

  /** Calls a function of the kernel's modules by name (demos, exercises): its value. */
  call(/** @type {string} */ module, /** @type {string} */ name, /** @type {object} */ kwargs) {
    return this.queued("call", { module, name, kwargs }).then((/** @type {any} */ result) => result.value);
  }
}
