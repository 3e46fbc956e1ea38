/*
 * Live code cells: the page's Python, its cells, and the API the demos use.
 *
 * The build turns each ```python cell id="ID"``` fence into
 *   <div class="nnbook-cell" data-nnbook-cell="ID" data-state="idle">
 *     <div class="nnbook-cell-source">highlighted code (shown until the editor is there)</div>
 *     <textarea hidden data-nnbook-source>the source</textarea>
 *     <pre class="nnbook-output" data-nnbook-output data-nnbook-expected>expected output</pre>
 *   </div>
 * This script gives each cell an editor and Run / Stop / Reset / Copy buttons, puts a
 * "Run all" button before the first cell, and runs the code in a Web Worker (worker.js)
 * with Pyodide, which starts loading in the background as soon as the page opens.
 * The cells of a page share one Python namespace, run one at a time, top to bottom.
 *
 * Hooks (stable, for tests and styles): data-nnbook-cell="ID" with
 * data-state="idle|queued|running|done|error"; buttons data-nnbook-action="run|stop|
 * reset|copy"; the page's data-nnbook-action="run-all"; the output data-nnbook-output.
 *
 * API for the demos: window.nnbook, the same Python and namespace as the cells.
 *   nnbook.ready              Promise that resolves once Python, numpy and nnbook are
 *                             loaded (reading it starts loading on a page without cells).
 *   await nnbook.call(code)   Runs code in the page's namespace and returns the value of
 *                             its last expression converted to JSON (numpy arrays become
 *                             arrays, tuples arrays, None null). On a Python error it
 *                             throws an Error with .name (e.g. "ValueError"), .message and
 *                             .traceback. Example:
 *                               const y = await nnbook.call("from nnbook import sigmoid\nsigmoid(0.5)");
 *   await nnbook.run(code, {onOutput})
 *                             Runs code like a cell; onOutput(message) receives each
 *                             {type: "stdout"|"stderr", text} or {type: "image", mime,
 *                             data (base64), alt}; returns {value: repr or null}.
 *   nnbook.onRestart(fn)      fn() is called after a Stop restarted Python (the cells that
 *                             had run were re-run; a demo re-creates its own names then).
 * Requests wait their turn behind the cells; the reader's Stop also ends or cancels them
 * (they reject with an Error named "Stopped"). Names a demo defines are visible to the
 * cells, so demos should prefix theirs with "_demo".
 *
 * Not for: running Python (worker.js, python/) or the editor (site_scripts/editor/).
 */
