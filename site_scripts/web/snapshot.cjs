/*
 * The memory snapshot of a started Python, made at build time in Node.
 *
 *   node snapshot.cjs <runtime dir> <out file> <module,module,...> [package dir,...]
 *
 * Starts Pyodide from the runtime directory the build assembled (the compiled standard
 * library included), copies the given pure-Python package folders into site-packages,
 * imports the given modules, and writes Pyodide's memory snapshot. Nothing may be loaded
 * with loadPackage first, and nothing of JavaScript may be held by Python (Pyodide 0.27
 * cannot snapshot either); the page loads the packages' wheels again after a restore,
 * which puts their files back (a snapshot holds memory, not files).
 * site_scripts/snapshot.py adds the book's header and checks the result.
 *
 * Not for: the browser's side (worker/start.js restores it, or starts the normal way).
 */
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const [dir, out, modules = "", packages = ""] = process.argv.slice(2);
  const indexURL = path.resolve(dir) + path.sep;
  const { loadPyodide } = require(path.join(indexURL, "pyodide.js"));
  const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  for (const folder of packages.split(",").filter(Boolean)) {
    const target = `${sitePackages}/${path.basename(folder)}`;
    pyodide.FS.mkdirTree(target);
    for (const name of fs.readdirSync(folder).filter((n) => n.endsWith(".py"))) {
      pyodide.FS.writeFile(`${target}/${name}`, fs.readFileSync(path.join(folder, name)));
    }
  }
  for (const name of modules.split(",").filter(Boolean)) pyodide.pyimport(name).destroy?.();
  fs.writeFileSync(out, pyodide.makeMemorySnapshot());
}

main().catch((error) => {
  console.error(String(error && error.stack || error));
  process.exit(1);
});
