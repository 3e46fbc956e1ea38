"""matplotlib backend of the live cells: figures are drawn by Agg and shown in the page.

Selected with ``MPLBACKEND=module://nnbook_kernel.inline_backend`` before matplotlib is
imported (the package's ``__init__`` does). ``plt.show()`` shows the open figures at once;
figures still open when a cell ends are shown then (runner.py), as in a notebook.

Not for: drawing anything itself (matplotlib's Agg does) or the SVG of ``nnbook.draw``.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg

from . import display

FigureCanvas = FigureCanvasAgg
display.on_matplotlib_import()


def show(*args, **kwargs) -> None:
    display.send_open_figures()
