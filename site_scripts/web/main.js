// @ts-check
/*
 * The book's script: the first script of every page's <head> (the build puts it before the
 * theme's stylesheets and scripts, so nothing delays it).
 *
 * 1. On a page with cells or demos, Python starts at once, in its worker.
 * 2. Search waits for the reader (search.js); a page whose storage is turned off gets a
 *    storage in memory (storage-shim.js); switching language keeps the section (language.js).
 * 3. Once the document is parsed: the cells, the demos and the exercises come to life.
 * 4. Once the page is loaded and its Python has done what the reader asked first, the
 *    service worker is registered (it fetches the whole book for second visits and
 *    offline reading).
 *
 * window.nnbook is the book's API for tests and other scripts of the page:
 *   nnbook.ready                      resolves once Python, numpy and nnbook are loaded
 *   await nnbook.run(code)            runs code like a cell: {value}
 *   await nnbook.call(module, name, kwargs)   calls a kernel function by name
 *
 * Not for: anything a module does itself.
 */
import { Book } from "./book.js";
import { config, url } from "./config.js";
import { CellsPage } from "./cells/page.js";
import { startDemos } from "./demos/index.js";
import { startExercises } from "./exercises/index.js";
import { deferSearch } from "./search.js";
import { nameSearchDialog } from "./theme.js";
import { idle } from "./dom.js";
import { keepPlaceAcrossLanguages } from "./language.js";
import { shimStorageIfDisabled } from "./storage-shim.js";

shimStorageIfDisabled(); // before the theme's inline scripts read localStorage

const book = config ? new Book(config) : null;
if (book && config?.python && typeof Worker === "function") book.python.start().catch(() => {});
if (config) deferSearch(config.lang);

function setUp() {
  nameSearchDialog();
  keepPlaceAcrossLanguages();
  if (!book || !config?.python) return;
  const cells = new CellsPage(book);
  startDemos(book);
  startExercises(book, cells);
  const settled = new Promise((resolve) => {
    if (document.readyState === "complete") resolve(undefined);
    else window.addEventListener("load", () => resolve(undefined), { once: true });
  });
  settled.then(() => book.python.start()).catch(() => {}).then(() => cells.settled());
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp, { once: true });
else setUp();

// The offline copy waits until the page is loaded and its Python has run what the reader
// asked for first: it fetches the whole book.
function registerServiceWorker() {
  const sw = config?.runtime.serviceWorker;
  if (!sw || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  const scope = url(config.runtime.scope || "./");
  navigator.serviceWorker.register(url(sw), { scope, updateViaCache: "none" }).catch(() => {});
}
window.addEventListener("load", () => {
  const python = book && config?.python ? book.python.start().then(() => book.queue.busy ? new Promise((r) => book.queue.idleListeners.add(r)) : undefined) : Promise.resolve();
  python.catch(() => {}).then(() => idle(registerServiceWorker, 5000));
}, { once: true });

if (book) {
  /** @type {any} */ (window).nnbook = Object.freeze({
    get ready() {
      return book.python.start().then(() => undefined);
    },
    run: (/** @type {string} */ code) => book.queued("run", { code, cell: "api" }),
    call: (/** @type {string} */ module, /** @type {string} */ name, /** @type {object} */ kwargs = {}) => book.call(module, name, kwargs),
  });
}
