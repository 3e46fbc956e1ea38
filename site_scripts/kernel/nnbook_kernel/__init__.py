"""The kernel of the book's live cells: the Python that runs in the reader's browser.

The page's worker loads this package (shipped as a wheel next to ``nnbook``) and talks to
it through a few functions, each returning a JSON string the worker passes on as it is:

- ``runner``: runs a cell the way a notebook does and shapes its errors (``run_cell``),
  and calls a demo or exercise function by module and name (``call``);
- ``streams``: what a cell prints, sent to the page in batches, capped;
- ``display``: rich values (matplotlib figures, SVG drawings) sent as images;
- ``sandbox``: what a cell cannot do here (keyboard input, the network), said in a
  sentence, and the kernel's own state put back when a cell broke it;
- ``habits``: notebook habits (``%magic``, ``!shell`` lines) explained;
- ``inline_backend``: matplotlib's backend for the cells;
- ``demos`` and ``exercises``: the numbers, drawings and checks of the chapter's demos and
  exercises.

CPython runs the same code (the test suite and the build's example checks import it), so
what a reader sees in the browser is what the tests saw.

Not for: loading Python (the worker does) or the chapter's teaching code (``nnbook``).
"""

import os

# Chosen before any cell imports matplotlib (Pyodide's default backend needs a DOM).
os.environ.setdefault("MPLBACKEND", "module://nnbook_kernel.inline_backend")

__version__ = "1.0.0"
