"""matplotlib backend of the live cells: figures are drawn by Agg and shown in the page.

Selected with ``MPLBACKEND=module://nnbook_cells.inline_backend`` before matplotlib is
imported. ``plt.show()`` shows the open figures at once; figures still open when a cell
ends are shown then (runner.py), as in a notebook.

Not for: drawing anything itself (matplotlib's Agg does) or the SVG of ``nnbook.draw``.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg

from . import output

FigureCanvas = FigureCanvasAgg


def show(*args, **kwargs) -> None:
    output.send_open_figures()
