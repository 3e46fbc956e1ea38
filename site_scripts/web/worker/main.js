// @ts-check
/*
 * The page's Python worker: answers the page's requests, one small function per type.
 *
 * Requests and replies follow protocol.json (see protocol.js). "init" starts Python
 * (worker/start.js); "run" runs a cell, "call" calls a demo or exercise function of the
 * kernel by module and name, "warm" loads packages ahead of need; they are handled one
 * after the other, and all await the one start-up promise. "prefetch" only starts
 * downloads and is answered at once, even while another request runs.
 *
 * The kernel (nnbook_kernel, Python) catches every Python exception, so an error thrown
 * out of it is Pyodide's own (a JavaScript stack overflow, no WebAssembly memory left):
 * Python is then unusable and the reply says `fatal`, for the page to restart the worker.
 *
 * Not for: the page's buttons and editors (cells/, demos/), or the boundary (worker/sandbox.js).
 */
import * as protocol from "../protocol.js";
import { startPython } from "./start.js";

const scope = /** @type {any} */ (self);
const post = scope.postMessage.bind(scope); // kept: sandbox.seal() removes it from the scope
const IMAGE_TYPES = new Set(protocol.SPECS.images);

let runtime = null; // Promise of the started runtime: made by the first "init"
let current = 0; // id of the request being handled; streamed output carries it
let initId = 0;
let queue = Promise.resolve();

/** @param {string} type @param {object} fields */
function send(type, fields) {
  post(protocol.event(type, current, fields));
}

const report = {
  progress: (/** @type {string} */ stage, extra = {}) => post(protocol.event("progress", initId, { stage, bytes: 0, ...extra })),
  mark: (/** @type {string} */ name) => post(protocol.event("mark", initId, { name, time: performance.timeOrigin + performance.now() })),
  fault,
  // Python's output: text as text, images only of the types the page shows.
  emit(/** @type {string} */ kind, /** @type {any} */ data, /** @type {any} */ mime, /** @type {any} */ alt) {
    if (kind === "image") {
      if (IMAGE_TYPES.has(String(mime))) send("image", { mime: String(mime), data: String(data), alt: String(alt || "") });
    } else if (kind === "stdout" || kind === "stderr") {
      send(kind, { text: String(data) });
    }
  },
};

// A failure nothing awaits becomes a "fault", so the page does not wait for ever. One of
// Pyodide itself (a JavaScript stack overflow in a cell with await) is fatal: the page
// then restarts Python, as for a fatal reply.
const FATAL = /fatal error|Maximum call stack size exceeded|memory access out of bounds/i;
function fault(/** @type {any} */ reason) {
  const message = String(reason?.message || reason).slice(0, 2000);
  post(protocol.event("fault", 0, { message, fatal: FATAL.test(message) }));
}

scope.addEventListener("unhandledrejection", (/** @type {PromiseRejectionEvent} */ event) => {
  if (event.reason?.name !== "OfflineError") fault(event.reason); // not a reader's js.fetch
});
// An error thrown in a callback (a reader's js.setTimeout, say) is reported here, not to the
// page's onerror: the request that is running goes on.
scope.addEventListener("error", (/** @type {ErrorEvent} */ event) => {
  event.preventDefault();
  fault(event.error || event.message);
});

class PythonFailure extends Error {
  /** @param {protocol.ErrorInfo} info */
  constructor(info) {
    super(info.message);
    this.info = info;
  }
}

/** A kernel reply (JSON text) as a result, or thrown as its error. @param {string} json */
function fromKernel(json) {
  const reply = JSON.parse(json);
  if (reply.error) throw new PythonFailure(reply.error);
  return reply;
}

/** Calls the kernel; an error out of it is Pyodide's own, and fatal. @param {() => any} call */
async function kernelCall(call) {
  let json;
  try {
    let answer = call();
    if (answer && typeof answer.then === "function") {
      const awaitable = answer;
      try {
        answer = await awaitable;
      } finally {
        awaitable.destroy?.();
      }
    }
    json = String(answer);
  } catch (error) {
    throw new PythonFailure(protocol.errorInfo(error, { fatal: true }));
  }
  return fromKernel(json);
}

/** The packages of the lock that provide the modules `code` imports, not loaded yet. */
async function packagesFor(rt, /** @type {string} */ code) {
  const spec = await rt.lock;
  const names = JSON.parse(String(rt.kernel.runner.imports_json(code)));
  const wanted = new Set();
  for (const [name, pkg] of Object.entries(spec.packages)) {
    if (rt.pyodide.loadedPackages[name]) continue;
    if (/** @type {any} */ (pkg).imports?.some((/** @type {string} */ module) => names.includes(module))) wanted.add(name);
  }
  return [...wanted];
}

async function loadImports(rt, /** @type {number} */ id, /** @type {string} */ code) {
  const packages = await packagesFor(rt, code);
  if (packages.length) {
    post(protocol.event("progress", id, { stage: "packages", bytes: 0, packages }));
    rt.downloads.prefetch(await rt.lock, packages);
    await rt.pyodide.loadPackage(packages, { messageCallback: () => {}, errorCallback: () => {} });
  }
  if (rt.interruptBuffer) rt.interruptBuffer[0] = 0;
}

const handlers = {
  async init(/** @type {any} */ msg) {
    initId = msg.id;
    runtime ??= startPython(msg, report, scope);
    const rt = await runtime;
    return { version: String(rt.pyodide.version), snapshot: rt.restored };
  },

  async run(/** @type {any} */ { id, code, cell, scheme }) {
    const rt = await runtime;
    await loadImports(rt, id, code);
    return kernelCall(() => rt.kernel.runner.run_cell(code, cell, scheme || ""));
  },

  async call(/** @type {any} */ { module, name, kwargs }) {
    const rt = await runtime;
    return kernelCall(() => rt.kernel.runner.call(module, name, JSON.stringify(kwargs)));
  },

  // Loads packages and imports modules ahead of the cells that need them (when the page
  // is idle), so that their first run does not wait for it.
  async warm(/** @type {any} */ { packages, modules }) {
    const rt = await runtime;
    await rt.pyodide.loadPackage(packages, { messageCallback: () => {}, errorCallback: () => {} });
    for (const name of modules) rt.pyodide.pyimport(name);
    if (rt.interruptBuffer) rt.interruptBuffer[0] = 0;
    return {};
  },
};

async function prefetch(/** @type {any} */ { packages }) {
  const rt = await runtime;
  rt.downloads.prefetch(await rt.lock, packages);
  return {};
}

async function handle(/** @type {any} */ msg) {
  current = msg.id;
  try {
    const handler = /** @type {any} */ (handlers)[msg.type];
    if (!handler) throw new Error(`unknown request type "${String(msg.type).slice(0, 40)}"`);
    post(protocol.result(msg.id, await handler(msg)));
  } catch (error) {
    post(protocol.failure(msg.id, error?.info || protocol.errorInfo(error)));
  }
}

scope.addEventListener("message", (/** @type {MessageEvent} */ event) => {
  const msg = event.data;
  // Only the page's messages: a cell could dispatch a made-up MessageEvent on this scope.
  if (!event.isTrusted || !msg || typeof msg !== "object" || !Number.isInteger(msg.id)) return;
  if (msg.type === "prefetch") {
    prefetch(msg).then((result) => post(protocol.result(msg.id, result)),
      (error) => post(protocol.failure(msg.id, protocol.errorInfo(error))));
    return;
  }
  queue = queue.then(() => handle(msg)).catch((error) => fault(error)); // the next request still runs
});
