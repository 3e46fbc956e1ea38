// The Python of a page: Pyodide in a Web Worker, so the page never freezes.
//
// One message shape. Every request is {id, type, ...}; every reply is {id, result} or
// {id, error: {name, message, traceback?, line?}}. While a request runs, the worker
// streams {id, type: "stdout"|"stderr", text}, {id, type: "image", mime, data (base64),
// alt} and {id, type: "progress", stage, bytes?, packages?}.
//
//   init {indexURL, helpersURL, packages, interruptBuffer?, gzip?} -> {version}
//        loads Pyodide from indexURL, the given packages and the cell helpers (python/);
//        progress stages: "download" (bytes so far), "start", "packages", "helpers".
//        gzip: false fetches the plain core files, not their .gz copies.
//   run  {code, cell}  -> {value: repr of the last expression or null}
//        runs a cell in the page's namespace (see python/runner.py).
//   call {code}        -> {value: the last expression as JSON}   (for the demos)
//   warm {packages, modules} -> {}   loads packages and imports modules, showing nothing.
//   prefetch {packages} -> {}        starts downloading the packages' wheels; answered
//                                    at once, even while another request runs.
//
// Requests other than prefetch are handled one after the other; everything awaits the
// one runtime promise.
// Not for: the page's buttons and editors (cells.js).
"use strict";

const HELPERS = ["__init__.py", "output.py", "runner.py", "inline_backend.py"];

let runtime = null; // Promise of {pyodide, runner}: created by the first "init"
let current = null; // id of the request being handled; streamed output carries it
let queue = Promise.resolve();

function post(message) {
  self.postMessage(message);
}

// --- Downloads: all at once, before Python needs them --------------------------------
// "init" requests the core (pyodide.asm.wasm, .asm.js, python_stdlib.zip, the lock) and
// the wheels of the packages to load in parallel, at once; a "prefetch" request does the
// same for packages a cell will need. Pyodide's own fetch of such a URL is then answered
// with the download already under way. The two biggest core files come as gzip copies
// (site_scripts/precompress.py) inflated here, so a host that does not compress sends a
// third of the bytes. Compressed bytes are counted as they arrive, for the progress line.
const GZIPPED = ["pyodide.asm.wasm", "pyodide.asm.js"]; // keep in step with precompress.py
const plainFetch = self.fetch.bind(self);
const early = new Map(); // absolute URL -> Promise<Response>, each handed out once
let lock = null; // Promise of the parsed pyodide-lock.json, once "init" has come
let meter = null; // {id, stage, last}: where byte counts are reported, while loading
let bytes = 0;

self.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input, self.location).href;
  const waiting = early.get(url);
  if (!waiting) return plainFetch(input, init);
  early.delete(url);
  return waiting.catch(() => plainFetch(input, init)); // a failed early try gets a second one
};

function count(chunk) {
  bytes += chunk.byteLength;
  const m = meter;
  if (m && Date.now() - m.last >= 100) {
    m.last = Date.now();
    progress(m.id, m.stage);
  }
}

async function fetchOk(url, init) {
  const response = await plainFetch(url, init);
  if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
  return response;
}

