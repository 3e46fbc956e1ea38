/*
 * Starts the page's Python as early as it can, and the book's offline copy.
 *
 * The build puts this small script in the <head> of every page, before the page's other
 * scripts. On a page with live cells or demos (the tag carries data-nnbook-python) it
 * creates the worker (worker.js) and sends it "init" at once, while the rest of the page
 * still loads; cells.js takes that worker over with window.nnbookBoot.take() and gets the
 * messages the worker sent before it was there. Then, once the page is loaded and idle,
 * it registers the service worker (sw.js, at the site root) that keeps the book for
 * offline reading and for fast second visits.
 *
 * Not for: talking to Python after the start (cells.js) or caching itself (sw.js).
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const here = script.src;
  const root = new URL("../../", here).href;
  let early = null; // {worker, init, messages, errors}, until cells.js takes it

  function start() {
    // Without cross-origin isolation there is no SharedArrayBuffer (cells.js: Stop).
    const interrupt = self.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
    const worker = new Worker(new URL("worker.js", here));
    const init = {
      id: 1,
      type: "init",
      indexURL: new URL("pyodide/", root).href,
      helpersURL: new URL("python/", here).href,
      packages: ["numpy", "nnbook"],
      interruptBuffer: interrupt,
      // A page the service worker serves gets the plain files from its cache.
      gzip: !(navigator.serviceWorker && navigator.serviceWorker.controller),
    };
    early = { worker, init, interrupt, messages: [], errors: [] };
    worker.onmessage = (event) => early.messages.push(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      early.errors.push(event);
    };
    worker.postMessage(init);
  }

  window.nnbookBoot = {
    // The worker started with the page, once; null if there is none (any more).
    take() {
      const taken = early;
      early = null;
      return taken;
    },
  };

  if (script.hasAttribute("data-nnbook-python") && typeof Worker === "function") start();

  // The offline copy waits until the page is loaded and its Python has run what the reader
  // asked for first (a call queues behind the cells): it fetches the whole book.
  function register() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register(new URL("sw.js", root), { scope: root, updateViaCache: "none" })
      .catch(() => {}); // no offline copy; the page works as before
  }
  const idle = (fn) => (window.requestIdleCallback ? requestIdleCallback(fn, { timeout: 5000 }) : setTimeout(fn, 1000));
  window.addEventListener("load", () => {
    const api = script.hasAttribute("data-nnbook-python") && window.nnbook;
    const python = api ? api.ready.then(() => api.call("None")) : Promise.resolve();
    python.catch(() => {}).then(() => idle(register));
  }, { once: true });
})();
