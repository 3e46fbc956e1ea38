"""How fast the chapter's demos answer in a real browser (headless Chromium, Pyodide).

    python -m benchmarks.bench_demos [--before REF] [--site DIR] [--steps 24] [--strokes 20]

Builds the site (or takes ``--site`` / ``NNBOOK_SITE_DIR``), serves it on 127.0.0.1, opens
the chapter, waits until its three demos are ready and prints medians (and maxima) of:

- stepper: click Next (or Prev at the last step) -> the new step is in the DOM (its
  ``data-step``, picture and text), and -> its formulas are typeset. The chapter's own
  equations are typeset at build time; the demos' formulas are typeset by MathJax, which
  the page loads when a demo first shows one (demos/math.js), one formula at a time
  (demos/narration.js): "typeset" is when every formula of the step has its MathJax form.
  Steps without a formula are left out of that row. The first step measured may include
  loading MathJax: see the maximum;
- draw: the end of a pen stroke (pointerup) -> the answer for the whole stroke is shown
  (``data-nnbook-ms`` written), and the Python time of one classification it reports;
- MNIST: ``nnbook.mnist.predict`` of one digit inside Pyodide (a timed loop in Python, run
  through ``window.nnbook.run``), and the MNIST demo's Next -> the next digit, its bars and
  its prediction shown (``data-nnbook-index``).

With ``--before REF`` the site of that revision (built in its worktree, see
benchmarks/sites.py) is measured in the same run, the same way, and printed beside. Both
sites have these hooks; the old one has no Content-Security-Policy and typesets with
``MathJax.typesetPromise`` (a step counts as typeset once it shows MathJax output).
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from pathlib import Path

from benchmarks import sites
from benchmarks.sites import Unmeasured
from tests.harness import stats
from tests.harness.browser import launch, wait_for

CHAPTER_URL = "neural_networks/"
READY = 180.0  # s: Pyodide's first start on a busy machine
PREDICTIONS = 60
DEMOS = ("stepper", "mnist", "draw")
TARGETS = {"stepper: Next → step in the DOM": 50.0, "stepper: Next → formulas typeset": 50.0,
           "draw: pointerup → answer shown": 50.0, "MNIST: predict(1 digit) in Pyodide": 5.0}

DEMOS_SETTLED = """kinds => kinds.every((k) => { const d = document.querySelector(`[data-nnbook-demo='${k}']`);
  return d && ['ready', 'error'].includes(d.dataset.state); })"""

# Resolves after the click with [ms until data-step changes, ms until the step's formulas
# are typeset (null: none, or not within 20 s), number of formulas].
TIME_STEP = """async (action) => {
  const demo = document.querySelector("[data-nnbook-demo=stepper]");
  const text = demo.querySelector(".nnbook-demo-narration");
  const before = demo.dataset.step;
  // This engine writes each formula's plain form in a .nnbook-demo-math holder and marks
  // it .nnbook-demo-typeset once MathJax has replaced it; the old one typesets the box.
  const holders = () => [...text.querySelectorAll(".nnbook-demo-math")];
  const typeset = () => {
    const h = holders();
    return h.length ? h.every((x) => x.classList.contains("nnbook-demo-typeset"))
                    : text.querySelector("mjx-container") !== null;
  };
  return await new Promise((resolve) => {
    let dom = null;
    const start = performance.now();
    const finish = (done) => {
      observer.disconnect();
      clearTimeout(timer);
      const h = holders();
      resolve([dom, done, h.length || text.querySelectorAll("mjx-container").length]);
    };
    const check = () => {
      if (dom === null && demo.dataset.step !== before) {
        dom = performance.now() - start;
        // This engine (its config element): a step without formulas has nothing to typeset.
        if (document.getElementById("nnbook-config") && holders().length === 0) return finish(null);
      }
      if (dom !== null && typeset()) finish(performance.now() - start);
    };
    const observer = new MutationObserver(check);
    observer.observe(demo, { attributes: true, childList: true, subtree: true, characterData: true });
    const timer = setTimeout(() => finish(null), 20000);
    demo.querySelector(`[data-nnbook-action=${action}]`).click();
  });
}"""

# Records pointerup and every answer of the drawing demo after it.
WATCH_DRAW = """() => {
  const demo = document.querySelector("[data-nnbook-demo=draw]");
  window._bench = { up: null, answers: [] };
  demo.querySelector("[data-nnbook-canvas]").addEventListener("pointerup", () => {
    window._bench.up = performance.now();
    window._bench.answers = [];
  }, true);
  new MutationObserver(() => {
    if (window._bench.up !== null) window._bench.answers.push([performance.now(), Number(demo.dataset.nnbookMs)]);
  }).observe(demo, { attributes: true, attributeFilter: ["data-nnbook-ms"] });
}"""

PREDICT_LOOP = f"""
import time as _demo_time
from nnbook import mnist as _demo_mnist
_demo_image = _demo_mnist.load_digits()[0][0]
_demo_mnist.predict(_demo_image)
_demo_times = []
for _ in range({PREDICTIONS}):
    _demo_start = _demo_time.perf_counter()
    _demo_mnist.predict(_demo_image)
    _demo_times.append((_demo_time.perf_counter() - _demo_start) * 1000)