// The body of `url`.gz, inflated, as a Response like the plain file's; null if the
// browser cannot inflate or the copy is missing (then the plain file is used).
// An error in the middle of the stream rejects `failed` too: Pyodide only logs a
// broken WebAssembly download, it never rejects.
async function gunzipped(url, type, failed) {
  if (typeof DecompressionStream !== "function") return null;
  let response;
  try {
    response = await fetchOk(`${url}.gz`);
  } catch {
    return null;
  }
  const counter = new TransformStream({ transform(chunk, c) { count(chunk); c.enqueue(chunk); } });
  const reader = response.body.pipeThrough(counter).pipeThrough(new DecompressionStream("gzip")).getReader();
  const body = new ReadableStream({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        failed(new Error(`cannot load ${url}: ${error.message}`));
        controller.error(error);
      }
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": type } });
}

// Starts the core downloads; resolves to the URL of pyodide.asm.js to run (a blob of the
// inflated copy, or the plain file) once everything has arrived. Rejects on any failure.
function fetchCore(indexURL, { gzip = true } = {}) {
  let failed;
  const failure = new Promise((_, reject) => { failed = reject; });
  const at = (name) => new URL(name, indexURL).href;
  const kept = (name, promise) => {
    early.set(at(name), promise);
    promise.catch(failed);
    return promise;
  };
  const wasm = kept("pyodide.asm.wasm", (gzip && gunzipped(at("pyodide.asm.wasm"), "application/wasm", failed)
    || Promise.resolve(null)).then((r) => r || fetchOk(at("pyodide.asm.wasm"))));
  const stdlib = kept("python_stdlib.zip", fetchOk(at("python_stdlib.zip")).then(async (r) => {
    const data = await r.arrayBuffer();
    count(data);
    return new Response(data);
  }));
  const script = (gzip && gunzipped(at("pyodide.asm.js"), "text/javascript", failed) || Promise.resolve(null))
    .then(async (r) => (r ? URL.createObjectURL(await r.blob()) : at("pyodide.asm.js")));
  script.catch(failed);
  const arrived = Promise.all([wasm, stdlib, script]).then(([, , url]) => url);
  return { arrived, failure };
}

function readLock(indexURL) {
  const url = new URL("pyodide-lock.json", indexURL).href;
  const text = fetchOk(url).then((r) => r.text());
  early.set(url, text.then((t) => new Response(t, { headers: { "Content-Type": "application/json" } })));
  return text.then((t) => ({ indexURL, ...JSON.parse(t) }));
}

// Starts downloading the wheels of `names` and their dependencies, each checked
// against the lock's sha256 by the browser, as Pyodide itself checks them.
const prefetched = new Set(); // wheel URLs, each fetched once here

function prefetchWheels(spec, names) {
  const todo = [...names];
  const seen = new Set();
  while (todo.length) {
    const name = todo.pop();
    const pkg = spec.packages[name];
    if (seen.has(name) || !pkg) continue;
    seen.add(name);
    todo.push(...pkg.depends);
    const url = new URL(pkg.file_name, spec.indexURL).href;
    if (prefetched.has(url)) continue;
    prefetched.add(url);
    const hash = String.fromCharCode(...pkg.sha256.match(/../g).map((h) => parseInt(h, 16)));
    const download = fetchOk(url, { integrity: `sha256-${btoa(hash)}` }).then(async (r) => {
      const data = await r.arrayBuffer();
      count(data);
      return new Response(data);
    });
    download.catch(() => early.delete(url)); // Pyodide then tries, and reports, itself
    early.set(url, download);
  }
}

function progress(id, stage, extra = {}) {
  post({ id, type: "progress", stage, bytes, ...extra });
}

function measure(id, stage) {
  meter = stage ? { id, stage, last: 0 } : null;
  bytes = 0;
  if (stage) progress(id, stage);
}

// Pyodide's messages "Loading numpy, nnbook" become progress with the package names.
function packageMessages(id) {
  return (message) => {
    const loading = /^Loading (.+)$/.exec(message);
    if (loading) progress(id, "packages", { packages: loading[1].split(/,\s*/) });
  };
}

class PythonError extends Error {
  constructor(info) {
    super(info.traceback || info.name);
    this.info = info;
  }
}

function fromPython(json) {
  const reply = JSON.parse(json);
  if (reply.error) throw new PythonError(reply.error);
  return reply; // {value, exit?, hidden_images?}
}

// The runner catches every Python exception, so an error out of it is Pyodide's own
// (a JavaScript stack overflow, running out of WebAssembly memory): Python is then
// unusable ("fatally failed") and the page restarts the worker.
function runPython(rt, call) {
  let json;
  try {
    json = call(rt.runner);
  } catch (err) {
    throw new PythonError({ name: err.name || "Error", message: String(err.message || err), fatal: true });
  }
  return fromPython(json);
}

// --- The book runs offline: code in a cell sends nothing to another site ---------------
// (python/output.py says so for pyodide.http; this covers js.fetch and the like.)
function offline(url) {
  const error = new Error(`OfflineError: code cells run offline, no request was sent to ${url}`);
  error.name = "OfflineError";
  return error;
}

function elsewhere(url) {
  try {
    return new URL(String(url), self.location.href).origin !== self.location.origin;
  } catch {
    return false;
  }
}

(function blockOtherSites() {
  const fetchHere = self.fetch;
  self.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : input;
    return elsewhere(url) ? Promise.reject(offline(url)) : fetchHere(input, init);
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (elsewhere(url)) throw offline(url);
    return open.call(this, method, url, ...rest);
  };
  const importHere = self.importScripts.bind(self);
  self.importScripts = (...urls) => {
    const away = urls.find(elsewhere);
    if (away) throw offline(away);
    return importHere(...urls);
  };
  for (const name of ["WebSocket", "EventSource"]) {
    if (self[name]) self[name] = function (url) { throw offline(url); };
  }
})();

// A failure nothing awaits is reported as a "fault", so that the page does not wait for
// ever (while loading, it gives up): Pyodide only logs a WebAssembly module that does not
// compile (a corrupt or missing pyodide.asm.wasm) and never settles loadPyodide().
function fault(reason) {
  post({ id: 0, type: "fault", message: String(reason?.message || reason) });
}

