// @ts-check
/*
 * Starting Python in the worker: named steps, each tied to one progress stage.
 *
 *   download  core files, lock, wheels and (on a visit the service worker serves) the
 *             memory snapshot, all in parallel (worker/downloads.js)
 *   start     Pyodide starts: restored from the snapshot when there is one that fits this
 *             build, else the normal way (a snapshot that is missing, stale or fails to
 *             restore costs time, nothing else)
 *   packages  numpy, nnbook and the kernel's wheels loaded
 *   kernel    the kernel started, random reseeded after a restore, the worker sealed
 *
 * Each step ends with a performance mark sent to the page (worker-started,
 * core-downloaded, wasm-compiled, python-started or snapshot-restored, packages-loaded,
 * kernel-ready), which `make bench` prints as a waterfall.
 *
 * Not for: answering requests (worker/main.js) or the boundary itself (worker/sandbox.js).
 */
import { Downloads } from "./downloads.js";
import { guard, seal } from "./sandbox.js";

/**
 * @typedef {{id: number, indexURL: string, packages: string[], kernel: string,
 *   interruptBuffer?: Uint8Array|null, gzip: boolean, snapshot?: string|null}} Init
 * @typedef {{progress: (stage: string, extra?: object) => void, mark: (name: string) => void,
 *   emit: Function, fault: (error: any) => void}} Reporter
 */

/**
 * @param {Init} init @param {Reporter} report @param {any} scope the worker's global object
 */
export async function startPython(init, report, scope) {
  const plainFetch = scope.fetch.bind(scope);
  let stage = "download";
  let lastSent = 0;
  const downloads = new Downloads(plainFetch, (bytes) => {
    if (stage !== "download" && stage !== "packages") return;
    const now = Date.now();
    if (now - lastSent >= 100) {
      lastSent = now;
      report.progress(stage, { bytes });
    }
  });
  scope.fetch = guard(plainFetch, (url) => downloads.take(url), scope.location.origin);
  // A snapshot that fails to restore is no fault: Python then starts the normal way. Pyodide
  // never settles when its WebAssembly fails to instantiate, so that failure ends the try.
  /** @type {((error: any) => void)|null} */
  let restoreFailed = null;
  watchWasm(scope, report, (error) => (restoreFailed ? restoreFailed(error) : report.fault(error)));

  // --- download
  report.mark("worker-started");
  report.progress("download", { bytes: 0 });
  const core = downloads.core(init.indexURL, { gzip: init.gzip });
  const { text: lockText, spec: lock } = downloads.lock(init.indexURL);
  lock.then((spec) => downloads.prefetch(spec, [...init.packages, init.kernel]), () => {});
  const snapshot = downloads.snapshot(init.snapshot, core.stdlibBytes, lockText);
  // The loader and Pyodide's JavaScript, while the other downloads go on.
  scope.importScripts(new URL("pyodide.js", init.indexURL).href);
  scope.importScripts(new URL("pyodide.asm.js", init.indexURL).href);
  await Promise.race([core.arrived, core.failure]);
  report.mark("core-downloaded");

  // --- start
  stage = "start";
  report.progress("start", { bytes: downloads.bytes });
  const saved = await snapshot;
  let pyodide = null;
  let restored = false;
  if (saved) {
    const failed = new Promise((_, reject) => { restoreFailed = reject; });
    try {
      pyodide = await Promise.race([scope.loadPyodide({ indexURL: init.indexURL, _loadSnapshot: saved }), failed, core.failure]);
      restored = true;
      report.mark("snapshot-restored");
    } catch (error) {
      console.warn("nnbook: the memory snapshot did not restore; starting Python the normal way", error);
      delete scope.pyodide;
    } finally {
      restoreFailed = null;
    }
  }
  if (!pyodide) {
    pyodide = await Promise.race([scope.loadPyodide({ indexURL: init.indexURL }), core.failure]);
    report.mark("python-started");
  }

  // --- packages
  stage = "packages";
  downloads.bytes = 0;
  report.progress("packages", { bytes: 0 });
  const wanted = [...init.packages, init.kernel];
  await pyodide.loadPackage(wanted, { messageCallback: () => {}, errorCallback: console.error });
  const missing = wanted.filter((name) => !pyodide.loadedPackages[name]);
  if (missing.length) throw new Error(`cannot load ${missing.join(", ")}`);
  report.mark("packages-loaded");

  // --- kernel
  stage = "kernel";
  report.progress("kernel", {});
  const kernel = {
    runner: pyodide.pyimport("nnbook_kernel.runner"),
  };
  if (restored) kernel.runner.reseed();
  const config = JSON.stringify({ limits: init.limits || {} });
  kernel.runner.start(report.emit, config);
  if (init.interruptBuffer) pyodide.setInterruptBuffer(init.interruptBuffer);
  const sealed = seal(scope);
  report.mark("kernel-ready");
  return { pyodide, kernel, downloads, lock, restored, sealed, interruptBuffer: init.interruptBuffer || null };
}

/**
 * Marks when the main WebAssembly module is compiled, and reports a module that fails
 * to compile: Pyodide only logs a corrupt pyodide.asm.wasm and never settles.
 * @param {any} scope @param {Reporter} report @param {(error: any) => void} onFailure
 */
function watchWasm(scope, report, onFailure) {
  const wasm = scope.WebAssembly;
  let first = true;
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const plain = wasm[name];
    wasm[name] = (/** @type {any[]} */ ...args) => {
      const result = plain.apply(wasm, args);
      if (first) {
        first = false;
        result.then(() => report.mark("wasm-compiled"), () => {});
      }
      result.catch(onFailure);
      return result;
    };
  }
}
