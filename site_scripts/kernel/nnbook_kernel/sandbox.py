"""What a cell cannot do in the book, said in a sentence, and the kernel's state kept whole.

The browser enforces the real boundary (the page's Content-Security-Policy, and a worker
without storage, network beyond the book's origin, nested workers or ``close``: see the
worker's sandbox module). This module only makes the refusals readable from Python:

- ``input()`` says that a cell has no keyboard, instead of an I/O error;
- ``pyodide.http.pyfetch`` and ``open_url`` fail at once, saying that the book runs offline.

And it puts back what the kernel needs when a cell broke it (``repair``, before each cell
and call): the cell streams in ``sys.stdout`` and ``sys.stderr`` (a cell may redirect them
within itself, as ``contextlib.redirect_stdout`` does, not for the next), ``print`` and
``__import__`` when they are no longer callable, and modules that vanished from
``sys.modules`` (``sys.modules.clear()``), so the next cell runs. A reader who wants a
clean Python presses "Restart Python".

Not for: running code (runner.py) or where output goes (streams.py).
"""

from __future__ import annotations

import builtins
import sys

from . import streams

_originals = {"print": builtins.print, "__import__": builtins.__import__, "input": None}
_known_modules: dict = {}


def hinted(exc: BaseException, hint: str) -> BaseException:
    """Tag an exception with the key of the page's explanation (see runner.hints)."""
    exc.nnbook_hint = hint
    return exc


def _no_input(prompt: str = "") -> str:
    raise hinted(
        OSError("input() cannot read the keyboard in a code cell: write the value in the code instead"),
        "input",
    )


def _offline(name: str):
    def offline(url="", *args, **kwargs):
        raise hinted(OSError(f"{name}({str(url)[:200]!r}): code cells run offline, no request was sent"), "offline")

    return offline


def install() -> None:
    builtins.input = _no_input
    _originals["input"] = _no_input
    try:
        import pyodide.http as http
    except ImportError:  # CPython: nothing to block
        return
    http.pyfetch = _offline("pyfetch")
    http.open_url = _offline("open_url")


def remember_modules() -> None:
    """Note the modules loaded now, to put back any a cell removes from sys.modules."""
    _known_modules.update(sys.modules)


def repair() -> list[str]:
    """Put back what the kernel needs; return what was repaired (for tests and the log)."""
    repaired = []
    missing = {name: module for name, module in _known_modules.items() if name not in sys.modules}
    if missing:
        sys.modules.update(missing)
        repaired.append(f"{len(missing)} modules")
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if not (isinstance(stream, streams.Stream) and stream.kind == name):
            setattr(sys, name, streams.Stream(name))
            repaired.append(f"sys.{name}")
    for name, original in _originals.items():
        if original is not None and not callable(getattr(builtins, name, None)):
            setattr(builtins, name, original)
            repaired.append(f"builtins.{name}")
    return repaired
