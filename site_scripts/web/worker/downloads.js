// @ts-check
/*
 * The worker's downloads: everything Python will need, fetched at once and in parallel.
 *
 * "init" starts the core (pyodide.asm.wasm, pyodide.asm.js, python_stdlib.zip), the lock,
 * the wheels of the packages to load and, on a visit the service worker serves, the
 * memory snapshot, all at the same time; a "prefetch" does the same for packages a cell
 * will need. When Pyodide later fetches one of these URLs, `take(url)` hands it the
 * download already under way. Each wheel is checked by the browser against the lock's
 * sha256 (Subresource Integrity), as Pyodide itself checks them.
 *
 * On a first visit the biggest core file, pyodide.asm.wasm, comes as a gzip copy (made and
 * checked by the build) inflated here, so a host that does not compress sends a third of
 * the bytes. (pyodide.asm.js is run with importScripts from its own URL: the page's
 * Content-Security-Policy runs no script from a blob: URL.) On a
 * visit the service worker serves, the plain files come from its cache: fetched as they
 * are, so that V8 may reuse the compiled WebAssembly it keeps for that URL.
 *
 * Not for: deciding what to load (worker/start.js) or any other request (worker/sandbox.js).
 */

/** @typedef {{indexURL: string, packages: Record<string, {file_name: string, sha256: string, depends: string[]}>}} Lock */

export class Downloads {
  /** @param {typeof fetch} plainFetch @param {(bytes: number) => void} onBytes */
  constructor(plainFetch, onBytes) {
    this.plainFetch = plainFetch;
    this.onBytes = onBytes;
    /** @type {Map<string, Promise<Response>>} absolute URL -> download, each handed out once */
    this.early = new Map();
    this.wheels = new Set(); // wheel URLs fetched here once
    this.bytes = 0;
  }

  /** The download of `url` under way, once; undefined if there is none. @param {string} url */
  take(url) {
    const waiting = this.early.get(url);
    if (waiting) this.early.delete(url);
    return waiting;
  }

  /** @param {ArrayBuffer|Uint8Array} chunk */
  count(chunk) {
    this.bytes += chunk.byteLength;
    this.onBytes(this.bytes);
  }

  /** @param {string} url @param {RequestInit} [init] */
  async fetchOk(url, init) {
    const response = await this.plainFetch(url, init);
    if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
    return response;
  }

  /** A whole body, counted, as a fresh Response. @param {string} url @param {RequestInit} [init] */
  async whole(url, init) {
    const data = await (await this.fetchOk(url, init)).arrayBuffer();
    this.count(data);
    return new Response(data);
  }

