"""The book's kernel (``site_scripts/kernel/nnbook_kernel``) in CPython, as the page runs it.

``KernelSession`` starts the kernel with an ``emit`` that records what a cell shows, runs
cells through the kernel's own ``run_cell`` (so the example tests and the browser use one
runner), and puts back the interpreter's streams and builtins when it closes.
"""
from __future__ import annotations

import asyncio
import builtins
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KERNEL_DIR = ROOT / "site_scripts" / "kernel"
if str(KERNEL_DIR) not in sys.path:  # the kernel is a package of its own, as in the browser
    sys.path.insert(0, str(KERNEL_DIR))

from nnbook_kernel import display, runner, streams  # noqa: E402


@dataclass
class Shown:
    """What one cell showed: text (stdout and stderr in order), images, and the reply."""

    text: str = ""
    images: list[tuple[str, str]] = field(default_factory=list)  # (mime, alt)
    reply: dict = field(default_factory=dict)

    @property
    def output(self) -> str:
        """The text a reader sees: printed text, then the value's repr."""
        value = self.reply.get("value")
        return self.text + (f"{value}\n" if isinstance(value, str) else "")


class KernelSession:
    def __init__(self, limits: dict | None = None):
        self.limits = limits
        self.shown = Shown()
        self._saved = None

    def __enter__(self) -> KernelSession:
        self._saved = (sys.stdout, sys.stderr, dict(vars(builtins)), sys.modules.get("__main__"))
        # One event loop for the session, as Pyodide has one: tasks a cell leaves behind
        # would live on in it, and the kernel must cancel them itself.
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        runner.namespace.clear()
        runner.namespace["__name__"] = "__main__"
        runner.start(self._emit, json.dumps({"limits": self.limits or {}}))
        return self

    def __exit__(self, *exc) -> None:
        display.close_figures()
        sys.stdout, sys.stderr, saved_builtins, main = self._saved
        builtins.__dict__.clear()
        builtins.__dict__.update(saved_builtins)
        if main is not None:
            sys.modules["__main__"] = main
        streams._emit = None
        self.loop.run_until_complete(asyncio.sleep(0))
        asyncio.set_event_loop(None)
        self.loop.close()

    def _emit(self, kind, data, mime=None, alt=None) -> None:
        if kind == "image":
            self.shown.images.append((mime, alt))
        else:
            self.shown.text += data

    def run(self, source: str, cell_id: str = "cell") -> Shown:
        self.shown = Shown()
        reply = runner.run_cell(source, cell_id)
        if not isinstance(reply, str):  # a cell with top-level await: a coroutine
            reply = self.loop.run_until_complete(reply)
        self.shown.reply = json.loads(reply)
        return self.shown

    def spin(self) -> None:
        """Let the event loop run what is due (as the browser does between requests)."""
        self.loop.run_until_complete(asyncio.sleep(0.01))

    def call(self, module: str, name: str, **kwargs) -> dict:
        return json.loads(runner.call(module, name, json.dumps(kwargs)))

    @property
    def namespace(self) -> dict:
        return runner.namespace

