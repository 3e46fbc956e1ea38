"""How fast the book's live cells start in a real browser, next to a naive live-code page.

    python -m benchmarks.bench_browser [--runs 5] [--before REF] [--build-runs 1]
        [--site DIR] [--before-site DIR] [--before-worktree PATH] [--settle 2] [--timeout 180]

(``make bench RUNS=5 BEFORE=REF`` runs it with the other benchmarks.)

What is measured (headless Chromium, Debian's; every time from the page's own clock,
``performance.now()``, whose zero is the navigation start; medians of ``--runs`` runs,
each run in fresh, disk-backed browser profiles, ``launch_persistent_context``):

- the first numpy output: the chapter's first cell that uses numpy (``weighted-sum``) has
  its Run button clicked as soon as it exists (the book makes its buttons at
  DOMContentLoaded); the time is when the cell's ``data-state`` is ``done`` with output;
- the first figure: in a profile of its own, the cell defining ``sigmoid`` and the plot
  cell are clicked at load; the time is when the plot cell's output shows its image;
- the second and the third visit in the same profile (book: after its service worker has
  filled its cache, which the benchmark waits for; V8 keeps compiled WebAssembly for a
  disk-backed profile from about the third visit): first output again;
- bytes fetched before the first output (encoded bodies of every request, the worker's
  included, finished before that moment);
- main-thread tasks from navigation to the first output (long-animation-frame entries):
  the longest run of the page's own scripts (book: ``/assets/nnbook/``; naive:
  its page folder), and the longest task of any cause;
- run 1 only: offline (server cut off and the browser offline after the third visit: do
  all the chapter's cells run on the open page and after a reload), and
  ``nnbook.mnist.predict`` on one digit inside Pyodide (a timed loop in Python);
- ``mkdocs build --strict`` of the four languages, runtime cache warm.

Columns, all measured in the same run with the same script, one after the other in each
run so that a busy moment hits them all:

- **after**: this checkout, built here (or ``--site DIR``), on a plain static server on
  127.0.0.1 (no compression, no special headers: the simplest static host);
- **before** (with ``--before REF``): the site of another revision, built in a git
  worktree with that revision's own code and command, served the same way. Its pages
  have no Content-Security-Policy and no ``nnbook:*`` marks; the measuring script only
  uses what both have (the cells' ``data-state``, ``data-nnbook-action=run`` and output);
- **naive, official**: the naive page (benchmarks/naive/: a worker that starts Pyodide when
  the page opens; the first Run loads numpy then the book's package, a plot's Run loads
  matplotlib; what many live-code sites do) on the official, unmodified Pyodide 0.27.7
  files as a CDN serves them to pyodide-mkdocs-theme, markdown-exec or Quarto Live
  readers: the core of the npm package, the official ``pyodide-lock.json`` and the
  official wheels (checked against its sha256), ``.js``/``.wasm``/``.json`` gzip-encoded as
  jsDelivr sends them, wheels and zips as they are, cacheable for a year (see
  benchmarks/sites.py). Same origin as the page (a real CDN adds a connection);
- **naive, book runtime**: the same page on the book's own runtime (``site/pyodide/``:
  compiled standard library, precompiled wheels) on the plain server, so that the
  runtime's gains and the page's gains show apart.

The book's package is not in the official lock: both naive pages load numpy by name and
then the book's ``nnbook`` wheel (the one the site publishes) by URL.

Targets (issue 10): first numpy output <= 0.6x naive-official; first figure <= 0.7x;
third visit <= 0.4x naive-official's cold first output; <= 15 MB before the first output;
no start-up task over 50 ms from the book's scripts; plus offline, MNIST predict <= 5 ms,
build <= 15 s. Then the book's start-up as a waterfall of its ``nnbook:*`` marks (worker
created ... first output; matplotlib-ready and first-figure from the figure runs), median
per mark, for the first, second and third visits.

Exit status 0 even when a target is missed (this is a report); 1 when something could
not be measured.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import sites
from benchmarks.sites import Unmeasured
from site_scripts.cells import parse_cells
from tests.harness import stats
from tests.harness.browser import CHROMIUM, launch_persistent, marks, wait_for
from tests.harness.site import ROOT

CHAPTER = ROOT / "docs" / "en" / "neural_networks.md"
CHAPTER_URL = "neural_networks/"
FIRST_CELL = "weighted-sum"  # the chapter's first cell that uses numpy (through nnbook)
FIGURE_CELLS = ("sigmoid", "sigmoid-plot")  # the plot needs `sigmoid` from the cell before
FIGURE_CELL = FIGURE_CELLS[-1]
MB = stats.MB
OFFLINE_WAIT = 180.0  # s the chapter's cells get to run offline

TARGETS = {
    "first_output": 0.6,  # x naive-official
    "figure": 0.7,  # x naive-official
    "third": 0.4,  # x naive-official's cold first output
    "bytes": 15 * MB,
    "task": 50.0,  # ms
    "predict": 5.0,  # ms
    "build": 15.0,  # s
}

# The book's start-up, in order (worker/start.js, client.js, cells/cell.js, cells/page.js).
PHASES = ("worker-created", "worker-started", "core-downloaded", "wasm-compiled", "python-started",
          "snapshot-restored", "packages-loaded", "kernel-ready", "ready", "first-output")
FIGURE_PHASES = ("matplotlib-ready", "first-figure")

# Runs in every page before its own scripts (add_init_script works under the book's CSP).
# Once the document is parsed, it clicks the planned Run buttons, in order, as soon as each
# exists, and records with the page's clock when the runtime is ready and when each
# watched cell shows its result ("text": done with output; "img": an image in its output).
INIT_JS = r"""
(() => {
  const plan = __PLAN__;
  const b = (window.__bench = { longtasks: [], frames: [], outputs: {}, failures: {}, texts: {},
                                errors: [], ready: null, dcl: null, clicked: {} });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { b.errors.push(`longtask observer: ${e}`); }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.frames.push({ start: e.startTime, duration: e.duration,
        scripts: e.scripts.map((s) => ({ url: s.sourceURL, fn: s.sourceFunctionName, invoker: s.invoker,
                                         start: s.startTime, duration: s.duration })) });
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch (e) { /* no attribution in this browser */ }
  const watch = (id, what) => {
    const cell = document.querySelector(`[data-nnbook-cell="${id}"]`);
    const output = cell.querySelector("[data-nnbook-output]");
    const check = () => {
      if (id in b.outputs || id in b.failures) return true;
      if (cell.dataset.state === "error") {
        b.failures[id] = output.textContent.slice(-500) || "error";
        return true;
      }
      const shown = what === "img" ? output.querySelector("img[src^='data:image']") !== null
                                   : cell.dataset.state === "done" && output.textContent.trim() !== "";
      if (shown) {
        b.outputs[id] = performance.now();
        b.texts[id] = output.textContent;
      }
      return shown;
    };
    const observer = new MutationObserver(() => check() && observer.disconnect());
    observer.observe(cell, { attributes: true, childList: true, subtree: true, characterData: true });
  };
  const hookReady = () => {
    const api = window.nnbook || window.naive;
    if (!api || b.hooked) return;
    b.hooked = true;
    Promise.resolve(api.ready).then(() => { b.ready = performance.now(); },
                                    (e) => b.errors.push(`runtime failed to load: ${e && e.message || e}`));
  };
  const started = performance.now();
  const tick = () => {
    hookReady();
    for (const id of plan.click) {
      if (id in b.clicked) continue;
      const button = document.querySelector(`[data-nnbook-cell="${id}"] [data-nnbook-action="run"]`);
      if (!button) break;  // in order: a later cell waits for the one before
      if (id in plan.watch) watch(id, plan.watch[id]);
      button.click();
      b.clicked[id] = performance.now();
    }
    if (Object.keys(b.clicked).length < plan.click.length) {
      if (performance.now() - started > 60000) b.errors.push("no Run button within 60 s of DOMContentLoaded");
      else setTimeout(tick, 5);
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    b.dcl = performance.now();
    b.timeOrigin = performance.timeOrigin;
    setTimeout(tick, 0);  // after the page's own DOMContentLoaded listeners
  }, { once: true });
})();
"""

DONE_JS = """ids => { const b = window.__bench;
  return Boolean(b && (b.errors.length || ids.every((id) => id in b.outputs || id in b.failures))); }"""
SW_FILLED_JS = """async () => { const r = navigator.serviceWorker && await navigator.serviceWorker.getRegistration();
  return Boolean(r && r.active); }"""
CELL_STATES_JS = """() => [...document.querySelectorAll('[data-nnbook-cell]')].map((c) =>
  [c.dataset.nnbookCell, c.dataset.state, (c.querySelector('[data-nnbook-output]') || {}).textContent || ''])"""
RUN_EVERY_CELL_JS = """() => { for (const b of document.querySelectorAll('[data-nnbook-cell] [data-nnbook-action="run"]')) b.click(); }"""
BUTTONS_JS = """() => { const cells = document.querySelectorAll('[data-nnbook-cell]').length;
  return cells > 0 && document.querySelectorAll('[data-nnbook-cell] [data-nnbook-action="run"]').length === cells; }"""
SETTLED_JS = """() => [...document.querySelectorAll('[data-nnbook-cell]')].every((c) => ['done', 'error'].includes(c.dataset.state))"""

PREDICT_PY = """
import time as _bench_time
from nnbook.mnist import load_digits as _bench_load_digits, predict as _bench_predict
_bench_image = _bench_load_digits()[0][0]
_bench_predict(_bench_image)  # loads the model
_bench_times = []
for _ in range({n}):
    _bench_t0 = _bench_time.perf_counter()
    _bench_predict(_bench_image)
    _bench_times.append(_bench_time.perf_counter() - _bench_t0)
