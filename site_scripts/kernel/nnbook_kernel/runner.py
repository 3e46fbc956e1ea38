"""Run a live cell the way a notebook does, and call the demos' and exercises' functions.

``run_cell(source, cell_id)`` runs the cell in the page's namespace (one per page, so cells
build on each other): every statement but the last expression runs, the last expression
is evaluated and shown (its repr, or an image if it is rich), then the open matplotlib
figures are shown. Top-level ``await`` works, as in Jupyter; asyncio tasks a cell leaves
running are cancelled when it ends, so nothing it started runs on behind the next cell.
A trailing ``;`` hides the last value. ``sys.exit()`` ends the cell, not Python.

``call(module, name, kwargs)`` calls a function of one of the kernel's modules by name with
JSON arguments (the demos and exercises use it; no code is ever built from strings).

Every function the worker calls returns a JSON string, made with a ``json.dumps`` taken
when the kernel started (a cell that patches ``json`` cannot break the replies):

- a result: ``{"value": repr or null, "hiddenImages": n, "exit"?: repr or null,
  "dropped"?: n}`` for a cell, ``{"value": <JSON>}`` for a call;
- an error: ``{"error": {"name", "message", "traceback", "line", "hints", "missing"?}}``:
  the traceback from the reader's first frame on, capped at ``limits.traceback``
  characters; ``line`` the cell's line to mark (or null); ``hints`` keys of sentences the
  page adds in its language (``hints()``); ``missing`` the name a NameError did not find.

Not for: where output goes (streams.py, display.py) or loading Python (the worker).
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import importlib.util
import inspect
import io
import json
import linecache
import os
import sys
import tokenize
import traceback
import types

from . import display, habits, sandbox, streams

CELL_PREFIX = "<cell "
KERNEL_DIR = os.path.dirname(__file__)
# The modules ``call`` may reach: the kernel's own, never a reader's.
CALLABLE_MODULES = ("nnbook_kernel.demos", "nnbook_kernel.exercises")
_dumps = json.dumps  # taken now: a cell may patch json later
_loads = json.loads

# The page's namespace, shared by its cells and demos, is a real ``__main__`` module so
# that classes defined in a cell (dataclasses, pickling) find their module.
main_module = types.ModuleType("__main__")
namespace = main_module.__dict__


def start(emit, config: str = "{}") -> str:
    """Connect the kernel to the worker: ``emit`` sends output; ``config`` is JSON limits."""
    sys.modules["__main__"] = main_module
    options = _loads(config) if config else {}
    streams.connect(emit, options.get("limits"))
    display.install()
    sandbox.install()
    sandbox.remember_modules()
    return _dumps({"value": None})


def reseed() -> None:
    """New random numbers after a memory snapshot is restored (it holds one random state)."""
    import random

    random.seed()


# ----------------------------------------------------------------------- compiling
class Compiled:
    def __init__(self, source: str, filename: str):
        # The source is registered so that tracebacks can quote (and mark) its lines.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        tree = ast.parse(source, filename, "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = compile(ast.Expression(tree.body.pop().value), filename, "eval", flags=flags)
        self.statements = compile(tree, filename, "exec", flags=flags)
        self.last = last
        self.hide_value = _ends_with_semicolon(source)

    @property
    def is_async(self) -> bool:
        return _is_async(self.statements) or _is_async(self.last)


def _is_async(code) -> bool:
    return bool(code is not None and code.co_flags & inspect.CO_COROUTINE)


def _ends_with_semicolon(source: str) -> bool:
    """A trailing ``;`` hides the last value, as in notebooks."""
    skip = {tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER,
            tokenize.DEDENT, tokenize.INDENT}
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in skip]
    except (tokenize.TokenError, SyntaxError):
        return False
    return bool(tokens) and tokens[-1].string == ";"


def _execute(compiled: Compiled, scope: dict):
    eval(compiled.statements, scope)
    return None if compiled.last is None else eval(compiled.last, scope)


async def _execute_async(compiled: Compiled, scope: dict):
    result = eval(compiled.statements, scope)
    if _is_async(compiled.statements):
        await result
    if compiled.last is None:
        return None
    value = eval(compiled.last, scope)
    if _is_async(compiled.last):
        value = await value
    return value


def imports(source: str) -> list[str]:
    """The top-level names of the modules a cell imports (to load their packages first)."""
    sandbox.repair()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.split(".")[0])
    return sorted(set(names))


def imports_json(source: str) -> str:
    return _dumps(imports(source))


# ----------------------------------------------------------------------- errors
# Modules a reader may try for the network; none is here, and the book runs offline.
NETWORK_MODULES = {"requests", "httpx", "urllib3", "aiohttp", "websockets", "socketio"}
MEMORY_WORDS = ("too big", "too large", "index-sized")
NETWORK_ERRORS = ("urllib.error", "http.client", "socket", "ssl")
NETWORK_FILES = ("/socket.py", "/urllib/request.py", "/http/client.py", "/ssl.py")


def hints(exc: BaseException, source: str = "") -> list[str]:
    """Keys of the page's explanations for an error a reader may not expect here.

    "memory": Python in a browser tab has a few gigabytes at most; "recursion"; "offline":
    cells cannot reach the internet; "modules": which packages there are; "input";
    "matplotlib", "magic", "shell": notebook habits (habits.py).
    """
    hint = getattr(exc, "nnbook_hint", None)
    if isinstance(hint, str):
        return [hint]
    if isinstance(exc, SyntaxError):
        lineno = exc.lineno if isinstance(exc.lineno, int) else None
        found = habits.habit(source, lineno)
        return [found] if found else []
    if isinstance(exc, MemoryError) or (
        isinstance(exc, (OverflowError, ValueError)) and any(w in str(exc)[:500] for w in MEMORY_WORDS)
    ):
        return ["memory"]
    if isinstance(exc, RecursionError):
        return ["recursion"]
    if isinstance(exc, ModuleNotFoundError) and isinstance(exc.name, str) and exc.name:
        top = exc.name.split(".")[0]
        if top in NETWORK_MODULES:
            return ["offline", "modules"]
        if top == exc.name or importlib.util.find_spec(top) is None:
            return ["modules"]
    module = type(exc).__module__
    if module in NETWORK_ERRORS or "OfflineError" in str(exc)[:500] or _through(exc, NETWORK_FILES):
        return ["offline"]
    return []


def _safe_hints(exc: BaseException, source: str) -> list[str]:
    try:
        return hints(exc, source)
    except Exception:  # e.g. find_spec() on a module a cell put in sys.modules without a spec
        return []


def _through(exc: BaseException, files: tuple[str, ...]) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(files):
            return True
        tb = tb.tb_next
    return False


def cap(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit:,} more characters]"


def _message(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:  # a reader's __str__ may raise anything
        text = f"<{type(exc).__name__} whose message cannot be shown>"
    return cap(text, streams.limits.traceback // 2)


def _reader_frames(tb):
    """The traceback from the first frame of a cell on; the kernel's frames are dropped."""
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith(CELL_PREFIX):
        tb = tb.tb_next
    frame = tb
    while frame is not None and frame.tb_next is not None:
        # The frames of the kernel's helpers (input() refusing, ...) end the traceback.
        if frame.tb_next.tb_frame.f_code.co_filename.startswith(KERNEL_DIR):
            frame.tb_next = None
        frame = frame.tb_next
    return tb


