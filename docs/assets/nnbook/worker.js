// The Python of a page: Pyodide in a Web Worker, so the page never freezes.
//
// One message shape. Every request is {id, type, ...}; every reply is {id, result} or
// {id, error: {name, message, traceback?, line?}}. While a request runs, the worker
// streams {id, type: "stdout"|"stderr", text}, {id, type: "image", mime, data (base64),
// alt} and {id, type: "progress", stage, bytes?, packages?}.
//
//   init {indexURL, helpersURL, packages, interruptBuffer?} -> {version}
//        loads Pyodide from indexURL, the given packages and the cell helpers (python/);
//        progress stages: "download" (bytes so far), "start", "packages", "helpers".
//   run  {code, cell}  -> {value: repr of the last expression or null}
//        runs a cell in the page's namespace (see python/runner.py).
//   call {code}        -> {value: the last expression as JSON}   (for the demos)
//
// Requests are handled one after the other; everything awaits the one runtime promise.
// Not for: the page's buttons and editors (cells.js).
"use strict";

const HELPERS = ["__init__.py", "output.py", "runner.py", "inline_backend.py"];

let runtime = null; // Promise of {pyodide, runner}: created by the first "init"
let current = null; // id of the request being handled; streamed output carries it
let queue = Promise.resolve();

function post(message) {
  self.postMessage(message);
}

// --- Download progress: the runtime's fetches are counted as they stream in.
let meter = null; // {id, stage, last}: where byte counts are reported, while loading
let bytes = 0;
const plainFetch = self.fetch.bind(self);
self.fetch = async (...args) => {
  const response = await plainFetch(...args);
  if (!meter || !response.body) return response;
  const m = meter;
  const counter = new TransformStream({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      if (Date.now() - m.last >= 100) {
        m.last = Date.now();
        progress(m.id, m.stage);
      }
      controller.enqueue(chunk);
    },
    flush() {
      // Python starts as soon as its WebAssembly module has arrived.
      if (m.stage === "download" && response.url.endsWith(".wasm")) progress(m.id, "start");
    },
  });
  return new Response(response.body.pipeThrough(counter), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};

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
  return { value: reply.value };
}

// Python output goes out as messages of the request that is running.
function emit(kind, data, mime, alt) {
  if (kind === "image") post({ id: current, type: "image", data, mime, alt: alt || "" });
  else post({ id: current, type: kind, text: data });
}

// Pyodide's matplotlib reads its font list from matplotlib/fontlist.json, but the one its
// wheel ships was made by another matplotlib version, so the first import would rescan
// every font. The site build makes the right list; it goes in once matplotlib is there.
async function installFontList(rt) {
  if (rt.fontListDone || !rt.pyodide.loadedPackages.matplotlib) return;
  rt.fontListDone = true;
  const response = await fetch(new URL("fontlist-v330.json", rt.indexURL));
  if (!response.ok) return; // matplotlib then builds the list itself
  rt.pyodide.FS.writeFile(`${rt.sitePackages}/matplotlib/fontlist.json`, await response.text());
}

async function loadImports(rt, id, code) {
  await rt.pyodide.loadPackagesFromImports(code, { messageCallback: packageMessages(id) });
  await installFontList(rt);
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

async function load({ id, indexURL, helpersURL, packages, interruptBuffer }) {
  measure(id, "download");
  importScripts(new URL("pyodide.js", indexURL).href);
  const pyodide = await self.loadPyodide({ indexURL });
  measure(id, "packages");
  await pyodide.loadPackage(packages, { messageCallback: () => {}, errorCallback: console.error });
  measure(null);
  progress(id, "helpers");
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  const runner = await installHelpers(pyodide, sitePackages, helpersURL);
  if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer);
  return { pyodide, runner, interruptBuffer, indexURL, sitePackages, fontListDone: false };
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
    return fromPython(rt.runner.run_cell(code, cell));
  },

  async call({ id, code }) {
    const rt = await runtime;
    await loadImports(rt, id, code);
    return fromPython(rt.runner.call(code));
  },
};

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
  queue = queue.then(() => handle(event.data));
};