_bench_t0 = _bench_time.perf_counter()
for _ in range({n}):
    _bench_predict(_bench_image)
_bench_mean = (_bench_time.perf_counter() - _bench_t0) / {n}
f"PREDICT {{sorted(_bench_times)[{n} // 2] * 1000:.4f}} {{_bench_mean * 1000:.4f}}"
"""


# --- what is measured -------------------------------------------------------------------


@dataclass
class Results:
    ready: list = field(default_factory=list)
    first_output: list = field(default_factory=list)
    second: list = field(default_factory=list)
    third: list = field(default_factory=list)
    figure: list = field(default_factory=list)
    bytes: list = field(default_factory=list)
    own_task: list = field(default_factory=list)
    any_task: list = field(default_factory=list)
    sw_filled: list = field(default_factory=list)
    marks: dict = field(default_factory=lambda: {"cold": [], "second": [], "third": [], "figure": []})
    page_times: dict = field(default_factory=lambda: {"cold": [], "second": [], "third": [], "figure": []})  # (DCL, click)
    predict: tuple | None = None
    offline: str = "not measured"
    offline_ok: bool | None = None
    first_visit: "Visit | None" = None  # run 1's cold visit, for the details
    build: list = field(default_factory=list)
    problems: list = field(default_factory=list)


@dataclass
class Target:
    key: str
    label: str
    base: str
    path: str
    book: bool  # the book (service worker, marks, offline) or a naive page
    own: str  # URL part of the page's own scripts
    server: object
    results: Results = field(default_factory=Results)

    @property
    def url(self) -> str:
        return self.base + self.path


@dataclass
class Visit:
    bench: dict
    marks: dict
    requests: list  # (start ms, end ms, bytes, url), navigation clock

    def output(self, cell: str) -> float:
        return self.bench["outputs"][cell]


def plan_script(click: list[str], watch: dict[str, str]) -> str:
    return INIT_JS.replace("__PLAN__", json.dumps({"click": click, "watch": watch}))


def visit(context, url: str, watch: list[str], timeout: float):
    """Open ``url`` in ``context`` (whose init script clicks and watches); (Visit, open page)."""
    finished = []

    def listener(request):
        finished.append(request)

    context.on("requestfinished", listener)
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        wait_for(page, DONE_JS, watch, timeout=timeout, interval=0.1)
        bench = page.evaluate("() => window.__bench")
        found = marks(page)
    except Exception as error:
        page.close()
        raise Unmeasured(f"{url}: the watched output did not show within {timeout:.0f} s ({str(error)[:300]})") from None
    finally:
        context.remove_listener("requestfinished", listener)
    if bench["errors"]:
        page.close()
        raise Unmeasured(f"{url}: " + "; ".join(bench["errors"]))
    if bench["failures"]:
        page.close()
        raise Unmeasured(f"{url}: cell failed: " + "; ".join(f"{k}: {v}" for k, v in bench["failures"].items()))
    origin = bench["timeOrigin"]
    requests = []
    for request in finished:
        timing = request.timing
        start = timing["startTime"] - origin
        end = start + max(timing["responseEnd"], timing["responseStart"], 0)
        try:
            size = request.sizes()["responseBodySize"]
            if not size and (response := request.response()):
                size = int(response.headers.get("content-length") or 0)  # worker scripts report 0
        except Exception:
            size = 0
        requests.append((start, end, size, request.url))
    requests.sort()
    return Visit(bench, found, requests), page


def bytes_before(v: Visit, moment: float) -> int:
    return sum(size for _, end, size, _ in v.requests if end <= moment)


def own_task(v: Visit, own: str, until: float) -> float:
    """The longest run (ms) of the page's own scripts in the long frames before ``until``."""
    runs = [s["duration"] for f in v.bench["frames"] for s in f["scripts"]
            if own in (s["url"] or "") and s["start"] <= until]
    return max(runs, default=0.0)


