"""Rich values of a cell shown as images: matplotlib figures, SVG drawings, ``display()``.

Images go out through the worker's ``emit("image", base64, mime, alt)`` after the text
printed so far: a PNG (matplotlib figures, ``_repr_png_``) or an SVG (``_repr_svg_``, e.g.
the drawings of ``nnbook.draw``). The page shows them only as ``<img>``, never as markup.

A cell shows at most ``limits.images`` images; the others are counted, not drawn (a loop
making hundreds of figures would take minutes and freeze the page showing them).

Figures follow the page's colour scheme: ``set_scheme("dark")`` makes the figures drawn
from then on light-on-dark.

Not for: printed text (streams.py) or running code (runner.py).
"""

from __future__ import annotations

import base64
import builtins
import io
import sys

from . import streams

_images = 0  # images shown by the cell that runs
hidden_images = 0  # images it made beyond the limit
scheme = "light"

# matplotlib settings for figures drawn on the page's dark background.
DARK_STYLE = {
    "figure.facecolor": "#1e2129",
    "axes.facecolor": "#1e2129",
    "savefig.facecolor": "#1e2129",
    "axes.edgecolor": "#c9ccd6",
    "axes.labelcolor": "#e2e4ea",
    "text.color": "#e2e4ea",
    "xtick.color": "#c9ccd6",
    "ytick.color": "#c9ccd6",
    "grid.color": "#4a4f5c",
    "legend.facecolor": "#1e2129",
    "legend.edgecolor": "#4a4f5c",
}
_light_style: dict = {}


def install() -> None:
    builtins.display = display


def set_scheme(name: str) -> None:
    """Draw the next figures for the page's "light" or "dark" scheme."""
    global scheme, _light_style
    scheme = "dark" if name == "dark" else "light"
    mpl = sys.modules.get("matplotlib")
    if mpl is None:
        return
    if not _light_style:
        _light_style = {key: mpl.rcParamsDefault[key] for key in DARK_STYLE}
    mpl.rcParams.update(DARK_STYLE if scheme == "dark" else _light_style)


def on_matplotlib_import() -> None:
    """matplotlib was just imported: give it the page's scheme."""
    if scheme == "dark":
        set_scheme("dark")


def start_cell() -> None:
    """A new cell starts: its images are counted from zero."""
    global _images, hidden_images
    _images = hidden_images = 0


def _room_for_image() -> bool:
    global _images, hidden_images
    if _images >= streams.limits.images:
        hidden_images += 1
        return False
    _images += 1
    return True


def send_image(data: bytes | str, mime: str, alt: str = "") -> None:
    """Show an image (PNG bytes or SVG text) after the text printed so far."""
    if _room_for_image():
        _send_image(data, mime, alt)


def _send_image(data: bytes | str, mime: str, alt: str = "") -> None:
    streams.flush()
    if isinstance(data, str):
        data = data.encode("utf-8")
    if streams._emit is not None:
        streams._emit("image", base64.b64encode(data).decode("ascii"), mime, alt[:500])


def _from_matplotlib(obj) -> bool:
    return type(obj).__module__.split(".")[0] == "matplotlib"


def is_rich(obj) -> bool:
    """True if ``obj`` is shown as an image rather than as its repr.

    matplotlib objects (a figure, the lines ``plt.plot`` returns, ...) are rich: their
    figure is shown, not ``[<matplotlib.lines.Line2D object at 0x...>]``.
    """
    return (
        callable(getattr(obj, "_repr_svg_", None))
        or callable(getattr(obj, "_repr_png_", None))
        or _from_matplotlib(obj)
        or (isinstance(obj, list) and bool(obj) and _from_matplotlib(obj[0]))
    )


def show_rich(obj) -> None:
    """Show a rich object; other matplotlib objects show with their figure at the cell's end."""
    mpl_figure = sys.modules.get("matplotlib.figure")
    if mpl_figure is not None and isinstance(obj, mpl_figure.Figure):
        send_figure(obj)
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close(obj)  # shown now, so not again when the cell ends
    elif callable(getattr(obj, "_repr_svg_", None)):
        send_image(obj._repr_svg_(), "image/svg+xml")
    elif callable(getattr(obj, "_repr_png_", None)):
        send_image(obj._repr_png_(), "image/png")


def display(*objs) -> None:
    """Show each object as a notebook would: an image if it has one, else its repr."""
    for obj in objs:
        if is_rich(obj):
            show_rich(obj)
        else:
            streams.write("stdout", repr(obj) + "\n")


def _figure_alt(fig) -> str:
    titles = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
    for ax in fig.axes:
        titles += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    return ", ".join(t for t in titles if t)


def send_figure(fig) -> None:
    if not _room_for_image():
        return  # not drawn at all: drawing is the slow part
    png = io.BytesIO()
    fig.savefig(png, format="png", bbox_inches="tight")
    _send_image(png.getvalue(), "image/png", _figure_alt(fig))


def send_open_figures() -> None:
    """Show every open matplotlib figure, then close them (as after a notebook cell)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    for number in pyplot.get_fignums():
        send_figure(pyplot.figure(number))
    pyplot.close("all")


def close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
