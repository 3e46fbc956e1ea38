"""The book's kernel (``site_scripts/kernel/nnbook_kernel``) in CPython, as the page runs it.

``KernelSession`` starts the kernel with an ``emit`` that records what a cell shows, runs
cells through the kernel's own ``run_cell`` (so the example tests and the browser use one
runner), and puts back the interpreter's streams and builtins when it closes.
"""
from __future__ import annotations

import asyncio
import builtins
from concurrent.futures import ThreadPoolExecutor
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
    """The kernel in a thread of its own with its own event loop, as the page's worker is a
    thread of its own: the test's thread (where Playwright may run a loop) is never touched,
    and tasks a cell leaves behind live on in the kernel's loop until the kernel cancels them."""

    def __init__(self, limits: dict | None = None):
        self.limits = limits
        self.shown = Shown()
        self._saved = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel")

    def _in_kernel(self, function, *args):
        return self._thread.submit(function, *args).result()

    def __enter__(self) -> KernelSession:
        self._saved = (sys.stdout, sys.stderr, dict(vars(builtins)), sys.modules.get("__main__"))

        def start() -> None:
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            runner.namespace.clear()
            runner.namespace["__name__"] = "__main__"
            runner.start(self._emit, json.dumps({"limits": self.limits or {}}))

        self._in_kernel(start)
        return self

    def __exit__(self, *exc) -> None:
        def stop() -> None:
            display.close_figures()
            self.loop.run_until_complete(asyncio.sleep(0))
            asyncio.set_event_loop(None)
            self.loop.close()

        self._in_kernel(stop)
        self._thread.shutdown()
        sys.stdout, sys.stderr, saved_builtins, main = self._saved
        builtins.__dict__.clear()
        builtins.__dict__.update(saved_builtins)
        if main is not None:
            sys.modules["__main__"] = main
        streams._emit = None

    def _emit(self, kind, data, mime=None, alt=None) -> None:
        if kind == "image":
            self.shown.images.append((mime, alt))
        else:
            self.shown.text += data

    def run(self, source: str, cell_id: str = "cell") -> Shown:
        self.shown = Shown()

        def run() -> str:
            reply = runner.run_cell(source, cell_id)
            if not isinstance(reply, str):  # a cell with top-level await: a coroutine
                reply = self.loop.run_until_complete(reply)
            return reply

        self.shown.reply = json.loads(self._in_kernel(run))
        return self.shown

    def spin(self) -> None:
        """Let the event loop run what is due (as the browser does between requests)."""
        self._in_kernel(lambda: self.loop.run_until_complete(asyncio.sleep(0.01)))

    def call(self, module: str, name: str, **kwargs) -> dict:
        return json.loads(self._in_kernel(runner.call, module, name, json.dumps(kwargs)))

    @property
    def namespace(self) -> dict:
        return runner.namespace