def any_task(v: Visit, until: float) -> float:
    return max((d for s, d in v.bench["longtasks"] if s <= until), default=0.0)


def settle(page, seconds: float) -> None:
    """Let the browser write its caches (HTTP, code cache) before the page goes."""
    if seconds > 0:
        page.wait_for_timeout(seconds * 1000)


def wait_service_worker(page, timeout: float) -> float | None:
    """Seconds after navigation when the book's service worker was active (cache filled)."""
    try:
        wait_for(page, SW_FILLED_JS, timeout=timeout, interval=0.25)
    except TimeoutError:
        return None
    return page.evaluate("performance.now()") / 1000


def measure_predict(page, calls: int, timeout: float) -> tuple[float, float]:
    wait_for(page, "() => window.__bench.ready !== null", timeout=timeout)
    page.set_default_timeout(timeout * 1000)
    reply = page.evaluate("code => (window.nnbook || window.naive).run(code)", PREDICT_PY.format(n=calls))
    found = re.search(r"PREDICT ([\d.]+) ([\d.]+)", json.dumps(reply))
    if not found:
        raise Unmeasured(f"the MNIST timing loop answered {str(reply)[:200]}")
    return float(found.group(1)), float(found.group(2))


def run_all_cells(page, timeout: float) -> tuple[int, int, str]:
    """Click every cell's Run; (cells done, cells, what went wrong) once all have settled."""
    wait_for(page, BUTTONS_JS, timeout=60)
    page.evaluate(RUN_EVERY_CELL_JS)
    try:
        wait_for(page, SETTLED_JS, timeout=timeout, interval=0.25)
    except TimeoutError:
        pass  # reported below as stuck
    states = page.evaluate(CELL_STATES_JS)
    done = sum(state == "done" for _, state, _ in states)
    stuck = [cid for cid, state, _ in states if state not in ("done", "error")]
    failed = [(cid, (text.strip().splitlines() or [""])[-1]) for cid, state, text in states if state == "error"]
    notes = []
    if stuck:
        notes.append(f"{len(stuck)} not settled after {timeout:.0f} s")
    if failed:
        notes.append(f"{len(failed)} failed, first {failed[0][0]}: {failed[0][1][:100]}")
    return done, len(states), "; ".join(notes)