_demo_result = "TIMES " + " ".join(f"{{t:.5f}}" for t in _demo_times)
del _demo_time, _demo_mnist, _demo_image, _demo_times, _demo_start
_demo_result
"""

TIME_FLIP = """async () => {
  const demo = document.querySelector("[data-nnbook-demo=mnist]");
  const before = demo.dataset.nnbookIndex;
  return await new Promise((resolve) => {
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (demo.dataset.nnbookIndex !== before) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(demo, { attributes: true, attributeFilter: ["data-nnbook-index"] });
    demo.querySelector("[data-nnbook-action=next]").click();
  });
}"""


def stroke(page, canvas, points) -> None:
    box = canvas.bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for p in xy[1:]:
        page.mouse.move(*p)
        page.wait_for_timeout(16)  # a 60 Hz pointer
    page.mouse.up()


def bench(browser, url: str, args) -> dict[str, list[float]]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(READY * 1000)
    try:
        page.goto(url + CHAPTER_URL)
        wait_for(page, DEMOS_SETTLED, list(DEMOS), timeout=READY, interval=0.2)
        states = page.evaluate("kinds => kinds.map((k) => document.querySelector(`[data-nnbook-demo='${k}']`).dataset.state)",
                               list(DEMOS))
        broken = [k for k, s in zip(DEMOS, states) if s != "ready"]
        if broken:
            raise Unmeasured(f"{url}: demo(s) {broken} did not start")

        dom, typeset = [], []
        steps = int(page.get_attribute("[data-nnbook-demo=stepper]", "data-steps"))
        direction = "next"
        while len(dom) < args.steps:
            step = int(page.get_attribute("[data-nnbook-demo=stepper]", "data-step"))
            if step == steps - 1:
                direction = "prev"
            elif step == 0:
                direction = "next"
            d, m, _formulas = page.evaluate(TIME_STEP, direction)
            if d is None:
                raise Unmeasured(f"{url}: the stepper did not move on {direction}")
            dom.append(d)
            if m is not None:
                typeset.append(m)

        reply = page.evaluate("code => window.nnbook.run(code)", PREDICT_LOOP)
        found = re.search(r"TIMES ([\d. ]+)", json.dumps(reply))
        if not found:
            raise Unmeasured(f"{url}: the predict loop answered {str(reply)[:200]}")
        predict = [float(t) for t in found.group(1).split()]

        flips = [page.evaluate(TIME_FLIP) for _ in range(args.flips)]

        demo = page.locator("[data-nnbook-demo=draw]")
        canvas = demo.locator("[data-nnbook-canvas]")
        canvas.evaluate("c => c.scrollIntoView({block: 'center', behavior: 'instant'})")
        page.evaluate(WATCH_DRAW)
        latency, python = [], []
        for k in range(args.strokes):
            demo.locator("[data-nnbook-action=clear]").click()
            if k % 2:
                points = [(0.5 + 0.02 * k / args.strokes, 0.15 + 0.7 * i / 24) for i in range(25)]
            else:
                points = [(0.5 + 0.22 * math.sin(a), 0.5 - 0.33 * math.cos(a))
                          for a in [2.1 * math.pi * i / 40 for i in range(41)]]
            stroke(page, canvas, points)
            page.wait_for_timeout(400)  # well after the last answer
            up, answers = page.evaluate("[window._bench.up, window._bench.answers]")
            if not answers:
                raise Unmeasured(f"{url}: no answer of the drawing demo after a stroke")
            latency.append(answers[-1][0] - up)
            python.append(answers[-1][1])
    finally:
        context.close()
    return {
        "stepper: Next → step in the DOM": dom,
        "stepper: Next → formulas typeset": typeset,
        "draw: pointerup → answer shown": latency,
        "draw: one classification in Python": python,
        "MNIST: predict(1 digit) in Pyodide": predict,
        "MNIST demo: Next → digit shown": flips,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_demos", description=__doc__.splitlines()[0])
    sites.add_site_arguments(parser)
    parser.add_argument("--steps", type=int, default=24, help="stepper clicks timed")
    parser.add_argument("--strokes", type=int, default=20, help="pen strokes timed")
    parser.add_argument("--flips", type=int, default=24, help="MNIST demo Next clicks timed")
    args = parser.parse_args(argv)
    sites.check_site_arguments(parser, args)
    if args.build_runs is None:
        args.build_runs = 0  # bench_browser times the builds
    from playwright.sync_api import sync_playwright

    columns: list[tuple[str, dict]] = []
    problems = []
    with tempfile.TemporaryDirectory(prefix="nnbook-demos-") as tmp:
        scratch = Path(tmp)
        servers = []
        try:
            site, _, before_site, _, before_label = sites.prepare(args, scratch)
            wanted = [("after (this checkout)", site)] + ([(before_label, before_site)] if before_site else [])
            with sync_playwright() as p:
                browser = launch(p)
                try:
                    for label, folder in wanted:
                        server, url = sites.serve_site(sites.linked_root(folder, scratch / f"served-{len(servers)}"))
                        servers.append(server)
                        try:
                            columns.append((label, bench(browser, url, args)))
                        except Unmeasured as error:
                            problems.append(f"{label}: {error}")
                finally:
                    browser.close()
        except Unmeasured as error:
            problems.append(str(error))
        finally:
            for server in servers:
                server.shutdown()

    if columns:
        names = list(columns[0][1])
        rows = []
        for name in names:
            cells = [stats.milliseconds(values.get(name, []), digits=1) for _, values in columns]
            counts = "/".join(str(len(values.get(name, []))) for _, values in columns)
            limit = TARGETS.get(name)
            after = stats.median(columns[0][1].get(name, []))
            rows.append([name, *cells, counts, f"≤ {limit:g} ms" if limit else "",
                         stats.verdict(after, limit) if limit else ""])
        print("nnbook demos benchmark: headless Chromium, Pyodide; medians (max) in ms")
        print(stats.table(["what", *[label for label, _ in columns], "samples", "target", "after"], rows))
    return stats.exit_status(problems)


if __name__ == "__main__":
    sys.exit(main())
