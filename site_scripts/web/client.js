// @ts-check
/*
 * The page's Python: one worker, one message shape (protocol.js), no DOM.
 *
 *   const python = new PythonClient(options);
 *   python.addEventListener("progress", (e) => ...e.detail.stage, e.detail.bytes);
 *   await python.start();                  // the one promise everything awaits
 *   const reply = await python.request("run", {code, cell}, (event) => ...);
 *
 * Events (CustomEvent, detail in brackets): "progress" {stage, bytes, total, packages},
 * "ready" {version, snapshot}, "failed" {error}, "crashed" {error, deferred} (Pyodide
 * itself failed, in a request or after one; the worker is gone), "terminated" {reason}, "mark" {name, time}.
 *
 * The worker is made from a blob: URL that imports the book's worker script, so it is
 * bound by the page's Content-Security-Policy (see worker/sandbox.js). Every message from
 * it is checked against the protocol: one that does not fit fails the request it names
 * (or is dropped), so a malformed or forged reply cannot leave a request waiting.
 * Loading that shows no sign of life for `stallMs` fails (a broken download can leave
 * Pyodide waiting for ever).
 *
 * Not for: the queue of cells (queue.js), or anything on screen (cells/, demos/).
 */
import * as protocol from "./protocol.js";

export class PythonError extends Error {
  /** @param {protocol.ErrorInfo} info */
  constructor(info) {
    super(info.message || info.name);
    this.name = info.name;
    this.info = info;
    this.traceback = typeof info.traceback === "string" ? info.traceback : "";
    this.line = Number.isInteger(info.line) && /** @type {number} */ (info.line) > 0 ? info.line : null;
    this.hints = Array.isArray(info.hints) ? info.hints.filter((h) => typeof h === "string") : [];
    this.missing = typeof info.missing === "string" ? info.missing : null;
    this.fatal = info.fatal === true;
  }
}

/**
 * @typedef {{workerURL: string, init: object, stallMs?: number,
 *   makeWorker?: (url: string) => Worker}} ClientOptions
 */

/** A worker made from a blob: URL, so that it inherits the page's CSP. @param {string} url */
export function blobWorker(url) {
  const source = `importScripts(${JSON.stringify(url)});`;
  const blob = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(blob, { name: "nnbook-python" });
  setTimeout(() => URL.revokeObjectURL(blob), 10_000);
  return worker;
}

export class PythonClient extends EventTarget {
  /** @param {ClientOptions} options */
  constructor(options) {
    super();
    this.options = options;
    /** @type {Worker|null} */
    this.worker = null;
    /** @type {Promise<any>|null} */
    this.loaded = null;
    this.isReady = false;
    /** @type {Map<number, {type: string, resolve: Function, reject: Function, onEvent?: Function}>} */
    this.pending = new Map();
    this.nextId = 0;
    this.lastSign = 0;
    /** @type {((error: Error) => void)|null} */
    this.abortLoading = null;
  }

  /** @param {string} type @param {object} detail */
  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Starts Python once; later calls return the same promise until it fails or ends. */
  start() {
    this.loaded ??= this.boot();
    return this.loaded;
  }

  boot() {
    const make = this.options.makeWorker || blobWorker;
    const worker = make(this.options.workerURL);
    this.worker = worker;
    performance.mark("nnbook:worker-created");
    worker.onmessage = (event) => this.receive(event.data);
    // An error the worker did not catch: while loading, the load has failed; once Python
    // is ready, the worker reports its own errors as faults, and this is only logged.
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.abortLoading) this.abortLoading(new PythonError({ name: "LoadError", message: event.message || "the Python worker failed" }));
      else console.warn("nnbook: the Python worker reported", event.message);
    };
    const loading = this.request("init", this.options.init, (/** @type {any} */ event) => {
      if (event.type === "progress") this.emit("progress", event);
    });
    const watched = this.watch(loading, worker);
    watched.then((reply) => {
      this.isReady = true;
      performance.mark("nnbook:ready");
      this.emit("ready", reply);
    }, (error) => {
      if (error.name === "Stopped" || this.worker !== worker) return;
      this.terminate("failed");
      this.emit("failed", { error });
    });
    return watched;
  }

  /** Loading fails, rather than waits for ever. @param {Promise<any>} loading @param {Worker} worker */
  watch(loading, worker) {
    const stallMs = this.options.stallMs || 60_000;
    let timer = 0;
    this.lastSign = Date.now();
    const stalled = new Promise((_, reject) => {
      this.abortLoading = reject;
      timer = setInterval(() => {
        if (Date.now() - this.lastSign > stallMs) {
          reject(new PythonError({ name: "LoadError", message: `stalled:${Math.round(stallMs / 1000)}` }));
        }
      }, 500);
    });
    const watched = Promise.race([loading, stalled]);
    watched.catch(() => {}).finally(() => {
      clearInterval(timer);
      if (this.worker === worker) this.abortLoading = null;
    });
    return watched;
  }

  /**
   * Sends a request; resolves with its result, rejects with a PythonError.
   * @param {string} type @param {object} fields @param {Function} [onEvent]
   */
  request(type, fields, onEvent) {
    const worker = this.worker;
    if (!worker) return Promise.reject(new PythonError({ name: "Stopped", message: "Python is not running" }));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { type, resolve, reject, onEvent });
      worker.postMessage(protocol.request(type, id, fields));
    });
  }

  /** @param {any} message */
  receive(message) {
    this.lastSign = Date.now();
    const waiting = message && this.pending.get(message.id);
    const problem = protocol.checkIncoming(message, waiting?.type);
    if (message?.type === "fault" && !problem) {
      if (this.abortLoading) this.abortLoading(new PythonError({ name: "LoadError", message: message.message }));
      else if (message.fatal) this.crash(new PythonError({ name: "Error", message: message.message, fatal: true }), true);
      return;
    }
    if (!waiting) return;
    if (problem) {
      // Not what the protocol says: the request fails rather than waits for ever.
      this.pending.delete(message.id);
      waiting.reject(new PythonError({ name: "ProtocolError", message: `the worker sent a malformed message (${problem})` }));
      return;
    }
    if (message.type === "mark") {
      performance.mark(`nnbook:${message.name}`, { startTime: message.time - performance.timeOrigin });
      this.emit("mark", message);
      return;
    }
    if (message.type !== "result" && message.type !== "error") {
      waiting.onEvent?.(message);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === "result") {
      waiting.resolve(message.result);
      return;
    }
    const error = new PythonError(message.error);
    waiting.reject(error);
    if (error.fatal) this.crash(error);
  }

  /**
   * Pyodide failed for good: every request fails with `error`, the worker is ended.
   * `deferred`: it failed outside any request (after one had been answered).
   * @param {PythonError} error @param {boolean} [deferred]
   */
  crash(error, deferred = false) {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.terminate("crashed");
    this.emit("crashed", { error, deferred });
  }

  /** @param {Error} error */
  failAll(error) {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  /**
   * Ends the worker at once, whatever Python is doing; the next start() loads anew.
   * Events the dying worker still sends are ignored. @param {string} reason
   */
  terminate(reason = "stopped") {
    const worker = this.worker;
    if (worker) {
      worker.onmessage = worker.onerror = null;
      worker.terminate();
    }
    this.worker = null;
    this.loaded = null;
    this.isReady = false;
    this.abortLoading = null;
    this.failAll(new PythonError({ name: "Stopped", message: reason }));
    if (worker) this.emit("terminated", { reason });
  }
}