def check_offline(context, page, target: Target, timeout: float) -> None:
    r, server = target.results, target.server
    server.offline, server.refused = True, 0
    context.set_offline(True)
    try:
        done, total, failure = run_all_cells(page, OFFLINE_WAIT)
        open_page = f"open page {done}/{total}" + (f" ({failure})" if failure else "")
        page.close()
        fresh = context.new_page()
        try:
            fresh.goto(target.url, timeout=timeout * 1000)
        except Exception as error:
            code = re.search(r"net::\w+", str(error))
            r.offline, r.offline_ok = f"reload fails ({code.group(0) if code else str(error)[:80]}); {open_page}", False
            return
        done2, total2, failure2 = run_all_cells(fresh, OFFLINE_WAIT)
        r.offline_ok = total > 0 and done == total and done2 == total2
        r.offline = (f"{'yes' if r.offline_ok else 'no'}: {open_page}; after a reload {done2}/{total2}"
                     + (f" ({failure2})" if failure2 else ""))
        if server.refused:
            r.offline += f"; {server.refused} connection(s) reached the cut-off server"
        fresh.close()
    finally:
        context.set_offline(False)
        server.offline = False


def measure(playwright, target: Target, run: int, args, scratch: Path) -> None:
    """One run of ``target``: cold, second and third visit in one profile; the figure in another."""
    r = target.results
    context = launch_persistent(playwright, scratch / f"profile-{target.key}-{run}")
    try:
        context.add_init_script(plan_script([FIRST_CELL], {FIRST_CELL: "text"}))
        for page in context.pages:
            page.close()
        for kind in ("cold", "second", "third"):
            v, page = visit(context, target.url, [FIRST_CELL], args.timeout)
            first = v.output(FIRST_CELL)
            r.marks[kind].append(v.marks)
            r.page_times[kind].append((v.bench["dcl"], min(v.bench["clicked"].values(), default=None)))
            if kind == "cold":
                r.first_output.append(first / 1000)
                r.ready.append(v.bench["ready"] / 1000 if v.bench["ready"] is not None else None)
                r.bytes.append(bytes_before(v, first))
                r.own_task.append(own_task(v, target.own, first))
                r.any_task.append(any_task(v, first))
                shown = v.bench["texts"].get(FIRST_CELL, "").strip()
                if args.expected and shown != args.expected:
                    r.problems.append(f"{target.label}: {FIRST_CELL} printed {shown!r}, the chapter expects {args.expected!r}")
                if run == 0:
                    r.first_visit = v
                if target.book:
                    r.sw_filled.append(wait_service_worker(page, args.timeout))
                    # Marks made since (matplotlib preloaded in idle time) join the waterfall.
                    r.marks["cold"][-1] = {**marks(page), **v.marks}
                else:
                    settle(page, args.settle)
            else:
                (r.second if kind == "second" else r.third).append(first / 1000)
                settle(page, args.settle)
            if kind == "third" and run == 0:
                try:
                    r.predict = measure_predict(page, args.predict_calls, args.timeout)
                except Exception as error:
                    r.problems.append(f"{target.label}: MNIST predict: {str(error)[:300]}")
                if target.book:
                    check_offline(context, page, target, args.timeout)
            if not page.is_closed():
                page.close()
    finally:
        context.close()

    context = launch_persistent(playwright, scratch / f"profile-{target.key}-{run}-figure")
    try:
        context.add_init_script(plan_script(list(FIGURE_CELLS), {FIGURE_CELL: "img"}))
        for page in context.pages:
            page.close()
        v, page = visit(context, target.url, [FIGURE_CELL], args.timeout)
        r.figure.append(v.output(FIGURE_CELL) / 1000)
        r.marks["figure"].append(v.marks)
        r.page_times["figure"].append((v.bench["dcl"], min(v.bench["clicked"].values(), default=None)))
        page.close()
    finally:
        context.close()


