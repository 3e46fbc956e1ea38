// The naive page's worker: Pyodide starts at once; packages load when a cell needs them,
// one after the other (the packages by name, then the wheels by URL: Pyodide's
// loadPackage takes both); a matplotlib figure is rendered to PNG after the cell.
"use strict";

let pyodide = null;
let current = null;
let loaded = false;
let firstLoad = { packages: [], wheels: [] };
const quiet = () => {}; // Pyodide's "Loading numpy" messages would go to the cell's output

const FIGURE = `
import base64, io, sys
_pngs = []
if "matplotlib.pyplot" in sys.modules:
    import matplotlib.pyplot as _plt
    for _n in _plt.get_fignums():
        _buf = io.BytesIO()
        _plt.figure(_n).savefig(_buf, format="png")
        _pngs.append(base64.b64encode(_buf.getvalue()).decode())
    _plt.close("all")
_pngs
`;

async function init({ indexURL, packages, wheels }) {
  firstLoad = { packages, wheels };
  importScripts(indexURL + "pyodide.js");
  pyodide = await loadPyodide({ indexURL });
  pyodide.setStdout({ batched: (text) => self.postMessage({ id: current, type: "text", text: text + "\n" }) });
  pyodide.setStderr({ batched: (text) => self.postMessage({ id: current, type: "text", text: text + "\n" }) });
  pyodide.runPython('import os; os.environ["MPLBACKEND"] = "Agg"');
  return pyodide.version;
}

async function run({ code }) {
  if (!loaded) {
    for (const name of [...firstLoad.packages, ...firstLoad.wheels]) {
      await pyodide.loadPackage(name, { messageCallback: quiet });
    }
    loaded = true;
  }
  if (code.includes("matplotlib")) await pyodide.loadPackage("matplotlib", { messageCallback: quiet });
  const value = await pyodide.runPythonAsync(code);
  const figures = pyodide.runPython(FIGURE);
  const pngs = figures.toJs();
  figures.destroy();
  for (const data of pngs) self.postMessage({ id: current, type: "image", data });
  const shown = value === undefined || value === null ? null : String(value);
  value?.destroy?.();
  return shown;
}

const handlers = { init, run };
let queue = Promise.resolve();

self.onmessage = ({ data }) => {
  queue = queue.then(async () => {
    current = data.id;
    try {
      self.postMessage({ id: data.id, result: await handlers[data.type](data) });
    } catch (error) {
      self.postMessage({ id: data.id, error: String(error.message || error) });
    }
  });
};
