"""How fast the bundled MNIST network predicts in CPython, and how accurate it is.

Prints the median of RUNS timings for one digit, for the 2,000 held-out digits,
and for centring a 280 x 280 drawing, then the held-out accuracy.

    python -m benchmarks.bench_nnbook
"""
from __future__ import annotations

import platform
import time

import numpy as np

from nnbook.mnist import center_digit, load_digits, load_model, predict
from tests.harness import stats

RUNS = 21


def median_seconds(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return stats.median(times)


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
    right = int(np.sum(predict(images) == labels))

    print(f"nnbook MNIST benchmark: CPython {platform.python_version()}, numpy {np.__version__}, "
          f"median of {RUNS} runs")
    table = [(name, f"{seconds * 1000:.3f} ms") for name, seconds in rows]
    table.append(("held-out accuracy", f"{right / len(labels):.4f} ({right}/{len(labels)})"))
    print(stats.table(["what", "time"], table))


if __name__ == "__main__":
    main()
