"""The checks of the chapter's exercises: run after the reader's code, they say what is wrong.

An author writes an exercise's checks as Python with a few helpers (README, "Writing for
the book")::

    expect(my_relu(-2), 0, hint="ReLU sets every negative value to 0.")
    expect_range(Neuron(w=w_ab, b=b_ab)(A), low=0.5)
    expect_text(why, min_chars=10)
    fail("a sentence of the author's own")

A check that fails raises ``CheckFailed``, which carries data, not words: its ``kind``,
``call`` (the code that was checked, read from the check's own source, e.g.
``my_relu(-2)``), ``expected`` and ``actual`` (short Python reprs), the author's ``hint``.
Any other error inside a check becomes such data too (the reader's function raised, a
name the starting code defines is missing). The page words it in its language
(exercises/*.js with ``exercises.fail.*`` of strings/<lang>.json); a notebook words it
with the same sentences (``checking`` and ``WORDS``).

- ``check(exercise, checks, hidden)``: what the page calls (``runner.call``) once the
  reader's code has run: the public checks, then the hidden ones, in a copy of the page's
  namespace (a check never changes the reader's names); ``{"passed", "failure"}``;
- ``run_checks(namespace, checks, hidden, name)``: the same for any namespace (the tests);
- ``checking()``: the notebooks' form, ``with checking(): expect(...)``, which prints
  the verdict in the notebook's language and puts back the names the checks set.

The part between the two ``# ----`` markers below is copied as it is into each notebook
(site_scripts/notebook.py), so it needs only the standard library and numpy.

Not for: running the reader's code (``runner.run_cell``) or showing anything
(``site_scripts/web/exercises/``).
"""
from __future__ import annotations

# ---- the checks (notebooks carry this part as it is) ----
import ast
import contextlib
import io
import linecache
import math
import re
import sys

import numpy as np

# The sentences of the checks in a notebook's language ("exercises" of strings/<lang>.json);
# the page words failures itself and leaves this empty.
WORDS: dict = {}
# The longest repr a failure shows of a value.
SHOWN_CHARS = 160


class CheckFailed(Exception):
    """A check that does not hold: ``data`` says what was checked, expected and found."""

    def __init__(self, kind: str, **data):
        super().__init__(kind)
        self.data = {"kind": kind, **data}


def expect(actual, wanted, *, call: str | None = None, hint: str = "", tol: float = 1e-6) -> None:
    """``actual`` must be ``wanted``: numbers within ``tol``, arrays alike in shape and values.

    ``call`` names what was checked; by default the code of the first argument.
    """
    kind = _compare(actual, wanted, tol)
    if kind is None:
        return
    call = call or _argument_text(sys._getframe(1))
    shown = (_shape(wanted), _shape(actual)) if kind == "shape" else (_show(wanted), _show(actual))
    raise CheckFailed(kind, call=call, expected=shown[0], actual=shown[1], type=type(actual).__name__, hint=hint)


def expect_range(actual, low: float | None = None, high: float | None = None, *,
                 call: str | None = None, hint: str = "") -> None:
    """``actual`` must be a number above ``low`` and below ``high`` (either may be left out)."""
    call = call or _argument_text(sys._getframe(1))
    if not _is_number(actual):
        raise CheckFailed("number", call=call, actual=_show(actual), type=type(actual).__name__, hint=hint)
    value = float(actual)
    if low is not None and not value > low:
        raise CheckFailed("above", call=call, low=_show(low), actual=_show(actual), hint=hint)
    if high is not None and not value < high:
        raise CheckFailed("below", call=call, high=_show(high), actual=_show(actual), hint=hint)


def expect_text(actual, *, min_chars: int = 10, call: str | None = None, hint: str = "") -> None:
    """``actual`` must be a sentence: a string of at least ``min_chars`` characters."""
    if isinstance(actual, str) and len(actual.strip()) >= min_chars:
        return
    call = call or _argument_text(sys._getframe(1))
    raise CheckFailed("text", call=call, min=str(min_chars), actual=_show(actual), hint=hint)


def fail(message: str, *, hint: str = "") -> None:
    """Fails with the author's own sentence (in the page's language)."""
    raise CheckFailed("custom", message=message, hint=hint)