def _traceback_text(exc: BaseException, tb) -> str:
    limit = streams.limits.traceback
    name = type(exc).__name__
    message = _message(exc)
    try:
        lines = traceback.format_list(traceback.extract_tb(tb, limit=50)) if tb is not None else []
        if isinstance(exc, SyntaxError):
            lines += traceback.format_exception_only(type(exc), exc)[:-1]
    except BaseException:
        lines = []
    head = "Traceback (most recent call last):\n" if tb is not None else ""
    body = cap("".join(cap(line, 2_000) for line in lines), limit)
    return f"{head}{body}{name}: {message}\n" if message else f"{head}{body}{name}\n"


def _line(exc: BaseException, tb, filename: str, source: str) -> int | None:
    line = None
    frame = tb
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == filename:
            line = frame.tb_lineno
        frame = frame.tb_next
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    count = source.count("\n") + 1
    return line if isinstance(line, int) and 1 <= line <= count else None


def _error(exc: BaseException, filename: str, source: str = "") -> dict:
    """The error's reply; never raises (an error out of the kernel would count as a crash)."""
    try:
        return _error_info(exc, filename, source)
    except BaseException:  # a reader's exception may break anything about itself
        name = getattr(type(exc), "__name__", "Exception")
        return {"name": str(name), "message": "", "traceback": f"{name}\n", "line": None, "hints": []}


def _error_info(exc: BaseException, filename: str, source: str) -> dict:
    tb = _reader_frames(exc.__traceback__)
    error = {
        "name": type(exc).__name__,
        "message": _message(exc),
        "traceback": _traceback_text(exc, tb),
        "line": _line(exc, tb, filename, source),
        "hints": _safe_hints(exc, source),
    }
    missing = getattr(exc, "name", None) if isinstance(exc, NameError) else None
    if isinstance(missing, str) and missing.isidentifier():
        error["missing"] = missing
    return error


# ----------------------------------------------------------------------- cells
def _shown_value(value, compiled: Compiled) -> str | None:
    """Show a rich value as an image; return the repr of any other (None: nothing)."""
    if value is None or compiled.hide_value:
        return None
    if display.is_rich(value):
        display.show_rich(value)
        return None
    return cap(repr(value), streams.limits.full_output)


