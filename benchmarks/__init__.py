"""The book's benchmarks: run each as a module from the repository root, e.g.
``python -m benchmarks.bench_browser`` (``make bench`` runs them all).

- ``bench_nnbook``: the nnbook package's MNIST network in CPython;
- ``bench_browser``: the book's start-up in Chromium next to naive live-code pages (and,
  with ``--before REF``, the site of another revision), with the start-up waterfall;
- ``bench_demos``: how fast the chapter's demos answer;
- ``sites``: building, assembling and serving what they measure.

They share the test harness (``tests.harness``: site, browser, stats).
"""
