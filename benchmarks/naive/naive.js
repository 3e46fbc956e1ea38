// The naive page's main thread: one worker, a Run button per cell, one run at a time.
// window.naive = {ready: Promise (Pyodide core loaded), run(code) -> Promise of the
// repr of the last expression}, for the benchmark.
// window.NAIVE_CONFIG (config.js, optional) = {indexURL, packages, wheels}: the Pyodide
// to load (relative to this page), the packages the first Run loads by name, then the
// wheels it loads by URL (relative to this page).
"use strict";

const config = Object.assign({ indexURL: "../pyodide/", packages: ["numpy", "nnbook"], wheels: [] },
  window.NAIVE_CONFIG || {});
const worker = new Worker("worker.js");
const waiting = new Map(); // id -> {resolve, reject, onOutput}
let nextId = 0;
let queue = Promise.resolve();

worker.onmessage = ({ data }) => {
  const job = waiting.get(data.id);
  if (!job) return;
  if (data.type) return job.onOutput?.(data);
  waiting.delete(data.id);
  if ("error" in data) job.reject(new Error(data.error));
  else job.resolve(data.result);
};

function request(type, fields = {}, onOutput) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, onOutput });
    worker.postMessage({ id, type, ...fields });
  });
}

const status = document.getElementById("status");
const here = (path) => new URL(path, location.href).href;
const ready = request("init", {
  indexURL: here(config.indexURL),
  packages: config.packages,
  wheels: config.wheels.map(here),
});
ready.then(() => { status.textContent = "Python ready"; status.dataset.state = "ready"; },
  (error) => { status.textContent = `Python failed: ${error.message}`; status.dataset.state = "error"; });

function run(code, onOutput) {
  const job = queue.then(() => request("run", { code }, onOutput));
  queue = job.catch(() => {});
  return job;
}

for (const cell of document.querySelectorAll("[data-nnbook-cell]")) {
  const code = cell.querySelector('script[type="text/x-python"]').textContent;
  const output = cell.querySelector("[data-nnbook-output]");
  cell.querySelector('[data-nnbook-action="run"]').addEventListener("click", () => {
    cell.dataset.state = "running";
    output.replaceChildren();
    run(code, (message) => {
      if (message.type === "image") {
        const img = document.createElement("img");
        img.src = `data:image/png;base64,${message.data}`;
        img.alt = "figure";
        output.append(img);
      } else {
        output.append(message.text);
      }
    }).then((value) => {
      if (value !== null) output.append(`${value}\n`);
      cell.dataset.state = "done";
    }, (error) => {
      output.append(String(error.message));
      cell.dataset.state = "error";
    });
  });
}

window.naive = { ready: ready.then(() => undefined), run: (code) => run(code) };
