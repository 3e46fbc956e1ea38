"""What a cell prints: ``sys.stdout`` and ``sys.stderr``, sent to the page in batches.

The worker connects one ``emit(kind, data, mime, alt)`` function (``connect``); text goes
out as ``emit("stdout" | "stderr", text)``, in the order it was written. Text is sent at
most every ``BATCH`` seconds, so a loop printing thousands of lines does not flood the
page with messages, and in pieces of at most ``limits.chunk`` characters. A cell sends at
most ``limits.full_output`` characters in all: the page shows the first
``limits.output`` of them and offers the rest as a download; beyond that, text is counted
and dropped, so a cell printing gigabytes cannot take the tab down.

Not for: images (display.py) or what the page does with the text (the page's output view
rewrites lines on ``\\r`` and colours ANSI escapes).
"""

from __future__ import annotations

import io
import sys
import time
from dataclasses import dataclass

BATCH = 0.05  # seconds between two sends of printed text


@dataclass
class Limits:
    """The book's limits on a cell's output (from the book's config, via the worker)."""

    output: int = 100_000  # characters of printed text the page shows
    full_output: int = 50_000_000  # characters kept for "Download full output"
    images: int = 20  # images a cell shows
    traceback: int = 20_000  # characters of a traceback or an exit message
    chunk: int = 1_000_000  # characters per message


limits = Limits()
_emit = None
_kind: str | None = None  # the stream of the text not sent yet
_text: list[str] = []
_pending = 0  # characters in _text
_last_send = 0.0
sent = 0  # characters sent by the running cell
dropped = 0  # characters it printed beyond limits.full_output


def connect(emit, cell_limits: dict | None = None) -> None:
    """Send all output to ``emit`` and install the cell streams."""
    global _emit, limits
    _emit = emit
    if cell_limits:
        limits = Limits(**{k: int(v) for k, v in cell_limits.items() if k in Limits.__dataclass_fields__})
    install()


def install() -> None:
    sys.stdout = Stream("stdout")
    sys.stderr = Stream("stderr")


def start_cell() -> None:
    """A new cell starts: text a previous cell's leftovers wrote since is dropped, not sent
    as this cell's output."""
    global sent, dropped, _kind, _pending
    _text.clear()
    _kind = None
    _pending = 0
    sent = dropped = 0


def flush() -> None:
    """Send the text that is waiting."""
    global _kind, _last_send, sent, _pending
    if _text and _emit is not None:
        text = "".join(_text)
        for start in range(0, len(text), limits.chunk):
            _emit(_kind, text[start : start + limits.chunk])
        sent += len(text)
    _text.clear()
    _kind = None
    _pending = 0
    _last_send = time.monotonic()


def write(kind: str, text: str) -> None:
    global _kind, dropped, _pending
    if not text:
        return
    room = limits.full_output - sent - _pending
    if room <= 0:
        dropped += len(text)
        return
    if len(text) > room:
        dropped += len(text) - room
        text = text[:room]
    if _kind not in (None, kind):
        flush()  # stdout and stderr stay in the order they were written
    _kind = kind
    _text.append(text)
    _pending += len(text)
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

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        write(self.kind, text)
        return len(text)

    def flush(self) -> None:
        flush()

    def __repr__(self) -> str:
        return f"<nnbook cell {self.kind}>"
