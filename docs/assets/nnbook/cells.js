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
  const LIMITED = ["nnbook-stdout", "nnbook-stderr", "nnbook-value"];

  // --- The page's Python: one worker, one message shape ---------------------------------

  class PythonError extends Error {
    constructor(info) {
      const lines = (info.traceback || "").trimEnd().split("\n");
      super(info.message || lines[lines.length - 1] || info.name);
      this.name = info.name;
      this.traceback = info.traceback || "";
      this.line = info.line || null;
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
      // Without cross-origin isolation there is no SharedArrayBuffer: Stop then
      // restarts the worker instead of interrupting it.
      this.interrupt = self.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
    }

    start() {
      this.loaded ??= this.boot();
      return this.loaded;
    }

    boot() {
      this.worker = new Worker(WORKER_URL);
      this.worker.onmessage = (event) => this.receive(event.data);
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.failAll(new PythonError({ name: "Error", message: event.message || "worker.js" }));
      };
      const loading = this.request("init", {
        indexURL: PYODIDE_URL,
        helpersURL: HELPERS_URL,
        packages: PACKAGES,
        interruptBuffer: this.interrupt,
      }, showProgress);
      loading.then(() => { this.isReady = true; showReady(); }, showLoadFailure);
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
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      if (message.type) {
        waiting.onStream?.(message);
        return;
      }
      this.pending.delete(message.id);
      if ("error" in message) waiting.reject(new PythonError(message.error));
      else waiting.resolve(message.result);
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
  }

  function cancelQueued(filter = () => true) {
    for (const job of queue.filter(filter)) {
      queue.splice(queue.indexOf(job), 1);
      job.cancel();
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
      this.editor = window.nnbookEditor
        ? window.nnbookEditor.create(editorBox, this.original, options)
        : plainEditor(editorBox, this.original, options);
      if (source) source.hidden = true;

      this.notice = element("div", { class: "nnbook-notice", hidden: "" });
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
      editorBox.after(this.notice, toolbar);

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
      const cell = this;
      const before = { state: this.state, status: this.status.textContent };
      schedule({
        cell,
        batch,
        start() {
          return cell.execute(this);
        },
        cancel() {
          this.cancelled = true;
          cell.setState(before.state, before.status);
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
        if (this.room < 0) return;
        const fits = text.slice(0, this.room);
        this.room -= text.length;
        if (this.room < 0) {
          this.appendRaw(fits, kind);
          this.appendRaw(`\n${t("truncated")}\n`, "nnbook-notice-text");
          return;
        }
      }
      this.appendRaw(text, kind);
    }

    appendRaw(text, kind) {
      const last = this.output.lastChild;
      if (last && last.className === kind) last.append(text);
      else this.output.append(element("span", { class: kind }, text));
    }

    // A notice or traceback starts on a line of its own.
    appendBlock(text, kind) {
      const before = this.output.textContent;
      if (before && !before.endsWith("\n")) this.appendText("\n", "nnbook-stdout");
      this.appendText(text, kind);
    }

    appendImage({ mime, data, alt }) {
      const img = element("img", { class: "nnbook-image", src: `data:${mime};base64,${data}` });
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
        this.ranCode = code;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        this.setState("done", `${t("done")} (${seconds} s)`);
      } catch (error) {
        this.ranCode = null;
        this.failed(error, job);
        if (job.batch) cancelQueued((other) => other.batch === job.batch);
      }
    }

    failed(error, job) {
      if (error.name === "Stopped" || error.name === "KeyboardInterrupt") {
        this.appendBlock(job.restarted ? t("stoppedRestarted") : t("stopped"), "nnbook-notice-text");
        this.setState("error", t("stopped"));
        return;
      }
      this.appendBlock(error.traceback || error.message, "nnbook-traceback");
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
    python.start().catch(() => {}); // load in the background; failures are shown
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
