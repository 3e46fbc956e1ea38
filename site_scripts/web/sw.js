/*
 * The book's service worker: keeps the whole book (pages, assets, the Python runtime, its
 * wheels and memory snapshot) in Cache Storage, so that a second visit starts from the
 * disk and the book keeps working offline.
 *
 * The file list comes from sw-manifest.js, written by the build next to this file:
 *   self.NNBOOK_MANIFEST = {version, files: {"path/from/the/root": "sha256", ...},
 *                           gzipped: ["pyodide/pyodide.asm.wasm", ...]}
 * A new build changes sw-manifest.js, so the browser installs this worker anew. The new
 * worker fills a new cache (copying the unchanged files from the old one), then takes
 * over and deletes the old cache. Files listed in `gzipped` are fetched as their .gz copy
 * and stored inflated.
 *
 * It trusts nothing it did not check: every body it stores or serves is hashed and
 * compared with the manifest's sha256 (not with anything stored beside it). A body that
 * does not match is dropped, fetched again from the network, and never served. The page's
 * Python cannot reach Cache Storage at all (worker/sandbox.js); this check is what keeps a
 * copy planted any other way from ever running.
 *
 * Serving: pages (HTML) from the network first, from the cache when offline; every other
 * listed file from the cache first. The book's own scripts and styles carry their build's
 * version in their URL (?v=): a page of a newer build than this worker's gets them from the
 * network, never an older copy. Anything else goes to the network untouched.
 * Not for: deciding what the book contains (the build does) or starting Python.
 */
"use strict";

importScripts("sw-manifest.js");

const MANIFEST = self.NNBOOK_MANIFEST;
const PREFIX = "nnbook-";
const CACHE = `${PREFIX}${MANIFEST.version}`;
const SCOPE = new URL("./", self.location).href;
const ENTRIES = new Map(); // absolute URL -> sha256; "x/index.html" is stored as "x/"

for (const [path, hash] of Object.entries(MANIFEST.files)) {
  ENTRIES.set(new URL(path.replace(/(^|\/)index\.html$/, "$1"), SCOPE).href, hash);
}
const GZIPPED = new Set(MANIFEST.gzipped.map((path) => new URL(path, SCOPE).href));
const TYPES = { wasm: "application/wasm", js: "text/javascript", zip: "application/zip", whl: "application/zip", json: "application/json" };

async function download(url) {
  if (GZIPPED.has(url) && typeof DecompressionStream === "function") {
    const packed = await fetch(`${url}.gz`, { cache: "no-cache" });
    if (packed.ok) {
      const body = packed.body.pipeThrough(new DecompressionStream("gzip"));
      const type = TYPES[url.split(".").pop()] || "application/octet-stream";
      return new Response(await new Response(body).arrayBuffer(), { headers: { "Content-Type": type } });
    }
  }
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function sha256(response) {
  return hex(await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer()));
}

// A copy checked against the hash the build listed (a host or proxy may still send an
// older file), stored as it came.
async function checked(url, response, hash) {
  const data = await response.arrayBuffer();
  const got = hex(await crypto.subtle.digest("SHA-256", data));
  if (got !== hash) throw new Error(`${url}: sha256 ${got}, the build listed ${hash}`);
  const headers = new Headers(response.headers);
  const type = TYPES[new URL(url).pathname.split(".").pop()];
  if (type && !headers.get("Content-Type")) headers.set("Content-Type", type);
  return new Response(data, { status: 200, headers });
}

// The cached copy of `url` if its body has the manifest's hash, checked each time it is
// served (a copy can be replaced behind this worker's back); a copy that does not match
// is deleted. The copy served is the cached response itself, so V8 may reuse the
// compiled WebAssembly it keeps for it.
async function trusted(cache, url, hash) {
  const copy = await cache.match(url);
  if (!copy) return null;
  if ((await sha256(copy)) === hash) return copy;
  await cache.delete(url);
  return null;
}

async function fill() {
  const cache = await caches.open(CACHE);
  const old = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  const work = [...ENTRIES].map(([url, hash]) => async () => {
    try {
      await keep(url, hash);
    } catch (error) {
      // This one is fetched from the network when asked; the rest is still kept.
      console.warn("nnbook: not kept for offline reading:", String(error));
    }
  });
  const keep = async (url, hash) => {
    if (await trusted(cache, url, hash)) return;
    for (const name of old) {
      const kept = await trusted(await caches.open(name), url, hash);
      if (kept) {
        await cache.put(url, kept);
        return;
      }
    }
    await cache.put(url, await checked(url, await download(url), hash));
  };
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

async function page(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(CACHE);
    for (const candidate of [request.url.split("#")[0].split("?")[0], new URL("./", request.url).href]) {
      const hash = ENTRIES.get(candidate);
      const copy = hash && (await trusted(cache, candidate, hash));
      if (copy) return copy;
    }
    throw error;
  }
}

async function file(request, url) {
  const cache = await caches.open(CACHE);
  const hash = ENTRIES.get(url);
  const copy = await trusted(cache, url, hash);
  if (copy) return copy;
  // Not cached, or dropped for not matching: from the network, stored again once checked.
  const response = await fetch(request);
  if (response.ok && request.method === "GET") {
    checked(url, response.clone(), hash).then((good) => cache.put(url, good), () => {});
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const url = new URL(request.url);
  const wanted = url.searchParams.get("v");
  if (wanted && wanted !== MANIFEST.build) return; // another build's page: the network answers
  url.search = "";
  url.hash = "";
  if (request.mode === "navigate" || request.destination === "document") {
    event.respondWith(page(request));
  } else if (ENTRIES.has(url.href)) {
    event.respondWith(file(request, url.href));
  }
});
