"""Run a live cell the way a notebook does.

``run_cell(source, cell_id)`` executes the cell in the page's namespace (one per page, so
cells build on each other): every statement but the last expression runs, the last
expression is evaluated and shown (its repr, or an image if it is rich), then the open
matplotlib figures are shown. ``call(source)`` does the same for the page's demos and
returns the value as JSON. Both return a JSON string: ``{"value": ...}`` or
``{"error": {"name", "traceback", "line", "hints"}}``, the traceback trimmed to the reader's
code; ``hints`` are keys of sentences the page adds in its language (see ``hints``).
``run_cell`` also gives ``"hidden_images"`` (images beyond the cell's limit) and, when the
cell called ``sys.exit()``, ``"exit"``: the cell ends there, Python goes on.

Not for: where output goes (output.py) or loading Python (worker.js).
"""

from __future__ import annotations

import ast
import importlib.util
import io
import json
import linecache
import os
import sys
import tokenize
import traceback
import types

from . import output

CELL_PREFIX = "<cell "
HELPERS_DIR = os.path.dirname(__file__)
# The page's namespace, shared by its cells and demos, is a real ``__main__`` module so
# that classes defined in a cell (dataclasses, pickling) find their module.
sys.modules["__main__"] = types.ModuleType("__main__")
namespace = sys.modules["__main__"].__dict__


def _compile(source: str, filename: str):
    """Compile the cell into (statements, last expression or None)."""
    # The source is registered so that tracebacks can quote (and mark) its lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    tree = ast.parse(source, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
        last = compile(last, filename, "eval")
    return compile(tree, filename, "exec"), last


def _ends_with_semicolon(source: str) -> bool:
    """A trailing ``;`` hides the last value, as in notebooks."""
    skip = {tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER,
            tokenize.DEDENT, tokenize.INDENT}
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                  if t.type not in skip]
    except (tokenize.TokenError, SyntaxError):
        return False
    return bool(tokens) and tokens[-1].string == ";"


def _execute(source: str, filename: str):
    statements, last = _compile(source, filename)
    exec(statements, namespace)
    return eval(last, namespace) if last is not None else None


# Modules a reader may try for the network; none is here, and the book runs offline.
NETWORK_MODULES = {"requests", "httpx", "urllib3", "aiohttp", "websockets", "socketio"}
MEMORY_WORDS = ("too big", "too large", "index-sized")


def hints(exc: BaseException) -> list[str]:
    """Keys of the page's explanations for an error a reader may not expect here.

    "memory": Python in a browser tab has a few gigabytes at most; "recursion"; "offline":
    cells cannot reach the internet; "modules": which packages there are; "input".
    """
    if getattr(exc, "nnbook_hint", None):
        return [exc.nnbook_hint]
    if isinstance(exc, MemoryError) or (
        isinstance(exc, (OverflowError, ValueError)) and any(w in str(exc) for w in MEMORY_WORDS)
    ):
        return ["memory"]
    if isinstance(exc, RecursionError):
        return ["recursion"]
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        top = exc.name.split(".")[0]
        if top in NETWORK_MODULES:
            return ["offline", "modules"]
        if top == exc.name or importlib.util.find_spec(top) is None:
            return ["modules"]
    module = type(exc).__module__
    if module in NETWORK_ERRORS or "OfflineError" in str(exc) or _through(exc, NETWORK_FILES):
        return ["offline"]
    return []


NETWORK_ERRORS = ("urllib.error", "http.client", "socket", "ssl")
NETWORK_FILES = ("/socket.py", "/urllib/request.py", "/http/client.py", "/ssl.py")


def _through(exc: BaseException, files: tuple[str, ...]) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(files):
            return True
        tb = tb.tb_next
    return False


def _error(exc: BaseException, filename: str) -> dict:
    """The traceback from the first frame of a cell on; the runner's frames are dropped."""
    tb = exc.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith(CELL_PREFIX):
        tb = tb.tb_next
    # The frames of these helpers (input(), pyfetch() refusing) end the traceback: cut them.
    frame = tb
    while frame is not None and frame.tb_next is not None:
        if frame.tb_next.tb_frame.f_code.co_filename.startswith(HELPERS_DIR):
            frame.tb_next = None
        frame = frame.tb_next
    line = None
    frame = tb
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == filename:
            line = frame.tb_lineno
        frame = frame.tb_next
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    return {"name": type(exc).__name__, "traceback": text, "line": line, "hints": hints(exc)}


def _shown_value(value, source: str) -> str | None:
    """Show a rich value as an image; return the repr of any other (None: nothing)."""
    if value is None or _ends_with_semicolon(source):
        return None
    if output.is_rich(value):
        output.show_rich(value)
        return None
    return repr(value)


def run_cell(source: str, cell_id: str) -> str:
    """Run one cell; its output goes out through ``output`` as it happens."""
    filename = f"{CELL_PREFIX}{cell_id}>"
    output.start_cell()
    try:
        result = {"value": _shown_value(_execute(source, filename), source)}
        output.send_open_figures()
    except SystemExit as exc:  # sys.exit(), exit(): the cell ends, the page's Python does not
        output.send_open_figures()
        result = {"value": None, "exit": None if exc.code is None else repr(exc.code)}
    except BaseException as exc:  # the reader's code may raise anything
        output.close_figures()
        result = {"error": _error(exc, filename)}
    output.flush()
    result["hidden_images"] = output.hidden_images
    return json.dumps(result)


def _jsonable(obj):
    if hasattr(obj, "tolist"):  # numpy arrays and numpy scalars
        return obj.tolist()
    if isinstance(obj, (set, frozenset, range)):
        return list(obj)
    raise TypeError(f"nnbook.call() returns JSON; {type(obj).__name__} is not convertible")


def call(source: str) -> str:
    """Run code for a demo in the page's namespace; the last value is returned as JSON."""
    filename = f"{CELL_PREFIX}demo>"
    try:
        return json.dumps({"value": _execute(source, filename)}, default=_jsonable)
    except BaseException as exc:
        return json.dumps({"error": _error(exc, filename)})
    finally:
        output.flush()