# --- the report ---------------------------------------------------------------------------


def med(values):
    return stats.median(values)


def print_table(targets: list[Target], args) -> None:
    by = {t.key: t.results for t in targets}
    official = by["official"]
    ref_first, ref_figure = med(official.first_output), med(official.figure)
    after = by["after"]

    def timed(values, reference):
        text = stats.seconds(values)
        x = stats.ratio(med(values), reference)
        return f"{text} {x}".strip() if reference else text

    def row(name, cell, target_text, verdict):
        return [name, *[cell(t.results, t) for t in targets], target_text, verdict]

    first_limit = TARGETS["first_output"] * ref_first if ref_first else None
    figure_limit = TARGETS["figure"] * ref_figure if ref_figure else None
    third_limit = TARGETS["third"] * ref_first if ref_first else None
    predict = lambda r: (f"{r.predict[0]:.2f} ms (mean {r.predict[1]:.2f})" if r.predict else "—")  # noqa: E731
    rows = [
        row("navigation → runtime ready ¹", lambda r, t: stats.seconds(r.ready), "", ""),
        row("navigation → first numpy output", lambda r, t: timed(r.first_output, ref_first),
            f"≤ {TARGETS['first_output']}× official", stats.verdict(med(after.first_output), first_limit)),
        row("navigation → first figure", lambda r, t: timed(r.figure, ref_figure),
            f"≤ {TARGETS['figure']}× official", stats.verdict(med(after.figure), figure_limit)),
        row("second visit → first output", lambda r, t: timed(r.second, ref_first), "", ""),
        row("third visit (disk profile) → first output ²", lambda r, t: timed(r.third, ref_first),
            f"≤ {TARGETS['third']}× official cold", stats.verdict(med(after.third), third_limit)),
        row("bytes fetched before the first output", lambda r, t: stats.megabytes(r.bytes),
            "≤ 15 MB", stats.verdict(med(after.bytes), TARGETS["bytes"])),
        row("longest start-up task, the page's own scripts ³", lambda r, t: stats.milliseconds(r.own_task),
            "≤ 50 ms", stats.verdict(med(after.own_task), TARGETS["task"])),
        row("longest start-up task, any cause ³", lambda r, t: stats.milliseconds(r.any_task), "", ""),
        row("works offline after the first visit", lambda r, t: ("yes" if r.offline_ok else "no" if r.offline_ok is False else "—") if t.book else "–",
            "yes", "met" if after.offline_ok else "MISSED" if after.offline_ok is False else "?"),
        row(f"MNIST predict, 1 digit, in Pyodide ({args.predict_calls} calls)", lambda r, t: predict(r),
            "≤ 5 ms", stats.verdict(after.predict[0] if after.predict else None, TARGETS["predict"])),
        row("mkdocs build --strict, 4 languages", lambda r, t: stats.seconds(r.build) if t.book else "–",
            "≤ 15 s", stats.verdict(med(after.build), TARGETS["build"]) if after.build else "not timed"),
    ]
    headers = ["metric", *[t.label for t in targets], "target", "after"]
    print(stats.table(headers, rows))
    print(f"\nMedians of {args.runs} runs (min–max in brackets), each in fresh disk-backed Chromium profiles; "
          "× = against the naive page on the official runtime (its cold first output for the visits).")
    print("¹ book: Python, numpy, nnbook and the kernel loaded (window.nnbook.ready); naive: Pyodide's core only "
          "(packages load on Run).")
    print("² book: its service worker filled its cache after the first visit (the benchmark waits for it); "
          "naive: the browser's HTTP and code caches only.")
    print("³ main-thread tasks from navigation to the first output (long-animation-frame attribution): the longest "
          "run of the page's own scripts (book: /assets/nnbook/, naive: its folder); median of the runs' longest.")
    for t in targets:
        if t.book:
            filled = [v for v in t.results.sw_filled if v is not None]
            print(f"{t.label}: service worker filled its cache {stats.seconds(filled)} after the first navigation "
                  f"({len(filled)}/{len(t.results.sw_filled)} runs); offline: {t.results.offline}")


