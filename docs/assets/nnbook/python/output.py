"""Where a live cell's output goes: text streams, images and ``display()``.

(A cell has no keyboard input either: ``input()`` says so instead of an I/O error. It has
no network either: ``pyodide.http`` fails at once, saying that the book runs offline.)

The browser worker connects one ``emit(kind, data, mime, alt)`` function; everything a
cell shows passes through it, in the order it happens:

- ``emit("stdout" | "stderr", text)``: printed text (shown as text, never as markup);
- ``emit("image", base64, mime, alt)``: a PNG (matplotlib figures, ``_repr_png_``) or an
  SVG (``_repr_svg_``, e.g. the drawings of ``nnbook.draw``).

Not for: running code (runner.py) or matplotlib's backend (inline_backend.py).
"""

from __future__ import annotations

import base64
import builtins
import io
import sys
import time

# Printed text is sent at most every BATCH seconds, so that a loop printing thousands of
# lines does not flood the page with messages; the first write after a pause goes at once.
BATCH = 0.05

# A cell shows at most IMAGE_LIMIT images; the others are counted, not drawn (a loop making
# hundreds of figures would take minutes to render and freeze the page showing them).
IMAGE_LIMIT = 20

_emit = None
_images = 0  # images shown by the cell that runs
hidden_images = 0  # images it made beyond IMAGE_LIMIT
_kind: str | None = None  # the stream of the text not sent yet
_text: list[str] = []
_last_send = 0.0


def connect(emit) -> None:
    """Send all output to ``emit`` and install the streams and ``display()``."""
    global _emit
    _emit = emit
    sys.stdout = Stream("stdout")
    sys.stderr = Stream("stderr")
    builtins.display = display
    builtins.input = _no_input
    _block_network()
    time.sleep = _flushing_sleep(time.sleep)


def _flushing_sleep(sleep):
    # Text printed just before a pause is shown before it, not after it.
    def flushing_sleep(seconds: float) -> None:
        flush()
        sleep(seconds)

    return flushing_sleep


def hinted(exc: BaseException, hint: str) -> BaseException:
    """Tag an exception with the key of the page's explanation (see runner.hints)."""
    exc.nnbook_hint = hint
    return exc


def _no_input(prompt: str = "") -> str:
    raise hinted(OSError("input() cannot read the keyboard in a code cell: write the value in the code instead"), "input")


def _offline(name: str):
    def offline(url="", *args, **kwargs):
        raise hinted(OSError(f"{name}({str(url)!r}): code cells run offline, no request was sent"), "offline")

    return offline


def _block_network() -> None:
    # The worker refuses requests to other sites too (worker.js); this says why at once,
    # even for ``pyfetch(url)`` without ``await``.
    try:
        import pyodide.http as http
    except ImportError:  # CPython: nothing to block
        return
    http.pyfetch = _offline("pyfetch")
    http.open_url = _offline("open_url")


def flush() -> None:
    """Send the text that is waiting."""
    global _kind, _last_send
    if _text and _emit is not None:
        _emit(_kind, "".join(_text))
    _text.clear()
    _kind = None
    _last_send = time.monotonic()


def write(kind: str, text: str) -> None:
    global _kind
    if not text:
        return
    if _kind not in (None, kind):
        flush()  # stdout and stderr stay in the order they were written
    _kind = kind
    _text.append(text)
    if time.monotonic() - _last_send >= BATCH:
        flush()


class Stream(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr`` of the cells."""

    def __init__(self, kind: str):
        self.kind = kind

    @property
    def name(self) -> str:
        return f"<{self.kind}>"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        write(self.kind, text)
        return len(text)

    def flush(self) -> None:
        flush()

    def __repr__(self) -> str:
        return f"<nnbook cell {self.kind}>"


def start_cell() -> None:
    """A new cell starts: its images are counted from zero."""
    global _images, hidden_images
    _images = hidden_images = 0


def _room_for_image() -> bool:
    global _images, hidden_images
    if _images >= IMAGE_LIMIT:
        hidden_images += 1
        return False
    _images += 1
    return True


def send_image(data: bytes | str, mime: str, alt: str = "") -> None:
    """Show an image (PNG bytes or SVG text) after the text printed so far."""
    if not _room_for_image():
        return
    _send_image(data, mime, alt)


def _send_image(data: bytes | str, mime: str, alt: str = "") -> None:
    flush()
    if isinstance(data, str):
        data = data.encode("utf-8")
    if _emit is not None:
        _emit("image", base64.b64encode(data).decode("ascii"), mime, alt)


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
            write("stdout", repr(obj) + "\n")


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
