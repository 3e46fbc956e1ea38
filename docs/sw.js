/*
 * The book's service worker: keeps the whole book (pages, assets, the Python runtime
 * and its wheels) in Cache Storage, so that a second visit starts from the disk and
 * the book keeps working offline.
 *
 * The file list comes from sw-manifest.js, written by the build next to this file:
 *   self.NNBOOK_MANIFEST = {version, files: {"path/from/the/root": "sha256", ...},
 *                           gzipped: ["pyodide/pyodide.asm.wasm", ...]}
 * A new build changes sw-manifest.js, so the browser installs this worker anew (it
 * compares imported scripts too; boot.js registers with updateViaCache "none"). The new
 * worker fills a new cache, copying the entries whose hash did not change from the old
 * one and fetching the others, then takes over and deletes the old cache.
 * Files listed in `gzipped` are fetched as their .gz copy and stored inflated.
 *
 * Serving: pages (HTML) from the network first, from the cache when offline; every other
 * listed file from the cache first. Anything else goes to the network untouched.
 * Not for: deciding what the book contains (the build does) or starting Python (boot.js).
 */
"use strict";

importScripts("sw-manifest.js");

const MANIFEST = self.NNBOOK_MANIFEST;
const PREFIX = "nnbook-";
const CACHE = `${PREFIX}${MANIFEST.version}`;
const HASH = "X-Nnbook-Sha256"; // header of each cached copy: the hash it was stored for
const SCOPE = new URL("./", self.location).href;
const ENTRIES = new Map(); // absolute URL -> sha256; "x/index.html" is stored as "x/"

for (const [path, hash] of Object.entries(MANIFEST.files)) {
  ENTRIES.set(new URL(path.replace(/(^|\/)index\.html$/, "$1"), SCOPE).href, hash);
}
const GZIPPED = new Set(MANIFEST.gzipped.map((path) => new URL(path, SCOPE).href));

async function download(url) {
  if (GZIPPED.has(url) && typeof DecompressionStream === "function") {
    const packed = await fetch(`${url}.gz`, { cache: "no-cache" });
    if (packed.ok) {
      const body = packed.body.pipeThrough(new DecompressionStream("gzip"));
      const type = url.endsWith(".wasm") ? "application/wasm" : "text/javascript";
      return new Response(await new Response(body).arrayBuffer(), { headers: { "Content-Type": type } });
    }
  }
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

// A copy checked against the hash the build listed (a host or proxy may still send an
// older file) and marked with it, so that the next build can tell whether it changed.
async function marked(url, response, hash) {
  const data = await response.arrayBuffer();
  const got = hex(await crypto.subtle.digest("SHA-256", data));
  if (got !== hash) throw new Error(`${url}: sha256 ${got}, the build listed ${hash}`);
  const headers = new Headers(response.headers);
  headers.set(HASH, hash);
  return new Response(data, { status: 200, headers });
}

async function fill() {
  const cache = await caches.open(CACHE);
  const old = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  const work = [...ENTRIES].map(([url, hash]) => async () => {
    const have = await cache.match(url);
    if (have && have.headers.get(HASH) === hash) return;
    for (const name of old) {
      const kept = await (await caches.open(name)).match(url);
      if (kept && kept.headers.get(HASH) === hash) {
        await cache.put(url, kept);
        return;
      }
    }
    await cache.put(url, await marked(url, await download(url), hash));
  });
  // A few at a time: the page may still be starting.
  const runners = Array.from({ length: 4 }, async () => {
    while (work.length) await work.shift()();
  });
  await Promise.all(runners);
}

self.addEventListener("install", (event) => {
  event.waitUntil(fill().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  return cache.match(request, { ignoreSearch: true });
}

async function page(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const url = new URL(request.url);
    url.hash = "";
    const cached = (await fromCache(url.href)) || (await fromCache(new URL("./", url).href));
    if (cached) return cached;
    throw error;
  }
}

async function file(request) {
  const cached = await fromCache(request);
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const url = new URL(request.url);
  url.search = "";
  url.hash = "";
  if (request.mode === "navigate" || request.destination === "document") {
    event.respondWith(page(request));
  } else if (ENTRIES.has(url.href)) {
    event.respondWith(file(request));
  }
});