def phase_times(marks_list: list[dict], names) -> list[tuple[str, float | None, str]]:
    runs = len(marks_list)
    phases = []
    for name in names:
        values = [m[name] for m in marks_list if name in m]
        if not values and name not in ("ready", "first-output", "first-figure"):
            continue  # e.g. python-started on a visit that restores the snapshot
        note = "" if len(values) == runs else f"in {len(values)}/{runs} runs"
        phases.append((name, med(values), note))
    return phases


def print_waterfalls(target: Target) -> None:
    r = target.results
    if not any(r.marks["cold"]):
        print(f"\n{target.label}: the pages record no nnbook:* marks (no waterfall).")
        return
    runs = len(r.marks["cold"])
    blocks = [
        ("first visit (cold profile; matplotlib-ready: preloaded once Python is idle, after the first output)",
         "cold", PHASES + ("matplotlib-ready",)),
        ("figure runs (cold profile; sigmoid and the plot clicked at load)", "figure", PHASES[:-2] + FIGURE_PHASES),
        ("second visit", "second", PHASES),
        ("third visit (disk profile, service worker filled)", "third", PHASES),
    ]
    print(f"\nWaterfall of {target.label}: the median time (ms from navigation start) of each nnbook:* mark "
          f"over {runs} run(s); each bar runs from the phase above.")
    shown = [(title, kind, phase_times(r.marks[kind], names)) for title, kind, names in blocks if r.marks[kind]]
    scale = max((t for _, _, phases in shown for _, t, _ in phases if t is not None), default=1.0)
    for title, kind, phases in shown:
        dcl = med([d for d, _ in r.page_times[kind]])
        click = med([c for _, c in r.page_times[kind]])
        page = f"; page: DOMContentLoaded {dcl:.0f} ms, Run clicked {click:.0f} ms" if dcl and click else ""
        print(f"\n {title}{page}")
        print(stats.waterfall(phases, width=64, scale_to=scale))