def _is_number(value) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _numbers(value) -> np.ndarray | None:
    """``value`` as an array of floats if it is a list, tuple or array of numbers."""
    if not isinstance(value, (list, tuple, np.ndarray)):
        return None
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def _compare(actual, wanted, tol: float) -> str | None:
    """None if ``actual`` is ``wanted``; else the kind of the difference."""
    if wanted is None:
        return None if actual is None else "value"
    if actual is None:
        return "none"
    if isinstance(wanted, (bool, np.bool_)):
        if not isinstance(actual, (bool, np.bool_)):
            return "type"
        return None if bool(actual) == bool(wanted) else "value"
    if _is_number(wanted):
        if not _is_number(actual):
            return "type"
        a, w = float(actual), float(wanted)
        return None if math.isclose(a, w, rel_tol=tol, abs_tol=tol) else "value"
    w = _numbers(wanted)
    if w is not None:
        a = _numbers(actual)
        if a is None:
            return "type"
        if a.shape != w.shape:
            return "shape"
        return None if np.allclose(a, w, rtol=tol, atol=tol) else "value"
    try:
        same = bool(actual == wanted)
    except Exception:  # noqa: BLE001 - an == that raises (arrays, a reader's class) is a difference
        same = False
    if same:
        return None
    return "type" if type(actual) is not type(wanted) else "value"


def _shape(value) -> str:
    array = _numbers(value)
    return str(array.shape) if array is not None else "?"


def _number_text(value: float) -> str:
    """A number as a failure shows it: six significant digits (0.549834, 1e-07), no -0.0."""
    return repr(float(f"{value:.6g}") + 0.0)


def _show(value) -> str:
    """A short Python repr of a value, the same in CPython and Pyodide."""
    try:
        if isinstance(value, (bool, np.bool_)):
            text = repr(bool(value))
        elif isinstance(value, (int, np.integer)):
            text = repr(int(value))
        elif _is_number(value):
            text = _number_text(float(value))
        elif (array := _numbers(value)) is not None and array.size <= 64:
            if np.asarray(value).dtype.kind in "iub":
                text = repr(np.asarray(value).astype(int).tolist())
            else:
                text = repr(np.vectorize(lambda v: float(f"{v:.6g}") + 0.0, otypes=[float])(array).tolist())
            if isinstance(value, np.ndarray):
                text = f"array({text})"
        elif (array := _numbers(value)) is not None:
            text = f"array of shape {array.shape}"
        else:
            text = repr(value)
    except Exception:  # noqa: BLE001 - a reader's __repr__ may raise anything
        text = f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