(function () {
  "use strict";

  const { t, lang } = window.nnbookI18n;
  const here = document.currentScript.src;
  const WORKER_URL = new URL("worker.js", here).href;
  const HELPERS_URL = new URL("python/", here).href;
  const PYODIDE_URL = new URL("../../pyodide/", here).href;
  const PACKAGES = ["numpy", "nnbook"];
  const OUTPUT_LIMIT = 100_000; // characters of printed text shown per run
  const FULL_OUTPUT_LIMIT = 50_000_000; // characters kept for "Download full output"
  const CHUNK = 2_000; // characters of output per block (see appendRaw)
  const IMAGE_LIMIT = 20; // images shown per run (python/output.py draws no more)
  // Loading that shows no sign of progress for this long has failed (a broken download
  // can leave Pyodide waiting for ever); window.nnbookLoadStallMs may shorten it.
  const LOAD_STALL_MS = window.nnbookLoadStallMs || 60_000;
  const LIMITED = ["nnbook-stdout", "nnbook-stderr", "nnbook-value"];

  // --- The page's Python: one worker, one message shape ---------------------------------

  class PythonError extends Error {
    constructor(info) {
      const lines = (info.traceback || "").trimEnd().split("\n");
      super(info.message || lines[lines.length - 1] || info.name);
      this.name = info.name;
      this.traceback = info.traceback || "";
      this.line = info.line || null;
      this.hints = info.hints || []; // keys of sentences explaining the error (runner.hints)
      this.fatal = Boolean(info.fatal); // Pyodide itself failed: the worker is restarted
    }
  }

  const stoppedError = () => new PythonError({ name: "Stopped", message: t("stopped") });

  class Python {
    constructor() {
      this.worker = null;
      this.loaded = null; // the promise everything awaits; null until started
      this.isReady = false;
      this.pending = new Map(); // id -> {resolve, reject, onStream}
      this.nextId = 0;
      // The worker boot.js started with the page, if it did: the first start takes it.
      this.early = window.nnbookBoot?.take() || null;
      // Without cross-origin isolation there is no SharedArrayBuffer: Stop then
      // restarts the worker instead of interrupting it.
      this.interrupt = this.early ? this.early.interrupt
        : self.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
    }

    start() {
      this.loaded ??= this.watch(this.boot());
      return this.loaded;
    }

    // Loading fails, rather than waits for ever, when the worker reports a failure that
    // nothing awaited or shows no progress for LOAD_STALL_MS. A failed load ends the
    // worker: the next start() (Retry, or Run) loads anew.
    watch(loading) {
      const worker = this.worker;
      let timer;
      const stalled = new Promise((_, reject) => {
        this.lastSign = Date.now();
        this.abortLoading = reject;
        timer = setInterval(() => {
          if (Date.now() - this.lastSign > LOAD_STALL_MS) {
            reject(new PythonError({ name: "LoadError", message: t("loadStalled", { seconds: Math.round(LOAD_STALL_MS / 1000) }) }));
          }
        }, 500);
      });
      const watched = Promise.race([loading, stalled]);
      watched.catch(() => {}).finally(() => {
        clearInterval(timer);
        this.abortLoading = null;
      });
      watched.catch((error) => {
        if (error.name === "Stopped" || this.worker !== worker) return;
        this.terminate();
        showLoadFailure(error);
        offerRetry(error);
      });
      return watched;
    }

    boot() {
      const early = this.early;
      this.early = null;
      this.worker = early ? early.worker : new Worker(WORKER_URL);
      this.worker.onmessage = (event) => this.receive(event.data);
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.failAll(new PythonError({ name: "Error", message: event.message || "worker.js" }));
      };
      const loading = early ? this.adopt(early, showProgress) : this.request("init", {
        indexURL: PYODIDE_URL,
        helpersURL: HELPERS_URL,
        packages: PACKAGES,
        interruptBuffer: this.interrupt,
        gzip: !navigator.serviceWorker?.controller, // its cache has the plain files
      }, showProgress);
      loading.then(() => { this.isReady = true; showReady(); }, showLoadFailure);
      return loading;
    }

    // The early worker's "init" is already sent: its reply, and the messages that came
    // before this script did, are handled here as if this had sent it.
    adopt(early, onStream) {
      const id = early.init.id;
      this.nextId = Math.max(this.nextId, id);
      const loading = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, onStream }));
      for (const message of early.messages) this.receive(message);
      for (const event of early.errors) this.worker.onerror(event);
      return loading;
    }

    request(type, fields, onStream) {
      const id = ++this.nextId;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onStream });
        this.worker.postMessage({ id, type, ...fields });
      });
    }

    receive(message) {
      this.lastSign = Date.now();
      if (message.type === "fault") {
        this.abortLoading?.(new PythonError({ name: "LoadError", message: message.message }));
        return;
      }
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      if (message.type) {
        waiting.onStream?.(message);
        return;
      }
      this.pending.delete(message.id);
      if ("error" in message) waiting.reject(new PythonError(message.error));
      else waiting.resolve(message.result);
      if (message.error?.fatal) restartAfterCrash();
    }

    failAll(error) {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    }

    // Ends the worker at once, whatever Python is doing; the next start() loads anew.
    // Events the dying worker still sends (it may report an error) are ignored.
    terminate() {
      if (this.interrupt) this.interrupt[0] = 0; // the new worker starts uninterrupted
      if (this.worker) {
        this.worker.onmessage = this.worker.onerror = null;
        this.worker.terminate();
      }
      this.worker = null;
      this.loaded = null;
      this.isReady = false;
      this.failAll(stoppedError());
    }
  }

  const python = new Python();

  // --- The queue: one job at a time -----------------------------------------------------

  const queue = []; // jobs waiting: {start(), cancel(), cell?, batch?}
  let active = null; // the job running now, with .done (its promise) and .executing

  function schedule(job, { first = false } = {}) {
    if (first) queue.unshift(job);
    else queue.push(job);
    job.cell?.setState("queued", t("queued"));
    pump();
  }

  async function pump() {
    if (active) return;
    while (queue.length) {
      active = queue.shift();
      active.done = active.start();
      await active.done;
    }
    active = null;
    warmPlots();
    settled.then(makeEditorsSoon);
  }

  // Plots: matplotlib is big (12 MB of wheels, a second or more to import). Its download
  // starts as soon as a cell that uses it is queued; on a page with such cells, it is
  // also loaded and imported in the background once the page's Python is idle.
  const PLOTS = /\bmatplotlib\b/;
  const plotting = { fetched: false, warmed: false };

  function prefetchPlots() {
    if (plotting.fetched || !python.worker) return;
    plotting.fetched = true;
    python.request("prefetch", { packages: ["matplotlib"] }).catch(() => {});
  }

  function warmPlots() {
    if (plotting.warmed || !cells.some((cell) => PLOTS.test(cell.original))) return;
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 500));
    idle(() => {
      if (plotting.warmed || active || queue.length || !python.isReady) return;
      plotting.warmed = true;
      prefetchPlots();
      python.request("warm", { packages: ["matplotlib"], modules: ["matplotlib.pyplot"] }).catch(() => {});
    }, { timeout: 3000 });
  }

  // `reason`: the key of the note a cancelled cell shows ("notRunStopped", "notRunFailed").
  function cancelQueued(filter = () => true, reason = "notRunStopped") {
    for (const job of queue.filter(filter)) {
      queue.splice(queue.indexOf(job), 1);
      job.cancel(reason);
    }
  }

  const within = (promise, ms) =>
    Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);

  // Stop: interrupt Python if the page can (SharedArrayBuffer), else end the worker and
  // rebuild the namespace by re-running the code of the cells that had run.
  async function stop() {
    cancelQueued();
    const job = active;
    if (!job || job.replay) return; // a replay re-runs code that ended before: it ends
    if (!job.executing) {
      job.cancel(); // still waiting for Python to load: nothing to interrupt
      return;
    }
    if (python.interrupt && python.isReady) {
      python.interrupt[0] = 2; // SIGINT: Python raises KeyboardInterrupt
      if (await within(job.done, 500)) return;
    }
    job.restarted = true;
    python.terminate();
    schedule(replayJob(), { first: true });
  }

  // Pyodide failed for good (e.g. a JavaScript stack overflow): a new worker, rebuilt
  // like after a Stop. The failed request has been answered with the error already.
  function restartAfterCrash() {
    python.terminate();
    schedule(replayJob(), { first: true });
  }

  const restartListeners = new Set();

  // The code that ran successfully, not the code in the editors now: the namespace comes
  // back as it was, and every replayed cell is known to end.
  function replayJob() {
    return {
      replay: true,
      async start() {
        setRuntimeStatus(t("restarting"));
        try {
          await python.start();
        } catch {
          return; // showLoadFailure says why
        }
        for (const cell of cells.filter((c) => c.ranCode !== null)) {
          try {
            await python.request("run", { code: cell.ranCode, cell: cell.id });
          } catch {
            cell.ranCode = null;
          }
        }
        for (const listener of restartListeners) listener();
      },
      cancel() {},
    };
  }

  // --- Runtime status: the page-level progress region -----------------------------------

  let runtimeStatus = null;

  function setRuntimeStatus(text, state = "loading") {
    if (!runtimeStatus) return;
    runtimeStatus.textContent = text;
    runtimeStatus.dataset.state = state;
  }

  const megabytes = (bytes) =>
    new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
      .format((bytes || 0) / 1e6);

  const progressText = {
    download: (m) => t("downloading", { mb: megabytes(m.bytes) }),
    start: () => t("starting"),
    packages: (m) => t("loadingPackages", { mb: megabytes(m.bytes) }),
    helpers: () => t("preparing"),
  };

  function showProgress(message) {
    const text = progressText[message.stage];
    if (text) setRuntimeStatus(text(message));
  }

  function showReady() {
    setRuntimeStatus(t("ready"), "ready");
  }

  function showLoadFailure(error) {
    if (error.name === "Stopped") return;
    setRuntimeStatus(t("loadFailed", { message: error.message }), "error");
  }

  // Every cell says that Python could not be loaded and offers Retry; the page's text,
  // figures and the expected outputs stay as they are.
  function offerRetry(error) {
    for (const cell of cells) cell.showLoadFailure(error);
  }

  function retry() {
    for (const cell of cells) cell.loadFailure.hidden = true;
    python.start().catch(() => {}); // a new failure is shown again
  }

  // --- Saved edits: per page and cell, with a hash of the original they were made on ----

  function hash(text) {
    // cyrb53: a short, stable fingerprint (crypto.subtle needs a secure context).
    let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
  }

  const storage = {
    key: (id) => `nnbook:edit:${location.pathname}#${id}`,
    load(id) {
      try {
        return JSON.parse(localStorage.getItem(this.key(id)));
      } catch {
        return null;
      }
    },
    save(id, code, original) {
      try {
        localStorage.setItem(this.key(id), JSON.stringify({ code, original: hash(original) }));
      } catch {
        // storage full or disabled: the edit lives until the page closes
      }
    },
    clear(id) {
      try {
        localStorage.removeItem(this.key(id));
      } catch {
        // nothing saved
      }
    },
  };

  // --- A cell ---------------------------------------------------------------------------

  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  // Material Design icons (Apache-2.0), drawn inline so that no font is needed.
  const ICONS = {
    run: "M8,5.14V19.14L19,12.14L8,5.14Z",
    "run-all": "M13,6V18L21.5,12M4,18L12.5,12L4,6V18Z",
    stop: "M18,18H6V6H18V18Z",
    reset: "M12.5,8C9.85,8 7.45,9 5.6,10.6L2,7V16H11L7.38,12.38C8.77,11.22 10.54,10.5 12.5,10.5C16.04,10.5 19.05,12.81 20.1,16L22.47,15.22C21.08,11.03 17.15,8 12.5,8Z",
    copy: "M19,21H8V7H19M19,5H8A2,2 0 0,0 6,7V21A2,2 0 0,0 8,23H19A2,2 0 0,0 21,21V7A2,2 0 0,0 19,5M16,1H4A2,2 0 0,0 2,3V17H4V3H16V1Z",
    retry: "M17.65,6.35C16.2,4.9 14.21,4 12,4A8,8 0 0,0 4,12A8,8 0 0,0 12,20C15.73,20 18.84,17.45 19.73,14H17.65C16.83,16.33 14.61,18 12,18A6,6 0 0,1 6,12A6,6 0 0,1 12,6C13.66,6 15.14,6.69 16.22,7.78L13,11H20V4L17.65,6.35Z",
    "download-output": "M5,20H19V18H5M19,9H15V3H9V9H5L12,16L19,9Z",
  };

  function icon(name) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "nnbook-icon");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function button(action, label, title) {
    const node = element("button", { type: "button", class: "nnbook-button", "data-nnbook-action": action, title });
    node.append(icon(action), element("span", {}, label));
    return node;
  }

  // The build keeps the source in a hidden <textarea> (decoded once by the browser); in a
  // <script> it would stay HTML-escaped, so decode it then.
  function readSource(node) {
    if (node.tagName === "TEXTAREA") return node.value;
    const area = document.createElement("textarea");
    area.innerHTML = node.textContent;
    return area.value.replace(/^\n/, "");
  }

  // A plain textarea stands in if the editor bundle did not load.
  function plainEditor(parent, doc, options) {
    const area = element("textarea", { class: "nnbook-plain-editor", "aria-label": options.label, spellcheck: "false", rows: String(doc.split("\n").length) });
    if (options.describedBy) area.setAttribute("aria-describedby", options.describedBy);
    area.value = doc;
    area.addEventListener("input", () => options.onChange(area.value));
    area.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      if (event.shiftKey) options.onRunNext();
      else if (event.ctrlKey || event.metaKey) options.onRun();
      else return;
      event.preventDefault();
    });
    parent.append(area);
    return {
      getCode: () => area.value,
      setCode(code) { area.value = code; options.onChange(code); },
      focus: () => area.focus(),
      markLine() {},
    };
  }

  // Editors are made when needed, not all at page load (each one measures the page; 16
  // of them hold the main thread for over 100 ms, while Python starts): one per task,
  // the cells near the viewport first, at once when the reader clicks the code, the
  // others in idle time once Python has started and run the first cells. Until then the
  // build's highlighted code shows, and this stands in for the editor (same methods).
  const unmade = new Set(); // the make() of each editor not made yet, in page order
  let making = false;
  // Not before the page has loaded and MathJax has set the equations: an editor measures
  // the page, which costs a whole layout while the page is still changing.
  const settled = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", resolve, { once: true });
  }).then(() => window.MathJax?.startup?.promise).catch(() => {});

  function makeEditorsSoon() {
    if (making || !unmade.size) return;
    making = true;
    const next = () => {
      making = false;
      const make = unmade.values().next().value;
      if (make) make();
      makeEditorsSoon();
    };
    if (window.requestIdleCallback) requestIdleCallback(next, { timeout: 2000 });
    else setTimeout(next, 50);
  }

  const nearView = window.IntersectionObserver ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      nearView.unobserve(entry.target);
      entry.target.nnbookMake?.();
    }
  }, { rootMargin: "300px 0px" }) : null;

  function lazyEditor(box, source, doc, options) {
    let real = null;
    let line = null;
    const make = () => {
      if (real) return real;
      unmade.delete(make);
      real = window.nnbookEditor ? window.nnbookEditor.create(box, doc, options) : plainEditor(box, doc, options);
      if (source) source.hidden = true;
      if (line) real.markLine(line);
      return real;
    };
    unmade.add(make);
    // Near the viewport: made in a task of its own, soon (not in the observer's callback).
    box.nnbookMake = () => {
      unmade.delete(make);
      setTimeout(make, 0);
    };
    settled.then(() => nearView?.observe(box));
    source?.addEventListener("pointerdown", () => make().focus(), { once: true });
    return {
      make,
      getCode: () => (real ? real.getCode() : doc),
      setCode: (code) => make().setCode(code),
      focus: () => make().focus(),
      markLine(n) {
        if (real) real.markLine(n);
        else line = n;
      },
    };
  }

  // What each streamed message does to the cell's output: one small function per type.
  const showMessage = {
    stdout: (cell, m) => cell.appendText(m.text, "nnbook-stdout"),
    stderr: (cell, m) => cell.appendText(m.text, "nnbook-stderr"),
    image: (cell, m) => cell.appendImage(m),
    progress: (cell, m) => m.packages && cell.setStatus(t("loadingModules", { packages: m.packages.join(", ") })),
  };

  class Cell {
    constructor(root, index) {
      this.root = root;
      this.id = root.dataset.nnbookCell;
      this.n = index + 1;
      this.original = readSource(root.querySelector("[data-nnbook-source]"));
      this.output = root.querySelector("[data-nnbook-output]");
      this.ranCode = null; // the code of its last run if that run succeeded (see replayJob)
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
      root.setAttribute("aria-label", t("cellLabel", { n: this.n }));
      const source = root.querySelector(".nnbook-cell-source");
      const editorBox = element("div", { class: "nnbook-editor" });
      const options = {
        label: t("editorLabel", { n: this.n }),
        describedBy: "nnbook-editor-help",
        onRun: () => this.run(),
        onRunNext: () => this.runAndNext(),
        onChange: (code) => this.changed(code),
      };
      (source || root.firstChild).before(editorBox);
      this.editor = lazyEditor(editorBox, source, this.original, options);

      this.notice = element("div", { class: "nnbook-notice", hidden: "" });
      this.loadFailure = element("div", { class: "nnbook-load-failure", role: "alert", hidden: "" });
      this.buttons = {
        run: button("run", t("run"), t("runTitle")),
        stop: button("stop", t("stop"), t("stopTitle")),
        reset: button("reset", t("reset"), t("resetTitle")),
        copy: button("copy", t("copy"), t("copyTitle")),
      };
      this.buttons.run.addEventListener("click", () => this.run());
      this.buttons.stop.addEventListener("click", () => stop());
      this.buttons.reset.addEventListener("click", () => this.reset());
      this.buttons.copy.addEventListener("click", () => this.copy());
      this.editedMark = element("span", { class: "nnbook-edited", hidden: "" }, t("edited"));
      this.status = element("span", { class: "nnbook-status", role: "status" });
      const toolbar = element("div", { class: "nnbook-toolbar" });
      toolbar.append(...Object.values(this.buttons), this.editedMark, this.status);
      editorBox.after(this.notice, this.loadFailure, toolbar);

      this.label = element("div", { class: "nnbook-output-label", "aria-hidden": "true" },
        t(this.output.hasAttribute("data-nnbook-expected") ? "expectedOutput" : "output"));
      this.output.before(this.label);
      this.output.setAttribute("aria-label", this.label.textContent);
      this.setState("idle");
    }

    setState(state, statusText = "") {
      this.state = state;
      this.root.dataset.state = state;
      const busy = state === "queued" || state === "running";
      this.buttons.stop.disabled = !busy;
      this.root.setAttribute("aria-busy", String(state === "running"));
      this.setStatus(statusText);
    }

    setStatus(text) {
      this.status.textContent = text;
    }

    showLoadFailure(error) {
      const again = button("retry", t("retry"), t("retryTitle"));
      again.addEventListener("click", retry);
      this.loadFailure.replaceChildren(element("span", {}, t("loadFailedCell", { message: error.message })), again);
      this.loadFailure.hidden = false;
    }

    // --- editing

    changed(code) {
      const edited = code !== this.original;
      if (edited) storage.save(this.id, code, this.original);
      else storage.clear(this.id);
      this.editedMark.hidden = !edited;
      this.buttons.reset.disabled = !edited;
    }

    restoreEdit() {
      const saved = storage.load(this.id);
      this.changed(this.original);
      if (!saved || typeof saved.code !== "string") return;
      this.editor.make(); // the reader's own code, or a choice to make about it
      if (saved.original === hash(this.original)) {
        this.editor.setCode(saved.code);
        return;
      }
      // The book changed since the reader edited this cell: let them choose.
      const useNew = element("button", { type: "button", class: "nnbook-button" }, t("useNew"));
      const keep = element("button", { type: "button", class: "nnbook-button" }, t("keepMine"));
      this.notice.replaceChildren(element("span", {}, t("changedNotice")), useNew, keep);
      this.notice.hidden = false;
      useNew.addEventListener("click", () => {
        storage.clear(this.id);
        this.notice.hidden = true;
      });
      keep.addEventListener("click", () => {
        this.notice.hidden = true;
        this.editor.setCode(saved.code);
      });
    }

    reset() {
      this.notice.hidden = true;
      this.editor.setCode(this.original);
      storage.clear(this.id);
      this.editor.focus();
    }

    async copy() {
      const code = this.code;
      try {
        await navigator.clipboard.writeText(code);
      } catch {
        const area = element("textarea", { class: "nnbook-sr-only" });
        area.value = code;
        document.body.append(area);
        area.select();
        document.execCommand("copy");
        area.remove();
      }
      this.setStatus(t("copied"));
    }

    // --- running

    run(batch = null) {
      if (queue.some((job) => job.cell === this)) return;
      if (PLOTS.test(this.code)) prefetchPlots();
      const cell = this;
      const before = { state: this.state, status: this.status.textContent };
      schedule({
        cell,
        batch,
        start() {
          return cell.execute(this);
        },
        cancel(reason) {
          this.cancelled = true;
          // The cell keeps its output; its note says why it did not run.
          if (reason) cell.setState("idle", t(reason));
          else cell.setState(before.state, before.status);
        },
      });
    }

    runAndNext() {
      this.run();
      const next = cells[cells.indexOf(this) + 1];
      if (next) next.editor.focus();
    }

    clearOutput() {
      this.output.replaceChildren();
      this.room = OUTPUT_LIMIT;
      this.printed = []; // all printed text, up to FULL_OUTPUT_LIMIT, for the download
      this.printedSize = 0;
      this.output.removeAttribute("data-nnbook-expected");
      this.label.textContent = t("output");
      this.output.setAttribute("aria-label", t("output"));
      this.editor.markLine(null);
    }

    // Printed text beyond OUTPUT_LIMIT characters is dropped, with a notice: a page holding
    // megabytes of text would freeze. Tracebacks and notices are always shown.
    appendText(text, kind) {
      if (!text) return;
      if (LIMITED.includes(kind)) {
        this.keep(text);
        if (this.room < 0) return;
        const fits = text.slice(0, this.room);
        this.room -= text.length;
        if (this.room < 0) {
          this.appendRaw(fits, kind);
          this.appendTruncated();
          return;
        }
      }
      this.appendRaw(text, kind);
    }

    keep(text) {
      const part = text.slice(0, FULL_OUTPUT_LIMIT - this.printedSize);
      if (part) this.printed.push(part);
      this.printedSize += part.length;
    }

    appendTruncated() {
      this.appendRaw(`\n${t("truncated")}\n`, "nnbook-notice-text");
      const download = button("download-output", t("downloadOutput"), t("downloadOutputTitle", { mb: FULL_OUTPUT_LIMIT / 1e6 }));
      download.addEventListener("click", () => this.downloadOutput());
      this.output.append(download);
    }

    // The whole printed text as a file, made in the page: nothing is sent anywhere.
    downloadOutput() {
      const file = new Blob(this.printed, { type: "text/plain;charset=utf-8" });
      const link = element("a", { href: URL.createObjectURL(file), download: `${this.id}-output.txt` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    }

    // Long text goes in blocks of about CHUNK characters, each of whole lines, so that the
    // browser lays out only the new block (and skips those scrolled out of view): a loop
    // printing thousands of lines does not freeze the page.
    appendRaw(text, kind) {
      while (text) {
        let end = text.length;
        if (end > CHUNK) {
          const newline = text.indexOf("\n", CHUNK);
          if (newline >= 0) end = newline + 1;
        }
        this.appendPiece(text.slice(0, end), kind);
        text = text.slice(end);
      }
    }

    appendPiece(text, kind) {
      let last = this.output.lastChild;
      if (!last || last.className !== kind || "nnbookBlock" in last.dataset) {
        const startsLine = !last || last.textContent.endsWith("\n");
        last = element("span", { class: kind });
        last.startsLine = startsLine;
        this.output.append(last);
      }
      last.append(text);
      last.size = (last.size || 0) + text.length;
      if (last.size >= CHUNK && last.startsLine && text.endsWith("\n")) last.dataset.nnbookBlock = "";
    }

    // A notice or traceback starts on a line of its own.
    appendBlock(text, kind) {
      const before = this.output.textContent;
      if (before && !before.endsWith("\n")) this.appendText("\n", "nnbook-stdout");
      this.appendText(text, kind);
    }

    appendImage({ mime, data, alt }) {
      // Decoded off the main thread: a cell showing many figures does not freeze the page.
      const img = element("img", { class: "nnbook-image", decoding: "async", src: `data:${mime};base64,${data}` });
      img.alt = alt ? t("figureAltTitled", { title: alt }) : t(mime === "image/svg+xml" ? "drawingAlt" : "figureAlt");
      this.output.append(img);
    }

    async execute(job) {
      if (!python.isReady) this.setState("queued", t("waiting"));
      try {
        await python.start();
      } catch (error) {
        if (job.cancelled) return;
        this.setState("error", t("failed", { name: error.message }));
        return;
      }
      if (job.cancelled) return;
      job.executing = true;
      this.setState("running", t("running"));
      this.clearOutput();
      const started = performance.now();
      const code = this.code;
      try {
        const result = await python.request("run", { code, cell: this.id },
          (message) => showMessage[message.type]?.(this, message));
        if (result.value !== null) this.appendText(`${result.value}\n`, "nnbook-value");
        if (result.hidden_images) {
          this.appendBlock(t("imagesHidden", { count: result.hidden_images, limit: IMAGE_LIMIT }), "nnbook-notice-text");
        }
        if ("exit" in result) {
          this.appendBlock(t("exitCalled", { call: `sys.exit(${result.exit ?? ""})` }), "nnbook-notice-text");
        }
        this.ranCode = code;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        this.setState("done", `${t("done")} (${seconds} s)`);
      } catch (error) {
        this.ranCode = null;
        this.failed(error, job);
        if (job.batch) cancelQueued((other) => other.batch === job.batch, "notRunFailed");
      }
    }

    failed(error, job) {
      if (error.name === "Stopped" || error.name === "KeyboardInterrupt") {
        this.appendBlock(job.restarted ? t("stoppedRestarted") : t("stopped"), "nnbook-notice-text");
        this.setState("error", t("stopped"));
        return;
      }
      if (error.fatal) {
        this.appendBlock(t("crashed", { message: error.message }), "nnbook-notice-text");
        this.setState("error", t("failed", { name: error.name }));
        return;
      }
      this.appendBlock(error.traceback || error.message, "nnbook-traceback");
      for (const hint of error.hints) this.appendBlock(t(`hint.${hint}`), "nnbook-notice-text");
      this.editor.markLine(error.line);
      this.setState("error", t("failed", { name: error.name }));
    }
  }

  // --- The page -------------------------------------------------------------------------

  const cells = [...document.querySelectorAll("[data-nnbook-cell]")].map((root, i) => new Cell(root, i));
  const firstDemo = document.querySelector("[data-nnbook-demo]");

  function buildPageBar(before) {
    const bar = element("div", { class: "nnbook-runbar" });
    if (cells.length) {
      const runAll = button("run-all", t("runAll"), t("runAll"));
      runAll.addEventListener("click", () => {
        const batch = {};
        for (const cell of cells) cell.run(batch);
      });
      bar.append(runAll);
    }
    runtimeStatus = element("span", { class: "nnbook-runtime", role: "status", "aria-live": "polite" });
    const help = element("span", { id: "nnbook-editor-help", class: "nnbook-sr-only" }, t("editorHelp"));
    bar.append(runtimeStatus, help);
    before.before(bar);
  }

  const first = cells.length ? cells[0].root : firstDemo;
  if (first) {
    buildPageBar(first);
    // Load in the background; failures are shown. Then the editors and plots get ready.
    python.start().then(warmPlots, () => {}).then(() => settled).then(makeEditorsSoon);
  }

  function queued(start) {
    return new Promise((resolve, reject) => {
      schedule({
        start() {
          return python.start().then(() => {
            if (this.cancelled) return undefined;
            this.executing = true;
            return start();
          }).then(resolve, reject);
        },
        cancel() {
          this.cancelled = true;
          reject(stoppedError());
        },
      });
    });
  }

  window.nnbook = {
    get ready() {
      return python.start().then(() => undefined);
    },
    call(code) {
      return queued(() => python.request("call", { code })).then((result) => result.value);
    },
    run(code, { onOutput } = {}) {
      return queued(() => python.request("run", { code, cell: "demo" }, (m) => m.type !== "progress" && onOutput?.(m)));
    },
    onRestart(listener) {
      restartListeners.add(listener);
    },
  };
})();