def print_details(target: Target) -> None:
    v = target.results.first_visit
    if v is None:
        return
    first = v.output(FIRST_CELL)
    groups: dict[str, int] = {}
    for _, end, size, url in v.requests:
        if end > first:
            continue
        name = url.split("/", 3)[-1]
        group = ("runtime core" if "pyodide" in name and not name.endswith(".whl") else
                 "wheels" if name.endswith(".whl") else
                 "MathJax" if "mathjax" in name.lower() else
                 "editor" if "editor" in name else "page, theme, book scripts")
        groups[group] = groups.get(group, 0) + size
    print(f"\n{target.label}, run 1, first visit: DOMContentLoaded {v.bench['dcl']:.0f} ms, Run clicked "
          f"{min(v.bench['clicked'].values(), default=0):.0f} ms, first output {first:.0f} ms; bytes before it: "
          + ", ".join(f"{k} {s / MB:.2f} MB" for k, s in sorted(groups.items(), key=lambda kv: -kv[1])))
    own = sorted(((s["duration"], s["start"], s["url"].rsplit("/", 1)[-1], s["fn"] or s["invoker"])
                  for f in v.bench["frames"] for s in f["scripts"] if target.own in (s["url"] or "") and s["start"] <= first),
                 reverse=True)[:3]
    if own:
        print("  longest runs of its own scripts before the first output: "
              + "; ".join(f"{name} {fn} at {start:.0f} ms: {d:.0f} ms" for d, start, name, fn in own))
    frames = sorted((f for f in v.bench["frames"] if f["start"] <= first), key=lambda f: -f["duration"])[:3]
    for f in frames:
        scripts = sorted(f["scripts"], key=lambda s: -s["duration"])[:2]
        what = ", ".join(f"{(s['url'] or '?').rsplit('/', 1)[-1] or '?'} {s['fn'] or s['invoker']} {s['duration']:.0f} ms"
                         for s in scripts) or "no script (style, layout, paint)"
        print(f"  long frame at {f['start']:.0f} ms: {f['duration']:.0f} ms — {what}")


