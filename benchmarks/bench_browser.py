"""How fast the book's live cells start in a real browser, next to a naive live-code page.

Builds the site (``mkdocs build --strict``, timed, with the runtime cache warm), serves
it with a plain static server on 127.0.0.1 (no special headers, like the tests), and
measures in headless Chromium, each figure the median of ``--runs`` cold browser
contexts:

- navigation -> runtime ready. Book: ``window.nnbook.ready`` resolved (Python, numpy and
  nnbook loaded, cell helpers installed). Naive page: Pyodide's core loaded (it loads
  packages only when a cell runs);
- navigation -> first output of the chapter's first numpy cell, its Run button clicked
  right after DOMContentLoaded;
- navigation -> first matplotlib figure (the cell that defines ``sigmoid`` and the plot
  cell clicked at load; time of the first <img> in the plot cell's output);
- bytes fetched before the first output (response bodies of every request, the worker's
  included, that finished before that moment);
- the longest main-thread task from navigation until ready + 1 s (PerformanceObserver
  "longtask": tasks of 50 ms or more), and the longest one caused by the runtime: the
  longest script run of the page's own live-code scripts (book: docs/assets/nnbook/, the
  editor's callbacks included, its bundle's evaluation not; naive: /naive/) named by the
  "long-animation-frame" entries; the theme's and MathJax's own work is not counted;
- a second visit in the same context (warm caches: the HTTP cache, and the book's service
  worker once it has filled its cache, which the benchmark waits for): first output again;
- offline: with the network cut after that visit, does every cell of the chapter run,
  on the open page and on a reload;
- nnbook.mnist.predict on one digit inside Pyodide (Python-side timing loop);
- ``mkdocs build`` for the four languages.

The naive page (benchmarks/naive/) is served at /naive/ next to the book: a worker that
starts Pyodide from the same vendored runtime and loads numpy, nnbook and matplotlib one
after the other when a cell needs them. All times come from the page's own clock
(``performance.now()``, whose zero is the navigation start).

    python benchmarks/bench_browser.py [--runs 5] [--build-runs 1]

``NNBOOK_SITE_DIR`` measures an already built site (the build is then not timed unless
``--build-runs`` is given). Exit status 0 even when a target is missed (this is a
report); 1 when something could not be measured.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAIVE_DIR = Path(__file__).resolve().parent / "naive"
CHAPTER = ROOT / "docs" / "en" / "neural_networks.md"
CHAPTER_URL = "neural_networks/"
NAIVE_URL = "naive/"

sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, QuietHandler, build_site  # noqa: E402

FIRST_CELL = "weighted-sum"  # the chapter's first cell that imports numpy/nnbook
FIGURE_CELLS = ("sigmoid", "sigmoid-plot")  # the plot needs `sigmoid` from the cell before
FIGURE_CELL = FIGURE_CELLS[-1]
MB = 1e6
OFFLINE_WAIT = 60.0  # seconds the cells get to run offline before they count as stuck

TARGETS = {  # metric -> (limit, unit)
    "first_output": 2.5,
    "figure": 4.5,
    "warm_output": 1.5,
    "bytes": 14 * MB,
    "longtask": 50.0,
    "predict": 5.0,
    "build": 15.0,
}

# Runs in every page before its own scripts. At DOMContentLoaded (the page's scripts
# have run and built the cells) it clicks the planned Run buttons and records, with the
# page's clock, when the runtime is ready and when each watched cell shows its result.
INIT_JS = r"""
(() => {
  const plan = __PLAN__;
  const marks = (window.__bench = { longtasks: [], outputs: {}, failures: {}, errors: [], ready: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) marks.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) {
    marks.errors.push(`longtask observer: ${e}`);
  }
  // Diagnostics only: which scripts the long frames ran, and the book's loading stages.
  marks.frames = [];
  marks.stages = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) marks.frames.push({ start: e.startTime, duration: e.duration,
        scripts: e.scripts.map((x) => ({ url: x.sourceURL, fn: x.sourceFunctionName, invoker: x.invoker, duration: x.duration })) });
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch (e) { /* an older browser: no attribution */ }
  const watch = (id, what) => {
    const cell = document.querySelector(`[data-nnbook-cell="${id}"]`);
    const output = cell.querySelector("[data-nnbook-output]");
    const check = () => {
      if (id in marks.outputs || id in marks.failures) return true;
      const state = cell.dataset.state;
      if (state === "error") {
        marks.failures[id] = output.textContent.slice(-500) || "error";
        return true;
      }
      const shown = what === "img" ? output.querySelector("img") !== null
                                   : state === "done" && output.textContent.trim() !== "";
      if (shown) {
        marks.outputs[id] = performance.now();
        marks[`text:${id}`] = output.textContent;
      }
      return shown;
    };
    if (check()) return;
    const observer = new MutationObserver(() => check() && observer.disconnect());
    observer.observe(cell, { attributes: true, childList: true, subtree: true, characterData: true });
  };
  document.addEventListener("DOMContentLoaded", () => {
    marks.dcl = performance.now();
    marks.timeOrigin = performance.timeOrigin;
    const api = window.nnbook || window.naive;
    if (!api) marks.errors.push("neither window.nnbook nor window.naive exists at DOMContentLoaded");
    else api.ready.then(() => { marks.ready = performance.now(); },
                        (e) => marks.errors.push(`runtime failed to load: ${e.message || e}`));
    for (const id of plan.click) {
      const button = document.querySelector(`[data-nnbook-cell="${id}"] [data-nnbook-action="run"]`);
      if (!button) { marks.errors.push(`no Run button for cell "${id}"`); continue; }
      if (id in plan.watch) watch(id, plan.watch[id]);
      button.click();
    }
    marks.clicked = performance.now();
    const status = document.querySelector(".nnbook-runtime");
    if (status) {
      const note = () => {
        const text = status.textContent.replace(/[\d.,]+\s*MB/, "").trim();
        if (!marks.stages.length || marks.stages[marks.stages.length - 1][1] !== text)
          marks.stages.push([performance.now(), text]);
      };
      note();
      new MutationObserver(note).observe(status, { childList: true, characterData: true, subtree: true });
    }
  }, { once: true });
})();
"""

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
f"{{sorted(_bench_times)[{n} // 2] * 1000:.4f}} {{_bench_mean * 1000:.4f}}"
"""