self.addEventListener("unhandledrejection", (event) => {
  if (event.reason?.name !== "OfflineError") fault(event.reason); // not a reader's js.fetch
});

for (const name of ["instantiate", "instantiateStreaming"]) {
  const plain = WebAssembly[name];
  WebAssembly[name] = (...args) => {
    const result = plain.apply(WebAssembly, args);
    result.catch(fault);
    return result;
  };
}

// Python output goes out as messages of the request that is running.
function emit(kind, data, mime, alt) {
  if (kind === "image") post({ id: current, type: "image", data, mime, alt: alt || "" });
  else post({ id: current, type: kind, text: data });
}

// (matplotlib's font list needs nothing here: the build put the right one in its wheel.)
async function loadImports(rt, id, code) {
  await rt.pyodide.loadPackagesFromImports(code, { messageCallback: packageMessages(id) });
  if (rt.interruptBuffer) rt.interruptBuffer[0] = 0;
}

async function installHelpers(pyodide, sitePackages, helpersURL) {
  const dir = `${sitePackages}/nnbook_cells`;
  pyodide.FS.mkdirTree(dir);
  await Promise.all(HELPERS.map(async (name) => {
    const response = await fetch(new URL(name, helpersURL));
    if (!response.ok) throw new Error(`cannot load ${name}: HTTP ${response.status}`);
    pyodide.FS.writeFile(`${dir}/${name}`, await response.text());
  }));
  const runner = pyodide.pyimport("nnbook_cells.runner");
  pyodide.pyimport("nnbook_cells.output").connect(emit);
  return runner;
}

async function load({ id, indexURL, helpersURL, packages, interruptBuffer, gzip = true }) {
  measure(id, "download");
  const core = fetchCore(indexURL, { gzip });
  lock = readLock(indexURL);
  lock.then((spec) => prefetchWheels(spec, packages), () => {});
  for (const name of HELPERS) early.set(new URL(name, helpersURL).href, fetchOk(new URL(name, helpersURL)));
  importScripts(new URL("pyodide.js", indexURL).href);
  const script = await Promise.race([core.arrived, core.failure]);
  progress(id, "start");
  meter = null; // the rest of the download is Python starting
  if (typeof self._createPyodideModule !== "function") importScripts(script);
  const pyodide = await Promise.race([self.loadPyodide({ indexURL }), core.failure]);
  measure(id, "packages");
  await pyodide.loadPackage(packages, { messageCallback: () => {}, errorCallback: console.error });
  const missing = packages.filter((name) => !pyodide.loadedPackages[name]);
  if (missing.length) throw new Error(`cannot load ${missing.join(", ")}`);
  measure(null);
  progress(id, "helpers");
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  const runner = await installHelpers(pyodide, sitePackages, helpersURL);
  if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer);
  return { pyodide, runner, interruptBuffer, indexURL, sitePackages };
}

const handlers = {
  async init(msg) {
    runtime ??= load(msg);
    const { pyodide } = await runtime;
    return { version: pyodide.version };
  },

  async run({ id, code, cell }) {
    const rt = await runtime;
    await loadImports(rt, id, code);
    return runPython(rt, (runner) => runner.run_cell(code, cell));
  },

  async call({ id, code }) {
    const rt = await runtime;
    await loadImports(rt, id, code);
    return runPython(rt, (runner) => runner.call(code));
  },

  // Loads packages and imports modules ahead of the cells that need them (when the
  // page is idle), so that their first run does not wait for it.
  async warm({ packages, modules }) {
    const rt = await runtime;
    await rt.pyodide.loadPackage(packages, { messageCallback: () => {}, errorCallback: () => {} });
    for (const name of modules) rt.pyodide.pyimport(name);
    if (rt.interruptBuffer) rt.interruptBuffer[0] = 0;
    return {};
  },
};

// Answered at once, outside the queue: downloads only, Python is not involved.
async function prefetch({ packages }) {
  prefetchWheels(await lock, packages);
  return {};
}

async function handle(msg) {
  current = msg.id;
  try {
    const handler = handlers[msg.type];
    if (!handler) throw new Error(`unknown request type "${msg.type}"`);
    post({ id: msg.id, result: await handler(msg) });
  } catch (err) {
    const info = err.info || { name: err.name || "Error", message: String(err.message || err) };
    post({ id: msg.id, error: info });
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "prefetch") {
    prefetch(msg).then((result) => post({ id: msg.id, result }),
      (err) => post({ id: msg.id, error: { name: "Error", message: String(err.message || err) } }));
    return;
  }
  queue = queue.then(() => handle(msg));
};