# --- main ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        version = "Chromium ?"
    return f"{os.cpu_count()} CPUs, {cpu}; {version}, headless"


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_browser", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (fresh browser profiles) per page (default 5)")
    sites.add_site_arguments(parser)
    parser.add_argument("--predict-calls", type=int, default=100, help="timed predict calls (>= 50)")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds a visit stays open after its output (caches)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds allowed for one page visit")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.predict_calls < 50:
        parser.error("--runs must be >= 1 and --predict-calls >= 50")
    sites.check_site_arguments(parser, args)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from playwright.sync_api import sync_playwright

    cells = {c.id: c for c in parse_cells(CHAPTER.read_text(encoding="utf-8"))}
    args.expected = (cells[FIRST_CELL].expected or "").strip() if FIRST_CELL in cells else ""
    problems = naive_drift(cells)
    print(f"nnbook browser benchmark: {machine()}; load average {load_average()}", flush=True)
    servers = []
    with tempfile.TemporaryDirectory(prefix="nnbook-bench-") as tmp:
        scratch = Path(tmp)
        try:
            site, build, before_site, before_build, before_label = sites.prepare(args, scratch)
            root = sites.linked_root(site, scratch / "served-after")
            wheel = sorted((site / "pyodide").glob("nnbook-*.whl"))
            if not wheel:
                raise Unmeasured(f"{site}/pyodide has no nnbook wheel")
            # Naive page on the book's runtime, plain server.
            sites.install_naive(root / "naive", "../pyodide/", ["numpy"], [f"../pyodide/{wheel[0].name}"])
            # Naive page on the official runtime, served as a CDN serves it.
            official = root / "naive-official"
            sites.install_naive(official, "cdn/pyodide/", ["numpy"], [f"cdn/extra/{wheel[0].name}"])
            sites.official_runtime(official / "cdn" / "pyodide")
            (official / "cdn" / "extra").mkdir()
            (official / "cdn" / "extra" / wheel[0].name).write_bytes(wheel[0].read_bytes())
            print("compressing the official runtime as a CDN does (cached) …", flush=True)
            server, base = sites.serve_site(root, cdn_prefix="/naive-official/cdn/",
                                            gzipped=sites.gzip_copies(official / "cdn"))
            servers.append(server)
            targets = [Target("after", "after (this checkout)", base, CHAPTER_URL, True, "/assets/nnbook/", server)]
            targets[0].results.build = build
            if before_site is not None:
                broot = sites.linked_root(before_site, scratch / "served-before")
                bserver, bbase = sites.serve_site(broot)
                servers.append(bserver)
                targets.append(Target("before", before_label, bbase, CHAPTER_URL, True, "/assets/nnbook/", bserver))
                targets[-1].results.build = before_build
            targets.append(Target("official", "naive, official Pyodide (CDN)", base, "naive-official/", False,
                                  "/naive-official/", server))
            targets.append(Target("naive", "naive, book runtime", base, "naive/", False, "/naive/", server))
        except Unmeasured as error:
            print(f"error: {error}", file=sys.stderr)
            for s in servers:
                s.shutdown()
            return 1

        try:
            with sync_playwright() as p:
                for run in range(args.runs):
                    print(f"run {run + 1}/{args.runs} (load average {load_average()}) …", flush=True)
                    for target in targets:  # one after the other, so a busy moment hits them all
                        try:
                            measure(p, target, run, args, scratch)
                        except Unmeasured as error:
                            target.results.problems.append(str(error))
                            print(f"  {target.label}: {error}", file=sys.stderr, flush=True)
        finally:
            for s in servers:
                s.shutdown()

    print()
    print_table(targets, args)
    for target in targets:
        if target.book:
            print_waterfalls(target)
    for target in targets:
        print_details(target)
    print(f"\nload average at the end: {load_average()}")
    for target in targets:
        problems += target.results.problems
        short = [name for name, values in (("first output", target.results.first_output),
                                           ("figure", target.results.figure), ("third visit", target.results.third))
                 if len(values) < args.runs]
        problems += [f"{target.label}: {name}: fewer results than runs" for name in short]
    return stats.exit_status(problems)


def naive_drift(cells) -> list[str]:
    """The naive page's cells must be the chapter's (same code, same output)."""
    html = (sites.NAIVE_DIR / "index.html").read_text(encoding="utf-8")
    pattern = re.compile(r'data-nnbook-cell="([^"]+)".*?<script type="text/x-python">(.*?)</script>', re.S)
    naive = {m.group(1): m.group(2).strip("\n") for m in pattern.finditer(html)}
    drift = [cid for cid in (FIRST_CELL, *FIGURE_CELLS)
             if cid not in cells or naive.get(cid) != cells[cid].source.strip("\n")]
    return [f"the naive page's cells {drift} differ from the chapter's: copy them from {CHAPTER.name}"] if drift else []


if __name__ == "__main__":
    sys.exit(main())