class Unmeasured(RuntimeError):
    """A figure could not be measured; the message says which and why."""


# --- the machine ------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


# --- the site ---------------------------------------------------------------------


def warm_runtime() -> None:
    proc = subprocess.run([sys.executable, "-m", "site_scripts.runtime"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise Unmeasured(f"the Pyodide runtime could not be prepared:\n{proc.stdout}{proc.stderr}")


def timed_builds(runs: int, dest_parent: Path) -> tuple[list[float], Path]:
    """Build the site ``runs`` times into fresh directories; return times and the last site."""
    times, site = [], None
    for i in range(runs):
        site = dest_parent / f"site-{i}"
        start = time.perf_counter()
        result = build_site(site)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise Unmeasured(f"mkdocs build --strict failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        if i < runs - 1:
            shutil.rmtree(site)
    return times, site


def serving_root(site: Path, built_here: bool, scratch: Path) -> Path:
    """The directory to serve: the site with the naive page at /naive/."""
    if built_here:
        root = site
    else:  # never write into a site someone else built
        root = scratch / "served"
        root.mkdir()
        for entry in site.iterdir():
            (root / entry.name).symlink_to(entry.resolve())
    if (root / "naive").exists():
        raise Unmeasured(f"{root / 'naive'} exists in the site: the naive page needs /naive/")
    shutil.copytree(NAIVE_DIR, root / "naive")
    return root


class GatedHandler(QuietHandler):
    """The tests' static handler, with a switch that drops every connection ("offline")."""

    def handle(self):
        if self.server.offline:
            self.server.refused += 1
            return
        super().handle()


def serve(directory: Path):
    import functools
    import http.server

    handler = functools.partial(GatedHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.offline, server.refused = False, 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def chapter_cells() -> dict[str, tuple[str, str | None]]:
    """id -> (source, expected output or None), from the English chapter."""
    text = CHAPTER.read_text(encoding="utf-8")
    pattern = re.compile(r'```python cell id="([^"]+)"\n(.*?)\n```\n(?:\n```output\n(.*?)\n```)?', re.S)
    return {m.group(1): (m.group(2), m.group(3)) for m in pattern.finditer(text)}


def naive_drift(cells: dict[str, tuple[str, str | None]]) -> list[str]:
    html = (NAIVE_DIR / "index.html").read_text(encoding="utf-8")
    pattern = re.compile(r'data-nnbook-cell="([^"]+)".*?<script type="text/x-python">(.*?)</script>', re.S)
    naive = {m.group(1): m.group(2).strip("\n") for m in pattern.finditer(html)}
    wanted = (FIRST_CELL, *FIGURE_CELLS)
    return [cid for cid in wanted if cid not in cells or naive.get(cid) != cells[cid][0].strip("\n")]


# --- one page visit ---------------------------------------------------------------


@dataclass
class Visit:
    marks: dict
    requests: list = field(default_factory=list)  # (start ms, end ms, bytes, url), navigation clock


def visit(context, url: str, click: list[str], watch: dict[str, str], timeout: float,
          settle_after_ready: float = 0.0) -> tuple[Visit, object]:
    """Open ``url`` in ``context``; click and watch cells; return the marks and the open page."""
    finished = []

    def listener(request):
        finished.append(request)

    context.on("requestfinished", listener)
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        done = " && ".join(f'(({json.dumps(c)} in b.outputs) || ({json.dumps(c)} in b.failures))' for c in watch)
        page.wait_for_function(f"() => {{ const b = window.__bench; return b && (b.errors.length || ({done or 'true'})); }}",
                               timeout=timeout * 1000, polling=50)
        if settle_after_ready:
            page.wait_for_function("() => window.__bench.ready !== null || window.__bench.errors.length",
                                   timeout=timeout * 1000, polling=50)
            page.wait_for_function(f"() => window.__bench.errors.length || "
                                   f"performance.now() > window.__bench.ready + {settle_after_ready}",
                                   timeout=timeout * 1000, polling=100)
        marks = page.evaluate("() => window.__bench")
    except Exception as error:
        context.remove_listener("requestfinished", listener)
        raise Unmeasured(f"{url}: the page did not show the watched output within {timeout:.0f} s ({error})") from None
    context.remove_listener("requestfinished", listener)
    if marks["errors"]:
        raise Unmeasured(f"{url}: " + "; ".join(marks["errors"]))
    if marks["failures"]:
        raise Unmeasured(f"{url}: cell failed: " + "; ".join(f"{k}: {v}" for k, v in marks["failures"].items()))
    origin = marks["timeOrigin"]
    result = Visit(marks)
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
        result.requests.append((start, end, size, request.url))
    result.requests.sort()
    return result, page


def plan_script(click: list[str], watch: dict[str, str]) -> str:
    return INIT_JS.replace("__PLAN__", json.dumps({"click": click, "watch": watch}))


def bytes_before(v: Visit, moment: float) -> int:
    return sum(size for _, end, size, _ in v.requests if end <= moment)


def runtime_task(v: Visit, own: str) -> float:
    """The longest script run (ms) of the page's own live-code scripts until ready + 1 s."""
    limit = (v.marks["ready"] or 0) + 1000
    runs = [x["duration"] for f in v.marks.get("frames", []) if f["start"] <= limit for x in f["scripts"]
            if own in x["url"] and not ("/vendor/" in x["url"] and x["invoker"] == x["url"])]
    return max(runs, default=0.0)


def longest_task(v: Visit) -> tuple[float, int]:
    limit = (v.marks["ready"] or 0) + 1000
    tasks = [d for s, d in v.marks["longtasks"] if s <= limit]
    return (max(tasks) if tasks else 0.0), len(tasks)


# --- one page type: cold, warm, figure, offline, MNIST ---------------------------


@dataclass
class Results:
    ready: list = field(default_factory=list)
    first_output: list = field(default_factory=list)
    figure: list = field(default_factory=list)
    bytes: list = field(default_factory=list)
    longtask: list = field(default_factory=list)
    longtask_count: list = field(default_factory=list)
    runtime_task: list = field(default_factory=list)
    sw_filled: list = field(default_factory=list)
    warm_output: list = field(default_factory=list)
    offline_open: str = "not measured"
    offline_reload: str = "not measured"
    offline_ok: bool | None = None
    predict: tuple | None = None
    waterfall: Visit | None = None
    figure_waterfall: Visit | None = None
    problems: list = field(default_factory=list)


def run_all_cells(page, timeout: float) -> tuple[int, int, str]:
    """Click every cell's Run, top to bottom; return (cells done, cells, what went wrong).

    Not Run-all: it stops at the first error, and this counts every cell that still runs.
    Cells still queued or running after ``timeout`` count as not run ("stuck").
    """
    page.evaluate("""() => {
        for (const b of document.querySelectorAll('[data-nnbook-cell] [data-nnbook-action="run"]')) b.click();
    }""")
    try:
        page.wait_for_function("""() => [...document.querySelectorAll('[data-nnbook-cell]')]
            .every((c) => !['queued', 'running'].includes(c.dataset.state))""", timeout=timeout * 1000, polling=200)
    except Exception:
        pass  # reported below as stuck cells
    states = page.evaluate("""() => [...document.querySelectorAll('[data-nnbook-cell]')].map((c) =>
        [c.dataset.nnbookCell, c.dataset.state, (c.querySelector('[data-nnbook-output]') || {}).textContent || ''])""")
    done = sum(state == "done" for _, state, _ in states)
    stuck = [cid for cid, state, _ in states if state in ("queued", "running")]
    failed = [(cid, (text.strip().splitlines() or [""])[-1]) for cid, state, text in states if state == "error"]
    notes = []
    if stuck:
        notes.append(f"{len(stuck)} still queued/running after {timeout:.0f} s")
    if failed:
        notes.append(f"{len(failed)} failed, first {failed[0][0]}: {failed[0][1][:100]}")
    return done, len(states), "; ".join(notes)


def check_offline(context, page, server, url: str, timeout: float, r: Results) -> None:
    server.offline, server.refused = True, 0
    context.set_offline(True)
    try:
        done, total, failure = run_all_cells(page, OFFLINE_WAIT)
        r.offline_open = f"{done}/{total} cells ran" + (f" ({failure})" if failure else "")
        page.close()
        fresh = context.new_page()
        try:
            fresh.goto(url, timeout=timeout * 1000)
        except Exception as error:
            code = re.search(r"net::\w+", str(error))
            r.offline_reload = f"page does not load ({code.group(0) if code else str(error).splitlines()[0][:80]})"
            done = total_reload = 0
        else:
            fresh.wait_for_load_state("load")
            done, total_reload, failure = run_all_cells(fresh, OFFLINE_WAIT)
            r.offline_reload = f"{done}/{total_reload} cells ran" + (f" ({failure})" if failure else "")
        r.offline_ok = bool(total_reload) and done == total_reload
        if server.refused:
            r.offline_reload += f"; {server.refused} connection(s) reached the cut-off server"
        fresh.close()
    finally:
        context.set_offline(False)
        server.offline = False


def wait_for_service_worker(page, timeout: float) -> float | None:
    """Seconds after navigation when the page's service worker had filled its cache, or None."""
    try:
        page.wait_for_function("""async () => {
            const registration = navigator.serviceWorker && await navigator.serviceWorker.getRegistration();
            return Boolean(registration && registration.active);
        }""", timeout=timeout * 1000, polling=250)
    except Exception:
        return None
    return page.evaluate("performance.now()") / 1000


def measure_predict(page, api: str, calls: int, timeout: float) -> tuple[float, float]:
    code = PREDICT_PY.format(n=calls)
    fn = "(code) => window.nnbook.call(code)" if api == "nnbook" else "(code) => window.naive.run(code)"
    page.set_default_timeout(timeout * 1000)
    text = page.evaluate(fn, code)
    median, mean = (float(v) for v in str(text).split())
    return median, mean


def measure_page(browser, base: str, path: str, api: str, run: int, args, server, r: Results) -> None:
    url = base + path
    # Cold visit, then the warm second visit and the one-off checks in the same context.
    context = browser.new_context()
    try:
        context.add_init_script(plan_script([FIRST_CELL], {FIRST_CELL: "done"}))
        cold, page = visit(context, url, [FIRST_CELL], {FIRST_CELL: "done"}, args.timeout, settle_after_ready=1000)
        first = cold.marks["outputs"][FIRST_CELL]
        r.ready.append(cold.marks["ready"] / 1000)
        r.first_output.append(first / 1000)
        r.bytes.append(bytes_before(cold, first))
        longest, count = longest_task(cold)
        r.longtask.append(longest)
        r.longtask_count.append(count)
        r.runtime_task.append(runtime_task(cold, "/assets/nnbook/" if api == "nnbook" else "/naive/"))
        expected = args.expected.get(FIRST_CELL)
        shown = cold.marks.get(f"text:{FIRST_CELL}", "").strip()
        if expected is not None and shown != expected.strip():
            r.problems.append(f"{api}: cell {FIRST_CELL} printed {shown!r}, the chapter expects {expected.strip()!r}")
        if run == 0:
            r.waterfall = cold
        if api == "nnbook":
            r.sw_filled.append(wait_for_service_worker(page, args.timeout))
        page.close()

        warm, page = visit(context, url, [FIRST_CELL], {FIRST_CELL: "done"}, args.timeout)
        r.warm_output.append(warm.marks["outputs"][FIRST_CELL] / 1000)
        if run == 0:
            page.wait_for_function("() => window.__bench.ready !== null", timeout=args.timeout * 1000)
            r.predict = measure_predict(page, api, args.predict_calls, args.timeout)
            if api == "nnbook":
                check_offline(context, page, server, url, args.timeout, r)
        if not page.is_closed():
            page.close()
    finally:
        context.close()

    # The figure, in a cold context of its own.
    context = browser.new_context()
    try:
        context.add_init_script(plan_script(list(FIGURE_CELLS), {FIGURE_CELL: "img"}))
        fig, page = visit(context, url, list(FIGURE_CELLS), {FIGURE_CELL: "img"}, args.timeout)
        r.figure.append(fig.marks["outputs"][FIGURE_CELL] / 1000)
        if run == 0:
            r.figure_waterfall = fig
        page.close()
    finally:
        context.close()


# --- the report -------------------------------------------------------------------


def med(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt_seconds(values: list[float]) -> str:
    if not values:
        return "—"
    spread = f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else ""
    return f"{med(values):.2f} s{spread}"


def fmt_mb(values: list[int]) -> str:
    return f"{med(values) / MB:.1f} MB" if values else "—"


def fmt_task(values: list[float], counts: list[int]) -> str:
    if not values:
        return "—"
    m = med(values)
    return (f"{m:.0f} ms" if m else "none ≥ 50 ms") + f" (max {max(values):.0f}; {med(counts):.0f} tasks)"


def fmt_ms(values: list[float]) -> str:
    return f"{med(values):.0f} ms (max {max(values):.0f})" if values else "—"


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "?"
    return "met" if value <= limit else "MISSED"


def print_table(book: Results, naive: Results, build: list[float], args) -> None:
    predict_book = f"{book.predict[0]:.2f} ms (mean {book.predict[1]:.2f})" if book.predict else "—"
    predict_naive = f"{naive.predict[0]:.2f} ms (mean {naive.predict[1]:.2f})" if naive.predict else "—"
    offline = f"{'yes' if book.offline_ok else 'no'}: reload {book.offline_reload}; open page {book.offline_open}"
    rows = [
        ("navigation → runtime ready ¹", fmt_seconds(book.ready), fmt_seconds(naive.ready), "", ""),
        ("navigation → first output", fmt_seconds(book.first_output), fmt_seconds(naive.first_output),
         "≤ 2.5 s", verdict(med(book.first_output), TARGETS["first_output"])),
        ("navigation → first figure", fmt_seconds(book.figure), fmt_seconds(naive.figure),
         "≤ 4.5 s", verdict(med(book.figure), TARGETS["figure"])),
        ("bytes before first output", fmt_mb(book.bytes), fmt_mb(naive.bytes),
         "≤ 14 MB", verdict(med(book.bytes), TARGETS["bytes"])),
        ("longest start-up task caused by the runtime ²", fmt_ms(book.runtime_task), fmt_ms(naive.runtime_task),
         "≤ 50 ms", verdict(med(book.runtime_task), TARGETS["longtask"])),
        ("longest start-up task, any cause ²", fmt_task(book.longtask, book.longtask_count),
         fmt_task(naive.longtask, naive.longtask_count), "", ""),
        ("second visit → first output", fmt_seconds(book.warm_output), fmt_seconds(naive.warm_output),
         "≤ 1.5 s", verdict(med(book.warm_output), TARGETS["warm_output"])),
        (f"MNIST predict, 1 digit ({args.predict_calls} calls)", predict_book, predict_naive,
         "≤ 5 ms", verdict(book.predict[0] if book.predict else None, TARGETS["predict"])),
        (f"mkdocs build, 4 languages ({len(build)} run{'s' * (len(build) != 1)})",
         fmt_seconds(build) if build else "not timed", "", "≤ 15 s",
         verdict(med(build), TARGETS["build"]) if build else ""),
    ]
    headers = ("metric", "nnbook", "naive", "target", "")
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(5)]
    line = lambda row: " | ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip()  # noqa: E731
    print(line(headers))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    print(f"offline after the first visit (book): {offline}")
    filled = [v for v in book.sw_filled if v is not None]
    print(f"book service worker: cache filled {fmt_seconds(filled)} after the first navigation "
          f"({len(filled)}/{len(book.sw_filled)} visits); the second visit waits for it")
    print(f"Medians of {args.runs} cold browser contexts (min–max in brackets).")
    print("¹ book: Python + numpy + nnbook + cell helpers loaded (window.nnbook.ready); "
          "naive: Pyodide's core only (packages load on Run).")
    print("² main-thread tasks from navigation to ready + 1 s; median of the runs' longest. Caused by the "
          "runtime: the longest run of the page's own live-code scripts (long-animation-frame attribution).")


def print_waterfall(v: Visit) -> None:
    m = v.marks
    first = m["outputs"][FIRST_CELL]
    print(f"\nWaterfall of the first cold book visit (ms since navigation; DOMContentLoaded "
          f"{m['dcl']:.0f}, Run clicked {m['clicked']:.0f}, ready {m['ready']:.0f}, first output {first:.0f}):")
    groups: dict[str, int] = {}
    for start, end, size, url in v.requests:
        if end > first:
            continue
        name = url.split("/", 3)[-1]
        group = ("pyodide core" if name.startswith("pyodide/") and not name.endswith(".whl") else
                 "wheels" if name.endswith(".whl") else
                 "MathJax" if "mathjax" in name else
                 "editor" if "vendor/editor" in name else "page & theme")
        groups[group] = groups.get(group, 0) + size
        if size >= 20_000 or "worker" in name or name.startswith("pyodide/"):
            print(f"  {start:7.0f} → {end:7.0f}  {size / 1000:9.1f} kB  {name}")
    print("  bytes by group: " + ", ".join(f"{k} {s / MB:.2f} MB" for k, s in sorted(groups.items(), key=lambda kv: -kv[1])))
    if m.get("stages"):
        print("  loading stages shown on the page: " + "; ".join(f"{t:.0f} {text}" for t, text in m["stages"]))
    frames = sorted(m.get("frames", []), key=lambda f: -f["duration"])[:3]
    for f in frames:
        scripts = sorted(f["scripts"], key=lambda x: -x["duration"])[:2]
        what = ", ".join(f"{x['url'].rsplit('/', 1)[-1] or '?'} {x['fn'] or x['invoker']} {x['duration']:.0f} ms"
                         for x in scripts) or "no script (layout/style/paint)"
        print(f"  long frame at {f['start']:.0f}: {f['duration']:.0f} ms — {what}")


def print_figure_waterfall(v: Visit) -> None:
    m = v.marks
    shown = m["outputs"][FIGURE_CELL]
    wheels = [(s, e, size, u.rsplit("/", 1)[-1]) for s, e, size, u in v.requests
              if u.endswith(".whl") and "numpy" not in u and "nnbook" not in u]
    if not wheels:
        return
    total = sum(size for *_, size, _ in wheels)
    print(f"\nFirst figure, first cold book visit (ms since navigation): ready {m['ready']:.0f}; "
          f"{len(wheels)} matplotlib wheels ({total / MB:.1f} MB) requested {min(w[0] for w in wheels):.0f} → "
          f"finished {max(w[1] for w in wheels):.0f}; image shown {shown:.0f}")


# --- main -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold browser contexts per page (default 5)")
    parser.add_argument("--build-runs", type=int, default=None,
                        help="timed builds, median reported (default 1, or 0 with NNBOOK_SITE_DIR; "
                        "without NNBOOK_SITE_DIR at least one build is made)")
    parser.add_argument("--predict-calls", type=int, default=100, help="timed predict calls (≥ 50)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds allowed for one page visit")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.predict_calls < 50:
        parser.error("--runs must be ≥ 1 and --predict-calls ≥ 50")

    from playwright.sync_api import sync_playwright

    prebuilt = os.environ.get("NNBOOK_SITE_DIR")
    build_runs = args.build_runs if args.build_runs is not None else (0 if prebuilt else 1)
    if not prebuilt:
        build_runs = max(build_runs, 1)  # the site to measure comes from the build
    cells = chapter_cells()
    args.expected = {cid: expected for cid, (_, expected) in cells.items()}
    problems: list[str] = []
    drift = naive_drift(cells)
    if drift:
        problems.append(f"the naive page's cells {drift} differ from the chapter's: copy them from {CHAPTER.name}")

    print(f"nnbook browser benchmark: {os.cpu_count()} CPUs, {cpu_model()}, load average {load_average()}")
    with tempfile.TemporaryDirectory(prefix="nnbook-bench-") as tmp:
        scratch = Path(tmp)
        build: list[float] = []
        try:
            if build_runs:
                warm_runtime()
                print(f"building the site {build_runs} time(s) (runtime cache warm) …", flush=True)
                build, built = timed_builds(build_runs, scratch)
            if prebuilt:
                site, built_here = Path(prebuilt), False
                if not (site / CHAPTER_URL / "index.html").is_file():
                    raise Unmeasured(f"NNBOOK_SITE_DIR={prebuilt} has no {CHAPTER_URL}index.html: build the site first")
            else:
                site, built_here = built, True
            root = serving_root(site, built_here, scratch)
        except Unmeasured as error:
            print(f"error: {error}", file=sys.stderr)
            return 1

        server, base = serve(root)
        book, naive = Results(), Results()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                print(f"Chromium {browser.version}, headless; site served by a plain static server at {base}")
                for run in range(args.runs):
                    print(f"run {run + 1}/{args.runs} …", flush=True)
                    # Alternate the pages so that a busy moment on the machine hits both.
                    for path, api, results in ((CHAPTER_URL, "nnbook", book), (NAIVE_URL, "naive", naive)):
                        try:
                            measure_page(browser, base, path, api, run, args, server, results)
                        except Unmeasured as error:
                            results.problems.append(str(error))
                            print(f"  {api}: {error}", file=sys.stderr)
                browser.close()
        finally:
            server.shutdown()

    print()
    print_table(book, naive, build, args)
    if book.waterfall:
        print_waterfall(book.waterfall)
    if book.figure_waterfall:
        print_figure_waterfall(book.figure_waterfall)
    print(f"load average at the end: {load_average()}")
    problems += book.problems + naive.problems
    missing = [name for name, values in (("book first output", book.first_output), ("book figure", book.figure),
                                         ("naive first output", naive.first_output), ("naive figure", naive.figure))
               if len(values) < args.runs]
    if book.predict is None:
        missing.append("book MNIST predict")
    if book.offline_ok is None:
        missing.append("book offline check")
    if problems or missing:
        print("\nnot measured / problems:", file=sys.stderr)
        for problem in problems + [f"{m}: fewer results than runs" for m in missing]:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