  /**
   * The body of `url`.gz, inflated, as a Response like the plain file's; null when the
   * browser cannot inflate or the copy is missing (the plain file is used then). An error
   * in the middle of the stream also calls `failed`: Pyodide only logs a broken
   * WebAssembly download and never settles.
   * @param {string} url @param {string} type @param {(e: Error) => void} failed
   */
  async gunzipped(url, type, failed) {
    if (typeof DecompressionStream !== "function") return null;
    let response;
    try {
      response = await this.fetchOk(`${url}.gz`);
    } catch {
      return null;
    }
    const counter = new TransformStream({
      transform: (chunk, controller) => { this.count(chunk); controller.enqueue(chunk); },
    });
    const reader = /** @type {ReadableStream} */ (response.body).pipeThrough(counter)
      .pipeThrough(new DecompressionStream("gzip")).getReader();
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

  /**
   * Starts the core downloads. `arrived` resolves once they have all arrived; `failure`
   * rejects on the first error.
   * @param {string} indexURL @param {{gzip: boolean}} options
   */
  core(indexURL, { gzip }) {
    /** @type {(e: any) => void} */
    let failed = () => {};
    const failure = new Promise((_, reject) => { failed = reject; });
    const at = (/** @type {string} */ name) => new URL(name, indexURL).href;
    const counted = (/** @type {string} */ url) => this.fetchOk(url).then((r) => {
      // A plain response is handed on as it is (the wasm one streams into the compiler
      // and may hit V8's code cache); only its bytes are counted on the way.
      const [mine, theirs] = /** @type {ReadableStream} */ (r.body).tee();
      mine.pipeTo(new WritableStream({ write: (chunk) => this.count(chunk) })).catch(() => {});
      return new Response(theirs, { status: r.status, headers: r.headers });
    });
    const plainWasm = () => (gzip ? counted(at("pyodide.asm.wasm")) : this.fetchOk(at("pyodide.asm.wasm")));
    const wasm = (gzip ? this.gunzipped(at("pyodide.asm.wasm"), "application/wasm", failed) : Promise.resolve(null))
      .then((r) => r || plainWasm());
    this.early.set(at("pyodide.asm.wasm"), wasm);
    const stdlibBytes = this.fetchOk(at("python_stdlib.zip")).then((r) => r.arrayBuffer()).then((data) => {
      this.count(data);
      return data;
    });
    const stdlib = stdlibBytes.then((data) => new Response(data));
    this.early.set(at("python_stdlib.zip"), stdlib);
    for (const promise of [wasm, stdlib]) promise.catch(failed);
    const arrived = Promise.all([wasm, stdlib]);
    return { arrived, failure, stdlibBytes };
  }

  /**
   * The lock, as text and parsed; Pyodide's own fetch of it gets the same text.
   * @param {string} indexURL @returns {{text: Promise<string>, spec: Promise<Lock>}}
   */
  lock(indexURL) {
    const url = new URL("pyodide-lock.json", indexURL).href;
    const text = this.fetchOk(url).then((r) => r.text());
    this.early.set(url, text.then((t) => new Response(t, { headers: { "Content-Type": "application/json" } })));
    return { text, spec: text.then((t) => /** @type {Lock} */ ({ indexURL, ...JSON.parse(t) })) };
  }

  /**
   * The memory snapshot, without its header, if it was made with the standard library and
   * the lock this visit fetched; null when there is none, it cannot be had, or it was made
   * for another build (Python then starts the normal way). See site_scripts/snapshot.py.
   * @param {string|null|undefined} url @param {Promise<ArrayBuffer>} stdlib @param {Promise<string>} lock
   */
  async snapshot(url, stdlib, lock) {
    if (!url) return null;
    try {
      // gzipped (4 MB for 21): smaller to keep, and to check, in the service worker's cache
      const packed = await this.fetchOk(url);
      const body = /** @type {ReadableStream} */ (packed.body).pipeThrough(new DecompressionStream("gzip"));
      const data = await new Response(body).arrayBuffer();
      const magic = new TextEncoder().encode("NNBOOKSNAP2\0");
      const head = new Uint8Array(data, 0, magic.length + 64);
      if (!magic.every((byte, i) => head[i] === byte)) return null;
      const digest = async (/** @type {BufferSource} */ bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const have = [...(await digest(await stdlib)), ...(await digest(new TextEncoder().encode(await lock)))];
      if (!have.every((byte, i) => head[magic.length + i] === byte)) return null;
      return new Uint8Array(data, magic.length + 64);
    } catch {
      return null;
    }
  }

  /**
   * Starts downloading the wheels of `names` and their dependencies.
   * @param {Lock} spec @param {string[]} names
   */
  prefetch(spec, names) {
    const todo = [...names];
    const seen = new Set();
    while (todo.length) {
      const name = /** @type {string} */ (todo.pop());
      const pkg = spec.packages[name];
      if (seen.has(name) || !pkg) continue;
      seen.add(name);
      todo.push(...pkg.depends);
      const url = new URL(pkg.file_name, spec.indexURL).href;
      if (this.wheels.has(url)) continue;
      this.wheels.add(url);
      const bytes = pkg.sha256.match(/../g)?.map((h) => parseInt(h, 16)) || [];
      const integrity = `sha256-${btoa(String.fromCharCode(...bytes))}`;
      const download = this.whole(url, { integrity });
      download.catch(() => this.early.delete(url)); // Pyodide then tries, and reports, itself
      this.early.set(url, download);
    }
  }
}
