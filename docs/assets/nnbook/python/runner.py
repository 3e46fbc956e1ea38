"""Run a live cell the way a notebook does.

``run_cell(source, cell_id)`` executes the cell in the page's namespace (one per page, so
cells build on each other): every statement but the last expression runs, the last
expression is evaluated and shown (its repr, or an image if it is rich), then the open
matplotlib figures are shown. ``call(source)`` does the same for the page's demos and
returns the value as JSON. Both return a JSON string: ``{"value": ...}`` or
``{"error": {"name", "traceback", "line"}}``, the traceback trimmed to the reader's code.

Not for: where output goes (output.py) or loading Python (worker.js).
"""

from __future__ import annotations

import ast
import io
import json
import linecache
import sys
import tokenize
import traceback
import types

from . import output

CELL_PREFIX = "<cell "
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


def _error(exc: BaseException, filename: str) -> dict:
    """The traceback from the first frame of a cell on; the runner's frames are dropped."""
    tb = exc.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith(CELL_PREFIX):
        tb = tb.tb_next
    line = None
    frame = tb
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == filename:
            line = frame.tb_lineno
        frame = frame.tb_next
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    return {"name": type(exc).__name__, "traceback": text, "line": line}


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
    try:
        result = {"value": _shown_value(_execute(source, filename), source)}
        output.send_open_figures()
    except BaseException as exc:  # the reader's code may raise anything, even SystemExit
        output.close_figures()
        result = {"error": _error(exc, filename)}
    output.flush()
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