# ---- where a check is: the code of the expression being checked
def _position_text(code, lasti: int) -> str | None:
    """The source of the instruction at ``lasti`` (a call: its whole expression)."""
    try:
        line, end_line, col, end_col = list(code.co_positions())[lasti // 2]
    except (AttributeError, IndexError, ValueError):
        return None
    lines = linecache.getlines(code.co_filename)
    if None in (line, end_line, col, end_col) or not lines or end_line > len(lines):
        return None
    chunk = [text.encode() for text in lines[line - 1 : end_line]]  # columns count UTF-8 bytes
    if len(chunk) == 1:
        raw = chunk[0][col:end_col]
    else:
        raw = chunk[0][col:] + b"".join(chunk[1:-1]) + chunk[-1][:end_col]
    return raw.decode("utf-8", errors="replace").strip() or None


def _line_text(code, line: int | None) -> str:
    return linecache.getline(code.co_filename, line).strip() if line else ""


def _argument_text(frame) -> str:
    """The code of the first argument of the helper called from ``frame``: ``my_relu(-2)``."""
    text = _position_text(frame.f_code, frame.f_lasti)
    try:
        node = ast.parse(text, mode="eval").body if text else None
    except SyntaxError:
        node = None
    if isinstance(node, ast.Call):
        args = list(node.args) + [k.value for k in node.keywords if k.arg == "actual"]
        if args:
            segment = ast.get_source_segment(text, args[0])
            if segment:
                return " ".join(segment.split())
    return text or _line_text(frame.f_code, frame.f_lineno)


def failure(exc: BaseException, filename: str) -> dict:
    """What went wrong in a check (of source ``filename``), as data to word."""
    if isinstance(exc, CheckFailed):
        return dict(exc.data)
    # The check's own frame: where the check was when the error came.
    tb, own = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            own = tb
        tb = tb.tb_next
    call = ""
    raised_here = own is not None and own.tb_next is None
    if own is not None:
        call = _position_text(own.tb_frame.f_code, own.tb_lasti) or _line_text(own.tb_frame.f_code, own.tb_lineno)
    if raised_here and isinstance(exc, NameError) and isinstance(getattr(exc, "name", None), str):
        return {"kind": "missing", "name": exc.name}
    if raised_here and isinstance(exc, AssertionError):
        return {"kind": "assert", "call": _line_text(own.tb_frame.f_code, own.tb_lineno) or call}
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001 - a reader's exception may not even print
        message = ""
    if len(message) > 300:
        message = message[:299] + "…"
    return {"kind": "error", "call": " ".join(call.split()), "name": type(exc).__name__, "message": message}


def _fill(template: str, values: dict) -> str:
    """``template`` with its {names} filled in one pass (a value may itself hold braces)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def word(data: dict, words: dict | None = None) -> str:
    """A failure in a sentence of ``words`` (the "exercises" strings of a language)."""
    words = words or WORDS
    sentences = words.get("fail", {})
    text = _fill(sentences.get(data["kind"], "{kind}"), data)
    if data.get("hidden"):
        text = f"{text} {sentences.get('hidden', '')}".strip()
    if data.get("hint"):
        text = f"{text} {_fill(sentences.get('hint', '{hint}'), {'hint': data['hint']})}"
    return _fill(words.get("failed", "{message}"), {"message": text})


class checking:
    """``with checking(): expect(...)``: a notebook's checks; prints the verdict in its language.

    The first check that fails ends the block (its sentence is printed, nothing raised, so
    "Run all" goes on); names the checks set are put back as they were when it ends.
    """

    def __enter__(self):
        frame = sys._getframe(1)
        self.scope = frame.f_globals
        self.saved = dict(self.scope)
        self.filename = frame.f_code.co_filename
        self.quiet = contextlib.redirect_stdout(io.StringIO())
        self.quiet.__enter__()
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        self.quiet.__exit__(None, None, None)
        for name in [n for n in self.scope if n not in self.saved]:
            del self.scope[name]
        self.scope.update(self.saved)
        if exc is None:
            print(WORDS.get("passed", "passed"))
            return False
        if isinstance(exc, KeyboardInterrupt):
            return False
        print(word(failure(exc, self.filename)))
        return True
# ---- end of the checks ----


HELPERS = {name: globals()[name] for name in ("expect", "expect_range", "expect_text", "fail", "CheckFailed")}


def run_checks(namespace: dict, checks: str, hidden: str = "", name: str = "exercise") -> dict:
    """Run an exercise's public checks, then its hidden ones, in a copy of ``namespace``.

    ``{"passed": True, "failure": None}``, or ``{"passed": False, "failure": data}`` for the
    first check that fails; data has ``"hidden": True`` when it was a hidden check.
    What the reader's functions print meanwhile is dropped.
    """
    for source, is_hidden in ((checks, False), (hidden, True)):
        if not source.strip():
            continue
        filename = f"<{'hidden check' if is_hidden else 'check'} {name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        scope = {**namespace, **HELPERS}
        try:
            code = compile(source, filename, "exec")
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                exec(code, scope)  # noqa: S102 - the author's checks, from the page
        except KeyboardInterrupt:
            raise  # Stop: the page ends the check as it ends a cell
        except BaseException as exc:  # noqa: BLE001 - whatever the reader's code raises is a failure
            return {"passed": False, "failure": {**failure(exc, filename), "hidden": is_hidden}}
    return {"passed": True, "failure": None}


def check(exercise: str, checks: str, hidden: str = "") -> dict:
    """The page's Check, once the reader's code has run: the checks in the page's namespace."""
    from .runner import namespace

    return run_checks(namespace, checks, hidden, exercise)


def notebook_source() -> str:
    """The part of this module a notebook carries (between the markers), as it is."""
    with open(__file__, encoding="utf-8") as handle:
        text = handle.read()
    start = text.index("# ---- the checks (notebooks carry this part as it is) ----\n")
    end = text.index("# ---- end of the checks ----\n")
    return text[start:end].split("\n", 1)[1].rstrip() + "\n"
