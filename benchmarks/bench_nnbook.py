"""How fast the bundled MNIST network predicts in CPython, and how accurate it is.

Prints the median of RUNS timings for one digit, for the 2,000 held-out digits,
and for centring a 280 x 280 drawing, then the held-out accuracy.

    python benchmarks/bench_nnbook.py
"""
from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nnbook.mnist import center_digit, load_digits, load_model, predict  # noqa: E402

RUNS = 21


def median_seconds(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    load_model()
    first_load = time.perf_counter() - start
    images, labels = load_digits()
    canvas = np.zeros((280, 280))
    canvas[40:240, 120:160] = 1.0

    rows = [
        ("load_model() (first call)", first_load),
        ("predict(1 digit)", median_seconds(lambda: predict(images[0]))),
        (f"predict({len(images)} digits)", median_seconds(lambda: predict(images))),
        ("center_digit(280 x 280)", median_seconds(lambda: center_digit(canvas))),
    ]
    accuracy = float(np.mean(predict(images) == labels))

    print(f"nnbook MNIST benchmark: CPython {platform.python_version()}, numpy {np.__version__}, "
          f"median of {RUNS} runs")
    print(f"{'what':<28}{'time':>12}")
    for name, seconds in rows:
        print(f"{name:<28}{seconds * 1000:>9.3f} ms")
    print(f"{'held-out accuracy':<28}{accuracy:>12.4f}  ({int(np.sum(predict(images) == labels))}/{len(labels)})")


if __name__ == "__main__":
    main()
