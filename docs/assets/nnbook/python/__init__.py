"""Python side of the book's live code cells, run by the browser worker (worker.js).

- ``runner``: runs a cell like a notebook and formats its errors;
- ``output``: printed text, images and ``display()``, sent to the page as they come;
- ``inline_backend``: matplotlib figures shown inline.

Not for: readers' imports; the book's own code is the ``nnbook`` package.
"""

import os

# Chosen before any cell imports matplotlib (Pyodide's default backend needs a DOM).
os.environ["MPLBACKEND"] = "module://nnbook_cells.inline_backend"