def _current_tasks() -> set:
    """The asyncio tasks of the event loop (Pyodide's WebLoop), or none if there is no loop."""
    try:
        return asyncio.all_tasks(asyncio.get_running_loop())
    except RuntimeError:
        pass
    policy = asyncio.get_event_loop_policy()
    local = getattr(policy, "_local", None)
    loop = getattr(local, "_loop", None) if local is not None else policy.get_event_loop()
    return asyncio.all_tasks(loop) if loop is not None and not loop.is_closed() else set()


_tasks_before_cell: set = set()


def _cancel_new_tasks(before: set) -> None:
    """Cancel the tasks a cell started and left running: nothing runs on behind the next cell."""
    current = asyncio.current_task() if _running() else None
    for task in _current_tasks() - before:
        if task is not current and not task.done():
            # A second done callback keeps Pyodide 0.27's WebLoop from asking a cancelled
            # task for its exception (which raises, and would print in the next cell).
            task.add_done_callback(_ignore)
            task.cancel()


def _ignore(_task) -> None:
    pass


def _running() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False


def run_cell(source: str, cell_id: str, scheme: str = ""):
    """Run one cell; its output goes out through ``streams`` and ``display`` as it happens.

    Returns the reply (JSON text) at once, or, for a cell with top-level ``await``, a
    coroutine that gives it (the worker awaits it; CPython's tests run it with asyncio).
    A cell without ``await`` runs synchronously, so an error of Pyodide itself (a
    JavaScript stack overflow) reaches the worker as the exception it is.
    """
    global _tasks_before_cell
    filename = f"{CELL_PREFIX}{cell_id}>"
    sandbox.repair()
    if scheme and scheme != display.scheme:
        display.set_scheme(scheme)
    streams.start_cell()
    display.start_cell()
    _tasks_before_cell = _current_tasks()
    try:
        compiled = Compiled(source, filename)
    except BaseException as exc:  # a syntax error: nothing ran
        return _reply({"error": _error(exc, filename, source)})
    if compiled.is_async:
        return _run_async(compiled, filename, source)
    try:
        result = _shown(_execute(compiled, namespace), compiled)
    except BaseException as exc:  # the reader's code may raise anything
        result = _failed(exc, filename, source)
    return _reply(result)


async def _run_async(compiled: Compiled, filename: str, source: str) -> str:
    try:
        result = _shown(await _execute_async(compiled, namespace), compiled)
    except BaseException as exc:
        result = _failed(exc, filename, source)
    return _reply(result)


def _shown(value, compiled: Compiled) -> dict:
    result = {"value": _shown_value(value, compiled)}
    display.send_open_figures()
    return result


def _failed(exc: BaseException, filename: str, source: str) -> dict:
    if isinstance(exc, SystemExit):  # sys.exit(), exit(): the cell ends, the page's Python does not
        try:
            display.send_open_figures()
        except BaseException as error:  # a figure that cannot be drawn: its error, not a crash
            return {"error": _error(error, filename, source)}
        code = exc.code
        return {"value": None, "exit": None if code is None else cap(_safe_repr(code), streams.limits.traceback)}
    display.close_figures()
    return {"error": _error(exc, filename, source)}


def _reply(result: dict) -> str:
    try:
        streams.flush()
    except BaseException:  # noqa: S110 - the reply matters more than the last text
        pass
    _cancel_new_tasks(_tasks_before_cell)
    sandbox.remember_modules()
    if "error" not in result:
        result["hiddenImages"] = display.hidden_images
        if streams.dropped:
            result["dropped"] = streams.dropped
    return _dumps(result)


def _safe_repr(value) -> str:
    try:
        return repr(value)
    except BaseException:
        return f"<{type(value).__name__}>"


# ----------------------------------------------------------------------- calls
def _jsonable(obj):
    if hasattr(obj, "tolist"):  # numpy arrays and numpy scalars
        return obj.tolist()
    if isinstance(obj, (set, frozenset, range, tuple)):
        return list(obj)
    raise TypeError(f"a demo returns JSON; {type(obj).__name__} is not convertible")


def call(module: str, name: str, kwargs: str = "{}") -> str:
    """Call ``module.name(**kwargs)`` (a kernel module, JSON arguments); the value as JSON."""
    sandbox.repair()
    try:
        if module not in CALLABLE_MODULES:
            raise ValueError(f"call() reaches only {', '.join(CALLABLE_MODULES)}; not {module!r}")
        function = getattr(importlib.import_module(module), name)
        if name.startswith("_") or not callable(function):
            raise ValueError(f"{module}.{name} is not a function a demo may call")
        return _dumps({"value": function(**_loads(kwargs))}, default=_jsonable)
    except BaseException as exc:
        return _dumps({"error": _error(exc, f"{CELL_PREFIX}demo>")})
    finally:
        streams.flush()
