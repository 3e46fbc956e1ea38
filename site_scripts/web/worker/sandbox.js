// @ts-check
/*
 * The worker's side of the boundary around the reader's code.
 *
 * The page creates this worker from a blob: URL, so the worker is bound by the page's
 * Content-Security-Policy (a <meta> the build writes into every page): no request to
 * another origin (connect-src 'self'), no script from anywhere but the book
 * (script-src 'self'; no eval), no nested worker but from the book. That is the
 * browser's own enforcement; Python cannot route around it.
 *
 * What a policy cannot forbid, `seal()` removes from the worker's global scope once
 * Python has started and before any reader code runs: the book's storage (Cache Storage,
 * IndexedDB, the origin's file system), nested workers, `close()`, and `postMessage` (the
 * worker keeps its own reference, so a cell cannot forge messages to the page). `guard()`
 * makes the worker's fetch refuse other origins with a readable error, deciding on the URL
 * string it then fetches (an object cannot change its URL between check and use).
 *
 * Not for: starting Python (worker/start.js) or the cells' refusals in Python
 * (nnbook_kernel/sandbox.py, which only makes them readable).
 */

/** @param {string} url */
export function offline(url) {
  const error = new Error(`OfflineError: code cells run offline, no request was sent to ${String(url).slice(0, 200)}`);
  error.name = "OfflineError";
  return error;
}

/**
 * A fetch for the worker: downloads under way first, then the book's origin only.
 * @param {typeof fetch} plainFetch @param {(url: string) => Promise<Response>|undefined} early
 * @param {string} origin
 * @returns {typeof fetch}
 */
export function guard(plainFetch, early, origin) {
  return (input, init) => {
    let url;
    try {
      url = new URL(input instanceof Request ? input.url : String(input), `${origin}/`).href;
    } catch {
      return Promise.reject(new TypeError(`not a URL: ${String(input).slice(0, 200)}`));
    }
    if (new URL(url).origin !== origin) return Promise.reject(offline(url));
    const waiting = early(url);
    if (waiting) return waiting.catch(() => plainFetch(url, init)); // a failed early try gets a second one
    return plainFetch(input instanceof Request ? input : url, init);
  };
}

// What the reader's code must not reach: [object, property name].
const REMOVED = [
  ["WorkerGlobalScope", "caches"],
  ["WorkerGlobalScope", "indexedDB"],
  ["WorkerNavigator", "storage"],
  ["DedicatedWorkerGlobalScope", "postMessage"],
  ["DedicatedWorkerGlobalScope", "close"],
  ["WorkerGlobalScope", "close"],
];
const REMOVED_GLOBALS = ["Worker", "SharedWorker", "BroadcastChannel", "webkitRequestFileSystem",
  "webkitRequestFileSystemSync", "webkitResolveLocalFileSystemURL", "webkitResolveLocalFileSystemSyncURL",
  "caches", "indexedDB", "close", "postMessage"];

/**
 * Removes storage, nested workers, close and postMessage from `scope`; returns the
 * list of what is gone (the tests check it).
 * @param {any} scope the worker's global object
 */
export function seal(scope) {
  const gone = [];
  for (const [interfaceName, name] of REMOVED) {
    const proto = scope[interfaceName]?.prototype;
    if (proto && Object.hasOwn(proto, name) && delete proto[name]) gone.push(`${interfaceName}.${name}`);
  }
  for (const name of REMOVED_GLOBALS) {
    if (Object.hasOwn(scope, name) && delete scope[name]) gone.push(name);
  }
  return gone;
}
