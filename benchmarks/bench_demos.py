"""How fast the chapter's demos answer in a real browser (headless Chromium, Pyodide).

Builds the site (or uses NNBOOK_SITE_DIR), serves it on 127.0.0.1, opens the chapter
and prints medians of:

- stepper: click Next -> the step's picture and text are in the DOM, and -> MathJax
  has typeset the step's formulas (timed in the page, performance.now);
- draw: the end of a pen stroke (pointerup) -> the answer for the whole stroke is
  shown; and the Python time of one classification (centring + network + pictures);
- MNIST: one nnbook.mnist.predict(image) inside Pyodide (a timed loop in Python);
- MNIST demo: click Next -> the next digit, its bars and the prediction are shown.

    python benchmarks/bench_demos.py
"""
from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, build_site, serve  # noqa: E402

STEPS = 24
STROKES = 20
PREDICTIONS = 60
FLIPS = 24
READY = 180_000  # ms

# Resolves after the click with the time until data-step changes and until the new
# step's formulas are typeset (a MathJax container appears in the narration).
TIME_STEP = """async (action) => {
  const demo = document.querySelector("[data-nnbook-demo=stepper]");
  const text = demo.querySelector(".nnbook-demo-narration");
  const before = demo.dataset.step;
  return await new Promise((resolve) => {
    let dom = null;
    const start = performance.now();
    const check = () => {
      if (dom === null && demo.dataset.step !== before) dom = performance.now() - start;
      if (dom !== null && (!window.MathJax || text.querySelector("mjx-container"))) {
        observer.disconnect();
        resolve([dom, performance.now() - start]);
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(demo, { attributes: true, childList: true, subtree: true });
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
_demo_result = _demo_times
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


def bench(url: str) -> list[tuple[str, list[float]]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(url + "neural_networks/")
        for kind in ("stepper", "mnist", "draw"):
            page.wait_for_selector(f"[data-nnbook-demo='{kind}'][data-state='ready']", state="attached", timeout=READY)

        dom, typeset = [], []
        steps = int(page.get_attribute("[data-nnbook-demo=stepper]", "data-steps"))
        direction = "next"
        while len(dom) < STEPS:
            step = int(page.get_attribute("[data-nnbook-demo=stepper]", "data-step"))
            if step == steps - 1:
                direction = "prev"
            elif step == 0:
                direction = "next"
            d, m = page.evaluate(TIME_STEP, direction)
            dom.append(d)
            typeset.append(m)

        predict = page.evaluate("code => nnbook.call(code)", PREDICT_LOOP)

        flips = [page.evaluate(TIME_FLIP) for _ in range(FLIPS)]

        demo = page.locator("[data-nnbook-demo=draw]")
        canvas = demo.locator("[data-nnbook-canvas]")
        canvas.evaluate("c => c.scrollIntoView({block: 'center', behavior: 'instant'})")
        page.evaluate(WATCH_DRAW)
        latency, python = [], []
        for k in range(STROKES):
            demo.locator("[data-nnbook-action=clear]").click()
            if k % 2:
                points = [(0.5 + 0.02 * k / STROKES, 0.15 + 0.7 * i / 24) for i in range(25)]
            else:
                points = [(0.5 + 0.22 * math.sin(a), 0.5 - 0.33 * math.cos(a))
                          for a in [2.1 * math.pi * i / 40 for i in range(41)]]
            stroke(page, canvas, points)
            page.wait_for_timeout(400)  # well after the last answer
            up, answers = page.evaluate("[window._bench.up, window._bench.answers]")
            assert answers, "no answer after the stroke"
            latency.append(answers[-1][0] - up)
            python.append(answers[-1][1])
        browser.close()
    return [
        ("stepper: Next -> step in the DOM", dom),
        ("stepper: Next -> formulas typeset", typeset),
        ("draw: pointerup -> answer shown", latency),
        ("draw: one classification in Python", python),
        ("MNIST: predict(1 digit) in Pyodide", predict),
        ("MNIST demo: Next -> digit shown", flips),
    ]


def main() -> None:
    prebuilt = os.environ.get("NNBOOK_SITE_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(prebuilt) if prebuilt else Path(tmp) / "site"
        if not prebuilt:
            result = build_site(site)
            if result.returncode:
                sys.exit(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
        server, url = serve(site)
        try:
            rows = bench(url)
        finally:
            server.shutdown()
    print("nnbook demos benchmark: headless Chromium, Pyodide; medians (ms)")
    print(f"{'what':<40}{'median':>10}{'max':>10}{'runs':>6}")
    for name, times in rows:
        print(f"{name:<40}{statistics.median(times):>10.1f}{max(times):>10.1f}{len(times):>6}")


if __name__ == "__main__":
    main()
