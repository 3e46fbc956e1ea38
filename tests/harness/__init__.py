"""One harness for the tests and the benchmarks.

- ``kernel``: the in-browser Python (``nnbook_kernel``) run in CPython, as the page runs it;
- ``site``: build the book and serve it as a plain static host does;
- ``browser``: Debian's Chromium through Playwright, with a guard on every request that
  would leave this machine, and waits that work under the book's Content-Security-Policy;
- ``pages``: page objects for the cells and the demos;
- ``stats``: medians and the tables the benchmarks print.

Benchmarks import it as ``tests.harness`` (run them from the repository root with
``python -m benchmarks.<name>``); nothing puts ``tests/`` on ``sys.path``.
"""
